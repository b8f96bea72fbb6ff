"""What one search answers: the cards matching the whole query, those matching part of it, and why.

The one result every caller shows or exports (the app's list, the palette's export,
``kaartenbak search`` and ``kaartenbak export``): :meth:`SearchIndex.find` makes it.
Hits (with snippets) are cut only when asked for, so a query matching 10,000 cards costs
no more per keystroke than the rows that are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tui.core.search.query import Query

__all__ = ["PARTIAL_LIMIT", "Hit", "SearchResult"]

PARTIAL_LIMIT = 20  # cards matching part of the query, listed under the divider


@dataclass(frozen=True)
class Hit:
    """One search result: the card, its score and where and how it matched (for display)."""

    card_id: str
    score: float
    field: str
    label: str
    snippet: str
    spans: tuple[tuple[int, int], ...]


@dataclass(eq=False)
class SearchResult:
    """Cards for one query.

    ``ids``: every card matching the whole query (each word, typo-, accent- and compound-tolerant,
    and every filter), best first; with filters only (``exact``) every selected card, by title.
    ``partial_ids``: the best cards holding only some of the words (never exported).
    ``terms``: the card words the query matched (for highlighting).
    """

    query: Query
    ids: list[str]
    partial_ids: list[str]
    exact: bool
    terms: frozenset[str]
    make_hits: Callable[[Sequence[str]], list[Hit]] = field(repr=False)
    _hits: dict[str, Hit] = field(default_factory=dict, repr=False)

    @property
    def query_text(self) -> str:
        """The query as it was understood (words and recognised filters), for export headers."""
        return self.query.text

    @property
    def unknown(self) -> tuple[str, ...]:
        """Filter tokens that were not understood (and ignored)."""
        return self.query.unknown

    @property
    def total(self) -> int:
        """How many cards match the whole query (however many are shown)."""
        return len(self.ids)

    def head(self, n: int | None) -> list[Hit]:
        """Hits for the first ``n`` full matches (all of them when ``n`` is None)."""
        return self._hits_for(self.ids if n is None else self.ids[:n])

    @property
    def hits(self) -> list[Hit]:
        """Hits for every full match (cut on first use; prefer ``head(n)`` for a screenful)."""
        return self.head(None)

    @property
    def partial(self) -> list[Hit]:
        """Hits for the cards matching only part of the query."""
        return self._hits_for(self.partial_ids)

    def _hits_for(self, ids: Sequence[str]) -> list[Hit]:
        missing = [cid for cid in ids if cid not in self._hits]
        if missing:
            for hit in self.make_hits(missing):
                self._hits[hit.card_id] = hit
        return [self._hits[cid] for cid in ids]
