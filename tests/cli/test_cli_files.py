"""The CLI on hostile files and folders (issue 12 items 8, 9, 11): ``fmt`` never tracebacks and exits
non-zero on what it cannot do, the bundled-cards fallback is announced, and ``init`` leaves clones clean
while merges still go through the card driver."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, make_repo
from tui.cli import main
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.git.init_repo import DriverProgram, driver_program
from tui.core.workspace import Workspace

CARD = Path("cards") / "wbw" / "wbw-t1-1.1.toml"
SCRIPT_DIR = Path(sys.executable).parent
HAS_SCRIPT = (SCRIPT_DIR / "kaartenbak").is_file()

PLAIN_CARD = 'id = "VB/1"\nkind = "project"\nregion = "WBW"\ntitle = "t"\n'


# -- fmt ----------------------------------------------------------------------------------------


def test_fmt_survives_a_500_level_dotted_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "diep.toml"
    text = PLAIN_CARD + "[" + ".".join(["a"] * 500) + "]\nx = 1\n"
    deep.write_text(text, encoding="utf-8")
    assert isinstance(load_file(deep), Card)  # a valid card that tomllib reads
    assert main(["fmt", str(deep)]) == 1
    captured = capsys.readouterr()
    assert "te diep geneste" in captured.err and "Traceback" not in captured.err
    assert deep.read_text(encoding="utf-8") == text


def test_fmt_exits_non_zero_on_files_it_cannot_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "goed.toml"
    good.write_text(PLAIN_CARD, encoding="utf-8")
    broken = tmp_path / "kapot.toml"
    broken.write_text("x = [", encoding="utf-8")
    empty = tmp_path / "leeg.toml"
    empty.write_bytes(b"")
    assert main(["fmt", str(good), str(broken), str(empty)]) == 1
    err = capsys.readouterr().err
    assert "kapot.toml" in err and "leeg.toml" in err
    assert broken.read_text(encoding="utf-8") == "x = ["


def test_fmt_leaves_a_read_only_card_alone_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "ro.toml"
    card.write_text('title="t"\nid="VB/1"\nkind="project"\nregion="WBW"\n', encoding="utf-8")
    before = card.read_bytes()
    card.chmod(0o444)
    assert main(["fmt", str(card)]) == 1
    assert "alleen-lezen" in capsys.readouterr().err
    assert card.read_bytes() == before


def test_fmt_writes_nan(tmp_path: Path) -> None:
    card = tmp_path / "nan.toml"
    card.write_text(PLAIN_CARD + "waarde=nan\n", encoding="utf-8")
    assert main(["fmt", str(card)]) == 0
    assert "waarde = nan" in card.read_text(encoding="utf-8")


# -- which repository -------------------------------------------------------------------------


def test_fallback_to_the_bundled_cards_is_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["stats"]) == 0
    captured = capsys.readouterr()
    assert "geen map cards/" in captured.err and str(Workspace.find().root) in captured.err
    assert "meegeleverde" not in captured.out  # a note on stderr: stdout stays the data

    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"])
    assert main(["--repo", str(repo), "stats"]) == 0
    assert "geen map cards/" not in capsys.readouterr().err
    monkeypatch.chdir(repo)
    assert main(["stats"]) == 0
    assert "geen map cards/" not in capsys.readouterr().err


# -- init ---------------------------------------------------------------------------------------


def _remote_with_tracked_attributes(tmp_path: Path) -> Path:
    """A bare remote whose history has a tracked .gitattributes (as every real cards repository has)."""
    seed = make_repo(tmp_path / "seed", cards=["wbw-t1-1.1"])
    assert git(seed, "ls-files", ".gitattributes").strip() == ".gitattributes"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "remote.git")
    git(seed, "push", "-q", str(tmp_path / "remote.git"), "main")
    return tmp_path / "remote.git"


def _clone(remote: Path, dest: Path) -> Path:
    git(dest.parent, "clone", "-q", str(remote), dest.name)
    git(dest, "config", "user.name", f"Gebruiker {dest.name}")
    git(dest, "config", "user.email", f"{dest.name}@example.org")
    return dest


def _edit_and_commit(clone: Path, old: str, new: str) -> None:
    path = clone / CARD
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(clone, "commit", "-q", "-am", f"{old} -> {new}")


@pytest.mark.skipif(not HAS_SCRIPT, reason="the kaartenbak console script is not installed beside this Python")
def test_init_leaves_the_clone_clean_and_merges_go_through_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", f"{SCRIPT_DIR}{os.pathsep}{os.environ.get('PATH', '')}")
    remote = _remote_with_tracked_attributes(tmp_path)
    a, b = _clone(remote, tmp_path / "a"), _clone(remote, tmp_path / "b")
    for clone in (a, b):
        monkeypatch.chdir(clone)
        assert main(["init"]) == 0
        shown = capsys.readouterr().out
        assert "info/attributes" in shown and "merge.kaartenbak.driver" in shown
        assert git(clone, "status", "--porcelain") == ""
        assert git(clone, "config", "merge.kaartenbak.driver").strip() == "kaartenbak merge-driver %O %A %B %P"
        assert git(clone, "check-attr", "merge", "--", str(CARD)).strip().endswith("merge: kaartenbak")
    # adjacent lines in two clones: a text merge conflicts, the card driver merges per field
    _edit_and_commit(a, 'number = "1.1"', 'number = "1.1a"')
    git(a, "push", "-q", "origin", "main")
    _edit_and_commit(b, 'title = "Welzijn op Recept"', 'title = "Welzijn op Recept (herzien)"')
    pulled = subprocess.run(
        ["git", "pull", "-q", "--no-rebase", "--no-edit", "origin", "main"], cwd=b, capture_output=True, text=True
    )
    assert pulled.returncode == 0, pulled.stderr
    data = tomllib.loads((b / CARD).read_text(encoding="utf-8"))
    assert (data["number"], data["title"]) == ("1.1a", "Welzijn op Recept (herzien)")
    assert git(b, "status", "--porcelain") == ""


def test_init_without_the_script_on_path_names_this_python_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git_dir = Path(shutil.which("git") or "/usr/bin/git").parent
    monkeypatch.setenv("PATH", str(git_dir))
    if shutil.which("kaartenbak"):
        pytest.skip("a kaartenbak script sits next to git")
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"])
    assert driver_program() == DriverProgram(f"{sys.executable} -m tui", False) or " " in sys.executable
    assert main(["init", str(repo)]) == 0
    shown = capsys.readouterr().out
    assert "niet op PATH" in shown and "-m tui" in shown
    assert git(repo, "config", "merge.kaartenbak.driver").strip().endswith(" -m tui merge-driver %O %A %B %P")
    assert git(repo, "status", "--porcelain") == ""
    assert main(["init", str(repo)]) == 0
    assert "niets veranderd" in capsys.readouterr().out


def test_new_repository_commits_its_shared_attributes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(tmp_path, "config", "--global", "user.name", "Test Gebruiker")
    git(tmp_path, "config", "--global", "user.email", "test@example.org")
    target = tmp_path / "nieuw"
    assert main(["init", str(target)]) == 0
    assert git(target, "status", "--porcelain") == ""
    assert "*.toml text eol=lf" in git(target, "show", "HEAD:.gitattributes")
    assert "merge=kaartenbak" in (target / ".git" / "info" / "attributes").read_text(encoding="utf-8")
    assert ROOT.is_dir()
