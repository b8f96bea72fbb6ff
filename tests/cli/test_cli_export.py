"""``kaartenbak export`` run as a real process on the real cards."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CARDS, GOLDEN, ROOT, SCHEMA
from tui.cli import build_parser
from tui.cli.export import PROGRESS_FROM

N_CARDS = len(list(CARDS.rglob("*.toml")))  # the golden repository


def kaartenbak(*args: str, repo: Path = GOLDEN, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "tui", "--repo", str(repo), *args],
        check=False,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_export_is_a_registered_subcommand() -> None:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    assert "export" in sub.choices


def test_markdown_of_one_theme_to_stdout(tmp_path: Path) -> None:
    run = kaartenbak("export", "thema:Mentale gezondheid", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    text = run.stdout.decode("utf-8")
    assert "### Mentale gezondheid\n" in text
    assert text.count("\n### ") == 1
    assert "**Kaart-id:** WBW/T3/P1" in text


def many_cards(root: Path, count: int) -> Path:
    """A folder of ``count`` cards (the golden ones, then copies of a small one under new ids)."""
    shutil.copytree(CARDS, root / "cards")
    source = (CARDS / "nml" / "nml-f6.1.toml").read_text(encoding="utf-8")
    for i in range(count - N_CARDS):
        copy = source.replace('id = "NML/F6.1"', f'id = "NML/G{i}"')
        (root / "cards" / "nml" / f"nml-g{i}.toml").write_text(copy, encoding="utf-8")
    return root


def test_csv_file_with_progress(tmp_path: Path) -> None:
    count = PROGRESS_FROM + 10  # enough cards for the progress counter
    out = tmp_path / "kaarten.csv"
    run = kaartenbak(
        "export", "--format", "csv", "-o", str(out), repo=many_cards(tmp_path / "veel", count), cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr.decode()
    err = run.stderr.decode()
    assert f"{count}/{count} kaarten" in err and f"{count} kaarten geëxporteerd naar" in err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][0] == "Kaart-id" and len(rows) == count + 1


def test_progress_and_summary_speak_english_in_english_mode(tmp_path: Path) -> None:
    count = PROGRESS_FROM + 10
    out = tmp_path / "cards.csv"
    repo = many_cards(tmp_path / "veel", count)
    run = kaartenbak("--lang", "en", "export", "-o", str(out), repo=repo, cwd=tmp_path)
    err = run.stderr.decode()
    assert run.returncode == 0, err
    assert f"{count}/{count} cards" in err and f"{count} cards exported to" in err and "all cards" in err
    run = kaartenbak("--lang", "en", "export", "-o", str(out), "soort:project", repo=repo, cwd=tmp_path)
    err += run.stderr.decode()
    assert "cards exported to" in err and "(csv; query: soort:project)" in err
    assert "kaart" not in err and "zoekvraag" not in err


def test_search_and_export_choose_the_same_cards(tmp_path: Path) -> None:
    for query in (['thema:"Mentale gezondheid"'], ["thema:Mentale gezondheid"], ["welzijn", "op", "recept"]):
        listed = kaartenbak("search", *query, "--json", "--limit", "0", cwd=tmp_path)
        ids = {r["id"] for r in json.loads(listed.stdout.decode("utf-8"))}
        table = kaartenbak("export", *query, "-f", "csv", "-q", cwd=tmp_path)
        rows = list(csv.reader(io.StringIO(table.stdout.decode("utf-8-sig"), newline=""), delimiter=";"))
        assert ids and {r[0] for r in rows[1:]} == ids, query


def test_export_names_its_query_in_the_header_and_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "mentaal.md"
    run = kaartenbak("export", "thema:Mentale gezondheid", "kleur:rood", "-o", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    err = run.stderr.decode()
    assert "onbekend filter 'kleur:rood'" in err
    assert "2 kaarten geëxporteerd naar" in err and 'zoekvraag: thema:"Mentale gezondheid")' in err
    assert 'Gekozen met de zoekvraag: thema:"Mentale gezondheid"' in out.read_text(encoding="utf-8")
    run = kaartenbak("export", "-f", "html", "-q", cwd=tmp_path)
    assert b"Alle kaarten (geen zoekvraag)." in run.stdout


def test_csv_and_html_to_stdout_are_bytes(tmp_path: Path) -> None:
    run = kaartenbak("export", "regio:WBW", "-f", "csv", "-q", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.startswith(b"\xef\xbb\xbf") and run.stderr == b""
    run = kaartenbak("export", "regio:WBW", "-f", "html", "-q", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.startswith(b"<!DOCTYPE html>")


def test_format_follows_the_file_name(tmp_path: Path) -> None:
    out = tmp_path / "overleg.html"
    run = kaartenbak("export", "soort:ketenaanpak", "-o", str(out), "--title", "Overleg <maandag>", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Overleg &lt;maandag&gt;</title>" in page
    assert page.count("<article ") == len(list(CARDS.rglob("nml-c*.toml")))  # the golden ketenaanpakken


def test_no_matching_cards_exits_1(tmp_path: Path) -> None:
    run = kaartenbak("export", "thema:bestaat-niet", "-o", str(tmp_path / "x.md"), cwd=tmp_path)
    assert run.returncode == 1
    assert "geen kaarten gevonden" in run.stderr.decode()
    assert not (tmp_path / "x.md").exists()


def test_unwritable_target_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "bestand.txt"
    blocker.write_text("geen map\n", encoding="utf-8")
    for target in (blocker / "x.html", tmp_path):
        run = kaartenbak("export", "soort:ketenaanpak", "-f", "html", "-o", str(target), cwd=tmp_path)
        assert run.returncode == 2
        assert "niet schrijven" in run.stderr.decode()
    assert blocker.read_text(encoding="utf-8") == "geen map\n"


def test_hostile_card_file_is_exported_safely(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SCHEMA, repo / "schema")
    (repo / "cards" / "wbw").mkdir(parents=True)
    (repo / "cards" / "wbw" / "wbw-x.toml").write_text(
        'id = "WBW/X"\nkind = "project"\nregion = "WBW"\ntheme = "Mentale gezondheid"\n'
        'title = "<script>alert(1)</script>"\nprobleemstelling = "=1+1"\n',
        encoding="utf-8",
    )
    html = kaartenbak("export", "-f", "html", repo=repo, cwd=tmp_path)
    assert html.returncode == 0 and b"&lt;script&gt;alert(1)&lt;/script&gt;" in html.stdout
    assert b"<script" not in html.stdout
    table = kaartenbak("export", "-f", "csv", repo=repo, cwd=tmp_path)
    rows = list(csv.reader(io.StringIO(table.stdout.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert "'=1+1" in rows[1]
