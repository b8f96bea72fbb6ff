"""A card's history: the commits that touched it (following renames) and its content at each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Sequence

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
    """Commits touching the card, newest first, following renames; ``limit`` keeps the first screen cheap.

    One git process (``git log --follow`` with a format carrying all the list shows); whether the
    repository has commits at all is read from its refs files.
    """
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


def _spec(repo: GitRepo, sha: str, path: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{4,64}", sha):
        sha = resolve(repo, sha)
    return f"{sha}:{repo.relpath(path)}"


def _batch(repo: GitRepo, names: Sequence[str]) -> list[tuple[str, str, bytes] | None]:
    """(object id, type, content) of each object name (``sha``, ``sha^1``, ``sha:path``), None when absent.

    One ``git cat-file --batch`` for all of them. A damaged object is "missing" on stdout and
    explained on stderr, which ``GitRepo.run_input`` raises (CorruptRepository), as one
    ``cat-file blob`` per object did.
    """
    if not names:
        return []
    out = repo.run_input(["cat-file", "--batch"], "".join(f"{n}\n" for n in names).encode("utf-8"))
    found: list[tuple[str, str, bytes] | None] = []
    pos = 0
    for _ in names:
        eol = out.index(b"\n", pos)
        header = out[pos:eol].split(b" ")
        pos = eol + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            found.append((header[0].decode("ascii"), header[1].decode("ascii"), out[pos : pos + size]))
            pos += size + 1
        else:  # "<name> missing" / "<name> ambiguous"
            found.append(None)
    return found


def blobs_at(repo: GitRepo, wanted: Sequence[tuple[str, str]]) -> list[bytes | None]:
    """The raw bytes of each ``(revision, path)``, None where the file is not there: one git process."""
    specs = [_spec(repo, sha, path) for sha, path in wanted]
    if any("\n" in spec or "\r" in spec for spec in specs):  # cannot go on a request line: one at a time
        return [_blob_alone(repo, spec) for spec in specs]
    return [_blob(item) for item in _batch(repo, specs)]


def _blob(item: tuple[str, str, bytes] | None) -> bytes | None:
    return item[2] if item is not None and item[1] == "blob" else None


def _blob_alone(repo: GitRepo, spec: str) -> bytes | None:
    try:
        return repo.run_bytes("cat-file", "blob", spec)
    except GitError as exc:
        if any(s in exc.detail.lower() for s in _ABSENT) or "fatal: path" in exc.detail.lower():
            return None
        raise


def blob_at(repo: GitRepo, sha: str, path: str) -> bytes | None:
    """The raw bytes of ``path`` at commit ``sha``, or None when the file is not there."""
    return blobs_at(repo, [(sha, path)])[0]


def card_data(path: str, sha: str, raw: bytes | None) -> dict[str, Any] | None:
    """The parsed card data of ``raw`` (``path`` at ``sha``), None for None; BrokenRevision if unreadable."""
    if raw is None:
        return None
    loaded = parse_bytes(Path(path), raw)
    if not isinstance(loaded, Card):
        raise coded(BrokenRevision, "broken_revision", advice=False, path=path, sha=sha[:7], reason=loaded.message)
    return dict(loaded.data)  # fresh from tomllib and shared with no one: no deep copy needed


def card_at(repo: GitRepo, sha: str, path: str) -> dict[str, Any] | None:
    """The parsed card data at a revision, None if the file is absent; BrokenRevision if unreadable."""
    return card_data(path, sha, blob_at(repo, sha, path))


def cards_at(repo: GitRepo, wanted: Sequence[tuple[str, str]]) -> list[dict[str, Any] | None]:
    """``card_at`` of each ``(revision, path)`` with one git process; BrokenRevision for the first unreadable."""
    return [card_data(path, sha, raw) for (sha, path), raw in zip(wanted, blobs_at(repo, wanted), strict=True)]


@dataclass
class VersionPair:
    """A commit's parent (None for a first commit) and the card in both: what one field diff needs."""

    parent: str | None
    new: dict[str, Any] | None = None
    old: dict[str, Any] | None = None
    problem: BrokenRevision | None = None


def version_pair(repo: GitRepo, sha: str, path: str, older_path: str | None = None) -> VersionPair:
    """The card at ``sha`` and at its first parent (``older_path`` there) with one git process.

    ``problem`` is the BrokenRevision when a version cannot be read; the versions read before it stay
    (the new one is read first), as when the two were read one by one.
    """
    if not re.fullmatch(r"[0-9a-fA-F]{4,64}", sha):
        sha = resolve(repo, sha)
    new_spec, old_spec = _spec(repo, sha, path), f"{sha}^1:{repo.relpath(older_path or path)}"
    if any(c in new_spec + old_spec for c in "\n\r"):
        parent = parent_of(repo, sha)
        pair = VersionPair(parent)
        try:
            pair.new = card_at(repo, sha, path)
            pair.old = card_at(repo, parent, older_path or path) if parent else None
        except BrokenRevision as exc:
            pair.problem = exc
        return pair
    first_parent, new_raw, old_raw = _batch(repo, [f"{sha}^1", new_spec, old_spec])
    parent = first_parent[0] if first_parent is not None and first_parent[1] == "commit" else None
    pair = VersionPair(parent)
    try:
        pair.new = card_data(path, sha, _blob(new_raw))
        if parent:
            pair.old = card_data(older_path or path, parent, _blob(old_raw))
    except BrokenRevision as exc:
        pair.problem = exc
    return pair


def parent_of(repo: GitRepo, sha: str) -> str | None:
    """The first parent of commit ``sha``, or None for a first commit."""
    parent = repo.try_run("rev-parse", "--verify", "--quiet", f"{sha}^1")
    return parent.strip() if parent else None
