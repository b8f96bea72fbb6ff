"""The git subcommands: log, diff, blame, status and textconv, with exit codes and Dutch errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, git

from tui.cli import main

WOR = "cards/wbw/wbw-t1-1.1.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--repo", str(repo), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def change_goal(repo: Path) -> str:
    edit(repo / WOR, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    git(repo, "commit", "-qam", "Doelstelling aangescherpt")
    return git(repo, "rev-parse", "HEAD").strip()


def test_log(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sha = change_goal(repo)
    code, out, _ = run(capsys, repo, "log", "WBW/T1/1.1")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith(sha[:7]) and lines[0].endswith("Test Gebruiker  Doelstelling aangescherpt")
    assert lines[1].endswith("Eerste kaarten")
    assert run(capsys, repo, "log", "wbw-t1-1.1", "-n", "1")[1].count("\n") == 1


def test_log_of_deleted_card_by_path(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "rm", "-q", WOR)
    git(repo, "commit", "-qm", "weg")
    code, out, _ = run(capsys, repo, "log", WOR)
    assert code == 0 and "weg" in out and "Eerste kaarten" in out


def test_diff_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, repo, "diff")[1] == "Geen verschillen.\n"
    edit(repo / WOR, '"GGD West-Brabant",', '"GGD West-Brabant",\n  "Nieuwe partner",')
    code, out, _ = run(capsys, repo, "diff", "--color=never")
    assert code == 0
    assert out.splitlines() == ["== Welzijn op Recept — " + WOR, "~ Betrokken organisaties:", "    + Nieuwe partner"]
    assert "\x1b[" in run(capsys, repo, "diff", "--color=always")[1]
    assert "\x1b[" not in run(capsys, repo, "diff")[1]  # auto: captured output is no terminal


def test_diff_new_card_and_card_argument(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = repo / "cards/wbw/nieuw.toml"
    new.write_text('id = "WBW/N"\nkind = "project"\ntitle = "Nieuw"\n', encoding="utf-8")
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Welzijn"')
    code, out, _ = run(capsys, repo, "diff", "WBW/N")
    assert code == 0 and "(nieuwe kaart)" in out and "+ Titel:" in out and "Welzijn" not in out


def test_diff_between_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    second = change_goal(repo)
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Welzijn"')  # uncommitted: not in the range
    code, out, _ = run(capsys, repo, "diff", f"{first[:8]}..{second}", "--color=never")
    assert code == 0 and "~ Doelstelling:" in out and "{+overal +}" in out.replace("{+ overal+}", "{+overal +}")
    assert "Titel" not in out
    code, out, _ = run(capsys, repo, "diff", first, "WBW/T1/1.1")  # REV against the working tree
    assert code == 0 and "~ Doelstelling:" in out and "~ Titel:" in out


def test_blame(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sha = change_goal(repo)
    code, out, _ = run(capsys, repo, "blame", "WBW/T1/1.1")
    rows = {line.split("  ")[0].strip(): line for line in out.splitlines()}
    assert code == 0
    assert sha[:7] in rows["Doelstelling"] and "Doelstelling aangescherpt" in rows["Doelstelling"]
    assert "Eerste kaarten" in rows["Titel"]


def test_status(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, repo, "status")
    assert code == 0 and out.splitlines() == ["Tak: main", "Geen gewijzigde kaarten."]
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Welzijn"')
    git(repo, "checkout", "-q", "--detach")
    code, out, _ = run(capsys, repo, "status")
    assert code == 0 and "losse versie" in out and f"gewijzigd                {WOR}" in out


def test_textconv(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, repo, "textconv", str(repo / WOR))
    assert code == 0
    lines = out.splitlines()
    assert "Titel: Welzijn op Recept" in lines
    assert "Betrokken organisaties: • GGD West-Brabant" in lines
    assert "Benodigde randvoorwaarden › Gegevensuitwisseling: afspraken in de keten" in lines
    assert any(line.startswith("Doelstelling: Welzijn op Recept is ingericht") for line in lines)


def test_textconv_broken_toml_prints_raw_file(repo: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    broken = repo / "cards/wbw/kapot.toml"
    broken.write_bytes(b'title = "kapot\n\xff')
    assert main(["--repo", str(repo), "textconv", str(broken)]) == 0
    assert capsysbinary.readouterr().out == b'title = "kapot\n\xff'


def test_textconv_as_git_diff_driver(repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    git(repo, "config", "diff.kaartenbak.textconv", f"{sys.executable} -m tui textconv")
    (repo / ".gitattributes").write_text((repo / ".gitattributes").read_text() + "cards/**/*.toml diff=kaartenbak\n")
    edit(repo / WOR, 'gegevensuitwisseling = "afspraken in de keten"', 'gegevensuitwisseling = "nieuwe afspraken"')
    out = subprocess.run(
        ["git", "diff", "--", WOR], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "-Benodigde randvoorwaarden › Gegevensuitwisseling: afspraken in de keten" in out
    assert "+Benodigde randvoorwaarden › Gegevensuitwisseling: nieuwe afspraken" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "bestaat-niet"], "geen kaart"),
        (["diff", "nope..HEAD"], "bestaat niet"),
        (["diff", "-x"], "onbekende argumenten"),  # argparse in Dutch
        (["log", "/etc/passwd.toml"], "buiten de repository"),
        (["textconv", "/nonexistent/kaart.toml"], "kan /nonexistent/kaart.toml niet lezen"),
    ],
)
def test_errors_exit_2_without_traceback(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    try:
        code = main(["--repo", str(repo), *args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert message.lower() in err.lower() and "Traceback" not in err


def test_not_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cards").mkdir()
    for cmd in ("status", "diff"):
        code, out, err = run(capsys, tmp_path, cmd)
        assert code == 2 and out == "" and "geen git-repository" in err and "git init" in err


def test_broken_working_tree_card_in_diff(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / WOR).write_text('title = "kapot\n', encoding="utf-8")
    code, _, err = run(capsys, repo, "diff")
    assert code == 2 and "kan" in err and "niet openen" in err
