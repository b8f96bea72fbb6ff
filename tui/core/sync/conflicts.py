"""Finishing a merge: which conflicts are open, who wrote each side, resolve → validate → save → stage, record.

The same steps serve the conflict screen and ``kaartenbak conflicts``:

1. ``conflict_set(root)`` → a ``ConflictSet``: the cards whose ``[[conflict]]`` entries wait for a
   choice (per field: original, mine, theirs and, with ``who=True``, the newest commit on each side
   that changed the field), the files git could not merge per field, and whether a merge is in
   progress.
2. ``resolve_card(workspace, card, {field: value})`` writes the chosen values through the store
   after checking them against the schema, and ``git add``s the card once none of its conflicts
   is left. ``choice_value`` turns "mine", "theirs" or typed text into the field's value.
3. ``record_merge(root)`` records the merge commit with git's own message (``--no-edit``), after
   staging cards that were resolved by hand; never while anything is unresolved, never without
   an identity.

All answers are data (``code`` plus fields); ``tui/locale`` phrases them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.validate import Problem, validate_data
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.history import BrokenRevision, card_at
from tui.core.sync.flow import merge_in_progress, unresolved
from tui.core.sync.merge import CONFLICT_KEY, FieldConflict, conflicts_of, resolve, same
from tui.core.workspace import Workspace

MINE, THEIRS, OWN = "ours", "theirs", "own"
SIDES = ("base", MINE, THEIRS)
LOG_LIMIT = 30  # commits per side searched for who changed a field


@dataclass(frozen=True)
class Change:
    """Who last changed a field on one side of the merge."""

    author: str
    date: datetime
    subject: str
    sha: str


@dataclass(frozen=True)
class CardConflicts:
    """One card's open conflicts; ``who[(side, field)]`` is the newest change on that side (best effort)."""

    rel: str  # repository-relative path
    path: Path
    card_id: str
    title: str
    conflicts: tuple[FieldConflict, ...]
    who: Mapping[tuple[str, str], Change] = field(default_factory=dict)

    def find(self, name: str) -> FieldConflict | None:
        """The conflict whose field path (``aanpak``, ``mijlpalen.2.omschrijving``) or label is ``name``."""
        wanted = name.strip().casefold()
        for c in self.conflicts:
            if c.field.casefold() == wanted or (c.label and c.label.casefold() == wanted):
                return c
        return None


@dataclass(frozen=True)
class ConflictSet:
    """What is left of a merge: cards to choose in, files to fix by hand, and whether a merge is open."""

    merging: bool
    cards: tuple[CardConflicts, ...] = ()
    others: tuple[str, ...] = ()  # unmerged files that are not readable cards (text conflict markers)

    @property
    def ready(self) -> bool:
        """A merge is in progress and nothing blocks recording it."""
        return self.merging and not self.cards and not self.others

    def card(self, ref: str) -> CardConflicts | None:
        """The card by id, repository path or file name (case-insensitive for the id)."""
        for c in self.cards:
            if ref.casefold() == c.card_id.casefold() or ref in (c.rel, str(c.path), c.path.name, c.path.stem):
                return c
        return None


@dataclass(frozen=True)
class Resolution:
    """What ``resolve_card`` did.

    ``code``: ``staged`` (card written, no conflict left in it, ``git add``-ed) | ``saved`` (written;
    ``left`` fields still open) | ``deleted`` (the whole card was chosen away) | ``invalid``
    (``problems``; nothing written) | ``failed`` (``message``, ``advice``; nothing staged).
    ``unmerged`` is what git still lists afterwards; ``merging`` whether the merge is still open.
    """

    code: str
    card: Card | None = None
    left: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    unmerged: tuple[str, ...] = ()
    merging: bool = False
    message: str = ""
    advice: str = ""

    @property
    def ok(self) -> bool:
        return self.code in ("staged", "saved", "deleted")


@dataclass(frozen=True)
class MergeRecord:
    """What ``record_merge`` did.

    ``code``: ``recorded`` (``sha``) | ``no_merge`` | ``unresolved`` (``files`` still open) |
    ``no_identity`` (``name``/``email`` as configured, possibly empty) | ``failed`` (``message``, ``advice``).
    """

    code: str
    sha: str = ""
    files: tuple[str, ...] = ()
    name: str = ""
    email: str = ""
    message: str = ""
    advice: str = ""


# --- reading --------------------------------------------------------------------------------------


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` in card data, or None when absent."""
    node = data
    for step in path:
        in_table = isinstance(node, dict) and isinstance(step, str) and step in node
        if in_table or (isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)):
            node = node[step]
        else:
            return None
    return node


def attribute(repo: GitRepo, rel: str, conflicts: Iterable[FieldConflict]) -> dict[tuple[str, str], Change]:
    """Per (side, field): the newest commit since the merge base that changed that field (best effort)."""
    conflicts = list(conflicts)
    merge_head = (repo.try_run("rev-parse", "--verify", "--quiet", "MERGE_HEAD^{commit}") or "").strip()
    base = (repo.try_run("merge-base", "HEAD", merge_head) or "").strip() if merge_head else ""
    if not base:
        return {}
    found: dict[tuple[str, str], Change] = {}
    for side, rev in ((MINE, "HEAD"), (THEIRS, merge_head)):
        fmt = "--format=%H%x1f%P%x1f%an%x1f%aI%x1f%s%x1e"
        log = repo.try_run("log", "--no-merges", f"--max-count={LOG_LIMIT}", fmt, f"{base}..{rev}", "--", rel) or ""
        for record in log.split("\x1e"):
            parts = record.strip("\n").split("\x1f")
            if len(parts) != 5:
                continue
            sha, parents, author, date, subject = parts
            open_ = [c for c in conflicts if (side, c.field) not in found]
            if not open_:
                break
            try:
                new = card_at(repo, sha, rel)
                old = card_at(repo, parents.split()[0], rel) if parents.split() else None
            except (BrokenRevision, GitError):
                continue
            for c in open_:
                if not same(value_at(new, c.path) if c.path else new, value_at(old, c.path) if c.path else old):
                    found[(side, c.field)] = Change(author, datetime.fromisoformat(date), subject, sha)
    return found


def _candidates(repo: GitRepo) -> list[str]:
    """Unmerged files, then card files that hold a ``[[conflict]]`` table (committed by mistake, say)."""
    marked = repo.try_run("grep", "-l", "-z", "-e", r"^\[\[conflict\]\]", "--", "cards") or ""
    return list(dict.fromkeys([*unresolved(repo), *(p for p in marked.split("\0") if p)]))


def _card_conflicts(repo: GitRepo, rel: str, who: bool) -> CardConflicts | None:
    loaded = load_file(repo.root / rel)
    if not isinstance(loaded, Card):
        return None
    conflicts = tuple(conflicts_of(dict(loaded.data)))
    if not conflicts:
        return None
    changes = attribute(repo, rel, conflicts) if who else {}
    return CardConflicts(rel, loaded.path, loaded.id, loaded.title, conflicts, changes)


def conflict_set(root: str | Path, *, who: bool = False) -> ConflictSet:
    """The open conflicts of the repository at ``root``; ``who`` adds the attribution (reads history)."""
    with GitRepo.open(root) as repo, repo.lock:
        merging = merge_in_progress(repo)
        unmerged = set(unresolved(repo))
        cards: list[CardConflicts] = []
        others: list[str] = []
        for rel in _candidates(repo):
            is_card = rel.startswith("cards/") and rel.endswith(".toml")
            found = _card_conflicts(repo, rel, who) if is_card and (repo.root / rel).is_file() else None
            if found is not None:
                cards.append(found)
            elif rel in unmerged and not (is_card and _clean_card(repo.root / rel)):
                others.append(rel)
        return ConflictSet(merging, tuple(cards), tuple(others))


def card_conflicts(root: str | Path, rel_or_path: str | Path, *, who: bool = True) -> CardConflicts | None:
    """One card's open conflicts as on disk now (None: unreadable, or no conflicts left)."""
    with GitRepo.open(root) as repo, repo.lock:
        return _card_conflicts(repo, repo.relpath(rel_or_path), who)


def _clean_card(path: Path) -> bool:
    """A readable card without conflict entries: resolved by hand, only not yet ``git add``-ed."""
    loaded = load_file(path) if path.is_file() else None
    return isinstance(loaded, Card) and CONFLICT_KEY not in loaded.data


# --- choosing -------------------------------------------------------------------------------------


def editable(conflict: FieldConflict) -> bool:
    """Whether a combination can be typed as text: text fields and lists of short texts."""
    values = [v for v in (conflict.ours, conflict.theirs) if v is not None]
    if not values or not conflict.path:
        return False
    if all(isinstance(v, str) for v in values):
        return True
    return all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in values)


def as_text(value: Any) -> str:
    """A text or text-list value as editable text (a list: one item per line)."""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def from_text(text: str, like: Any) -> Any:
    """Typed text back into the field's type (a list when the field is a list)."""
    if isinstance(like, list):
        return [line.strip().removeprefix("• ").strip() for line in text.splitlines() if line.strip()]
    return text


def choice_value(conflict: FieldConflict, how: str, text: str | None = None) -> Any:
    """The value for ``how`` = ``ours`` (mine) | ``theirs`` | ``own`` (``text``, in the field's type)."""
    if how in (MINE, THEIRS):
        return copy.deepcopy(getattr(conflict, how))
    if how != OWN or text is None:
        raise ValueError(how)
    if not editable(conflict):
        raise TypeError(conflict.field)
    return from_text(text, conflict.ours if conflict.ours is not None else conflict.theirs)


def apply_choices(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the conflicts named in ``values`` (by field) settled; list items from the end first."""
    out: dict[str, Any] = dict(data)
    for c in reversed([c for c in conflicts_of(out) if c.field in values]):  # later list positions stay valid
        out = resolve(out, c.path, values[c.field])
    return out


# --- writing --------------------------------------------------------------------------------------


def _touched(values: Mapping[str, Any], data: Mapping[str, Any]) -> set[str]:
    keys = {c.path[0] for c in conflicts_of(dict(data)) if c.field in values and c.path}
    return {str(k) for k in keys} | {"id", "kind"}


def resolve_card(workspace: Workspace, card: Card, values: Mapping[str, Any]) -> Resolution:
    """Settle ``values`` (field → value) in ``card`` as on disk, check, write, and stage when no conflict is left.

    Schema errors in the fields being settled (or in id and kind) refuse the write, so nothing
    half-valid is staged; problems elsewhere in the card were there before and do not block.
    """
    with GitRepo.open(workspace.root) as repo, repo.lock:
        current = load_file(card.path)
        if not isinstance(current, Card):
            return Resolution("failed", message=str(current), advice="")
        data = apply_choices(dict(current.data), values)
        deleted = not data
        left = tuple(c.field for c in conflicts_of(data))
        if not deleted:
            plain = {k: v for k, v in data.items() if k != CONFLICT_KEY}
            touched = _touched(values, current.data) if left else None
            errors = [
                p
                for p in validate_data(plain, workspace.schema, workspace.vocab)
                if p.is_error and (touched is None or p.field in touched)
            ]
            if errors:
                return Resolution("invalid", problems=tuple(errors), left=left)
        try:
            if deleted:
                workspace.store.delete(current)
                saved = None
            else:
                saved = workspace.store.save(current, data)
            rel = repo.relpath(card.path)
            if not left:
                repo.run("add", "--all", "--", rel)
            still = tuple(unresolved(repo))
            merging = merge_in_progress(repo)
        except GitError as exc:
            return Resolution("failed", message=exc.message, advice=exc.advice)
        except Exception as exc:  # ChangedOnDisk, WriteError: explain; the choices are kept by the caller
            return Resolution("failed", message=getattr(exc, "message", "") or str(exc), advice="")
    code = "deleted" if deleted else ("saved" if left else "staged")
    return Resolution(code, saved, left, (), still, merging)


def record_merge(root: str | Path) -> MergeRecord:
    """Record the merge (``git commit --no-edit``: git's own message) when nothing is left to resolve."""
    try:
        with GitRepo.open(root) as repo, repo.lock:
            if not merge_in_progress(repo):
                return MergeRecord("no_merge")
            name, email = repo.configured_identity()
            if not (name and email):
                return MergeRecord("no_identity", name=name, email=email)
            for rel in unresolved(repo):  # cards put right by hand, not yet added
                if rel.startswith("cards/") and rel.endswith(".toml") and _clean_card(repo.root / rel):
                    repo.run("add", "--", rel)
            left = tuple(unresolved(repo))
            marked = [c for c in _candidates(repo) if c.startswith("cards/") and not _clean_card(repo.root / c)]
            if left or marked:
                return MergeRecord("unresolved", files=tuple(dict.fromkeys([*left, *marked])))
            repo.run("commit", "--quiet", "--no-edit")
            return MergeRecord("recorded", sha=repo.head() or "")
    except GitError as exc:
        return MergeRecord("failed", message=exc.message, advice=exc.advice)
