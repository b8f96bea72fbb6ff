"""The national SQLite database built from real region repositories (two repos from the golden cards)."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CARDS, git, make_repo
from tui.core.national.build import NationalError, build
from tui.core.national.fields import diff, flatten, fte_of
from tui.core.national.metadata import metadata

WBW = sorted(p.stem for p in (CARDS / "wbw").glob("*.toml"))
NML = sorted(p.stem for p in (CARDS / "nml").glob("*.toml"))


def golden(stem: str) -> dict:
    return tomllib.loads(next(CARDS.rglob(f"{stem}.toml")).read_text(encoding="utf-8-sig"))


def edit(repo: Path, rel: str, old: str, new: str, message: str) -> str:
    """Replace text in a card file, commit, return the commit hash."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def regions(tmp_path: Path) -> tuple[Path, Path]:
    """Two region repositories, each with a few commits after the first."""
    wbw = make_repo(tmp_path / "wbw", cards=WBW)
    edit(wbw, "cards/wbw/wbw-t1-1.4.toml", 'title = "Reablement"', 'title = "Reablement en herstel"', "Titel 1.4")
    edit(wbw, "cards/wbw/wbw-t1-1.4.toml", 'bekostiging = """\n', 'bekostiging = """\nNieuw: ', "Bekostiging")
    nml = make_repo(tmp_path / "nml", cards=NML)
    edit(
        nml,
        "cards/nml/nml-b01.1.toml",
        'tekst = "9"\nstatus = "number"\nwaarde = 9',
        'tekst = "12"\nstatus = "number"\nwaarde = 12',
        "FTE",
    )
    return wbw, nml


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_counts_per_region_and_theme_match_the_card_files(regions: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "landelijk.db"
    report = build(db, list(regions))
    expected = Counter((golden(s)["region"], golden(s).get("theme")) for s in WBW + NML)
    got = Counter({(r, t): n for r, t, n in rows(db, "SELECT region, theme, count(*) FROM cards GROUP BY 1, 2")})
    assert got == expected
    assert report.cards == len(WBW) + len(NML)
    assert {s.region for s in report.sources} == {"WBW", "NML"}
    assert rows(db, "SELECT region, count(*) FROM cards GROUP BY 1 ORDER BY 1") == [
        ("NML", len(NML)),
        ("WBW", len(WBW)),
    ]


def test_fte_columns_and_field_values(regions: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    build(db, list(regions))
    assert rows(db, "SELECT fte, fte_min, fte_max, fte_status, fte_field FROM cards WHERE id = 'NML/B01.1'") == [
        (12.0, 12.0, 12.0, "number", "impact_fte")
    ]
    # every card's FTE agrees with the file, and the field_values row says the same
    for stem in NML:
        fte = fte_of(golden(stem))
        if stem == "nml-b01.1":
            continue
        cid = golden(stem)["id"]
        assert rows(db, "SELECT fte_min, fte_max, fte_status FROM cards WHERE id = ?", cid) == [
            (fte.low, fte.high, fte.status)
        ]
    (value,) = rows(
        db, "SELECT value, number, label FROM field_values WHERE card_id = 'NML/B01.1' AND field = 'impact_fte.waarde'"
    )
    assert value[:2] == ("12", 12.0) and value[2] and "FTE" in value[2]
    (bek,) = rows(
        db,
        "SELECT value, label FROM field_values WHERE card_id = 'WBW/T1/1.4' AND field = 'randvoorwaarden.bekostiging'",
    )
    assert bek[0].startswith("Nieuw: ") and bek[1]
    # one field_values row per flattened field of each card
    for stem in ("wbw-t1-1.1", "nml-c1"):
        cid = golden(stem)["id"]
        fields = {r[0] for r in rows(db, "SELECT field FROM field_values WHERE card_id = ?", cid)}
        assert fields == set(flatten(golden(stem)))
    card = json.loads(rows(db, "SELECT data FROM cards WHERE id = 'WBW/T1/1.1'")[0][0])
    assert card == json.loads(json.dumps(golden("wbw-t1-1.1"), default=str))


def test_full_text_search_finds_a_word_in_the_prose(regions: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    build(db, list(regions))
    word = "vanthuisuit"
    expected = sorted(
        golden(s)["id"] for s in WBW + NML if word in next(CARDS.rglob(f"{s}.toml")).read_text("utf-8-sig").lower()
    )
    assert expected  # the oracle itself found something
    found = rows(
        db,
        "SELECT cards.id FROM cards_fts JOIN cards ON cards._id = cards_fts.rowid WHERE cards_fts MATCH ? ORDER BY 1",
        word,
    )
    assert [r[0] for r in found] == expected
    # an edited title is found under its new words; accents do not matter
    assert rows(db, "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH 'title:herstel'") == [(1,)]
    assert rows(db, "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH 'title:\"reablement en herstel\"'") == [(1,)]
    accented = rows(db, "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH 'cliënten'")[0][0]
    assert accented > 0 and rows(db, "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH 'clienten'") == [(accented,)]
    assert rows(db, "SELECT count(*) FROM cards_fts WHERE cards_fts MATCH 'nonexistentwordxyz'") == [(0,)]


def test_history_of_one_card_stores_only_the_changed_fields(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _nml = regions
    db = tmp_path / "l.db"
    build(db, list(regions))
    versions = rows(
        db,
        "SELECT version, commit_hash, changes, _changed_fields, deleted FROM card_versions"
        " WHERE card_id = 'WBW/T1/1.4' ORDER BY version",
    )
    log = git(wbw, "log", "--reverse", "--format=%H", "--", "cards/wbw/wbw-t1-1.4.toml").split()
    assert [v[0] for v in versions] == [1, 2, 3]
    assert [v[1] for v in versions] == log
    first = json.loads(versions[0][2])
    assert set(first) == set(flatten(golden("wbw-t1-1.4")))  # the first version has every field
    assert json.loads(versions[1][2]) == {"title": "Reablement en herstel"}
    assert json.loads(versions[1][3]) == ["title"]
    assert json.loads(versions[2][3]) == ["randvoorwaarden.bekostiging"]
    assert json.loads(versions[2][2])["randvoorwaarden.bekostiging"].startswith("Nieuw: ")
    # the commits are recorded with their authors and messages
    assert rows(db, "SELECT author, message FROM commits WHERE hash = ?", log[1]) == [("Test Gebruiker", "Titel 1.4")]
    # cards untouched since the first commit have exactly one version
    assert rows(db, "SELECT max(version) FROM card_versions WHERE card_id = 'WBW/T1/1.1'") == [(1,)]


def test_rerun_is_incremental(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, nml = regions
    db = tmp_path / "l.db"
    first = build(db, list(regions))
    assert first.commits_read == 3 + 2
    before = rows(db, "SELECT _id, id, blob FROM cards ORDER BY _id")

    again = build(db, list(regions))
    assert again.commits_read == 0
    assert all(s.git_processes <= 4 for s in again.sources)  # no log, no cat-file
    assert rows(db, "SELECT _id, id, blob FROM cards ORDER BY _id") == before

    new = edit(nml, "cards/nml/nml-c1.toml", 'region = "NML"', 'region = "NML"\nnumber = "C1"', "Nummer")
    third = build(db, list(regions))
    assert third.commits_read == 1
    by_repo = {s.repo: s for s in third.sources}
    assert by_repo[nml].commits_read == 1 and by_repo[nml].cards_changed == 1
    assert by_repo[wbw].commits_read == 0
    assert rows(db, "SELECT number, head_commit, changed_in FROM cards WHERE id = 'NML/C1'") == [("C1", new, new)]
    assert rows(db, "SELECT _changed_fields FROM card_versions WHERE commit_hash = ?", new) == [('["number"]',)]
    assert rows(db, "SELECT head, commits_read, commits_total FROM sources WHERE repo = ?", str(nml)) == [(new, 1, 3)]
    # the card rows of unchanged cards kept their keys (links into the database stay valid)
    assert rows(db, "SELECT _id, id FROM cards WHERE id != 'NML/C1' ORDER BY _id") == [
        (i, c) for i, c, _ in before if c != "NML/C1"
    ]
    assert rows(db, "SELECT count(*) FROM commits") == [(6,)]


def test_every_row_is_traceable_to_repo_commit_and_path(regions: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    build(db, list(regions))
    for repo, path, head, blob in rows(db, "SELECT repo, path, head_commit, blob FROM cards"):
        assert git(Path(repo), "rev-parse", f"{head}:{path}").strip() == blob
    for repo, path, commit, blob in rows(
        db, "SELECT repo, path, commit_hash, blob FROM card_versions WHERE deleted = 0"
    ):
        assert git(Path(repo), "rev-parse", f"{commit}:{path}").strip() == blob
    # a field's changed_in is a commit whose version changed that field
    for card_id, field, commit in rows(db, "SELECT card_id, field, changed_in FROM field_values"):
        assert commit is not None, (card_id, field)
        (changed,) = rows(
            db, "SELECT _changed_fields FROM card_versions WHERE card_id = ? AND commit_hash = ?", card_id, commit
        )
        assert field in json.loads(changed[0])
    (wbw_fte,) = rows(
        db, "SELECT changed_in FROM field_values WHERE card_id = 'NML/B01.1' AND field = 'impact_fte.waarde'"
    )
    assert rows(db, "SELECT message FROM commits WHERE hash = ?", wbw_fte[0]) == [("FTE",)]


def test_deleted_and_broken_cards(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _nml = regions
    db = tmp_path / "l.db"
    build(db, list(regions))
    git(wbw, "rm", "-q", "cards/wbw/wbw-t1-gp1.toml")
    (wbw / "cards" / "wbw" / "kapot.toml").write_text('id = "WBW/X"\ntitle = "open\n', encoding="utf-8")
    git(wbw, "add", "-A")
    git(wbw, "commit", "-q", "-m", "Weg en kapot")
    report = build(db, list(regions))
    assert rows(db, "SELECT count(*) FROM cards WHERE id = 'WBW/T1/GP1'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM field_values WHERE card_id = 'WBW/T1/GP1'") == [(0,)]
    assert rows(db, "SELECT deleted FROM card_versions WHERE card_id = 'WBW/T1/GP1' ORDER BY version") == [(0,), (1,)]
    (wbw_report,) = [s for s in report.sources if s.repo == wbw]
    assert len(wbw_report.skipped) == 1 and "kapot.toml" in wbw_report.skipped[0]
    assert rows(db, "SELECT error IS NOT NULL FROM card_versions WHERE path = 'cards/wbw/kapot.toml'") == [(1,)]
    assert rows(db, "SELECT count(*) FROM cards WHERE repo = ?", str(wbw)) == [(len(WBW) - 1,)]


def test_rewritten_history_is_read_again(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _nml = regions
    db = tmp_path / "l.db"
    build(db, list(regions))
    git(wbw, "commit", "-q", "--amend", "-m", "Bekostiging (herschreven)")
    report = build(db, list(regions))
    (wbw_report,) = [s for s in report.sources if s.repo == wbw]
    assert wbw_report.rebuilt and wbw_report.commits_read == 3
    assert rows(db, "SELECT count(*) FROM commits WHERE repo = ?", str(wbw)) == [(3,)]
    assert rows(db, "SELECT message FROM commits WHERE repo = ? ORDER BY id DESC LIMIT 1", str(wbw)) == [
        ("Bekostiging (herschreven)",)
    ]
    assert rows(db, "SELECT max(version) FROM card_versions WHERE card_id = 'WBW/T1/1.4'") == [(3,)]


def test_uncommitted_edits_are_counted_not_read(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _nml = regions
    card = wbw / "cards" / "wbw" / "wbw-t1-1.1.toml"
    card.write_text(card.read_text(encoding="utf-8").replace('region = "WBW"', 'region = "XXX"'), encoding="utf-8")
    report = build(tmp_path / "l.db", [wbw])
    assert report.sources[0].uncommitted == 1
    assert rows(tmp_path / "l.db", "SELECT region FROM cards WHERE id = 'WBW/T1/1.1'") == [("WBW",)]


def test_reviews_and_decisions_tables_appear_with_reviews(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, nml = regions
    db = tmp_path / "l.db"
    build(db, [wbw, nml])
    tables = {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "reviews" not in tables and "decisions" not in tables
    (nml / "reviews").mkdir()
    build(db, [wbw, nml])
    tables = {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"reviews", "decisions"} <= tables


def test_bad_sources_and_targets_are_refused_before_writing(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _nml = regions
    plain = tmp_path / "plain"
    plain.mkdir()
    empty = tmp_path / "empty"
    git(tmp_path, "init", "-q", "empty")
    nocards = tmp_path / "nocards"
    git(tmp_path, "init", "-q", "nocards")
    (nocards / "README").write_text("x", encoding="utf-8")
    git(nocards, "add", "-A")
    git(nocards, "-c", "user.name=A", "-c", "user.email=a@b", "commit", "-q", "-m", "x")
    cases = [
        (tmp_path / "missing", "not_a_repo", "missing"),
        (plain, "not_a_repo", "not_git"),
        (wbw / "cards", "not_a_repo", "parent"),
        (empty, "no_commits", None),
        (nocards, "not_a_repo", "no_cards"),
    ]
    db = tmp_path / "l.db"
    for source, code, reason in cases:
        with pytest.raises(NationalError) as info:
            build(db, [wbw, source])
        assert info.value.code == code, source
        assert info.value.params.get("reason") == reason
    assert not db.exists()  # nothing was written for a bad source

    with pytest.raises(NationalError) as info:
        build(tmp_path / "no" / "such" / "folder.db", [wbw])
    assert (info.value.code, info.value.params["reason"]) == ("unwritable", "no_folder")
    with pytest.raises(NationalError) as info:
        build(tmp_path, [wbw])
    assert (info.value.code, info.value.params["reason"]) == ("unwritable", "is_dir")

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE mine (x)")
        conn.execute("INSERT INTO mine VALUES (1)")
    with pytest.raises(NationalError) as info:
        build(other, [wbw])
    assert info.value.code == "not_our_db"
    assert rows(other, "SELECT x FROM mine") == [(1,)]
    text = tmp_path / "notes.txt"
    text.write_text("geen database, wel tekst die niet weg mag\n" * 10, encoding="utf-8")
    with pytest.raises(NationalError) as info:
        build(text, [wbw])
    assert info.value.code == "not_our_db"
    assert text.read_text(encoding="utf-8").startswith("geen database")


def test_a_locked_database_is_reported_and_left_as_it_was(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, nml = regions
    db = tmp_path / "l.db"
    build(db, [wbw])
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(NationalError) as info:
            build(db, [wbw, nml], timeout=0)
        assert info.value.code == "locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert rows(db, "SELECT count(*) FROM sources") == [(1,)]
    assert build(db, [wbw, nml]).sources[1].commits_read == 2


def test_diff_names_changed_added_and_removed_paths() -> None:
    old = flatten({"a": 1, "t": {"x": "1", "y": "2"}, "l": [1]})
    new = flatten({"a": 1, "t": {"x": "3"}, "l": [1, 2], "n": True})
    assert diff(old, new) == {"l": [1, 2], "n": True, "t.x": "3", "t.y": None}
    assert diff(flatten({"a": 1}), flatten({"a": True})) == {"a": True}  # 1 and True are different values


def test_shipped_metadata_matches_the_code() -> None:
    shipped = Path(__file__).resolve().parents[2] / "tui" / "core" / "national" / "metadata.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == metadata("kaartenbak")
    tables = metadata("x")["databases"]["x"]["tables"]
    assert tables["cards"]["facets"] == ["region", "theme", "kind", "status"]


def test_merges_add_a_version_only_where_they_change_a_card(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"])
    git(repo, "checkout", "-q", "-b", "zij")
    edit(repo, "cards/wbw/wbw-t1-1.4.toml", 'title = "Reablement"', 'title = "Reablement (zij)"', "Zij: titel")
    edit(repo, "cards/wbw/wbw-t1-1.1.toml", 'number = "1.1"', 'number = "1.1b"', "Zij: alleen hier")
    git(repo, "checkout", "-q", "main")
    edit(repo, "cards/wbw/wbw-t1-1.4.toml", "van 65+.", "van 70+.", "Hoofd: doelgroep")
    git(repo, "merge", "-q", "--no-edit", "zij")
    merge = git(repo, "rev-parse", "HEAD").strip()
    db = tmp_path / "l.db"
    build(db, [repo])
    # 1.4 changed on both sides: the merge result differs from both parents, so the merge is a version
    # (read against its first parent: it brings the side's title)
    v14 = rows(
        db, "SELECT commit_hash, _changed_fields FROM card_versions WHERE card_id = 'WBW/T1/1.4' ORDER BY version"
    )
    assert len(v14) == 4 and v14[-1] == (merge, '["title"]')
    # 1.1 changed on one side only: the clean merge adds no version
    v11 = rows(db, "SELECT commit_hash FROM card_versions WHERE card_id = 'WBW/T1/1.1' ORDER BY version")
    assert len(v11) == 2 and merge not in {c for (c,) in v11}
    assert rows(db, "SELECT title, json_extract(data, '$.doelgroep') FROM cards WHERE id = 'WBW/T1/1.4'") == [
        ("Reablement (zij)", "Kwetsbare ouderen met een leeftijd van 70+.")
    ]
    assert rows(db, "SELECT parents FROM commits WHERE hash = ?", merge)[0][0].count(" ") == 1


def test_a_bare_clone_reads_like_its_work_tree(regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _ = regions
    git(tmp_path, "clone", "-q", "--bare", str(wbw), "wbw.git")
    bare = tmp_path / "wbw.git"
    report = build(tmp_path / "bare.db", [bare])
    build(tmp_path / "work.db", [wbw])
    query = "SELECT id, blob, head_commit FROM cards ORDER BY id"
    assert rows(tmp_path / "bare.db", query) == rows(tmp_path / "work.db", query)
    assert report.sources[0].uncommitted == 0 and report.commits_read == 3
    with pytest.raises(NationalError) as info:
        build(tmp_path / "x.db", [bare / "objects"])
    assert (info.value.code, info.value.params["reason"]) == ("not_a_repo", "parent")


def test_fte_roll_up_agrees_with_kaartenbak_stats(regions: tuple[Path, Path], tmp_path: Path) -> None:
    """The canned query's initiative sums are the figures ``kaartenbak stats`` gives for the same cards."""
    from tui.core.cards.fte import fte_totals
    from tui.core.workspace import Workspace

    _wbw, nml = regions
    db = tmp_path / "l.db"
    build(db, [nml])
    totals = fte_totals(Workspace(nml).store.load_all().cards)
    sql = metadata("l")["databases"]["l"]["queries"]["fte_per_thema_per_regio"]["sql"]
    got = {
        thema: (low, high, n) for _r, thema, kind, _k, n, low, high, _nm in rows(db, sql) if kind == "initiative" and n
    }
    assert got == {t: (v.low, v.high, v.counted) for t, v in totals.items() if v.counted}
    assert got  # the golden NML cards have FTE figures
