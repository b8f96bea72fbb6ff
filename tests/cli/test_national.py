"""``kaartenbak export --format sqlite`` on real repositories, and the database through Datasette's JSON API.

The Datasette tests skip when Datasette is not installed (``pip install -e ".[national]"``).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import git, make_repo
from tui.cli import main

HAS_DATASETTE = importlib.util.find_spec("datasette") is not None
needs_datasette = pytest.mark.skipif(
    not HAS_DATASETTE, reason="datasette is not installed (pip install -e '.[national]')"
)


@pytest.fixture
def two_regions(tmp_path: Path) -> tuple[Path, Path]:
    wbw = make_repo(tmp_path / "wbw", cards=["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t1-gp1", "wbw-t3-p1"])
    nml = make_repo(tmp_path / "nml", cards=["nml-b01.1", "nml-b22.1", "nml-c1", "nml-f1.1", "nml-e1.1"])
    card = nml / "cards" / "nml" / "nml-b01.1.toml"
    card.write_text(card.read_text(encoding="utf-8").replace('tekst = "9"', 'tekst = "9 (herzien)"'), encoding="utf-8")
    git(nml, "commit", "-q", "-am", "FTE-tekst herzien")
    return wbw, nml


def export(*args: str) -> int:
    return main(["export", "--format", "sqlite", *args])


def test_export_two_regions_then_nothing_new(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wbw, nml = two_regions
    db = tmp_path / "landelijk.db"
    assert export("-o", str(db), "--from", str(wbw), "--from", str(nml)) == 0
    said = capsys.readouterr().err
    assert "(WBW): 1 nieuwe commit gelezen, 4 kaarten." in said
    assert "(NML): 2 nieuwe commits gelezen, 5 kaarten." in said
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT region, count(*) FROM cards GROUP BY 1 ORDER BY 1").fetchall() == [
            ("NML", 5),
            ("WBW", 4),
        ]
    assert export("-o", str(db), "--from", str(wbw), "--from", str(nml)) == 0
    said = capsys.readouterr().err
    assert "0 nieuwe commits gelezen" in said and "1 nieuwe commit" not in said


def test_default_source_is_the_current_repository(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wbw, _ = two_regions
    monkeypatch.chdir(wbw)
    assert export("-o", str(tmp_path / "w.db")) == 0
    assert f"{wbw} (WBW)" in capsys.readouterr().err
    assert main(["--repo", str(two_regions[1]), "export", "--format", "sqlite", "-o", str(tmp_path / "n.db")]) == 0
    assert "(NML)" in capsys.readouterr().err


def test_uncommitted_cards_are_mentioned(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wbw, _ = two_regions
    (wbw / "cards" / "wbw" / "wbw-t1-1.1.toml").write_text('id = "WBW/T1/1.1"\n', encoding="utf-8")
    assert export("-o", str(tmp_path / "w.db"), "--from", str(wbw)) == 0
    assert "1 kaartbestand is gewijzigd maar niet vastgelegd" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "{tmp}/nergens"], "is geen kaartenbak-repository: de map bestaat niet."),
        (["--from", "{tmp}"], "is geen kaartenbak-repository: het is geen git-repository."),
        (["--from", "{wbw}/cards"], "is zelf geen git-repository"),
    ],
)
def test_bad_source_gives_a_clear_message(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    args = [a.format(tmp=tmp_path, wbw=two_regions[0]) for a in args]
    assert export("-o", str(tmp_path / "x.db"), *args) == 2
    said = capsys.readouterr().err
    assert message in said and "Traceback" not in said
    assert not (tmp_path / "x.db").exists()


def test_bad_targets_and_options_give_clear_messages(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wbw, _ = two_regions
    assert export("-o", str(tmp_path / "geen" / "x.db"), "--from", str(wbw)) == 2
    assert "kan " in capsys.readouterr().err
    assert export("-o", str(tmp_path), "--from", str(wbw)) == 2
    assert "dat is een map, geen bestand" in capsys.readouterr().err
    assert export("--from", str(wbw)) == 2
    assert "-o" in capsys.readouterr().err
    assert export("-o", str(tmp_path / "x.db"), "--from", str(wbw), "thema:Mentale gezondheid") == 2
    assert "laat de zoekvraag" in capsys.readouterr().err
    assert main(["export", "--from", str(wbw), "-o", str(tmp_path / "x.md")]) == 2
    assert "--format sqlite" in capsys.readouterr().err
    notes = tmp_path / "notes.md"
    notes.write_text("# mijn aantekeningen\n", encoding="utf-8")
    assert export("-o", str(notes), "--from", str(wbw)) == 2
    assert "geen database van Kaartenbak" in capsys.readouterr().err
    assert notes.read_text(encoding="utf-8") == "# mijn aantekeningen\n"


def test_locked_database(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wbw, _ = two_regions
    db = tmp_path / "l.db"
    assert export("-o", str(db), "--from", str(wbw), "-q") == 0
    git(wbw, "commit", "-q", "--allow-empty", "-m", "leeg")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr("tui.core.national.build.DEFAULT_TIMEOUT", 0.0)  # no waiting for the lock in a test
    try:
        assert export("-o", str(db), "--from", str(wbw)) == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    said = capsys.readouterr().err
    assert "in gebruik door een ander programma" in said and "Traceback" not in said


def test_english_messages(two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wbw, _ = two_regions
    assert main(["--lang", "en", "export", "--format", "sqlite", "-o", str(tmp_path / "e.db"), "--from", str(wbw)]) == 0
    assert "1 new commit read, 4 cards." in capsys.readouterr().err
    assert (
        main(["--lang", "en", "export", "--format", "sqlite", "-o", str(tmp_path / "e.db"), "--from", str(tmp_path)])
        == 2
    )
    assert "is not a kaartenbak repository: it is not a git repository." in capsys.readouterr().err


# -- Datasette -------------------------------------------------------------------------------------


def datasette_get(db: Path, metadata: Path, url: str) -> object:
    run = subprocess.run(
        [sys.executable, "-m", "datasette", str(db), "-m", str(metadata), "--get", url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture
def served(two_regions: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "landelijk.db"
    assert export("-o", str(db), "--from", str(two_regions[0]), "--from", str(two_regions[1]), "--metadata", "-q") == 0
    meta = tmp_path / "metadata.json"
    assert json.loads(meta.read_text(encoding="utf-8"))["databases"].keys() == {"landelijk"}
    return db, meta


@needs_datasette
def test_datasette_facets_and_search(served: tuple[Path, Path]) -> None:
    db, meta = served
    page = datasette_get(db, meta, "/landelijk/cards.json?_shape=objects&_size=100")
    assert isinstance(page, dict)
    assert len(page["rows"]) == 9
    facets = page["facet_results"]
    facets = facets.get("results", facets)  # Datasette 1.0 nests them
    assert {f["value"]: f["count"] for f in facets["region"]["results"]} == {"WBW": 4, "NML": 5}
    assert {"region", "theme", "kind", "status"} <= set(facets)
    found = datasette_get(db, meta, "/landelijk/cards.json?_search=reablement&_shape=array&_col=id")
    assert [r["id"] for r in found] == ["WBW/T1/1.4"]  # type: ignore[union-attr,index]


@needs_datasette
def test_datasette_canned_queries(served: tuple[Path, Path]) -> None:
    db, meta = served
    fte = datasette_get(db, meta, "/landelijk/fte_per_thema_per_regio.json?_shape=array")
    with sqlite3.connect(db) as conn:
        expected = conn.execute(
            "SELECT region, sum(fte_min) FROM cards WHERE fte_field IS NOT NULL GROUP BY 1"
        ).fetchall()
    by_region: dict[str, float] = {}
    for row in fte:  # type: ignore[union-attr]
        by_region[row["region"]] = by_region.get(row["region"], 0) + (row["fte_laag"] or 0)
    assert by_region == {r: s or 0 for r, s in expected}
    sources = datasette_get(db, meta, "/landelijk/fte_bronnen.json?regio=NML&thema=&_shape=array")
    assert {r["id"] for r in sources} >= {"NML/B01.1"}  # type: ignore[union-attr,index]
    assert all(r["repo"] and r["path"] and r["head_commit"] for r in sources)  # type: ignore[union-attr,index]
    counts = datasette_get(db, meta, "/landelijk/kaarten_per_regio_en_thema.json?_shape=array")
    assert sum(r["kaarten"] for r in counts) == 9  # type: ignore[union-attr,index]
    search = datasette_get(db, meta, "/landelijk/zoeken.json?zoekterm=" + quote('reablement "[/]') + "&_shape=array")
    assert isinstance(search, list)  # quotes and brackets in a search term are safe
    assert datasette_get(db, meta, "/landelijk/zoeken.json?zoekterm=&_shape=array") == []  # the empty form
    hits = datasette_get(db, meta, "/landelijk/zoeken.json?zoekterm=reablement&_shape=array")
    assert [r["id"] for r in hits] == ["WBW/T1/1.4"]  # type: ignore[union-attr,index]
    history = datasette_get(db, meta, "/landelijk/kaartgeschiedenis.json?kaart=NML/B01.1&_shape=array")
    assert [r["version"] for r in history] == [1, 2]  # type: ignore[union-attr,index]
    assert json.loads(history[1]["_changed_fields"]) == ["impact_fte.tekst"]  # type: ignore[index]
    assert history[1]["_message"] == "FTE-tekst herzien"  # type: ignore[index]


def test_long_histories_say_what_they_read(
    two_regions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.cli.national.PROGRESS_FROM", 2)
    wbw, nml = two_regions
    assert export("-o", str(tmp_path / "l.db"), "--from", str(wbw), "--from", str(nml)) == 0
    said = capsys.readouterr().err
    assert f"{nml}: 2 nieuwe commits lezen…" in said and f"{wbw}: 1 nieuwe" not in said


def test_a_db_suffix_chooses_sqlite(two_regions: tuple[Path, Path], tmp_path: Path) -> None:
    wbw, _ = two_regions
    assert main(["export", "-q", "-o", str(tmp_path / "w.sqlite"), "--from", str(wbw)]) == 0
    with sqlite3.connect(tmp_path / "w.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM cards").fetchone() == (4,)
    assert main(["--repo", str(wbw), "export", "-q", "-o", str(tmp_path / "w.db")]) == 0
    assert (tmp_path / "w.db").read_bytes().startswith(b"SQLite format 3\0")
