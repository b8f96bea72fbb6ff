"""Which card files differ from HEAD, and how far the branch is from its upstream (no network)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Notice and explain_state live in gitrepo beside RepoState (no import cycle); re-exported here.
from tui.core.git.gitrepo import GitRepo
from tui.core.git.gitrepo import Notice as Notice
from tui.core.git.gitrepo import explain_state as explain_state

NEW, MODIFIED, DELETED, UNTRACKED, RENAMED, CONFLICTED = (
    "new",
    "modified",
    "deleted",
    "untracked",
    "renamed",
    "conflicted",
)
LABELS = {
    NEW: "nieuw",
    MODIFIED: "gewijzigd",
    DELETED: "verwijderd",
    UNTRACKED: "nieuw (nog niet in git)",
    RENAMED: "hernoemd",
    CONFLICTED: "conflict",
}
# Files beside the cards that the group shares and that are committed with them: the saved
# views (agendas, tui.core.meetings.views) and the per-field reviews (tui.core.review.signoff_file).
SHARED_FILES = ("views.toml", "reviews")


@dataclass(frozen=True)
class FileStatus:
    """One changed card file (repository-relative POSIX path) and how it differs from HEAD."""

    path: str
    state: str  # new | modified | deleted | untracked | renamed | conflicted
    orig_path: str | None = None  # the name in HEAD for a rename

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass(frozen=True)
class RepoStatus:
    """The changed cards plus the distance to the upstream branch."""

    files: tuple[FileStatus, ...]
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0


def _state(xy: str) -> str | None:
    x, y = xy[0], xy[1]
    if xy == "??":
        return UNTRACKED
    if "U" in xy or xy in ("AA", "DD"):
        return CONFLICTED
    if x == "A":
        return None if y == "D" else NEW  # added then removed again: nothing relative to HEAD
    if x == "R":
        return RENAMED
    if "D" in xy:
        return DELETED
    return MODIFIED


def changed_files(repo: GitRepo, *folders: str) -> list[FileStatus]:
    """Card files (``*.toml`` under ``folders``, default ``cards``) that are new, modified, deleted
    or untracked: one ``git status`` for all of them."""
    out = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *(folders or ("cards",)))
    parts = out.split("\0")
    files: list[FileStatus] = []
    i = 0
    while i < len(parts):
        entry = parts[i]
        i += 1
        if len(entry) < 4:
            continue
        xy, path = entry[:2], entry[3:]
        orig = None
        if xy[0] in "RC":
            orig = parts[i]
            i += 1
        state = _state(xy)
        if state is None or not path.endswith(".toml"):
            continue
        files.append(FileStatus(path, state, orig if state == RENAMED else None))
    return files


def shared_files(repo: GitRepo) -> list[FileStatus]:
    """The shared files beside the cards (``SHARED_FILES``) that differ from HEAD."""
    return shared_order(changed_files(repo, *SHARED_FILES))


def shared_order(files: list[FileStatus]) -> list[FileStatus]:
    """Shared files in the order of ``SHARED_FILES`` (views.toml, then reviews/), as the commit dialog lists them."""

    def rank(fs: FileStatus) -> tuple[int, str]:
        top = fs.path.split("/", 1)[0]
        return (SHARED_FILES.index(top) if top in SHARED_FILES else len(SHARED_FILES), fs.path)

    return sorted(files, key=rank)


def upstream_distance(repo: GitRepo) -> tuple[str | None, int, int]:
    """(upstream name, commits ahead, commits behind) from local refs only; (None, 0, 0) without upstream."""
    upstream = repo.try_run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if not upstream:
        return None, 0, 0
    counts = repo.try_run("rev-list", "--left-right", "--count", "HEAD...@{upstream}")
    if not counts:
        return upstream, 0, 0
    ahead, behind = (int(n) for n in counts.split())
    return upstream, ahead, behind


def card_status(repo: GitRepo, folder: str = "cards") -> RepoStatus:
    """Changed card files and the upstream distance together."""
    upstream, ahead, behind = upstream_distance(repo)
    return RepoStatus(tuple(changed_files(repo, folder)), upstream, ahead, behind)


def has_uncommitted(repo: GitRepo, path: str | Path) -> bool:
    """Whether the file at ``path`` differs from HEAD (changed, new or deleted, staged or not)."""
    return bool(repo.run("status", "--porcelain=v1", "--", repo.relpath(path)).strip())


def changed_card_paths(repo: GitRepo, old: str | None, new: str | None) -> list[tuple[str | None, str | None]]:
    """(old path, new path) of every card file that differs between ``old`` and ``new`` (None: the work tree)."""
    if old is None:
        return [(None, f.path) for f in card_status(repo).files]
    sides = [old] if new is None else [old, new]
    parts = repo.run("diff", "--name-status", "-z", "-M", *sides, "--", "cards").split("\0")
    pairs: list[tuple[str | None, str | None]] = []
    i = 0
    while i < len(parts) - 1:
        status = parts[i]
        if status.startswith(("R", "C")):
            pairs.append((parts[i + 1], parts[i + 2]))
            i += 3
        else:
            pairs.append((parts[i + 1], parts[i + 1]))
            i += 2
    if new is None:
        pairs += [(None, f.path) for f in card_status(repo).files if f.state == "untracked"]
    return [(a, b) for a, b in pairs if (b or a or "").endswith(".toml")]
