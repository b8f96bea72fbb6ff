"""All cards of a workspace in memory: loaded (with the cache), validated and searchable.

The app's screens share one Library; it is filled in a worker thread and updated card by
card after saves, so nothing is re-read or re-parsed that did not change.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable

from tui.core.cache import cache_file, load_cards
from tui.core.problem_cache import ProblemCache
from tui.core.cards.card import Card, LoadError
from tui.core.cards.validate import Problem, validate_cards, validate_data
from tui.core.workspace import Workspace

if TYPE_CHECKING:
    from tui.core.search.search import SearchIndex


class Library:
    """Cards by id, their validation problems, unreadable files, and the search index."""

    def __init__(self, workspace: Workspace, *, use_cache: bool = True) -> None:
        self.workspace = workspace
        self.use_cache = use_cache
        self.cards: dict[str, Card] = {}
        self.errors: list[LoadError] = []
        self.problems: dict[str, list[Problem]] = {}
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._pending_lock = threading.Lock()
        self._pending: list[Callable[[SearchIndex], None]] = []
        self.validated = False

    def load(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Load, validate and index everything (the three phases below, one after the other)."""
        self.read(progress)
        self.validate()
        self.build_index()

    def read(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Phase 1: read every card (from the parse cache where fresh); enough to list them."""
        paths = self.workspace.store.discover()
        cache = cache_file(self.workspace.root) if self.use_cache else None
        cards, errors = load_cards(paths, cache, progress)
        self.cards = {}
        for c in cards:
            self.cards.setdefault(c.id or str(c.path), c)
        self.errors = errors
        self.problems = {}
        self.validated = False
        with self._index_lock:
            self._index = None
        with self._pending_lock:
            self._pending = []

    def validate(self) -> None:
        """Phase 2: every card's problems (own problems cached by content and schema version)."""
        ws = self.workspace
        file = cache_file(ws.root).with_suffix(".problems") if self.use_cache else None
        cache = ProblemCache(file, ws.schema, ws.vocab)
        cards = list(self.cards.values())
        by_path = validate_cards(cards, ws.schema, ws.vocab, per_card=cache.problems)
        cache.save()
        self.problems = {c.id or str(c.path): by_path.get(str(c.path), []) for c in cards}
        self.validated = True

    def build_index(self) -> None:
        """Phase 3: the search index."""
        self.index  # noqa: B018 - builds it

    @property
    def index(self) -> SearchIndex:
        """The search index; built once, and a search during the build waits for it."""
        with self._index_lock:
            if self._index is None:
                from tui.core.search.search import SearchIndex

                self._index = SearchIndex(list(self.cards.values()), self.workspace.schema)
            self._drain(self._index)
            return self._index

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

    def update(self, card: Card, old_id: str | None = None) -> None:
        """Put a saved or new card in place (also under a changed id)."""
        if old_id and old_id != card.id:
            self.remove(old_id)
        self.cards[card.id] = card
        self.problems[card.id] = validate_data(card.data, self.workspace.schema, self.workspace.vocab)
        self._to_index(lambda index: index.update(card))

    def remove(self, card_id: str) -> None:
        """Forget a deleted card."""
        self.cards.pop(card_id, None)
        self.problems.pop(card_id, None)
        self._to_index(lambda index: index.remove(card_id))

    def by_path(self, path: Path) -> Card | None:
        return next((c for c in self.cards.values() if c.path == path), None)

    def has_errors(self, card_id: str) -> bool:
        return any(p.is_error for p in self.problems.get(card_id, []))

    def has_warnings(self, card_id: str) -> bool:
        return any(not p.is_error for p in self.problems.get(card_id, []))
