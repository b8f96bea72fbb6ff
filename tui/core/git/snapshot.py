"""One look at the repository for the app's header and badges: branch, changes, warnings.

Runs git (in a worker in the app); every failure becomes a plain message, never an exception,
so a folder that is not a repository still opens for reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.core.git.gitrepo import GitError, GitRepo, NotARepository
from tui.core.git.status import Notice, card_status, explain_state, shared_files


@dataclass
class RepoSnapshot:
    """What the header and the list badges show about git."""

    is_repo: bool
    message: str = ""
    advice: str = ""
    branch: str | None = None
    changed: dict[str, str] = field(default_factory=dict)  # repo-relative path -> state
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0
    notices: list[Notice] = field(default_factory=list)
    unshared: set[str] = field(default_factory=set)  # paths changed in commits not yet pushed

    @property
    def pending(self) -> int:
        return len(self.changed)


def take_snapshot(root: Path) -> RepoSnapshot:
    """Branch, changed cards, upstream distance and hostile-state notices of ``root``."""
    try:
        with GitRepo.open(root) as repo:
            state = repo.state()
            status = card_status(repo)
            unshared: set[str] = set()
            if status.upstream and status.ahead:
                out = repo.try_run("diff", "--name-only", f"{status.upstream}..HEAD", "--", "cards")
                unshared = set((out or "").split())
            changed = {f.path: f.state for f in status.files}
            changed.update({f.path: f.state for f in shared_files(repo)})  # views.toml, reviews/: committed too
            return RepoSnapshot(
                is_repo=True,
                branch=state.branch,
                changed=changed,
                upstream=status.upstream,
                ahead=status.ahead,
                behind=status.behind,
                notices=[n for n in explain_state(state) if n.code != "empty"],
                unshared=unshared,
            )
    except NotARepository as exc:
        return RepoSnapshot(False, exc.message, exc.advice)
    except GitError as exc:
        return RepoSnapshot(False, exc.message, exc.advice)
    except OSError as exc:
        return RepoSnapshot(
            False, f"git kon niet worden gestart: {exc}", "Installeer git om wijzigingen vast te leggen."
        )
