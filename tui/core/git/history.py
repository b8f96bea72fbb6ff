"""A card's history: the commits that touched it (following renames) and its content at each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.git.gitrepo import GitError, GitRepo, coded
from tui.core.cards.parse import parse_bytes

_FIELD, _RECORD = "\x1f", "\x1e"
_FORMAT = f"--format={_RECORD}%H{_FIELD}%an{_FIELD}%ae{_FIELD}%aI{_FIELD}%s{_FIELD}%b{_FIELD}"
_ABSENT = ("does not exist", "exists on disk, but not in", "not a valid object name", "invalid object name", "path '")


class BrokenRevision(GitError):
    """The card file at a revision is not valid TOML (for example committed conflict markers)."""


class BadRevision(GitError):
    """A revision the user typed that git does not know (or that looks like an option)."""


@dataclass(frozen=True)
class Revision:
    """One commit touching a card, and the card's path in that commit."""

    sha: str
    author: str
    email: str
    date: datetime
    subject: str
    body: str
    path: str

    @property
    def short(self) -> str:
        return self.sha[:7]


def resolve(repo: GitRepo, rev: str) -> str:
    """The full commit sha of a user-typed revision; refuses option-like text before git sees it."""
    if not rev or rev.startswith("-") or any(ch in rev for ch in "\0\r\n"):
        raise coded(BadRevision, "bad_revision", rev=rev)
    sha = repo.try_run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if not sha:
        raise coded(BadRevision, "no_revision", rev=rev)
    return sha


def card_history(repo: GitRepo, path: str | Path, limit: int | None = 50, skip: int = 0) -> list[Revision]:
    """Commits touching the card, newest first, following renames; ``limit`` keeps the first screen cheap."""
    rel = repo.relpath(path)
    if repo.head() is None:
        return []
    args = ["log", "--follow", "-z", "--name-only", _FORMAT]
    if limit is not None:
        args.append(f"--max-count={int(limit)}")
    if skip:
        args.append(f"--skip={int(skip)}")
    out = repo.run(*args, "--", rel)
    revisions = []
    for record in out.split(_RECORD)[1:]:
        sha, author, email, date, subject, body, rest = record.split(_FIELD, 6)
        names = [n.strip("\n") for n in rest.split("\0") if n.strip("\n")]
        revisions.append(
            Revision(
                sha, author, email, datetime.fromisoformat(date), subject, body.strip(), names[0] if names else rel
            )
        )
    return revisions


def blob_at(repo: GitRepo, sha: str, path: str) -> bytes | None:
    """The raw bytes of ``path`` at commit ``sha``, or None when the file is not there."""
    if not re.fullmatch(r"[0-9a-fA-F]{4,64}", sha):
        sha = resolve(repo, sha)
    rel = repo.relpath(path)
    try:
        data = repo.run_bytes("cat-file", "blob", f"{sha}:{rel}")
    except GitError as exc:
        if any(s in exc.detail.lower() for s in _ABSENT) or "fatal: path" in exc.detail.lower():
            return None
        raise
    return data


def card_at(repo: GitRepo, sha: str, path: str) -> dict[str, Any] | None:
    """The parsed card data at a revision, None if the file is absent; BrokenRevision if unreadable."""
    raw = blob_at(repo, sha, path)
    if raw is None:
        return None
    loaded = parse_bytes(Path(path), raw)
    if not isinstance(loaded, Card):
        raise coded(BrokenRevision, "broken_revision", advice=False, path=path, sha=sha[:7], reason=loaded.message)
    return loaded.to_dict()


def parent_of(repo: GitRepo, sha: str) -> str | None:
    """The first parent of commit ``sha``, or None for a first commit."""
    parent = repo.try_run("rev-parse", "--verify", "--quiet", f"{sha}^1")
    return parent.strip() if parent else None
