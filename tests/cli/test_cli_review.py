"""``kaartenbak review todo|approve|question|show`` on a real repository: output, exit codes, clear
messages for bad input (never a traceback), and cards untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, make_repo
from tui.cli import main

CARD = "cards/nml/nml-b01.1.toml"


def run(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--repo", str(repo), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1", "wbw-t1-1.1"])
    git(root, "tag", "-a", "-m", "v1", "snapshot/v1")
    path = root / CARD
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'title = "Mentale gezondheidsnetwerken"', 'title = "Mentale netwerken"'
        ),
        encoding="utf-8",
    )
    git(root, "commit", "-qam", "titel korter")
    return root


def cards_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "cards").rglob("*")) if p.is_file()}


def test_todo_plain_and_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, repo, "review", "todo")
    assert code == 0
    assert out.splitlines() == ["NML/B01.1  title  Titel  [te beoordelen]", "1 veld wacht op beoordeling."]
    code, out, _ = run(capsys, repo, "review", "todo", "--json")
    assert code == 0
    [item] = json.loads(out)
    assert item["card"] == "NML/B01.1" and item["path"] == CARD and item["field"] == "title"
    assert (item["old"], item["new"], item["status"]) == (
        "Mentale gezondheidsnetwerken",
        "Mentale netwerken",
        "te_beoordelen",
    )


def test_approve_question_show(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = cards_bytes(repo)
    code, out, _ = run(capsys, repo, "review", "approve", "nml-b01.1", "Titel", "-m", "goed zo")
    assert code == 0 and out.strip() == "NML/B01.1: Titel akkoord, vastgelegd."
    assert git(repo, "log", "-1", "--format=%s").strip() == "Review: NML/B01.1 title akkoord"
    assert run(capsys, repo, "review", "todo")[1].strip() == "Niets te beoordelen."
    code, out, err = run(capsys, repo, "review", "approve", "NML/B01.1", "title")
    assert code == 1 and "Niets te beoordelen in NML/B01.1" in err and "Traceback" not in err
    code, out, _ = run(capsys, repo, "review", "question", CARD, "title", "-m", "Waarom korter?")
    assert code == 0
    code, out, _ = run(capsys, repo, "review", "show", "nml-b01.1.toml")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "NML/B01.1 — Mentale netwerken"
    assert lines[1].startswith("? Titel (title): vraag — Test Gebruiker <test@example.org>, ")
    assert lines[2].strip() == "notitie: Waarom korter?"
    assert lines[-1] == "0 te beoordelen · 0 akkoord · 1 vraag"
    assert cards_bytes(repo) == before
    assert git(repo, "status", "--porcelain").strip() == ""


def test_bad_input_gives_a_message_and_an_exit_code(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, repo, "review", "approve", "GEEN/KAART", "title")
    assert code == 2 and "geen kaart gevonden voor 'GEEN/KAART'" in err
    code, _, err = run(capsys, repo, "review", "approve", "NML/B01.1", "bestaat.niet")
    assert code == 2 and "heeft geen veld 'bestaat.niet'" in err
    code, _, err = run(capsys, repo, "review", "question", "NML/B01.1", "title", "-m", "   ")
    assert code == 2 and "notitie" in err
    with pytest.raises(SystemExit) as missing:
        main(["--repo", str(repo), "review", "question", "NML/B01.1", "title"])
    assert missing.value.code == 2 and "-m/--message" in capsys.readouterr().err
    code, _, err = run(capsys, repo, "review", "show", "nergens")
    assert code == 2 and "geen kaart gevonden" in err
    assert not (repo / "reviews").exists()


def test_without_identity_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path / "anon", cards=["nml-b01.1"], identity=False, commit=False)
    git(root, "add", "-A")
    git(root, "-c", "user.name=Iemand", "-c", "user.email=i@example.org", "commit", "-qm", "eerste")
    code, _, err = run(capsys, root, "--lang", "en", "review", "approve", "NML/B01.1", "title")
    assert code == 2 and "Git does not know who you are yet" in err
    code, out, _ = run(capsys, root, "--lang", "en", "review", "todo")
    assert code == 0 and "[to review]" in out and out.strip().endswith("fields wait for review.")


def test_console_script_runs_review_todo(repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "--repo", str(repo), "review", "todo", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert [i["field"] for i in json.loads(proc.stdout)] == ["title"]
