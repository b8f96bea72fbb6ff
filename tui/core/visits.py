"""The cards visited, for back and forward (like a web browser's history).

Plain Python, no Textual: a screen records where the user goes (``visit``) and asks where
``back`` and ``forward`` lead. Moving the list cursor is not a visit; following a link is. When the
user has wandered off (the card now shown is not the one last recorded), ``back`` first records
that card, so ``forward`` leads there again.
"""

from __future__ import annotations

from collections.abc import Callable

LIMIT = 200  # visits kept; the oldest go first


class Visits:
    """A list of card ids and a position in it."""

    def __init__(self, first: str | None = None, *, limit: int = LIMIT) -> None:
        self._ids: list[str] = [first] if first else []
        self._at = len(self._ids) - 1
        self._limit = max(2, limit)

    @property
    def current(self) -> str | None:
        """The card at the present position (None before the first visit)."""
        return self._ids[self._at] if self._ids else None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    def can_back(self) -> bool:
        return self._at > 0

    def can_forward(self) -> bool:
        return 0 <= self._at < len(self._ids) - 1

    def visit(self, card_id: str) -> None:
        """The user went to ``card_id``: it becomes the present; what lay ahead is dropped."""
        if not card_id or card_id == self.current:
            return
        del self._ids[self._at + 1 :]
        self._ids.append(card_id)
        if len(self._ids) > self._limit:
            del self._ids[: len(self._ids) - self._limit]
        self._at = len(self._ids) - 1

    def back(self, shown: str | None = None, exists: Callable[[str], bool] | None = None) -> str | None:
        """The card before the present one (None when there is none).

        ``shown`` is the card on screen now: if it is not the present position it is recorded
        first. Cards for which ``exists`` says False (deleted since) are skipped.
        """
        if shown:
            self.visit(shown)
        return self._step(-1, exists)

    def forward(self, exists: Callable[[str], bool] | None = None) -> str | None:
        """The card after the present one (None when there is none)."""
        return self._step(1, exists)

    def _step(self, delta: int, exists: Callable[[str], bool] | None) -> str | None:
        at = self._at + delta
        while 0 <= at < len(self._ids):
            if exists is None or exists(self._ids[at]):
                self._at = at
                return self._ids[at]
            at += delta
        return None
