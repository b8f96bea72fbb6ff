"""GitRepo: opening only the exact repository, reading its state, and every hostile state explained."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.conftest import git, make_repo

from tui.core.git.commit import CommitRefused, commit
from tui.core.git.gitrepo import (
    LOCK_BACKOFF,
    CorruptRepository,
    DubiousOwnership,
    GitRepo,
    IndexLocked,
    NotARepository,
    explain,
    explain_error,
)
from tui.core.git.history import BadRevision, card_at, resolve

CARD = "cards/wbw/wbw-t1-1.1.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(repo: GitRepo) -> list[str]:
    return [n.code for n in explain(repo.state())]


def test_open_reads_state(repo: Path) -> None:
    with GitRepo.open(repo) as g:
        st = g.state()
    assert st.root == repo.resolve()
    assert st.branch == "main"
    assert st.head == git(repo, "rev-parse", "HEAD").strip()
    assert (st.in_progress, st.index_lock, st.conflicted, st.bare) == (None, None, (), False)
    assert st.identity == ("Test Gebruiker", "test@example.org")
    assert explain(st) == []


def test_plain_folder_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "cards").mkdir()
    with pytest.raises(NotARepository) as exc:
        GitRepo.open(tmp_path)
    assert str(tmp_path.resolve()) in exc.value.message
    assert "git init" in exc.value.advice


def test_missing_folder_is_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(NotARepository, match="bestaat niet"):
        GitRepo.open(tmp_path / "nope")


def test_cards_folder_inside_parent_repo_is_not_adopted(repo: Path) -> None:
    with pytest.raises(NotARepository) as exc:
        GitRepo.open(repo / "cards")
    assert "bovenliggende" in exc.value.advice
    assert str(repo.resolve()) in exc.value.message


def test_home_that_is_a_repository_is_not_adopted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    git(home, "init", "-q")
    work = home / "kaarten"
    (work / "cards").mkdir(parents=True)
    with pytest.raises(NotARepository):
        GitRepo.open(work)


def test_bare_repository_is_reported(repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    with GitRepo.open(bare) as g:
        st = g.state()
        assert st.bare and st.branch == "main"
        assert "bare" in codes(g)
        with pytest.raises(CommitRefused, match="bare"):
            commit(g, ["cards/x.toml"], "iets")


def test_empty_repository_has_no_head(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["nml-c1"], commit=False)
    with GitRepo.open(path) as g:
        st = g.state()
        notices = explain(st)
    assert st.head is None and st.branch == "main"
    assert [(n.code, n.blocks_commit) for n in notices] == [("empty", False)]


def test_detached_head_is_explained(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    with GitRepo.open(repo) as g:
        st = g.state()
        assert st.branch is None and st.detached
        assert "detached" in codes(g)


def _conflict(repo: Path, op: str) -> None:
    """Leave ``op`` stopped on a conflict in CARD."""
    card = repo / CARD
    if op == "revert":
        edit(card, 'title = "Welzijn op Recept"', 'title = "Een"')
        git(repo, "commit", "-qam", "een")
        edit(card, 'title = "Een"', 'title = "Twee"')
        git(repo, "commit", "-qam", "twee")
        args = ["revert", "--no-edit", "HEAD~1"]
    else:
        git(repo, "checkout", "-qb", "other")
        edit(card, 'title = "Welzijn op Recept"', 'title = "Van de ander"')
        git(repo, "commit", "-qam", "ander")
        git(repo, "checkout", "-q", "main")
        edit(card, 'title = "Welzijn op Recept"', 'title = "Van mij"')
        git(repo, "commit", "-qam", "mijn")
        args = {"merge": ["merge", "other"], "cherry-pick": ["cherry-pick", "other"], "rebase": ["rebase", "other"]}[op]
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True)
    assert proc.returncode != 0  # stopped on the conflict


@pytest.mark.parametrize("op", ["merge", "rebase", "cherry-pick", "revert"])
def test_operation_in_progress_and_conflicts(repo: Path, op: str) -> None:
    _conflict(repo, op)
    with GitRepo.open(repo) as g:
        st = g.state()
        notices = {n.code: n for n in explain(st)}
    assert st.in_progress == op
    assert st.conflicted == (CARD,)
    assert op in notices and "--abort" in notices[op].advice
    assert "conflicts" in notices and CARD in notices["conflicts"].message


def _lock(repo: Path, age: float = 0.0) -> Path:
    lock = repo / ".git" / "index.lock"
    lock.write_bytes(b"")
    if age:
        st = lock.stat()
        os.utime(lock, (st.st_atime - age, st.st_mtime - age))
    return lock


def test_fresh_lock_is_retried_until_released(repo: Path) -> None:
    lock = _lock(repo)
    edit(repo / CARD, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    waited: list[float] = []

    def fake_sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == 2:
            lock.unlink()  # the other git process finishes

    with GitRepo.open(repo) as g:
        g.sleep = fake_sleep
        g.git_running = lambda: True
        sha = commit(g, [CARD], "Doelstelling bijgewerkt")
    assert len(waited) == 2
    assert git(repo, "rev-parse", "HEAD").strip() == sha


def test_fresh_lock_that_stays_gives_up_after_about_two_seconds(repo: Path) -> None:
    lock = _lock(repo)
    edit(repo / CARD, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    waited: list[float] = []
    with GitRepo.open(repo) as g:
        g.sleep = waited.append
        g.git_running = lambda: True
        with pytest.raises(IndexLocked) as exc:
            commit(g, [CARD], "x")
        with pytest.raises(IndexLocked):
            g.remove_stale_lock()  # a fresh lock is never removed
    assert 1.5 <= sum(waited) <= 2.5 and waited == list(LOCK_BACKOFF)
    assert not exc.value.lock.stale and "ander git-programma" in exc.value.message
    assert lock.exists()


def test_stale_lock_is_reported_and_removed_after_checking_again(repo: Path) -> None:
    lock = _lock(repo, age=20 * 60)
    edit(repo / CARD, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    waited: list[float] = []
    with GitRepo.open(repo) as g:
        g.sleep = waited.append
        g.git_running = lambda: False
        st = g.state()
        assert st.index_lock is not None and st.index_lock.stale and st.index_lock.age_seconds > 600
        assert "lock" in codes(g)
        with pytest.raises(IndexLocked, match="oud slotbestand"):
            commit(g, [CARD], "x")
        assert waited == []  # a stale lock is not waited for
        g.git_running = lambda: True  # a git process started meanwhile: keep the lock
        with pytest.raises(IndexLocked):
            g.remove_stale_lock()
        assert lock.exists()
        g.git_running = lambda: False
        assert g.remove_stale_lock() is True
        assert not lock.exists()
        assert g.remove_stale_lock() is False
        commit(g, [CARD], "na het slot")
    assert git(repo, "log", "-1", "--format=%s").strip() == "na het slot"


def test_inherited_git_environment_is_ignored(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = make_repo(tmp_path / "other", cards=["nml-c1"])
    other_head = git(other, "rev-parse", "HEAD")
    bogus_index = tmp_path / "bogus-index"
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(bogus_index))
    edit(repo / CARD, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    with GitRepo.open(repo) as g:
        assert g.state().head != other_head.strip()
        sha = commit(g, [CARD], "in de goede repository")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var)
    assert git(repo, "rev-parse", "HEAD").strip() == sha
    assert git(other, "rev-parse", "HEAD") == other_head
    assert not bogus_index.exists()


def test_dubious_ownership_is_explained_without_wildcard(repo: Path, isolated_env: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the repository to another user")
    subprocess.run(["chown", "-R", "65534:65534", str(repo)], check=True)
    with pytest.raises(DubiousOwnership) as exc:
        GitRepo.open(repo)
    assert "safe.directory" in exc.value.advice and "*" not in exc.value.advice
    gitconfig = isolated_env / ".gitconfig"
    assert not gitconfig.exists() or "safe" not in gitconfig.read_text()


@pytest.mark.parametrize(
    ("stderr", "kind"),
    [
        ("fatal: detected dubious ownership in repository at '/x'", DubiousOwnership),
        ("error: object file .git/objects/ab/cdef is empty\nfatal: loose object abcdef is corrupt", CorruptRepository),
        ("error: bad signature 0x00000000\nfatal: index file corrupt", CorruptRepository),
        ("fatal: Unable to create '/r/.git/index.lock': File exists.", IndexLocked),
        ("fatal: not a git repository (or any of the parent directories): .git", NotARepository),
    ],
)
def test_git_errors_become_dutch(stderr: str, kind: type, tmp_path: Path) -> None:
    error = explain_error(stderr, tmp_path)
    assert type(error) is kind
    assert error.detail == stderr and error.message and stderr not in error.message


def test_corrupt_object_is_detected(repo: Path) -> None:
    blob = git(repo, "rev-parse", f"HEAD:{CARD}").strip()
    obj = repo / ".git" / "objects" / blob[:2] / blob[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"")
    with GitRepo.open(repo) as g, pytest.raises(CorruptRepository) as exc:
        card_at(g, "HEAD", CARD)
    assert "git fsck" in exc.value.advice and "cards/" in exc.value.advice


def test_corrupt_index_is_detected(repo: Path) -> None:
    (repo / ".git" / "index").write_bytes(b"this is not an index" * 10)
    with GitRepo.open(repo) as g, pytest.raises(CorruptRepository):
        g.state()


def test_option_like_revision_is_refused_before_git_runs(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    with GitRepo.open(repo) as g:
        for rev in (f"--output={target}", "-x", "HEAD\n--all"):
            with pytest.raises(BadRevision):
                resolve(g, rev)
        assert resolve(g, "HEAD") == git(repo, "rev-parse", "HEAD").strip()
    assert not target.exists()


def test_paths_outside_the_repository_are_refused(repo: Path) -> None:
    with GitRepo.open(repo) as g:
        assert g.relpath(repo / CARD) == CARD
        assert g.relpath(CARD) == CARD
        for bad in ("../x.toml", "/etc/passwd", ".git/config"):
            with pytest.raises(Exception, match="buiten de repository"):
                g.relpath(bad)
