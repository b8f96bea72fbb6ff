"""Which card files differ from HEAD, and how far the branch is from its upstream (no network)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.git.gitrepo import GitRepo, RepoState, lock_error

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


def changed_files(repo: GitRepo, folder: str = "cards") -> list[FileStatus]:
    """Card files (``*.toml`` under ``folder``) that are new, modified, deleted or untracked."""
    out = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", folder)
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


@dataclass(frozen=True)
class Notice:
    """A repository state the user should know about: what it means and the way forward."""

    code: str  # bare | empty | detached | merge | rebase | cherry-pick | revert | conflicts | lock | no-identity
    message: str
    advice: str
    blocks_commit: bool = True


_OPERATION_TEXT = {  # operation -> (what is going on, how to finish or abort it)
    op: (
        f"Er is een {name} bezig die nog niet is afgerond.",
        f"Ga verder met 'git {op} --continue' of breek af met 'git {op} --abort'.",
    )
    for op, name in (("rebase", "rebase"), ("cherry-pick", "cherry-pick"), ("revert", "revert"))
}
_OPERATION_TEXT["merge"] = (
    "Er is een samenvoeging (merge) bezig die nog niet is afgerond.",
    "Los de conflicten op met x in Kaartenbak (of met 'git add' en 'git commit'), of breek af met 'git merge --abort'.",
)


def explain_state(state: RepoState) -> list[Notice]:
    """Plain-Dutch notices for every hostile state, most blocking first; empty when all is well."""
    notes: list[Notice] = []
    if state.bare:
        notes.append(
            Notice(
                "bare",
                f"{state.root} is een kale (bare) repository zonder werkmap: hier staan geen kaartbestanden.",
                f"Kloon hem naar een gewone map ('git clone {state.root} kaarten') en open die map.",
            )
        )
    if state.in_progress:
        msg, advice = _OPERATION_TEXT[state.in_progress]
        notes.append(
            Notice(
                state.in_progress,
                msg + " Kaartenbak maakt nu geen nieuwe commits, om die bewerking niet te breken.",
                advice,
            )
        )
    if state.conflicted:
        notes.append(
            Notice(
                "conflicts",
                f"{len(state.conflicted)} bestand(en) hebben een onopgelost conflict: {', '.join(state.conflicted)}.",
                "Kies per kaart welke waarden blijven, sla op en rond de samenvoeging af.",
            )
        )
    if state.index_lock is not None:
        err = lock_error(state.index_lock)
        notes.append(Notice("lock", err.message, err.advice, blocks_commit=state.index_lock.stale))
    if state.detached and state.head:
        notes.append(
            Notice(
                "detached",
                f"Je bekijkt een losse versie ({state.head[:7]}), niet een tak: nieuwe versies zouden zoekraken.",
                "Ga terug naar je tak met 'git switch main' (of maak een tak: 'git switch -c NAAM').",
            )
        )
    if state.head is None and not state.bare:
        notes.append(
            Notice(
                "empty",
                "Deze repository heeft nog geen enkele versie.",
                "De eerste keer bewaren maakt de eerste versie.",
                blocks_commit=False,
            )
        )
    if state.identity is None and not state.bare:
        notes.append(
            Notice(
                "no-identity",
                "Git weet nog niet wie je bent (user.name en user.email ontbreken).",
                "Vul je naam en e-mailadres in; ze komen bij elke versie die je bewaart.",
            )
        )
    return notes
