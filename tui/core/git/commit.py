"""Committing chosen cards: what changed per card, a suggested message, and a commit that refuses
every state where a commit could lose or hide work (merge in progress, detached HEAD, no identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence

from tui.core.cards.card import Card
from tui.core.git.fielddiff import changed_fields, diff_cards, kind_for
from tui.core.git.gitrepo import GitError, GitRepo, explain, lock_error
from tui.core.git.history import BrokenRevision, blobs_at, card_data
from tui.core.git.identity import require_identity
from tui.core.cards.parse import load_file
from tui.core.git.status import (
    DELETED,
    NEW,
    RENAMED,
    SHARED_FILES,
    UNTRACKED,
    FileStatus,
    changed_files,
    shared_files,
    shared_order,
)
from tui.core.cards.text import visible
from tui.core.cards.validate import label_for
from tui.core.workspace import Workspace

SUMMARY_WIDTH = 72


class CommitRefused(GitError):
    """Committing now would be unsafe or pointless; the message says why and what to do."""


class CommitFailed(GitError):
    """Git could not write the commit (full disk, read-only repository); nothing was committed.

    ``code`` (``error.commit.disk_full`` / ``error.commit.read_only``) and ``params`` (``path``) are
    for ``tui/locale``; git's own text stays in ``detail`` for the log.
    """

    def __init__(self, message: str, advice: str, detail: str, *, code: str, path: Path) -> None:
        super().__init__(message, advice, detail)
        self.code = code
        self.params = {"path": str(path)}
        self.disk_full = code == "error.commit.disk_full"
        self.read_only = code == "error.commit.read_only"


_DISK_FULL = ("no space left on device", "disk quota exceeded", "out of diskspace", "out of disk space")
_READ_ONLY = ("read-only file system", "permission denied", "insufficient permission", "operation not permitted")


def commit_failure(error: GitError, root: Path) -> GitError:
    """``error`` as a CommitFailed when git's output says the disk is full or read-only, else unchanged."""
    text = f"{error.detail}\n{error.message}".lower()
    if any(s in text for s in _DISK_FULL):
        return CommitFailed(
            f"Schijf vol: de wijziging is niet vastgelegd in {root}.",
            "Je kaarten staan ongewijzigd op schijf; maak ruimte vrij en probeer het opnieuw.",
            error.detail,
            code="error.commit.disk_full",
            path=root,
        )
    if any(s in text for s in _READ_ONLY):
        return CommitFailed(
            f"Kan niet vastleggen in {root}: de repository is alleen-lezen of je hebt geen toestemming.",
            "Je kaarten staan ongewijzigd op schijf.",
            error.detail,
            code="error.commit.read_only",
            path=root,
        )
    return error


@dataclass(frozen=True)
class CardChange:
    """One changed card file: how it changed, its title and the labels of the changed fields."""

    path: str
    state: str  # see status.FileStatus.state
    title: str
    fields: tuple[str, ...] = ()  # top-level field keys
    labels: tuple[str, ...] = ()  # their Dutch labels
    problem: str | None = None  # the card could not be read, so fields are unknown
    shared: bool = False  # not a card: a file the group shares beside the cards (SHARED_FILES)


def _shared_title(path: str) -> str:
    if path == "views.toml":
        return "Agenda's (views.toml)"
    return f"Beoordeling {Path(path).stem}"


def shared_changes(repo: GitRepo, files: list[FileStatus] | None = None) -> list[CardChange]:
    """The shared files beside the cards (views.toml, reviews/**/*.toml) that differ from HEAD
    (``files``: from a status already run)."""
    found = shared_files(repo) if files is None else files
    return [CardChange(fs.path, fs.state, _shared_title(fs.path), shared=True) for fs in found]


def _read_worktree(root: Path, rel: str) -> tuple[dict | None, str | None]:
    path = root / rel
    if not path.exists():
        return None, None
    loaded = load_file(path)
    return (loaded.to_dict(), None) if isinstance(loaded, Card) else (None, loaded.message)


def changed_cards(repo: GitRepo, workspace: Workspace) -> list[CardChange]:
    """Every changed card file with the fields that changed between HEAD and the working tree,
    then the changed shared files beside the cards (``SHARED_FILES``: views.toml, reviews/)."""
    head = repo.head()
    changes = []
    everything = changed_files(repo, "cards", *SHARED_FILES)  # one git status for both
    files = [fs for fs in everything if fs.path.startswith("cards/")]
    shared = shared_order([fs for fs in everything if not fs.path.startswith("cards/")])
    before = [fs for fs in files if head is not None and fs.state not in (NEW, UNTRACKED)]
    raws = dict(zip(before, blobs_at(repo, [(head or "", fs.orig_path or fs.path) for fs in before]), strict=True))
    for fs in files:
        old, problem = None, None
        if fs in raws:
            try:
                old = card_data(fs.orig_path or fs.path, head or "", raws[fs])
            except BrokenRevision as exc:
                problem = exc.message
        new, new_problem = _read_worktree(repo.root, fs.path)
        problem = problem or new_problem
        data = new or old or {}
        title = str(data.get("title") or Path(fs.path).stem)
        if problem is not None:
            changes.append(CardChange(fs.path, fs.state, title, problem=problem))
            continue
        kind = kind_for(workspace.schema, old, new)
        keys = tuple(changed_fields(diff_cards(old, new, kind))) if fs.state not in (DELETED,) else ()
        labels = tuple(label_for(kind, (k,)) for k in keys)
        changes.append(CardChange(fs.path, fs.state, title, keys, labels))
    return changes + shared_changes(repo, shared)


def _one_line(text: str) -> str:
    return visible(" ".join(text.split()))


def _describe(change: CardChange) -> str:
    title = _one_line(change.title)
    if change.shared:
        word = (
            "nieuw" if change.state in (NEW, UNTRACKED) else "verwijderd" if change.state == DELETED else "bijgewerkt"
        )
        return f"{title}: {word}"
    if change.state in (NEW, UNTRACKED):
        return f"Nieuwe kaart: {title}"
    if change.state == DELETED:
        return f"Kaart verwijderd: {title}"
    labels = [label.lower() for label in change.labels]
    if change.state == RENAMED and not labels:
        return f"{title}: hernoemd"
    if not labels:
        return f"{title}: bijgewerkt"
    text = f"{title}: {', '.join(labels)}"
    while len(text) > SUMMARY_WIDTH and len(labels) > 1:
        labels.pop()
        text = f"{title}: {', '.join(labels)} en meer"
    return text


def suggest_message(changes: Sequence[CardChange]) -> str:
    """A commit message to prefill: one card → one line; several → a summary line and one line each."""
    if not changes:
        return ""
    if len(changes) == 1:
        return _describe(changes[0])
    noun = "bestanden" if any(c.shared for c in changes) else "kaarten"
    lines = [f"{len(changes)} {noun} bijgewerkt", ""]
    lines.extend(f"- {_describe(c)}" for c in changes)
    return "\n".join(lines)


def commit(repo: GitRepo, paths: Sequence[str | Path], message: str, *, allow_detached: bool = False) -> str:
    """Commit exactly ``paths`` (nothing else that is staged) with ``message``; returns the new sha."""
    if "\0" in message or not message.strip():
        raise CommitRefused(
            "De beschrijving van de wijziging is leeg.", "Schrijf in een paar woorden wat je hebt veranderd."
        )
    rels = list(dict.fromkeys(repo.relpath(p) for p in paths))
    if not rels:
        raise CommitRefused("Er is niets gekozen om te bewaren.", "Kies eerst de kaarten die je wilt bewaren.")
    try:
        _commit(repo, rels, message, allow_detached=allow_detached)
    except CommitRefused:
        raise
    except GitError as exc:
        raise commit_failure(exc, repo.root) from None
    sha = repo.head()
    assert sha is not None
    return sha


def _commit(repo: GitRepo, rels: list[str], message: str, *, allow_detached: bool) -> None:
    """The checks that need git, then ``commit --only`` of exactly ``rels`` (``add`` first for new files).

    Git processes (issue #17): the state is read from ``.git`` files plus one ``git config`` for
    the identity; one ``git status`` of the chosen paths says which changed and which are new; new
    (untracked) files need one ``git add``; then one ``git commit --only``, which also takes modified
    and deleted files from the work tree. The new HEAD is read back from the refs files.
    """
    state = repo.state()
    for notice in explain(state):
        if notice.code == "detached" and allow_detached:
            continue
        if notice.code == "no-identity":
            require_identity(repo)
        if notice.code == "lock" and state.index_lock is not None and notice.blocks_commit:
            raise lock_error(state.index_lock)  # stale: the caller can offer remove_stale_lock()
        if notice.blocks_commit:
            raise CommitRefused(notice.message, notice.advice)
    rels, untracked = _changed(repo, rels)
    if not rels:
        raise CommitRefused(
            "Er is niets te bewaren: de gekozen kaarten zijn niet gewijzigd.", "Wijzig eerst een kaart."
        )
    if untracked:
        repo.run("add", "--all", "--", *untracked)
    repo.run(
        "-c",
        "core.fsync=added",
        "-c",
        "core.fsyncMethod=fsync",
        "commit",
        "--quiet",
        "--no-edit",
        "--cleanup=whitespace",
        "-m",
        message,
        "--only",
        "--",
        *rels,
    )


def _changed(repo: GitRepo, rels: list[str]) -> tuple[list[str], list[str]]:
    """The chosen paths git sees as changed (for a staged rename both names count), and the untracked ones."""
    parts = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rels).split("\0")
    found: set[str] = set()
    untracked: set[str] = set()
    i = 0
    while i < len(parts):
        entry = parts[i]
        i += 1
        if len(entry) >= 4:
            found.add(entry[3:])
            if entry[:2] == "??":
                untracked.add(entry[3:])
            if entry[0] in "RC":
                found.add(parts[i])
                i += 1
    return [r for r in rels if r in found], [r for r in rels if r in untracked]
