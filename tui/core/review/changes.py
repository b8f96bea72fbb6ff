"""What changed since a snapshot (or a commit, or a date), card by card and field by field.

``open_changes(repo, since, until)`` resolves the period and returns a stream whose cards come
one at a time (``iter_changes``), so a screen can show the first changed card before the rest
are computed. The work is a fixed handful of git processes whatever the number of cards: one
``git diff --raw -z -M`` for the range, one ``git log --name-only`` for who changed what, and one
long-running ``git cat-file --batch`` that hands over the two blobs of each changed file;
changed work-tree files are read from disk. Field diffs come from ``tui.core.git.fielddiff``.

FROM is a snapshot (its name, slug or tag), a tag, commit or branch, or a date ``YYYY-MM-DD``
(the last commit before that day); by default the latest snapshot. TO is a revision, or by
default the work tree, where uncommitted edits are marked. Refusals are :class:`ChangesError`
with a ``code`` (``core.changes.<code>`` in ``tui/locale``) and ``params``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tui.core.cards.card import Card
from tui.core.cards.parse import parse_bytes
from tui.core.cards.schema import Schema, SchemaError
from tui.core.cards.validate import label_for
from tui.core.git.fielddiff import ADDED as F_ADDED
from tui.core.git.fielddiff import REMOVED as F_REMOVED
from tui.core.git.fielddiff import FieldDiff, Segment, diff_cards, kind_for
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.history import BadRevision, resolve
from tui.core.language import phrase
from tui.core.cards.status import status_change
from tui.core.review.snapshots import Snapshot, find_snapshot, latest_snapshot

ADDED, REMOVED, RENAMED, CHANGED = "added", "removed", "renamed", "changed"
_ZERO = re.compile(r"0+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIELD, _RECORD = "\x1f", "\x1e"


DECISIONS = "besluiten"  # decisions per card: reported one by one, "besluit toegevoegd: …"


def _decision_items(data: Any) -> list[dict[str, Any]] | None:
    """The decisions of a card's data ([] when it has none), or None when they are not a list of tables."""
    items = data.get(DECISIONS, []) if isinstance(data, dict) else []
    if isinstance(items, list) and all(isinstance(x, dict) for x in items):
        return items
    return None


def decision_changes(fields: tuple[FieldChange, ...], old: Any, new: Any, label: str) -> tuple[FieldChange, ...]:
    """``fields`` with the raw list diff of ``besluiten`` replaced by one change per decision added
    (``added``, the decision in ``new``) or removed (``removed``, in ``old``), matched by content,
    so a decision added between others, or after a merge sorted them, is still one decision added.
    Decisions that are not a list of tables keep their raw diff."""
    before, after = _decision_items(old), _decision_items(new)
    if before is None or after is None or not any(f.path and f.path[0] == DECISIONS for f in fields):
        return fields

    def key(item: dict[str, Any]) -> str:
        return json.dumps(item, sort_keys=True, default=str)

    rest = {i: key(x) for i, x in enumerate(before)}
    added: list[FieldChange] = []
    for i, item in enumerate(after):
        k = key(item)
        match = next((j for j, other in rest.items() if other == k), None)
        if match is not None:
            del rest[match]
        else:
            added.append(FieldChange((DECISIONS, i), DECISIONS, label, F_ADDED, None, item))
    gone = [FieldChange((DECISIONS, j), DECISIONS, label, F_REMOVED, before[j]) for j in rest]
    others = [f for f in fields if not (f.path and f.path[0] == DECISIONS)]
    first = next(i for i, f in enumerate(fields) if f.path and f.path[0] == DECISIONS)
    at = sum(1 for f in fields[:first] if not (f.path and f.path[0] == DECISIONS))
    return (*others[:at], *gone, *added, *others[at:])


class ChangesError(GitError):
    """A period that cannot be compared: ``code`` and ``params`` for ``tui/locale``.

    Codes: ``no_snapshot`` (no FROM given and no snapshot exists), ``unknown_from`` (rev),
    ``unknown_to`` (rev), ``no_commit_before`` (date), ``empty`` (no commits yet).
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = f"changes.{code}"
        self.params = params
        super().__init__(phrase(self.code, params), phrase(f"{self.code}_advice", params))


@dataclass(frozen=True)
class Point:
    """One end of the period: what the user asked for, the commit (None: the work tree) and its date."""

    ref: str  # as given, or the snapshot's tag
    commit: str | None
    date: datetime | None
    snapshot: Snapshot | None = None

    @property
    def label(self) -> str:
        """The name a reader knows it by: the snapshot's name, the ref, or "" for the work tree."""
        if self.snapshot is not None:
            return self.snapshot.name
        return self.ref


@dataclass(frozen=True)
class Period:
    """From which point to which the changes are computed."""

    since: Point
    until: Point

    @property
    def worktree(self) -> bool:
        """Whether TO is the work tree (uncommitted edits included)."""
        return self.until.commit is None


@dataclass(frozen=True)
class CommitInfo:
    """One commit in the period that touched a card."""

    sha: str
    author: str
    email: str
    date: datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class FieldChange:
    """One changed field: key path (``randvoorwaarden.bekostiging``), label, old and new value, details."""

    path: tuple[str | int, ...]
    key: str
    label: str
    change: str  # added | removed | changed
    old: Any = None
    new: Any = None
    added_items: tuple[str, ...] = ()
    removed_items: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = ()

    def as_fielddiff(self) -> FieldDiff:
        """The same change as ``tui.core.git.fielddiff`` has it (for its terminal formatter)."""
        return FieldDiff(
            self.path, self.label, self.change, self.old, self.new, self.added_items, self.removed_items, self.segments
        )


@dataclass(frozen=True)
class CardChange:
    """One card that differs between the two points."""

    status: str  # added | removed | renamed | changed
    path: str  # the card file at TO (at FROM for a removed card)
    old_path: str | None  # the file at FROM (None for an added card)
    id: str
    title: str
    theme: str
    region: str
    kind: str
    fields: tuple[FieldChange, ...] = ()
    commits: tuple[CommitInfo, ...] = ()
    uncommitted: bool = False  # the work tree differs from HEAD for this card
    problem: str = ""  # a side could not be read as a card (fields unknown)
    transition: tuple[str, str] | None = None  # the lifecycle status (old code, new code; '' = none) when it changed

    @property
    def authors(self) -> tuple[str, ...]:
        """Who changed the card in the period, first seen first."""
        return tuple(dict.fromkeys(c.author for c in reversed(self.commits)))


@dataclass(frozen=True)
class ChangeSet:
    """Every changed card of a period, in file order."""

    period: Period
    cards: tuple[CardChange, ...] = field(default_factory=tuple)

    def count(self, status: str) -> int:
        """How many cards have ``status``."""
        return sum(1 for c in self.cards if c.status == status)

    def by_theme(self) -> dict[str, list[CardChange]]:
        """The changed cards grouped by theme (themes in first-seen order; no theme is "")."""
        groups: dict[str, list[CardChange]] = {}
        for card in self.cards:
            groups.setdefault(card.theme, []).append(card)
        return groups


# --- the period ------------------------------------------------------------------------------


def _commit_date(repo: GitRepo, sha: str) -> datetime | None:
    out = repo.try_run("show", "-s", "--format=%cI", sha)
    try:
        return datetime.fromisoformat(out.strip()) if out else None
    except ValueError:
        return None


def _before(repo: GitRepo, day: str, tip: str) -> str:
    try:
        date.fromisoformat(day)
    except ValueError:
        raise ChangesError("unknown_from", rev=day) from None
    sha = repo.try_run("rev-list", "-1", "--first-parent", f"--before={day}T00:00:00", tip)
    if not sha:
        raise ChangesError("no_commit_before", date=day)
    return sha.strip()


def resolve_since(repo: GitRepo, since: str | None, tip: str) -> Point:
    """FROM as a commit: a snapshot, a revision or a date; the latest snapshot when None."""
    if since is None or not since.strip():
        snap = latest_snapshot(repo)
        if snap is None:
            raise ChangesError("no_snapshot")
        return Point(snap.tag, snap.commit, snap.date, snap)
    ref = since.strip()
    snap = find_snapshot(repo, ref)
    if snap is not None:
        return Point(snap.tag, snap.commit, snap.date, snap)
    if _DATE.fullmatch(ref):
        sha = _before(repo, ref, tip)
        return Point(ref, sha, _commit_date(repo, sha))
    try:
        sha = resolve(repo, ref)
    except BadRevision:
        raise ChangesError("unknown_from", rev=ref) from None
    return Point(ref, sha, _commit_date(repo, sha))


def resolve_period(repo: GitRepo, since: str | None = None, until: str | None = None) -> Period:
    """Both ends of the period, checked; TO None is the work tree."""
    head = repo.head()
    if head is None:
        raise ChangesError("empty")
    if until is None or not until.strip():
        end = Point("", None, None)
        tip = head
    else:
        snap = find_snapshot(repo, until.strip())
        if snap is not None:
            end = Point(snap.tag, snap.commit, snap.date, snap)
        else:
            try:
                sha = resolve(repo, until.strip())
            except BadRevision:
                raise ChangesError("unknown_to", rev=until.strip()) from None
            end = Point(until.strip(), sha, _commit_date(repo, sha))
        tip = end.commit or head
    return Period(resolve_since(repo, since, tip), end)


# --- git, in a few processes -----------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    status: str  # A D M R T
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None  # None: absent; "" : read from the work tree


def _raw_diff(repo: GitRepo, period: Period) -> list[_Entry]:
    sides = [period.since.commit or "HEAD"] + ([period.until.commit] if period.until.commit else [])
    out = repo.run("diff", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", *sides, "--", "cards")
    parts = out.split("\0")
    entries: list[_Entry] = []
    i = 0
    while i < len(parts) - 1:
        meta = parts[i]
        if not meta.startswith(":"):
            i += 1
            continue
        _, _, old_sha, new_sha, status = meta[1:].split(" ", 4)
        kind = status[:1]
        old_path: str | None
        if kind in "RC":
            old_path, new_path = parts[i + 1], parts[i + 2]
            i += 3
        else:
            old_path = new_path = parts[i + 1]
            i += 2
        if kind == "C":
            old_path, kind = None, "A"
        old_blob = None if _ZERO.fullmatch(old_sha) else old_sha
        new_blob: str | None = "" if _ZERO.fullmatch(new_sha) else new_sha
        if kind == "D":
            new_blob = "" if period.worktree else None
        entries.append(
            _Entry(kind, old_path if kind != "A" else None, new_path, old_blob if kind != "A" else None, new_blob)
        )
    if period.worktree:
        extra = repo.run("ls-files", "-z", "--others", "--exclude-standard", "--", "cards")
        entries += [_Entry("A", None, p, None, "") for p in extra.split("\0") if p]
    return [e for e in entries if (e.new_path or e.old_path or "").endswith(".toml")]


def _uncommitted(repo: GitRepo) -> set[str]:
    out = repo.run("diff", "--name-only", "-z", "--no-renames", "HEAD", "--", "cards")
    extra = repo.run("ls-files", "-z", "--others", "--exclude-standard", "--", "cards")
    return {p for p in (out + "\0" + extra).split("\0") if p}


def _git_env(repo: GitRepo) -> dict[str, str]:
    """The environment of ``repo``'s own git calls, for read-only processes started here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(repo._env, LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    return env


def _log(repo: GitRepo, period: Period, paths: Sequence[str] = ("cards",)) -> dict[str, list[CommitInfo]]:
    """Commits of the period per touched card path, newest first (one ``git log`` over ``paths``).

    A read-only git process of its own, outside the repository lock, so it can run beside the
    stream's other git calls.
    """
    assert period.since.commit is not None
    tip = period.until.commit or "HEAD"
    fmt = f"--format={_RECORD}%H{_FIELD}%an{_FIELD}%ae{_FIELD}%aI{_FIELD}%s{_FIELD}"
    args = ["git", "log", "-z", "--name-only", "--no-renames", fmt, f"{period.since.commit}..{tip}", "--", *paths]
    try:
        done = subprocess.run(args, cwd=repo.root, env=_git_env(repo), capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"git log: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise GitError(f"git log: {done.stderr.decode('utf-8', 'replace').strip()}")
    out = done.stdout.decode("utf-8", "replace")
    per_path: dict[str, list[CommitInfo]] = {}
    for record in out.split(_RECORD)[1:]:
        sha, author, email, when, subject, rest = record.split(_FIELD, 5)
        info = CommitInfo(sha, author, email, datetime.fromisoformat(when), subject)
        for name in rest.split("\0"):
            name = name.strip("\n")
            if name:
                per_path.setdefault(name, []).append(info)
    return per_path


class _Blobs:
    """One ``git cat-file --batch`` process streaming the blobs of the range in the order they are read.

    Every object id is known up front, so a writer thread sends them all at once and git streams
    the contents back without a round trip per blob; ``get`` takes the next answer.
    """

    def __init__(self, repo: GitRepo, shas: Sequence[str]) -> None:
        env = _git_env(repo)
        self._proc: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None
        self._root, self._env, self._shas = repo.root, env, list(shas)

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch", "--buffer"],
                cwd=self._root,
                env=self._env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._writer = threading.Thread(target=self._feed, args=(self._proc,), daemon=True)
            self._writer.start()
        return self._proc

    def _feed(self, proc: subprocess.Popen[bytes]) -> None:
        stdin = proc.stdin
        if stdin is None:  # pragma: no cover - a pipe was asked for
            return
        try:
            stdin.write(b"".join(sha.encode("ascii") + b"\n" for sha in self._shas))
            stdin.close()
        except (OSError, ValueError):  # closed early: the stream was abandoned
            pass

    def get(self, sha: str) -> bytes | None:
        """The next blob, which must be ``sha`` (None when git does not have it)."""
        stdout: IO[bytes] | None = self._start().stdout
        if stdout is None:  # pragma: no cover - a pipe was asked for
            return None
        try:
            header = stdout.readline().split()
        except OSError as exc:
            raise GitError("git cat-file stopte onverwacht.", "", str(exc)) from None
        if len(header) != 3 or header[0].decode("ascii", "replace") != sha:
            if not header:
                raise GitError("git cat-file stopte onverwacht.")
            return None
        data = stdout.read(int(header[2]))
        stdout.read(1)
        return data

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc.wait()
            if self._writer is not None:
                self._writer.join(timeout=10)
            self._proc = None


# --- cards and fields ------------------------------------------------------------------------


def key_path(path: Sequence[str | int]) -> str:
    """``("randvoorwaarden", "bekostiging")`` -> ``randvoorwaarden.bekostiging``; list items by index."""
    return ".".join(str(p) for p in path)


def _text(data: dict[str, Any] | None, key: str) -> str:
    value = (data or {}).get(key, "")
    return value if isinstance(value, str) else str(value)


class ChangeStream:
    """The changed cards of a period, computed one at a time; use as a context manager (or ``close``)."""

    def __init__(self, repo: GitRepo, period: Period, schema: Schema | None = None, lang: str | None = None) -> None:
        self.repo, self.period, self.schema, self.lang = repo, period, schema, lang
        self.entries = _raw_diff(repo, period)
        # The log of the whole period names every card's commits, but over thousands of commits it
        # takes seconds (git diffs each commit's tree); it runs beside the stream, and cards shown
        # before it is done get their commits from a ``git log`` of their own paths.
        self._log: dict[str, list[CommitInfo]] | None = None
        self._log_error: GitError | None = None
        self._log_thread = threading.Thread(target=self._read_log, name="changes-log", daemon=True)
        self._log_thread.start()
        self._dirty = _uncommitted(repo) if period.worktree else set()
        wanted = [b for e in self.entries for b in (e.old_blob, e.new_blob) if b]
        self._blobs = _Blobs(repo, wanted)

    def _read_log(self) -> None:
        try:
            self._log = _log(self.repo, self.period)
        except GitError as exc:
            self._log_error = exc

    def _commits_of(self, paths: Sequence[str]) -> list[CommitInfo]:
        """The period's commits touching ``paths``: from the whole log once read, else on their own."""
        if self._log is None and self._log_thread.is_alive():
            per_path = _log(self.repo, self.period, paths)
        else:
            self._log_thread.join()
            if self._log_error is not None:
                raise self._log_error
            per_path = self._log or {}
        return [info for p in paths for info in per_path.get(p, [])]

    @property
    def total(self) -> int:
        """How many card files differ (the stream yields at most this many cards)."""
        return len(self.entries)

    def __enter__(self) -> ChangeStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop the ``cat-file`` process."""
        self._blobs.close()

    def __iter__(self) -> Iterator[CardChange]:
        try:
            for entry in self.entries:
                card = self._card(entry)
                if card is not None:
                    yield card
        finally:
            self.close()

    def _read(self, path: str | None, blob: str | None) -> tuple[bytes | None, str]:
        if path is None or blob is None:
            return None, path or ""
        if blob == "":
            try:
                return (self.repo.root / path).read_bytes(), path
            except (FileNotFoundError, NotADirectoryError):
                return None, path
            except OSError as exc:
                raise GitError(f"Kan {path} niet lezen: {exc.strerror or exc}.") from None
        return self._blobs.get(blob), path

    def _parse(self, raw: bytes | None, path: str) -> tuple[dict[str, Any] | None, str]:
        if raw is None:
            return None, ""
        loaded = parse_bytes(Path(path), raw)
        if isinstance(loaded, Card):
            return loaded.to_dict(), ""
        return None, f"{path}: {loaded.message}"

    def _card(self, entry: _Entry) -> CardChange | None:
        old_raw, old_path = self._read(entry.old_path, entry.old_blob)
        new_raw, new_path = self._read(entry.new_path, entry.new_blob)
        if old_raw is None and new_raw is None:
            return None
        if old_raw is not None and old_raw == new_raw and entry.old_path == entry.new_path:
            return None  # stat-dirty only
        old, old_problem = self._parse(old_raw, old_path)
        new, new_problem = self._parse(new_raw, new_path)
        if old_raw is None:
            status = ADDED
        elif new_raw is None:
            status = REMOVED
        elif entry.old_path != entry.new_path:
            status = RENAMED
        else:
            status = CHANGED
        shown = new if new is not None else old
        kind = kind_for(self.schema, old, new)
        fields: tuple[FieldChange, ...] = ()
        if status in (CHANGED, RENAMED) and old is not None and new is not None:
            fields = tuple(
                FieldChange(
                    d.path,
                    key_path(d.path),
                    label_for(kind, d.path, self.lang),
                    d.change,
                    d.old,
                    d.new,
                    d.added_items,
                    d.removed_items,
                    d.segments,
                )
                for d in diff_cards(old, new, kind)
            )
            fields = decision_changes(fields, old, new, label_for(kind, (DECISIONS,), self.lang))
        path = (new_path if new_raw is not None else old_path) or ""
        seen: dict[str, CommitInfo] = {}
        for info in self._commits_of(list(dict.fromkeys(x for x in (entry.new_path, entry.old_path) if x))):
            seen.setdefault(info.sha, info)
        commits = tuple(sorted(seen.values(), key=lambda c: c.date, reverse=True))
        return CardChange(
            status,
            path,
            entry.old_path if status != ADDED else None,
            _text(shown, "id") or Path(path).stem,
            _text(shown, "title"),
            _text(shown, "theme"),
            _text(shown, "region"),
            _text(shown, "kind"),
            fields,
            commits,
            uncommitted=bool(self._dirty & {p for p in (entry.new_path, entry.old_path) if p}),
            problem=old_problem or new_problem,
            transition=_transition(old, new) if (old is not None or new is not None) else None,
        )


def _transition(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[str, str] | None:
    """The status transition of a card: between the two versions, or from/to nothing when added/removed."""
    change = status_change(old, new)
    return (change.old, change.new) if change is not None else None


def _schema(repo: GitRepo) -> Schema | None:
    folder = repo.root / "schema"
    if not folder.is_dir():
        return None
    try:
        return Schema(folder)
    except SchemaError:
        return None


def open_changes(
    repo: GitRepo,
    since: str | None = None,
    until: str | None = None,
    *,
    schema: Schema | None = None,
    lang: str | None = None,
) -> ChangeStream:
    """The period resolved and its changed cards ready to stream; labels in ``lang`` (None: display language)."""
    period = resolve_period(repo, since, until)
    return ChangeStream(repo, period, schema if schema is not None else _schema(repo), lang)


def iter_changes(
    repo: GitRepo,
    since: str | None = None,
    until: str | None = None,
    *,
    schema: Schema | None = None,
    lang: str | None = None,
) -> Iterator[CardChange]:
    """The changed cards one at a time, the first before the rest are computed."""
    yield from open_changes(repo, since, until, schema=schema, lang=lang)


def changes(
    repo: GitRepo,
    since: str | None = None,
    until: str | None = None,
    *,
    schema: Schema | None = None,
    lang: str | None = None,
) -> ChangeSet:
    """Every changed card from ``since`` (default: the latest snapshot) to ``until`` (default: the work tree)."""
    stream = open_changes(repo, since, until, schema=schema, lang=lang)
    return ChangeSet(stream.period, tuple(stream))
