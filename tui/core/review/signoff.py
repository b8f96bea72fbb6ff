"""Sign-off per field: a reviewer marks each changed field *akkoord* or *vraag* (with a note).

A field is *te beoordelen* when its committed value (at HEAD) differs from the value last marked
akkoord; a field never reviewed is te beoordelen when it changed since the latest snapshot (with
no snapshot at all: every filled field is, the whole plan is new to the reviewers). A ``vraag``
holds while the value is the one questioned. Field paths are the top-level keys and, for the
schema's table fields (``randvoorwaarden``, ``kwantificering``…), one level into them
(``randvoorwaarden.bekostiging``), written dotted as in ``[[conflict]]`` entries.

Reviews are files (``signoff_file``), committed one verdict per commit through
``tui.core.git.commit`` under the repository lock, synced and merged per field like cards
(``signoff_merge``). A review never blocks saving or committing and never writes a card file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.review.snapshots import latest_snapshot
from tui.core.cards.card import Card
from tui.core.cards.parse import parse_bytes
from tui.core.cards.schema import Kind, Schema
from tui.core.cards.atomic import write_atomic
from tui.core.cards.validate import label_for
from tui.core.git.commit import commit
from tui.core.git.gitrepo import GitError, GitRepo, repo_lock
from tui.core.git.history import BrokenRevision, card_at
from tui.core.git.identity import read_identity
from tui.core.language import phrase
from tui.core.library import Library
from tui.core.review.signoff_file import (
    AKKOORD,
    REVIEWS_DIR,
    VRAAG,
    ReviewFile,
    Verdict,
    parse_review,
    render_review,
    review_path,
    value_hash,
    with_verdict,
)
from tui.core.sync.merge import CONFLICT_KEY, FieldPath, dotted, parse_path

TE_BEOORDELEN = "te_beoordelen"
STATUSES = (TE_BEOORDELEN, AKKOORD, VRAAG)
MARKERS = {TE_BEOORDELEN: "◇", AKKOORD: "✓", VRAAG: "?"}  # ● is the list's "changed since the last commit"
_MISSING: Any = object()


class ReviewError(Exception):
    """A review that cannot be made: ``code`` (``core.review.<x>`` in ``tui/locale``) and ``params``."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = f"review.{code}", params
        super().__init__(phrase(self.code, params))


@dataclass(frozen=True)
class FieldReview:
    """The review status of one field of one card, with the verdict it rests on (if any)."""

    card_id: str
    field: str  # dotted path
    label: str
    status: str  # te_beoordelen | akkoord | vraag
    verdict: Verdict | None = None

    @property
    def path(self) -> FieldPath:
        return parse_path(self.field)


@dataclass(frozen=True)
class ReviewItem:
    """One field in the review queue: what it was (last approved / at the snapshot) and what it is."""

    card_id: str
    card_path: Path
    title: str
    field: str
    label: str
    old: Any  # None: the field was absent
    new: Any  # None: the field is absent now
    status: str
    note: str = ""
    reviewer: str = ""
    since: str = "snapshot"  # what ``old`` is: approved (last akkoord) | snapshot | none (no snapshot: new)


# -- field paths and values --------------------------------------------------------------------


def _is_table(kind: Kind | None, key: str, *values: Any) -> bool:
    field = kind.field(key) if kind is not None else None
    if field is not None:
        return field.widget == "table"
    return any(isinstance(v, dict) for v in values)


def field_paths(kind: Kind | None, *cards: Mapping[str, Any] | None) -> list[FieldPath]:
    """The reviewable field paths of the given versions of a card, in schema order."""
    datas = [c for c in cards if c is not None]
    known = list(kind.keys) if kind is not None else []
    keys = [k for k in known if any(k in d for d in datas)]
    keys += [k for d in datas for k in d if k not in keys and k != CONFLICT_KEY]
    keys = list(dict.fromkeys(keys))
    out: list[FieldPath] = []
    for key in keys:
        values = [d.get(key) for d in datas]
        if not _is_table(kind, key, *values):
            out.append((key,))
            continue
        field = kind.field(key) if kind is not None else None
        subs = [c.key for c in field.children] if field is not None else []
        tables = [v for v in values if isinstance(v, dict)]
        found = [s for s in subs if any(s in t for t in tables)]
        found += [s for t in tables for s in t if s not in found]
        out.extend((key, s) for s in dict.fromkeys(found))
    return out


def value_at(data: Mapping[str, Any] | None, path: FieldPath) -> Any:
    """The value at ``path`` (``None`` when absent)."""
    node: Any = data
    for step in path:
        if not isinstance(node, Mapping) or step not in node:
            return None
        node = node[step]
    return node


def resolve_field(kind: Kind | None, data: Mapping[str, Any], text: str) -> FieldPath:
    """The field path a person typed: the dotted key path, or the label (Dutch or English)."""
    paths = field_paths(kind, data)
    wanted = text.strip()
    for p in paths:
        if dotted(p) == wanted:
            return p
    folded = " ".join(wanted.casefold().replace(">", "›").split())
    for lang in ("nl", "en"):
        for p in paths:
            label = label_for(kind, p, lang).casefold()
            if folded in (label, label.replace(" › ", "›"), label.replace(" › ", " ")):
                return p
    raise ReviewError("unknown_field", field=text, card=str(data.get("id", "")))


# -- reading the state ---------------------------------------------------------------------------


def _latest_snapshot_commit(repo: GitRepo) -> str | None:
    """The commit of the newest snapshot (what a never-reviewed field is compared with)."""
    snap = latest_snapshot(repo)
    return snap.commit if snap is not None else None


_BLOBS: dict[str, dict[str, Any] | None] = {}  # parsed card blobs by blob id: git objects never change
_BLOBS_LOCK = threading.Lock()
_BLOBS_MAX = 20000


class _Reader:
    """Committed card values, snapshot values and review files, read once per state."""

    def __init__(self, repo: GitRepo, schema: Schema) -> None:
        self.repo, self.schema = repo, schema
        self.head = repo.head()
        self.snapshot = _latest_snapshot_commit(repo) if self.head else None
        self.tree = self._tree(self.head)
        self.since: set[str] | None = None
        self.snap_tree: dict[str, str] = {}
        if self.snapshot is not None:
            out = repo.run("diff", "--name-only", "--no-renames", "-z", self.snapshot, self.head or "HEAD", "--")
            self.since = {p for p in out.split("\0") if p}
            self.snap_tree = self._tree(self.snapshot) if self.since else {}
        self._at: dict[tuple[str, str], dict[str, Any] | None] = {}

    def blob_card(self, blob: str, rel: str) -> dict[str, Any] | None:
        """A card blob parsed (None: unreadable), from a cache shared by every state."""
        with _BLOBS_LOCK:
            if blob in _BLOBS:
                return _BLOBS[blob]
        try:
            loaded = parse_bytes(Path(rel), self.repo.run_bytes("cat-file", "blob", blob))
        except GitError:
            return None
        data = loaded.to_dict() if isinstance(loaded, Card) else None
        with _BLOBS_LOCK:
            if len(_BLOBS) >= _BLOBS_MAX:
                _BLOBS.clear()
            _BLOBS[blob] = data
        return data

    def _tree(self, commit: str | None) -> dict[str, str]:
        if commit is None:
            return {}
        out = self.repo.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", "cards")
        found = {}
        for entry in out.split("\0"):
            meta, _, path = entry.partition("\t")
            if path:
                found[path] = meta.split()[2]
        return found

    def card_at(self, sha: str, rel: str) -> dict[str, Any] | None:
        key = (sha, rel)
        if key not in self._at:
            try:
                self._at[key] = card_at(self.repo, sha, rel)
            except (BrokenRevision, GitError):
                self._at[key] = None
        return self._at[key]

    def committed(self, card: Card, rel: str) -> Mapping[str, Any] | None:
        """The card at HEAD: the loaded data itself (read-only, no copy) when the file is unchanged."""
        blob = self.tree.get(rel)
        if blob is None or self.head is None:
            return None
        return card.data if blob == card.blob else self.blob_card(blob, rel)

    def rel(self, card: Card) -> str:
        try:
            return card.path.relative_to(self.repo.root).as_posix()
        except ValueError:
            return self.repo.relpath(card.path)

    def baseline(self, rel: str, committed: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The card at the latest snapshot (None: no snapshot, or not there yet)."""
        if self.snapshot is None:
            return None
        if self.since is not None and rel not in self.since:
            return committed
        blob = self.snap_tree.get(rel)
        return self.blob_card(blob, rel) if blob is not None else None

    def review(self, rel: str) -> ReviewFile:
        """The card's review file; an unreadable one counts as empty here (writing refuses it)."""
        path = self.repo.root / review_path(rel)
        if not path.is_file():
            return ReviewFile()
        try:
            return parse_review(path.read_bytes())
        except (OSError, ValueError):
            return ReviewFile()

    def review_broken(self, rel: str) -> bool:
        path = self.repo.root / review_path(rel)
        if not path.exists():
            return False
        try:
            parse_review(path.read_bytes())
        except (OSError, ValueError):
            return True
        return False


def _status(verdict: Verdict | None, now_hash: str, base_hash: str) -> str | None:
    if verdict is not None:
        if verdict.hash == now_hash:
            return verdict.verdict
        if verdict.verdict == VRAAG and verdict.approved_hash == now_hash:
            return AKKOORD
        return TE_BEOORDELEN
    return None if base_hash == now_hash else TE_BEOORDELEN


@dataclass
class _CardState:
    card: Card
    card_id: str
    rel: str
    kind: Kind | None
    committed: Mapping[str, Any]
    baseline: Mapping[str, Any] | None
    review: ReviewFile
    fields: dict[str, FieldReview]


def _card_state(reader: _Reader, card: Card) -> _CardState | None:
    rel = reader.rel(card)
    committed = reader.committed(card, rel)
    if committed is None:
        return None
    kind = reader.schema.kind(str(committed.get("kind", "")))
    baseline = reader.baseline(rel, committed)
    review = reader.review(rel)
    out: dict[str, FieldReview] = {}
    card_id = str(committed.get("id", "")) or card.id
    if baseline is committed and not review.verdicts:  # unchanged since the snapshot, never reviewed
        return _CardState(card, card_id, rel, kind, committed, baseline, review, out)
    for path in field_paths(kind, committed, baseline):
        key = dotted(path)
        verdict = review.verdicts.get(key)
        now = value_hash(value_at(committed, path))
        base = now if baseline is committed else value_hash(value_at(baseline, path))
        status = _status(verdict, now, base)
        if status is not None:
            out[key] = FieldReview(card_id, key, label_for(kind, path), status, verdict)
    return _CardState(card, card_id, rel, kind, committed, baseline, review, out)


def card_state(root: str | Path, library: Library, card: Card) -> dict[str, FieldReview]:
    """One card's review status per field (``{}`` before reviewing has started or when not committed)."""
    if not started(root):
        return {}
    with repo_lock(root), GitRepo.open(root) as repo:
        state = _card_state(_Reader(repo, library.workspace.schema), card)
    return state.fields if state is not None else {}


def _cards(library: Library) -> list[Card]:
    return sorted(library.cards.values(), key=lambda c: str(c.path))


def review_state(root: str | Path, library: Library) -> dict[str, dict[str, FieldReview]]:
    """Per card id, per dotted field path: its review status, computed from committed values."""
    with repo_lock(root), GitRepo.open(root) as repo:
        reader = _Reader(repo, library.workspace.schema)
        found = (_card_state(reader, c) for c in _cards(library))
        return {s.card_id: s.fields for s in found if s is not None}


def _old_value(reader: _Reader, state: _CardState, path: FieldPath, verdict: Verdict | None) -> tuple[Any, str]:
    if verdict is not None:
        sha, want = (
            (verdict.commit, verdict.hash)
            if verdict.verdict == AKKOORD
            else (verdict.approved_commit, verdict.approved_hash)
        )
        if sha and want:
            value = value_at(reader.card_at(sha, state.rel), path)
            if value_hash(value) == want:
                return value, "approved"
    return value_at(state.baseline, path), "snapshot" if reader.snapshot is not None else "none"


def todo(root: str | Path, library: Library) -> list[ReviewItem]:
    """The review queue: every field te beoordelen or with an open question, card by card."""
    items: list[ReviewItem] = []
    with repo_lock(root), GitRepo.open(root) as repo:
        reader = _Reader(repo, library.workspace.schema)
        for card in _cards(library):
            state = _card_state(reader, card)
            if state is None:
                continue
            title = str(state.committed.get("title", "")) or card.path.stem
            for key, fr in state.fields.items():
                if fr.status == AKKOORD:
                    continue
                path = parse_path(key)
                note = fr.verdict.note if fr.verdict and fr.status == VRAAG else ""
                reviewer = fr.verdict.reviewer if fr.verdict and fr.status == VRAAG else ""
                old, since = _old_value(reader, state, path, fr.verdict)
                items.append(
                    ReviewItem(
                        fr.card_id,
                        card.path,
                        title,
                        key,
                        fr.label,
                        old,
                        value_at(state.committed, path),
                        fr.status,
                        note,
                        reviewer,
                        since,
                    )
                )
    return items


# -- recording a verdict ------------------------------------------------------------------------

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def _record(
    root: str | Path, library: Library, card: Card, field: str, verdict: str, note: str, clock: Clock | None
) -> Verdict:
    with repo_lock(root), GitRepo.open(root) as repo:
        identity = read_identity(repo)
        if identity is None:
            raise ReviewError("no_identity")
        reader = _Reader(repo, library.workspace.schema)
        state = _card_state(reader, card)
        if state is None or reader.head is None:
            raise ReviewError("not_committed", card=card.id or card.path.name)
        if reader.review_broken(state.rel):  # never overwrite what someone wrote by hand (or a text merge left)
            raise ReviewError("file_unreadable", path=review_path(state.rel))
        path = resolve_field(state.kind, state.committed, field)
        key = dotted(path)
        current = state.fields.get(key)
        label = label_for(state.kind, path)
        if current is None or (verdict == AKKOORD and current.status == AKKOORD):
            raise ReviewError("nothing_to_review", field=label, card=state.card_id)
        old = current.verdict
        approved = ("", "")
        if verdict == VRAAG and old is not None:
            approved = (old.hash, old.commit) if old.verdict == AKKOORD else (old.approved_hash, old.approved_commit)
        entry = Verdict(
            hash=value_hash(value_at(state.committed, path)),
            verdict=verdict,
            reviewer=f"{identity.name} <{identity.email}>",
            date=(clock or _now)().astimezone(UTC).isoformat(timespec="seconds"),
            commit=reader.head,
            note=note.strip(),
            approved_hash=approved[0],
            approved_commit=approved[1],
        )
        review = with_verdict(state.review, key, entry)
        review.card = state.card_id
        _write_and_commit(repo, state.rel, review, f"Review: {_one_line(state.card_id)} {key} {verdict}")
        return entry


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write_and_commit(repo: GitRepo, card_rel: str, review: ReviewFile, message: str) -> None:
    rel = review_path(card_rel)
    path = repo.root / rel
    before = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, render_review(review, card_rel))
    try:
        commit(repo, [rel], message)
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, before)
        raise


def approve(
    root: str | Path, library: Library, card: Card, field: str, note: str = "", *, clock: Clock | None = None
) -> Verdict:
    """Mark the committed value of ``field`` akkoord and commit the review file."""
    return _record(root, library, card, field, AKKOORD, note, clock)


def question(
    root: str | Path, library: Library, card: Card, field: str, note: str, *, clock: Clock | None = None
) -> Verdict:
    """Mark ``field`` vraag with a (required) note and commit the review file."""
    if not note or not note.strip():
        raise ReviewError("note_required")
    return _record(root, library, card, field, VRAAG, note, clock)


# -- small views for lists, card view and overview ------------------------------------------------


@dataclass(frozen=True)
class ReviewCounts:
    """How many fields are te beoordelen, akkoord and vraag."""

    te_beoordelen: int = 0
    akkoord: int = 0
    vraag: int = 0


def count(state: Mapping[str, Mapping[str, FieldReview]] | Iterable[Mapping[str, FieldReview]]) -> ReviewCounts:
    """Totals over a state (or over the field maps of some cards)."""
    maps = state.values() if isinstance(state, Mapping) else state
    totals = {s: 0 for s in STATUSES}
    for fields in maps:
        for fr in fields.values():
            totals[fr.status] += 1
    return ReviewCounts(totals[TE_BEOORDELEN], totals[AKKOORD], totals[VRAAG])


def badge(fields: Mapping[str, FieldReview] | None) -> str:
    """The card list's badge: ``?`` for an open question, ``◇`` for fields to review, else ``""``."""
    statuses = {fr.status for fr in (fields or {}).values()}
    if VRAAG in statuses:
        return MARKERS[VRAAG]
    return MARKERS[TE_BEOORDELEN] if TE_BEOORDELEN in statuses else ""


def field_markers(fields: Mapping[str, FieldReview] | None) -> dict[str, str]:
    """Per top-level field key, the marker the card view puts next to its label."""
    keys = dict.fromkeys(str(parse_path(k)[0]) for k in (fields or {}))
    return {k: m for k in keys if (m := field_marker(fields, k))}


def started(root: str | Path) -> bool:
    """Whether this repository reviews at all (a snapshot tag or a ``reviews/`` folder): before
    that the list shows no review badges, or every card of a new plan would carry one."""
    if (Path(root) / REVIEWS_DIR).is_dir():
        return True
    with repo_lock(root), GitRepo.open(root) as repo:
        return _latest_snapshot_commit(repo) is not None


def list_state(root: str | Path, library: Library) -> dict[str, dict[str, FieldReview]]:
    """``review_state`` for the card list and card view: empty before reviewing has started."""
    return review_state(root, library) if started(root) else {}


def field_marker(fields: Mapping[str, FieldReview] | None, key: str) -> str:
    """The marker next to a field label in the card view (a top-level key sums up its sub-fields)."""
    found = [fr.status for k, fr in (fields or {}).items() if k == key or parse_path(k)[:1] == (key,)]
    for status in (VRAAG, TE_BEOORDELEN, AKKOORD):
        if status in found:
            return MARKERS[status]
    return ""
