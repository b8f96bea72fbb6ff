"""Shared fixtures: every test runs with its own HOME, XDG folders and git config.

No test reads the developer's own home, git identity or Kaartenbak config, and git never
prompts. Repositories are real git repositories in ``tmp_path``.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "cards"
SCHEMA = ROOT / "schema"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME/XDG/git environment for one test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    for var in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "KAARTENBAK_CONFIG",
        "KAARTENBAK_LANG",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ):
        monkeypatch.delenv(var, raising=False)
    return home


def git(repo: Path, *args: str) -> str:
    """Run real git in ``repo`` and return its stdout (raises on failure)."""
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def make_repo(path: Path, *, cards: list[str] | None = None, identity: bool = True, commit: bool = True) -> Path:
    """A cards repository at ``path``: the schema, some real cards (all by default), git initialised."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SCHEMA, path / "schema")
    (path / "cards").mkdir()
    sources = sorted(CARDS.rglob("*.toml"))
    if cards is not None:
        sources = [p for p in sources if p.stem in cards]
    for src in sources:
        dst = path / "cards" / src.parent.name / src.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    shutil.copy2(ROOT / ".gitattributes", path / ".gitattributes")
    git(path, "init", "-q", "-b", "main")
    if identity:
        git(path, "config", "user.name", "Test Gebruiker")
        git(path, "config", "user.email", "test@example.org")
    if commit:
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "Eerste kaarten")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed cards repository with a handful of real cards."""
    return make_repo(
        tmp_path / "repo",
        cards=["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t1-gp1", "nml-b01.1", "nml-b22.1", "nml-c1", "nml-f1.1", "nml-e1.1"],
    )


# -- a shared remote with field-level merging, for sync and merge tests ------------------------
DRIVER_PROGRAM = f"{shlex.quote(sys.executable)} -m tui"  # git starts the merge driver in a clone


def seed_remote(tmp_path: Path, cards: tuple[str, ...] = ("wbw-t1-1.1", "nml-b01.1")) -> Path:
    """A bare repository at ``tmp_path/remote.git`` holding real cards and the merge-driver attributes."""
    from tui.core.git.init_repo import init_repo

    seed = make_repo(tmp_path / "seed", cards=list(cards))
    init_repo(seed, program=DRIVER_PROGRAM, textconv=False)  # attributes in .git/info: nothing to commit
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "remote.git")
    git(seed, "push", "-q", str(tmp_path / "remote.git"), "main")
    return tmp_path / "remote.git"


def clone_with_driver(remote: Path, dest: Path):  # type: ignore[no-untyped-def]
    """A clone with its own identity and the card merge driver registered; returns init's report."""
    from tui.core.git.init_repo import init_repo

    git(dest.parent, "clone", "-q", str(remote), dest.name)
    git(dest, "config", "user.name", f"Gebruiker {dest.name}")
    git(dest, "config", "user.email", f"{dest.name}@example.org")
    return init_repo(dest, program=DRIVER_PROGRAM, textconv=False)
