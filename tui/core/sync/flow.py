"""The sync workflow around ``sync()``: what to check first, what to set up, what changed after.

The app and ``kaartenbak sync`` run the same steps and only phrase them differently:

1. ``plan_sync(root)`` → a ``SyncPlan``: ``ready``, or what stands in the way (no remote, a merge
   still in progress, field merging not switched on, a git problem).
2. ``register_driver(root)`` when the person agrees to switch field merging on.
3. ``run_sync(root, progress)`` → a ``SyncOutcome``: the ``SyncResult`` and the card files a
   sync brought in, read again (for the app's library).

A merge still in progress is finished in ``tui.core.sync.conflicts`` (``conflict_set``,
``resolve_field``/``resolve_card``, ``record_merge``). Everything here returns data with a ``code``
and parameters; ``tui/locale`` phrases it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import load_file
from tui.core.git.gitrepo import GitError, GitRepo, repo_lock
from tui.core.git.init_repo import InitError, init_repo, missing_attributes
from tui.core.sync.sync import SyncResult, SyncStep, sync, sync_status

SYNC_TIMEOUT = 20.0  # seconds per network call (fetch, push); sync never hangs longer
DRIVER_KEY = "merge.kaartenbak.driver"


@dataclass(frozen=True)
class SyncPlan:
    """What the checks before a sync found (no network).

    ``code``: ``ready`` | ``no_remote`` | ``merging`` (a merge to finish first; ``unmerged`` lists
    what git still sees as conflicted) | ``no_driver`` (field merging is off in this clone) |
    ``git_error`` (params ``message``, ``advice``).
    """

    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    unmerged: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return self.code == "ready"


@dataclass(frozen=True)
class DriverRegistration:
    """What switching on field merging did: ``code`` ``registered`` | ``already`` | ``failed`` (``detail``)."""

    code: str
    changes: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class SyncOutcome:
    """A sync's result plus the card files it changed on disk, read again (None: the file is gone)."""

    result: SyncResult
    reloaded: tuple[tuple[Path, Card | LoadError | None], ...] = ()


def unresolved(repo: GitRepo) -> list[str]:
    """Files git still lists as unmerged (repository-relative)."""
    return [p for p in repo.run("diff", "--name-only", "--diff-filter=U", "-z").split("\0") if p]


def merge_in_progress(repo: GitRepo) -> bool:
    """Whether a merge waits to be recorded (``MERGE_HEAD`` exists)."""
    return (repo.git_dir / "MERGE_HEAD").exists()


def plan_sync(root: str | Path) -> SyncPlan:
    """The checks before a sync, in the order the person must deal with them."""
    try:
        with GitRepo.open(root) as repo:
            if sync_status(repo).state == "no_remote":
                return SyncPlan("no_remote")
            state = repo.state()
            if state.in_progress == "merge":
                return SyncPlan("merging", unmerged=state.conflicted)
            if not repo.try_run("config", "--get", DRIVER_KEY) or missing_attributes(repo.root):
                return SyncPlan("no_driver")  # also when a newer version merges more (reviews/) than this clone says
            return SyncPlan("ready")
    except GitError as exc:
        return SyncPlan("git_error", {"message": exc.message, "advice": exc.advice})
    except InitError as exc:
        return SyncPlan("git_error", {"message": str(exc), "advice": ""})


def register_driver(root: str | Path, *, textconv: bool = True) -> DriverRegistration:
    """Switch on field merging in this clone (what ``kaartenbak init`` does in an existing repository)."""
    try:
        with repo_lock(root):  # init runs git itself: keep it apart from the app's other git calls
            report = init_repo(Path(root), textconv=textconv)  # the driver command: init_repo.driver_program()
    except InitError as exc:
        return DriverRegistration("failed", detail=str(exc))
    return DriverRegistration("registered" if report.done else "already", tuple(report.done))


def head_of(root: str | Path) -> str | None:
    """The commit HEAD points at (None: no commits, or no repository)."""
    try:
        with GitRepo.open(root) as repo:
            return repo.head()
    except GitError:
        return None


def changed_since(root: str | Path, before: str | None) -> list[tuple[Path, Card | LoadError | None]]:
    """Card files that differ on disk from commit ``before`` (what a sync brought in), read again."""
    root = Path(root)
    try:
        with GitRepo.open(root) as repo:
            if before:
                out = repo.try_run("diff", "--name-only", "--no-renames", "-z", before, "--", "cards")
            else:
                out = repo.try_run("ls-files", "-z", "--", "cards")
            root = repo.root
    except GitError:
        return []
    found: list[tuple[Path, Card | LoadError | None]] = []
    for rel in dict.fromkeys(p for p in (out or "").split("\0") if p.endswith(".toml")):
        path = root / rel
        found.append((path, load_file(path) if path.exists() else None))
    return found


def run_sync(
    root: str | Path, progress: Callable[[SyncStep], None] | None = None, timeout: float = SYNC_TIMEOUT
) -> SyncOutcome:
    """Sync, then read again the cards it changed (received, or written with conflicts)."""
    before = head_of(root)
    result = sync(root, progress=progress, timeout=timeout)
    if result.received or result.conflicts or result.other_conflicts:
        return SyncOutcome(result, tuple(changed_since(root, before)))
    return SyncOutcome(result)
