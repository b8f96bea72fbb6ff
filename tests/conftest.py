"""Shared fixtures: every test runs with its own HOME, XDG folders and git config.

No test reads the developer's own home, git identity or Kaartenbak config, and git never
prompts. Repositories are real git repositories in ``tmp_path``, filled from the golden card
repository in ``tests/data/golden`` (a few frozen cards of every kind in both regions' shapes, plus
hostile ones). Only the tests under ``tests/data/`` read the shipped cards (``SHIPPED_CARDS``), so
correcting a shipped card never breaks a test about code.

Waiting: ``wait_until`` (here, for threads and subprocesses) and ``tests.ui.conftest.wait_for``
(for Pilot tests) poll a condition with a deadline; no test sleeps a fixed time.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema"
SHIPPED_CARDS = ROOT / "cards"  # the product's data: read only by the tests in tests/data/
DATA = ROOT / "tests" / "data"
GOLDEN = DATA / "golden"  # the golden repository (cards/ only; the schema is copied in from the product)
CARDS = GOLDEN / "cards"  # the cards that tests about code use
BROKEN = DATA / "broken"  # files that do not parse; a test copies one in when it wants one
HOSTILE_CARDS = ("wbw-t8-h1", "nml-h2", "nml-h3")  # markup and escapes, CRLF, BOM
T = TypeVar("T")


def example(name: str) -> Path:
    """A golden file by card file stem (``"wbw-t1-1.4"``) or by path under tests/data (``"broken/x.toml"``)."""
    path = DATA / name if "/" in name else next(iter(CARDS.rglob(f"{name}.toml")), CARDS / f"{name}.toml")
    if not path.is_file():
        raise FileNotFoundError(f"no golden file {name!r} under {DATA}")
    return path


@pytest.fixture(name="example")
def example_fixture() -> Callable[[str], Path]:
    """``example(name)``: the path of a golden file (read it, copy it; never write to it)."""
    return example


def wait_until(predicate: Callable[[], T], timeout: float = 10.0, interval: float = 0.02, what: str = "") -> T:
    """Poll ``predicate`` until it returns something true and return that; fail after ``timeout`` seconds.

    For waiting on threads, subprocesses and files. Pilot tests use ``tests.ui.conftest.wait_for``.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or predicate}")
        time.sleep(interval)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME/XDG/git environment for one test."""
    home = tmp_path_factory.mktemp("home")
    isolate(monkeypatch, home)
    return home


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point HOME, the XDG folders and git's global config at ``home``; drop variables that leak in."""
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


def git(repo: Path, *args: str) -> str:
    """Run real git in ``repo`` and return its stdout (raises on failure)."""
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def make_repo(
    path: Path,
    *,
    cards: list[str] | None = None,
    identity: bool = True,
    commit: bool = True,
    source: Path | None = None,
) -> Path:
    """A cards repository at ``path``: the schema, golden cards (all by default), git initialised.

    ``source`` is another card folder: only tests about the shipped data (tests/data) pass
    ``SHIPPED_CARDS``.
    """
    path.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SCHEMA, path / "schema")
    (path / "cards").mkdir()
    sources = sorted((source or CARDS).rglob("*.toml"))
    if cards is not None:
        missing = set(cards) - {p.stem for p in sources}
        assert not missing, f"not in {source or 'the golden repository'}: {sorted(missing)}"
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
def golden_repo(tmp_path: Path) -> Path:
    """The whole golden repository (hostile cards included), committed, in ``tmp_path``: free to change."""
    return make_repo(tmp_path / "golden")


@pytest.fixture(scope="session")
def golden_readonly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One committed golden repository shared by a whole test session: read it, never change it."""
    home = tmp_path_factory.mktemp("golden-home")
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, home)
        return make_repo(tmp_path_factory.mktemp("golden") / "repo")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed cards repository with a handful of golden cards, one or two of each kind."""
    return make_repo(
        tmp_path / "repo",
        cards=["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t1-gp1", "nml-b01.1", "nml-b22.1", "nml-c1", "nml-f1.1", "nml-e1.1"],
    )


# -- a shared remote with field-level merging, for sync and merge tests ------------------------
DRIVER_PROGRAM = f"{shlex.quote(sys.executable)} -m tui"  # git starts the merge driver in a clone


def seed_remote(tmp_path: Path, cards: tuple[str, ...] = ("wbw-t1-1.1", "nml-b01.1")) -> Path:
    """A bare repository at ``tmp_path/remote.git`` holding golden cards and the merge-driver attributes."""
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
