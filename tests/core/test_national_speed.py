"""The fast national build gives the same database as the plain one (issue #17, part 4).

A build from scratch parses the card versions in worker processes, fills the full-text index in
one statement and writes a new database into a temporary file that is renamed when whole; these
tests hold it to the sequential build, to an incremental build and to "no half database".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CARDS, git, make_repo
from tui.core.national import build as build_module
from tui.core.national import parse
from tui.core.national.build import PARTIAL_SUFFIX, build
from tui.core.national.gitread import GitReader

WBW = sorted(p.stem for p in (CARDS / "wbw").glob("*.toml"))
NML = sorted(p.stem for p in (CARDS / "nml").glob("*.toml"))
TABLES = ("commits", "cards", "field_values", "card_versions")


def edit(repo: Path, rel: str, old: str, new: str, message: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", message)


def with_history(repo: Path, after: Callable[[], object] = lambda: None) -> Path:
    """Edits, a deletion, a card that does not parse, a side branch and its merge (``after`` runs between)."""
    edit(repo, "cards/wbw/wbw-t1-1.4.toml", 'title = "Reablement"', 'title = "Reablement en herstel"', "Titel")
    after()
    edit(repo, "cards/wbw/wbw-t1-1.4.toml", 'bekostiging = """\n', 'bekostiging = """\nNieuw: ', "Bekostiging")
    after()
    git(repo, "rm", "-q", "cards/wbw/wbw-t1-gp1.toml")
    (repo / "cards" / "wbw" / "kapot.toml").write_text('id = "WBW/X"\ntitle = "open\n', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Weg en kapot")
    after()
    git(repo, "checkout", "-q", "-b", "zij")
    edit(repo, "cards/wbw/wbw-t1-1.1.toml", 'number = "1.1"', 'number = "1.1b"', "Zij")
    git(repo, "checkout", "-q", "main")
    edit(repo, "cards/wbw/wbw-t1-1.4.toml", "van 65+.", "van 70+.", "Hoofd")
    git(repo, "merge", "-q", "--no-edit", "zij")
    return repo


@pytest.fixture
def repos(tmp_path: Path) -> list[Path]:
    wbw = with_history(make_repo(tmp_path / "wbw", cards=WBW))
    nml = make_repo(tmp_path / "nml", cards=NML)
    edit(
        nml,
        "cards/nml/nml-b01.1.toml",
        'tekst = "9"\nstatus = "number"\nwaarde = 9',
        'tekst = "12"\nstatus = "number"\nwaarde = 12',
        "FTE",
    )
    return [wbw, nml]


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (ids included), the full-text index's answers and the schema."""
    with sqlite3.connect(db) as conn:
        out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
        out["sources"] = conn.execute(
            "SELECT repo, name, remote, region, branch, head, commits_total, cards FROM sources ORDER BY repo"
        ).fetchall()
        words = {w for (body,) in conn.execute("SELECT body FROM cards") for w in body.split()[:3] if w.isalpha()}
        found = "SELECT c.repo, c.path FROM cards_fts JOIN cards c ON c._id = cards_fts.rowid WHERE cards_fts MATCH ?"
        out["fts"] = [(w, *r) for w in sorted(words) for r in sorted(conn.execute(found, (f'"{w}"',)))]
        conn.execute("INSERT INTO cards_fts(cards_fts) VALUES ('integrity-check')")  # raises when out of step
        out["schema"] = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    return out


def no_partial_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(PARTIAL_SUFFIX)]


def test_parallel_build_equals_the_sequential_one(
    repos: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sequential, parallel = tmp_path / "seq.db", tmp_path / "par.db"
    build(sequential, repos, workers=1)

    def not_here(items: list[parse.Item]) -> dict[str, str | None]:
        raise AssertionError("parsed in this process, not in the workers")

    with monkeypatch.context() as m:
        m.setattr(parse, "_here", not_here)
        build(parallel, repos, workers=2)
    first = dump(sequential)
    assert first == dump(parallel)
    assert len(first["card_versions"]) > len(first["cards"]) > 10 and first["fts"]
    assert any(r[11] for r in first["card_versions"])  # the broken version's reason is there ...
    assert any(r[10] for r in first["card_versions"])  # ... and the deletion

    edit(repos[0], "cards/wbw/wbw-t1-1.1.toml", 'number = "1.1b"', 'number = "1.1c"', "Nog een")  # read incrementally
    build(sequential, repos, workers=1)
    with monkeypatch.context() as m:
        m.setattr(parse, "_here", not_here)
        build(parallel, repos, workers=2)
    assert dump(sequential) == dump(parallel)


def test_from_scratch_equals_brought_up_to_date(tmp_path: Path) -> None:
    """The one-go index and bulk inserts of a new file give what the incremental way (triggers, updates) gives."""
    wbw = make_repo(tmp_path / "wbw", cards=WBW)
    grown = tmp_path / "grown.db"
    build(grown, [wbw])
    with_history(wbw, after=lambda: build(grown, [wbw]))
    build(grown, [wbw])
    scratch = tmp_path / "scratch.db"
    build(scratch, [wbw], workers=2)
    a, b = dump(grown), dump(scratch)
    for key in ("commits", "cards", "field_values", "card_versions", "fts", "schema"):
        assert _without_ids(key, a[key]) == _without_ids(key, b[key]), key


def _without_ids(table: str, rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Rows by content: a card deleted, broken or read again gets a new ``_id`` in an updated database."""
    if table in ("cards", "field_values", "commits"):
        return sorted(r[1:] for r in rows)
    if table == "card_versions":
        return sorted(r[1:6] + r[7:] for r in rows)
    return rows


def test_parse_all_gives_the_same_in_workers_and_here() -> None:
    items = {f"b{i}": (f"cards/x/{p.stem}.toml", p.read_bytes()) for i, p in enumerate(sorted(CARDS.rglob("*.toml")))}
    items["kapot"] = ("cards/x/kapot.toml", b'title = "open\n')
    here = parse.parse_all(items, workers=1)
    assert parse.parse_all(items, workers=2) == here
    assert here["kapot"] is None and all(here[k] for k in items if k != "kapot")
    assert parse.parse_all({}, workers=2) == {}


@pytest.mark.parametrize("failure", [RuntimeError("stopped"), KeyboardInterrupt()])
def test_an_interrupted_first_build_leaves_no_database(
    repos: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    db = folder / "landelijk.db"

    def stop(*args: object, **kwargs: object) -> int:
        raise failure

    with monkeypatch.context() as m:
        m.setattr(build_module, "write_cards", stop)
        with pytest.raises(type(failure)):
            build(db, repos)
    assert not db.exists() and no_partial_files(folder)
    report = build(db, repos)
    assert report.created and no_partial_files(folder)
    assert dump(db)["cards"]


def test_an_interrupted_update_leaves_the_database_as_it_was(
    repos: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "l.db"
    build(db, repos)
    before = dump(db)
    edit(repos[0], "cards/wbw/wbw-t1-1.1.toml", 'number = "1.1b"', 'number = "1.1c"', "Nog een")

    def stop(*args: object, **kwargs: object) -> int:
        raise RuntimeError("stopped")

    with monkeypatch.context() as m:
        m.setattr(build_module, "write_cards", stop)
        with pytest.raises(RuntimeError):
            build(db, repos)
    assert dump(db) == before and no_partial_files(tmp_path)
    assert build(db, repos).commits_read == 1


def test_an_empty_file_is_built_whole_in_place(repos: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "leeg.db"
    db.touch()
    assert build(db, repos).created
    assert dump(db)["cards"] and no_partial_files(tmp_path)


def test_a_history_without_merges_reads_like_the_path_limited_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without merges the log is read whole and filtered; it must keep exactly the path-limited commits."""
    repo = make_repo(tmp_path / "wbw", cards=WBW[:6])
    (repo / "README.md").write_text("regio\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Alleen buiten cards/")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Leeg")
    (repo / "cards" / "LEESMIJ.md").write_text("uitleg\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Geen kaart, wel in cards/")
    edit(repo, "cards/wbw/wbw-t1-1.4.toml", 'title = "Reablement"', 'title = "Reablement en herstel"', "Titel")
    (repo / "README.md").write_text("regio en kaart\n", encoding="utf-8")
    edit(repo, "cards/wbw/wbw-t1-1.1.toml", 'number = "1.1"', 'number = "1.1b"', "Kaart en README")

    reader = GitReader(repo)
    assert not reader.has_merges("HEAD")
    limited = reader.log("HEAD", "cards/")
    whole = [c for c in reader.start_log("HEAD", None).result() if any(x.path.startswith("cards/") for x in c.changes)]
    assert [c.hash for c in whole] == [c.hash for c in limited] and len(limited) == 4
    assert [c.parents for c in whole] == [c.parents for c in limited]
    assert [[x for x in c.changes if x.path.startswith("cards/")] for c in whole] == [c.changes for c in limited]

    quick, limited_db = tmp_path / "quick.db", tmp_path / "limited.db"
    build(quick, [repo])
    with monkeypatch.context() as m:
        m.setattr(GitReader, "has_merges", lambda self, revisions: True)  # always the path-limited log
        build(limited_db, [repo])
    assert dump(quick) == dump(limited_db)
