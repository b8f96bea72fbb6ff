"""``kaartenbak snapshot``/``snapshots``/``changes`` on real repositories; hostile card text in every format."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.cli import main

CARD = "cards/wbw/wbw-t1-1.1.toml"
HOSTILE = '[bold]vet[/] <script>alert(1)</script> \x1b[31mrood & "quote"'


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    """A repository with a snapshot, then a committed hostile title, a deletion and an uncommitted edit."""
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "wbw-t1-1.4", "nml-b01.1", "nml-c1"])
    assert main(["--repo", str(repo), "snapshot", "Stuurgroep december 2026", "-m", "Vastgesteld"]) == 0
    path = repo / CARD
    text = path.read_text(encoding="utf-8")
    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\u001b")
    path.write_text(text.replace('title = "Welzijn op Recept"', f'title = "{escaped}"', 1), encoding="utf-8")
    git(repo, "commit", "-qam", "titel <b>")
    git(repo, "rm", "-q", "cards/nml/nml-c1.toml")
    git(repo, "commit", "-qm", "weg")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("afspraken in de keten", "afspraken in de hele keten", 1), encoding="utf-8")
    return repo


def test_snapshot_and_snapshots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "nml-b01.1"])
    assert main(["--repo", str(repo), "snapshots"]) == 0
    assert "Nog geen snapshots" in capsys.readouterr().out
    assert main(["--repo", str(repo), "snapshot", "Stuurgroep december 2026"]) == 0
    made = capsys.readouterr().out
    assert "snapshot/2026-12-stuurgroep" in made and "2 kaarten" in made
    assert main(["--repo", str(repo), "snapshots"]) == 0
    listed = capsys.readouterr().out
    assert "Stuurgroep december 2026" in listed and "Test Gebruiker" in listed and "2 kaarten" in listed
    assert main(["--repo", str(repo), "snapshot", "Stuurgroep december 2026"]) == 2
    assert "al een snapshot" in capsys.readouterr().err
    assert main(["--lang", "en", "--repo", str(repo), "snapshot", "Stuurgroep december 2026"]) == 2
    assert "already a snapshot" in capsys.readouterr().err


def test_snapshot_refusals_are_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"])
    (repo / CARD).write_text((repo / CARD).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["--repo", str(repo), "snapshot", "X"]) == 2
    err = capsys.readouterr().err
    assert "niet zijn vastgelegd" in err and "Traceback" not in err
    empty = make_repo(tmp_path / "empty", cards=["wbw-t1-1.1"], commit=False)
    assert main(["--repo", str(empty), "snapshot", "X"]) == 2
    assert "geen enkele vastgelegde versie" in capsys.readouterr().err
    assert main(["--repo", str(repo), "snapshot", "a\nb"]) == 2
    assert "geen bruikbare naam" in capsys.readouterr().err


def test_changes_text_is_safe_for_the_terminal(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--repo", str(reviewed), "changes"]) == 0
    out = capsys.readouterr().out
    assert "Wijzigingen sinds Stuurgroep december 2026" in out
    assert "2 kaarten veranderd: 1 gewijzigd, 1 verwijderd." in out
    assert "gewijzigd, niet vastgelegd" in out and "[verwijderd]" in out
    assert "\x1b" not in out  # the ESC in the card is shown as a visible escape, no colour when piped
    assert "[bold]vet[/]" in out and "Benodigde randvoorwaarden › Gegevensuitwisseling" in out


def test_changes_json(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--repo", str(reviewed), "changes", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["since"]["snapshot"] == "snapshot/2026-12-stuurgroep" and data["until"]["worktree"] is True
    assert data["counts"] == {"added": 0, "changed": 1, "renamed": 0, "removed": 1}
    card = next(c for c in data["cards"] if c["status"] == "changed")
    fields = {f["key"]: f for f in card["fields"]}
    assert fields["title"]["new"] == HOSTILE and fields["title"]["label"] == "Titel"
    assert fields["randvoorwaarden.gegevensuitwisseling"]["old"] == "afspraken in de keten"
    assert card["authors"] == ["Test Gebruiker"] and card["uncommitted"] is True
    assert [c["subject"] for c in card["commits"]] == ["titel <b>"]


def test_changes_between_two_revisions_and_english(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--repo", str(reviewed), "changes", "HEAD~1", "HEAD", "-f", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Changes since HEAD\\~1")
    assert "1 card changed: 1 removed." in out and "NML/C1" in out and "WBW/T1/1.1" not in out


def test_changes_markdown_escapes_card_text(reviewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--repo", str(reviewed), "changes", "-f", "md"]) == 0
    out = capsys.readouterr().out
    assert "<script>" not in out and "\\<script\\>" in out and "\\[bold\\]" in out
    assert "`randvoorwaarden.gegevensuitwisseling`" in out


def test_changes_bad_input_gives_messages(reviewed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        (["changes", "nope"], "bestaat niet"),
        (["changes", "--", "--upload-pack=x"], "bestaat niet"),
        (["changes", "HEAD", "nope"], "Eindpunt"),
        (["changes", "1999-01-01"], "vóór 1999-01-01"),
        (["changes", "-o", str(reviewed / "cards" / "x.html")], "cards/"),
        (["changes", "-o", str(tmp_path / "no" / "x.html")], "bestaat niet"),
        (["changes", "-o", str(tmp_path)], "een map"),
    ]
    for args, words in cases:
        assert main(["--repo", str(reviewed), *args]) == 2, args
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, (args, err)
    plain = make_repo(tmp_path / "plain", cards=["wbw-t1-1.1"])
    assert main(["--repo", str(plain), "changes"]) == 2
    assert "nog geen snapshot" in capsys.readouterr().err
    assert not (reviewed / "cards" / "x.html").exists()


def test_changes_html_to_file_escapes_everything(reviewed: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in (reviewed / "cards").rglob("*.toml")}
    target = tmp_path / "wijzigingen.html"
    assert main(["--repo", str(reviewed), "changes", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<del>" in page and "<ins>" in page and "\x1b" not in page
    assert "<title>Wijzigingen sinds Stuurgroep december 2026</title>" in page
    assert {p: p.read_bytes() for p in (reviewed / "cards").rglob("*.toml")} == before


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_changes_html_in_headless_chromium(reviewed: Path, tmp_path: Path) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("Chromium is niet geïnstalleerd (/usr/bin/chromium, chromium of chromium-browser op PATH)")
    page = tmp_path / "wijzigingen.html"
    assert main(["--repo", str(reviewed), "changes", "-o", str(page)]) == 0
    base = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dump = subprocess.run(
        [*base, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    dom = dump.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "<script" not in dom.replace("&lt;script", "")
    assert "<del>afspraken in de keten</del>" in dom or "<del>" in dom
    assert "<ins>" in dom and "Ketenaanpak" in dom
    console = [ln for ln in dump.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert console == [], console
