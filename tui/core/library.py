"""All cards of a workspace in memory: loaded (with the cache), validated and searchable.

The app's screens share one Library; it is filled in a worker thread and updated card by
card after saves, so nothing is re-read or re-parsed that did not change.

Every file under ``cards/`` is known by its path: a readable card, a file that cannot be
opened (``LoadError``) or a card whose id another file already uses (``DuplicateId``). The
last two are *file problems*: they are kept, counted and explained until someone fixes them.

Changes made outside the app (``git pull``, another editor) are found by
``refresh_from_disk``: a cheap comparison of each file's stat (mtime, size, inode, ctime),
reading and hashing a file only when its stat moved or is too recent to trust. Whoever
changes the library (a save, a delete, a sync, the disk poll) tells the subscribers with one
``LibraryChange``: the one way change notices travel.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.cache import cache_file, index_file, load_checked, read_index, save_index
from tui.core.cards.atomic import TEMP_SUFFIX
from tui.core.cards.card import Card, LoadError, blob_id
from tui.core.cards.parse import MAX_BYTES, parse_bytes
from tui.core.cards.validate import Problem, validate_cards, validate_data
from tui.core.problem_cache import ProblemCache
from tui.core.workspace import Workspace

if TYPE_CHECKING:
    from tui.core.search.search import SearchIndex

# A stat taken within this time of the file's mtime cannot prove the file is unchanged:
# a second write in the same tick (or on FAT, within its 2 s resolution) keeps the mtime.
RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class Stamp:
    """What ``stat`` says about a file; equal stamps mean unchanged unless the stamp is racy."""

    mtime_ns: int
    size: int
    inode: int
    ctime_ns: int

    @staticmethod
    def of(st: os.stat_result) -> Stamp:
        return Stamp(st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


@dataclass(frozen=True)
class DuplicateId:
    """A readable card whose id is already used by another file: not listed as a card."""

    path: Path
    card_id: str
    first: Path  # the file that holds the listed card with this id


FileProblem = LoadError | DuplicateId


@dataclass(frozen=True)
class LibraryChange:
    """What changed in the library, as told to subscribers.

    ``changed`` holds ids of new or changed cards, ``removed`` ids no longer present; ``files``
    says the set of file problems changed; ``repo`` that git state may have moved (commit,
    sync); ``from_disk`` that the change was found on disk, not made by this app; ``focus`` is
    the card the user just worked on (a list may select it).
    """

    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    files: bool = False
    repo: bool = False
    from_disk: bool = False
    focus: str | None = None

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.files or self.repo)

    def touches(self, card_id: str) -> bool:
        return card_id in self.changed or card_id in self.removed

    def merged(self, other: LibraryChange) -> LibraryChange:
        """Both changes as one (the later focus wins)."""
        return LibraryChange(
            changed=(self.changed | other.changed) - (other.removed - other.changed),
            removed=(self.removed - other.changed) | other.removed,
            files=self.files or other.files,
            repo=self.repo or other.repo,
            from_disk=self.from_disk or other.from_disk,
            focus=other.focus if other.focus is not None else self.focus,
        )


Listener = Callable[[LibraryChange], None]


@dataclass(slots=True)
class _File:
    """One file under ``cards/`` as the library knows it."""

    loaded: Card | LoadError
    blob: str  # git blob id of the bytes it was read from ("" when unknown)
    stamp: Stamp | None = None  # None: not stat'ed yet (just saved by the app)
    seen_ns: int = 0  # when ``stamp`` was taken
    problems: list[Problem] = field(default_factory=list)

    def trusted(self, stamp: Stamp) -> bool:
        """Whether ``stamp`` proves the file is the one we read (not changed, not racy)."""
        return self.stamp == stamp and self.seen_ns - stamp.mtime_ns >= RACY_NS


@dataclass(frozen=True)
class DiskScan:
    """What a poll of the disk found (made off the UI thread, applied with ``apply_scan``)."""

    base: dict[str, _File]  # the entries the scan compared against
    updates: dict[str, _File]
    gone: tuple[str, ...]


class Library:
    """Cards by id, their validation problems, file problems, and the search index."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        use_cache: bool = True,
        on_index: Callable[[str, int], None] | None = None,
        parallel: bool | None = None,
    ) -> None:
        self.workspace = workspace
        self.use_cache = use_cache
        # told how the search index came to be: ("built", cards) or ("restored", cards re-indexed)
        self.on_index = on_index
        self.cards: dict[str, Card] = {}
        self.errors: list[LoadError] = []
        self.duplicates: list[DuplicateId] = []
        self.problems: dict[str, list[Problem]] = {}
        self._files: dict[str, _File] = {}
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._pending_lock = threading.Lock()
        self._pending: list[Callable[[SearchIndex], None]] = []
        self.parallel = parallel  # worker processes parse and check the files (None: when there are many)
        self._checked: dict[str, tuple] = {}  # blob id -> own problems found while reading (plain)
        self.validated = False
        self.loaded = False  # phase 1 (read) is done: the disk can be compared with the library

    # -- subscribers -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every ``LibraryChange``; returns the function that unsubscribes.

        Listeners are called on the thread that made the change; a UI hops to its own thread.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def announce(self, change: LibraryChange) -> None:
        """Tell every subscriber about ``change`` (nothing when it is empty)."""
        if not change:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(change)

    def note_repo_changed(self) -> None:
        """Git state moved (commit, sync, discarded draft): badges and headers follow."""
        self.announce(LibraryChange(repo=True))

    # -- loading -----------------------------------------------------------------------------
    def load(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Load, validate and index everything (the three phases below, one after the other)."""
        self.read(progress)
        self.validate()
        self.build_index()

    def read(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Phase 1: read every card (from the parse cache where fresh); enough to list them."""
        paths = self.workspace.store.discover()
        now = time.time_ns()
        stats: dict[str, os.stat_result] = {}
        for p in paths:  # stat before reading: a change in between is found by the next poll
            key = str(p)
            with contextlib.suppress(OSError):
                stats[key] = os.stat(key)
        stamps = {key: Stamp.of(st) for key, st in stats.items()}
        cache = cache_file(self.workspace.root) if self.use_cache else None
        folder = self.workspace.schema.folder
        with no_cycle_collection():  # 10,000 cards of new objects: the collector would walk them again and again
            cards, errors, own = load_checked(
                paths, cache, progress, schema_folder=folder, parallel=self.parallel, stats=stats
            )
        self._checked = own  # cards the worker processes checked while parsing: validate() takes them
        files: dict[str, _File] = {}
        for c in cards:
            key = str(c.path)
            files[key] = _File(c, c.blob, stamps.get(key), now)
        for e in errors:
            key = str(e.path)
            files[key] = _File(e, _blob_of(e.path), stamps.get(key), now)
        with self._lock:
            self._files = files
            self.validated = False
            self._rebuild()
            self.loaded = True
        with self._index_lock:
            self._index = None
        with self._pending_lock:
            self._pending = []
        give_back_memory()

    def validate(self) -> None:
        """Phase 2: every card's problems (own problems cached by content and schema version)."""
        ws = self.workspace
        file = cache_file(ws.root).with_suffix(".problems") if self.use_cache else None
        cache = ProblemCache(file, ws.schema, ws.vocab)
        cache.entries.update(self._checked)
        self._checked = {}
        cards = list(self.cards.values())
        by_path = validate_cards(cards, ws.schema, ws.vocab, per_card=cache.problems)
        cache.save()
        with self._lock:
            for c in cards:
                entry = self._files.get(str(c.path))
                if entry is not None and entry.loaded is c:
                    entry.problems = by_path.get(str(c.path), [])
            self.validated = True
            self._rebuild()

    def build_index(self) -> None:
        """Phase 3: the search index."""
        self.index  # noqa: B018 - builds it

    @property
    def index(self) -> SearchIndex:
        """The search index; built once, and a search during the build waits for it."""
        with self._index_lock:
            if self._index is None:
                self._index = self._make_index()
            self._drain(self._index)
            return self._index

    def _make_index(self) -> SearchIndex:
        """The index from its file beside the card cache (brought up to date), else built; kept for next time."""
        from tui.core.search.search import SearchIndex

        cards = list(self.cards.values())
        file = index_file(self.workspace.root) if self.use_cache else None
        restored = SearchIndex.restore(read_index(file), cards, self.workspace.schema) if file else None
        if restored is not None:
            index, changed = restored
            if self.on_index is not None:
                self.on_index("restored", changed)
        else:
            index, changed = SearchIndex(cards, self.workspace.schema), len(cards)
            if self.on_index is not None:
                self.on_index("built", changed)
        if file is not None and changed:
            save_index(file, index)
        give_back_memory()
        return index

    def _drain(self, index: SearchIndex) -> None:
        """Apply index changes queued while the index was being built (caller holds the index lock)."""
        with self._pending_lock:
            ops, self._pending = self._pending, []
        for op in ops:
            op(index)

    def _to_index(self, op: Callable[[SearchIndex], None]) -> None:
        """Change the index without ever waiting on a build running in the background.

        While the build runs (or before it starts) the change is queued; the build works on a
        snapshot of the cards, so queued changes are applied to it when it is done.
        """
        with self._pending_lock:
            self._pending.append(op)
        if self._index_lock.acquire(blocking=False):
            try:
                if self._index is not None:
                    self._drain(self._index)
            finally:
                self._index_lock.release()

    # -- the derived views ---------------------------------------------------------------------
    def _rebuild(self) -> tuple[frozenset[str], frozenset[str], bool]:
        """Cards, problems and file problems from the files (caller holds the lock).

        New dicts and lists are assigned, never mutated in place, so a reader on another
        thread always iterates a consistent snapshot. Returns (changed ids, removed ids,
        whether the file problems changed).
        """
        cards: dict[str, Card] = {}
        problems: dict[str, list[Problem]] = {}
        errors: list[LoadError] = []
        duplicates: list[DuplicateId] = []
        for key in sorted(self._files):
            entry = self._files[key]
            loaded = entry.loaded
            if isinstance(loaded, LoadError):
                errors.append(loaded)
                continue
            cid = loaded.id or key
            first = cards.get(cid)
            if first is not None:
                duplicates.append(DuplicateId(loaded.path, cid, first.path))
                continue
            cards[cid] = loaded
            if self.validated or entry.problems:
                problems[cid] = entry.problems
        old = self.cards
        changed = frozenset(cid for cid, c in cards.items() if old.get(cid) is not c)
        removed = frozenset(old.keys() - cards.keys())
        files = errors != self.errors or duplicates != self.duplicates
        self.cards, self.problems, self.errors, self.duplicates = cards, problems, errors, duplicates
        for cid in changed:
            self._to_index(partial(_index_update, cards[cid]))
        for cid in removed:
            self._to_index(partial(_index_remove, cid))
        return changed, removed, files

    # -- changes made by the app ---------------------------------------------------------------
    def update(self, card: Card, old_id: str | None = None) -> None:
        """Put a saved or new card in place (also under a changed id) and tell the subscribers."""
        problems = validate_data(card.data, self.workspace.schema, self.workspace.vocab)
        with self._lock:
            key = str(card.path)
            if old_id and old_id != card.id:
                for other_key, entry in list(self._files.items()):
                    loaded = entry.loaded
                    same = isinstance(loaded, Card) and loaded.id == old_id
                    if other_key != key and same and not loaded.path.exists():
                        del self._files[other_key]
            self._files[key] = _File(card, card.blob, None, 0, problems)
            changed, removed, files = self._rebuild()
        self.announce(LibraryChange(changed | {card.id}, removed, files, focus=card.id))

    def remove(self, card_id: str) -> None:
        """Forget a deleted card (another file with the same id then takes its place)."""
        with self._lock:
            card = self.cards.get(card_id)
            if card is not None:
                self._files.pop(str(card.path), None)
            changed, removed, files = self._rebuild()
        self.announce(LibraryChange(changed, removed | {card_id}, files))

    # -- changes made outside the app ------------------------------------------------------------
    def scan_disk(self) -> DiskScan:
        """Compare every card file with what the library holds; read only files that moved.

        Safe to run on a worker thread: it reads the library but changes nothing.
        """
        with self._lock:
            if not self.loaded:
                return DiskScan({}, {}, ())
            base = dict(self._files)
        now = time.time_ns()
        updates: dict[str, _File] = {}
        present: set[str] = set()
        ws = self.workspace
        for key, st in _walk(str(ws.store.cards_dir)):
            present.add(key)
            stamp = Stamp.of(st)
            old = base.get(key)
            if old is not None and old.trusted(stamp):
                continue
            path = Path(key)
            blob, loaded = _read(path, st)
            if old is not None and blob and old.blob == blob:
                updates[key] = replace(old, stamp=stamp, seen_ns=now)  # touched, same content
                continue
            problems = validate_data(loaded.data, ws.schema, ws.vocab) if isinstance(loaded, Card) else []
            updates[key] = _File(loaded, blob, stamp, now, problems)
        gone = tuple(key for key in base if key not in present)
        return DiskScan(base, updates, gone)

    def apply_scan(self, scan: DiskScan) -> LibraryChange:
        """Take what ``scan`` found into the library and tell the subscribers.

        A file the app itself changed after the scan started is left for the next scan.
        """
        with self._lock:
            moved = False
            for key in scan.gone:
                if self._files.get(key) is scan.base.get(key):
                    self._files.pop(key, None)
                    moved = True
            for key, entry in scan.updates.items():
                if self._files.get(key) is scan.base.get(key):
                    self._files[key] = entry
                    moved = True
            if not moved:
                return LibraryChange()
            changed, removed, files = self._rebuild()
        change = LibraryChange(changed, removed, files, from_disk=True)
        self.announce(change)
        return change

    def refresh_from_disk(self) -> LibraryChange:
        """Find and take in what changed on disk since the last look (see ``scan_disk``)."""
        return self.apply_scan(self.scan_disk())

    # -- questions -------------------------------------------------------------------------------
    def by_path(self, path: Path) -> Card | None:
        entry = self._files.get(str(path))
        if entry is not None and isinstance(entry.loaded, Card):
            card = entry.loaded
            return card if self.cards.get(card.id or str(path)) is card else None
        return next((c for c in self.cards.values() if c.path == path), None)

    def has_errors(self, card_id: str) -> bool:
        return any(p.is_error for p in self.problems.get(card_id, []))

    def has_warnings(self, card_id: str) -> bool:
        return any(not p.is_error for p in self.problems.get(card_id, []))

    @property
    def file_problems(self) -> list[FileProblem]:
        """Files that cannot be opened and cards hidden by a duplicate id, by path."""
        found: list[FileProblem] = [*self.errors, *self.duplicates]
        return sorted(found, key=lambda p: str(p.path))

    def file_problem(self, path: Path) -> FileProblem | None:
        return next((p for p in self.file_problems if p.path == path), None)

    def invalid_count(self) -> int:
        """Cards with validation errors plus files that cannot be listed as a card."""
        return sum(1 for cid in self.cards if self.has_errors(cid)) + len(self.errors) + len(self.duplicates)


_TRIM: list[Callable[[int], int] | None] = []


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector during a bulk load, then restore it as it was.

    Loading creates hundreds of thousands of objects that all stay (card data holds no cycles,
    so nothing leaks meanwhile); the collector would trace them repeatedly while they are made,
    about a third of a warm start's read at 10,000 cards (bench "load").
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def give_back_memory() -> None:
    """Hand the heap's free pages back to the system after a bulk load (glibc's ``malloc_trim``; elsewhere nothing).

    Loading 10,000 cards leaves many freed temporaries between the objects that stay; without
    this the process keeps that memory (tens of MB at 10,000 cards, the bench's memory figure).
    """
    if not _TRIM:
        try:
            import ctypes

            _TRIM.append(getattr(ctypes.CDLL(None), "malloc_trim", None))
        except Exception:
            _TRIM.append(None)
    trim = _TRIM[0]
    if trim is not None:
        with contextlib.suppress(Exception):
            trim(0)


def _walk(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every card file under ``folder`` with its stat, by plain string path.

    The same files as ``CardStore.discover`` (hidden files and temp writes skipped), without
    building a ``Path`` per file: at 10,000 cards that was most of a poll's time.
    """
    stack = [folder]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif name.endswith(".toml") and not name.endswith(TEMP_SUFFIX):
                        with contextlib.suppress(OSError):  # vanished since the listing: gone
                            yield entry.path, entry.stat()
        except OSError:
            continue  # an unreadable folder: its files count as gone until it can be read


def _read(path: Path, st: os.stat_result) -> tuple[str, Card | LoadError]:
    """The blob id and the parsed content of one file."""
    if st.st_size > MAX_BYTES:
        too_big = LoadError(path, f"bestand is te groot ({st.st_size // 1024 // 1024} MB; hoogstens 5 MB)")
        return f"size:{st.st_size}:{st.st_mtime_ns}", too_big
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return "", LoadError(path, f"kan niet lezen: {exc.strerror or exc}")
    return blob_id(raw), parse_bytes(path, raw, st.st_mtime_ns)


def _index_update(card: Card, index: SearchIndex) -> None:
    index.update(card)


def _index_remove(card_id: str, index: SearchIndex) -> None:
    index.remove(card_id)


def _blob_of(path: Path) -> str:
    try:
        return blob_id(path.read_bytes()) if path.stat().st_size <= MAX_BYTES else ""
    except OSError:
        return ""


def count_by_folder(problems: Iterable[FileProblem], cards_dir: Path) -> dict[str, int]:
    """How many file problems each top folder of ``cards/`` (a region) holds."""
    counts: dict[str, int] = {}
    for p in problems:
        try:
            top = p.path.relative_to(cards_dir).parts[0]
        except (ValueError, IndexError):
            top = ""
        counts[top] = counts.get(top, 0) + 1
    return counts
