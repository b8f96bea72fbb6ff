"""Git at 10,000 cards (issue #17): how many git processes each operation starts, and that the
shortcuts (a plain repository opened from its files, state read from ``.git``, card versions through
one ``cat-file --batch``) give exactly what git itself says, falling back to git where unsure."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import git, make_repo

from tui.core.git import gitrepo
from tui.core.git.commit import CommitRefused, changed_cards, commit
from tui.core.git.fielddiff import diff_cards, word_diff
from tui.core.git.gitrepo import GitError, GitRepo, explain, unmerged_paths
from tui.core.git.history import (
    BrokenRevision,
    blobs_at,
    card_at,
    card_history,
    cards_at,
    parent_of,
    version_pair,
)
from tui.core.workspace import Workspace

WOR = "cards/wbw/wbw-t1-1.1.toml"
C1 = "cards/nml/nml-c1.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_wor(repo: Path) -> None:
    edit(repo / WOR, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, ...]]]:
    """The arguments of every git process gitrepo starts from now on."""
    seen: list[tuple[str, ...]] = []
    monkeypatch.setattr(gitrepo, "GIT_CALLS", [seen.append])
    yield seen


def commands(seen: list[tuple[str, ...]]) -> list[str]:
    """The git command names (``-c`` options skipped)."""
    names = []
    for args in seen:
        rest = list(args)
        while rest and rest[0] == "-c":
            rest = rest[2:]
        names.append(rest[0])
    return names


def fallback_open(path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """``GitRepo.open`` the way it was before the shortcut: asking ``git rev-parse``."""
    with monkeypatch.context() as m:
        m.setattr(gitrepo, "_plain_git_dir", lambda root: None)
        return GitRepo.open(path)


# -- how many git processes ----------------------------------------------------------------------


def test_commit_of_one_edited_card_starts_three_git_processes(repo: Path, calls: list[tuple[str, ...]]) -> None:
    edit_wor(repo)
    with GitRepo.open(repo) as g:
        sha = commit(g, [WOR], "Doelstelling")
    assert commands(calls) == ["config", "status", "commit"]  # identity; what changed; the commit
    assert git(repo, "rev-parse", "HEAD").strip() == sha
    assert git(repo, "show", "--name-only", "--format=", sha).split() == [WOR]


def test_commit_of_a_new_card_adds_it_first(repo: Path, calls: list[tuple[str, ...]]) -> None:
    new = repo / "cards" / "nieuw" / "x.toml"
    new.parent.mkdir()
    new.write_text('id = "X/1"\nkind = "project"\ntitle = "Nieuw"\n', encoding="utf-8")
    edit_wor(repo)
    with GitRepo.open(repo) as g:
        sha = commit(g, ["cards/nieuw/x.toml", WOR], "Nieuw en bijgewerkt")
    assert commands(calls) == ["config", "status", "add", "commit"]
    add = next(a for a in calls if a[0] == "add")
    assert add[-1] == "cards/nieuw/x.toml" and WOR not in add  # only the untracked one is added
    assert sorted(git(repo, "show", "--name-only", "--format=", sha).split()) == sorted(["cards/nieuw/x.toml", WOR])
    assert git(repo, "status", "--porcelain") == ""


def test_open_history_and_one_version_each_start_one_git_process_at_most(
    repo: Path, calls: list[tuple[str, ...]]
) -> None:
    edit_wor(repo)
    git(repo, "commit", "-qam", "Doelstelling")
    with GitRepo.open(repo) as g:
        assert calls == []  # a plain repository is opened from its files
        revs = card_history(g, WOR)
        assert commands(calls) == ["log"]
        calls.clear()
        pair = version_pair(g, revs[0].sha, revs[0].path)
        assert commands(calls) == ["cat-file"]
        calls.clear()
        g.state()
        assert commands(calls) == ["config"]  # branch, HEAD and conflicts come from .git files
    assert [d.key for d in diff_cards(pair.old, pair.new)] == ["doelstelling"]


# -- opening: the shortcut says what rev-parse says --------------------------------------------


def test_plain_repository_is_opened_as_git_would(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with GitRepo.open(repo) as fast, fallback_open(repo, monkeypatch) as slow:
        assert (fast.root, fast.git_dir, fast.bare, fast._env) == (slow.root, slow.git_dir, slow.bare, slow._env)
        assert fast.state() == slow.state()


@pytest.mark.parametrize(
    "config",
    ["[core]\n\tworktree = /elders\n", "[include]\n\tpath = ander.cfg\n", "[core]\n\tbare = true\n"],
)
def test_unusual_config_is_left_to_git(repo: Path, config: str, calls: list[tuple[str, ...]]) -> None:
    cfg = repo / ".git" / "config"
    cfg.write_text(cfg.read_text(encoding="utf-8") + config, encoding="utf-8")
    assert gitrepo._plain_git_dir(repo.resolve()) is None
    with contextlib.suppress(GitError):  # git may refuse such a repository; git decided, not the shortcut
        GitRepo.open(repo).close()
    assert commands(calls)[:1] == ["rev-parse"]


def test_linked_worktree_is_opened_through_git(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "werkboom"
    git(repo, "worktree", "add", "-q", "-b", "zijtak", str(other))
    assert (other / ".git").is_file() and gitrepo._plain_git_dir(other.resolve()) is None
    edit(other / WOR, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    with GitRepo.open(other) as g:
        assert g.branch() == "zijtak" and g.head() == git(repo, "rev-parse", "main").strip()
        sha = commit(g, [WOR], "In de werkboom")
    assert git(repo, "rev-parse", "zijtak").strip() == sha
    assert git(repo, "rev-parse", "main").strip() != sha


# -- state from .git files ----------------------------------------------------------------------


def test_head_and_branch_from_packed_refs_detached_and_unborn(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    with GitRepo.open(repo) as g:
        assert (g.branch(), g.head()) == ("main", head)
    edit_wor(repo)
    with GitRepo.open(repo) as g:  # a commit writes a loose ref beside the packed one: the loose one wins
        sha = commit(g, [WOR], "Na pack-refs")
        assert (g.branch(), g.head()) == ("main", sha) != ("main", head)
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    with GitRepo.open(repo) as g:
        assert (g.branch(), g.head()) == (None, head)
        assert g.state() == fallback_open(repo, monkeypatch).state()
    empty = make_repo(tmp_path / "leeg", cards=["nml-c1"], commit=False)
    with GitRepo.open(empty) as g:
        assert (g.branch(), g.head()) == ("main", None)
        assert g.state() == fallback_open(empty, monkeypatch).state()


def _unmerged_without_merge(repo: Path) -> None:
    """A conflict left in the index with no merge in progress (as ``git stash pop`` can leave one)."""
    git(repo, "checkout", "-qb", "other")
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Van de ander"')
    git(repo, "commit", "-qam", "ander")
    git(repo, "checkout", "-q", "main")
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Van mij"')
    git(repo, "commit", "-qam", "mijn")
    assert subprocess.run(["git", "merge", "other"], cwd=repo, capture_output=True).returncode != 0
    for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE"):
        (repo / ".git" / name).unlink(missing_ok=True)


@pytest.mark.parametrize("version", [2, 3, 4])
def test_conflicts_elsewhere_still_refuse_the_commit(repo: Path, version: int, calls: list[tuple[str, ...]]) -> None:
    _unmerged_without_merge(repo)
    git(repo, "update-index", f"--index-version={version}")
    if version == 3:  # an extended flag (intent-to-add) makes git keep version 3
        (repo / "cards" / "extra.toml").write_text('id = "E/1"\n', encoding="utf-8")
        git(repo, "add", "-N", "cards/extra.toml")
    index = repo / ".git" / "index"
    assert int.from_bytes(index.read_bytes()[4:8], "big") == version
    assert unmerged_paths(index) == (None if version == 4 else (WOR,))  # version 4: git is asked
    edit(repo / C1, "\ntitle = ", '\ntitle = "Gewijzigd"\nxx = ')
    before = git(repo, "rev-parse", "HEAD")
    with GitRepo.open(repo) as g:
        assert g.state().conflicted == (WOR,)
        assert "conflicts" in [n.code for n in explain(g.state())]
        with pytest.raises(CommitRefused):
            commit(g, [C1], "Iets anders")
    assert git(repo, "rev-parse", "HEAD") == before
    assert ("diff" in commands(calls)) is (version == 4)


def test_no_index_file_means_no_conflicts(tmp_path: Path) -> None:
    assert unmerged_paths(tmp_path / "index") == ()
    (tmp_path / "kapot").write_bytes(b"DIRC\0\0\0\2\0\0\0\5 te kort")
    assert unmerged_paths(tmp_path / "kapot") is None


def test_identity_in_one_call_last_value_wins(repo: Path, calls: list[tuple[str, ...]]) -> None:
    git(repo, "config", "--add", "user.name", "Tweede Naam")
    with GitRepo.open(repo) as g:
        assert g.configured_identity() == ("Tweede Naam", "test@example.org")
    assert len(calls) == 1
    git(repo, "config", "--unset-all", "user.name")
    with GitRepo.open(repo) as g:
        assert g.configured_identity() == ("", "test@example.org")


def test_failing_pre_commit_hook_refuses_and_commits_nothing(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\necho 'hook zegt nee' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    edit_wor(repo)
    before = git(repo, "rev-parse", "HEAD")
    with GitRepo.open(repo) as g, pytest.raises(GitError) as exc:
        commit(g, [WOR], "Doelstelling")
    assert "hook zegt nee" in exc.value.detail
    assert git(repo, "rev-parse", "HEAD") == before
    assert WOR in git(repo, "status", "--porcelain")


def test_staged_rename_is_committed_under_both_names(repo: Path, calls: list[tuple[str, ...]]) -> None:
    git(repo, "mv", WOR, "cards/wbw/welzijn.toml")
    with GitRepo.open(repo) as g:
        sha = commit(g, ["cards/wbw/welzijn.toml", WOR], "Hernoemd")
    assert "add" not in commands(calls)
    assert sorted(git(repo, "show", "--no-renames", "--name-only", "--format=", sha).split()) == sorted(
        ["cards/wbw/welzijn.toml", WOR]
    )
    assert git(repo, "status", "--porcelain") == ""


# -- card versions through one cat-file --batch -------------------------------------------------


def test_versions_in_one_process_equal_one_by_one(repo: Path, calls: list[tuple[str, ...]]) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    edit_wor(repo)
    git(repo, "mv", WOR, "cards/wbw/welzijn.toml")
    git(repo, "commit", "-qam", "Hernoemd en bijgewerkt")
    second = git(repo, "rev-parse", "HEAD").strip()
    with GitRepo.open(repo) as g:
        wanted = [(second, "cards/wbw/welzijn.toml"), (first, WOR), (second, WOR), (first, C1), ("0" * 40, C1)]
        calls.clear()
        together = cards_at(g, wanted)
        assert len(calls) == 1
        assert together == [card_at(g, sha, path) for sha, path in wanted]
        assert together[2] is None and together[4] is None and together[0] != together[1]
        raws = blobs_at(g, [(second, "cards/wbw/welzijn.toml"), ("HEAD", C1)])
        assert raws == [(repo / "cards/wbw/welzijn.toml").read_bytes(), (repo / C1).read_bytes()]
        pair = version_pair(g, second, "cards/wbw/welzijn.toml", WOR)
        assert (pair.parent, pair.new, pair.old, pair.problem) == (first, together[0], together[1], None)
        assert parent_of(g, second) == first
        oldest = version_pair(g, first, WOR)
        assert (oldest.parent, oldest.old, oldest.new) == (None, None, together[1])


def test_broken_version_is_the_pair_problem(repo: Path) -> None:
    (repo / WOR).write_text('title = "kapot\n', encoding="utf-8")
    git(repo, "commit", "-qam", "kapot")
    with GitRepo.open(repo) as g:
        head = g.head()
        assert head is not None
        pair = version_pair(g, head, WOR)
        assert isinstance(pair.problem, BrokenRevision) and pair.new is None
        with pytest.raises(BrokenRevision):
            cards_at(g, [(head, WOR)])
        untouched = version_pair(g, head, C1)
        assert untouched.problem is None and untouched.new == untouched.old is not None


def test_commit_dialog_changes_read_head_versions_in_one_process(repo: Path, calls: list[tuple[str, ...]]) -> None:
    edit_wor(repo)
    edit(repo / C1, "\ntitle = ", '\ntitle = "Gewijzigd"\nxx = ')
    with GitRepo.open(repo) as g:
        changes = changed_cards(g, Workspace(repo))
    assert sorted(c.path for c in changes) == sorted([WOR, C1])
    assert commands(calls) == ["status", "cat-file"]


def test_word_diff_rebuilds_both_texts() -> None:
    old = "een twee  drie\nvier vijf zes zeven acht " * 40
    new = old.replace("vijf", "VIJF", 3).replace("acht ", "", 1) + " negen"
    segs = word_diff(old, new)
    assert "".join(s.text for s in segs if s.op != "insert") == old
    assert "".join(s.text for s in segs if s.op != "delete") == new
    assert segs[0].op == "equal" and segs[-1].op == "insert" and segs[-1].text.endswith("negen")


def test_git_missing_after_opening_from_files_is_a_git_error(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a plain repository starts no git, so a missing git shows at the first real call."""
    with GitRepo.open(repo) as g:
        monkeypatch.setenv("PATH", str(tmp_path / "geen-git"))
        with pytest.raises(GitError) as exc:
            g.state()
        assert exc.value.code == "git.no_git"
        with pytest.raises(GitError) as exc:
            card_history(g, WOR)
        assert exc.value.code == "git.no_git"


def test_damaged_index_is_left_to_git(repo: Path) -> None:
    index = repo / ".git" / "index"
    data = bytearray(index.read_bytes())
    assert unmerged_paths(index) == ()
    data[100] ^= 0xFF  # inside an entry: the checksum no longer matches
    index.write_bytes(bytes(data))
    assert unmerged_paths(index) is None
