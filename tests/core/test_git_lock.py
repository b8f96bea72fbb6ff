"""Git work is serialised per repository across threads (Textual's exclusive groups are per DOM node only)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.conftest import make_repo
from tui.core.git.gitrepo import GitRepo, repo_lock
from tui.core.sync.sync import run_git

BOUND = 20.0  # seconds any wait in these tests may take at most


def poll(done: Callable[[], bool]) -> None:
    """Wait until ``done()``; fails after ``BOUND`` seconds."""
    end = time.monotonic() + BOUND
    while not done():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.001)


@pytest.fixture
def lone(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", cards=["nml-c1"])


def test_one_lock_per_repository_folder(lone: Path, tmp_path: Path) -> None:
    assert repo_lock(lone) is repo_lock(lone / "." / "cards" / "..")
    assert repo_lock(lone) is not repo_lock(tmp_path)
    with GitRepo.open(lone) as repo:
        assert repo.lock is repo_lock(lone)


def test_a_second_thread_waits_until_the_first_git_call_is_done(lone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thread A is inside git (held there on purpose); thread B's git call must wait on the lock."""
    inside_a, release_a = threading.Event(), threading.Event()
    events: list[str] = []
    real = git.Git.execute

    def execute(self: git.Git, command: list[str], **kw: object) -> object:
        who = threading.current_thread().name
        events.append(f"{who} in")
        if who == "A":
            inside_a.set()
            assert release_a.wait(BOUND)
        try:
            return real(self, command, **kw)  # type: ignore[call-overload]
        finally:
            events.append(f"{who} out")

    monkeypatch.setattr(git.Git, "execute", execute)

    def call() -> None:
        with GitRepo.open(lone) as repo:
            repo.run("rev-parse", "HEAD")

    a = threading.Thread(target=call, name="A")
    b = threading.Thread(target=call, name="B")
    a.start()
    poll(inside_a.is_set)
    b.start()
    poll(lambda: repo_lock(lone).waiting == 1)  # B is blocked on the lock, not inside git
    assert "B in" not in events
    release_a.set()
    a.join(BOUND)
    b.join(BOUND)
    assert events == ["A in", "A out", "B in", "B out"]


def test_network_calls_take_the_same_lock(lone: Path) -> None:
    """``run_git`` (fetch, push, merge) waits while another thread holds the repository."""
    done = threading.Event()
    with repo_lock(lone):
        worker = threading.Thread(target=lambda: (run_git(lone, ["status", "--porcelain"], 10), done.set()))
        worker.start()
        poll(lambda: repo_lock(lone).waiting == 1)
        assert not done.is_set()
    worker.join(BOUND)
    assert done.is_set()


def test_many_threads_never_overlap_in_git(lone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real git calls from four threads: at most one runs at any moment."""
    running, most = 0, 0
    guard = threading.Lock()
    real = git.Git.execute

    def execute(self: git.Git, command: list[str], **kw: object) -> object:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        try:
            return real(self, command, **kw)  # type: ignore[call-overload]
        finally:
            with guard:
                running -= 1

    monkeypatch.setattr(git.Git, "execute", execute)

    def calls() -> None:
        with GitRepo.open(lone) as repo:
            for _ in range(10):
                repo.state()

    threads = [threading.Thread(target=calls) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(BOUND)
    assert most == 1


def test_a_workflow_can_hold_the_lock_across_its_steps(lone: Path) -> None:
    """The lock is re-entrant: a flow holding it still makes its own git calls."""
    with GitRepo.open(lone) as repo, repo.lock:
        assert repo.head() and repo.run("status", "--porcelain") == ""
