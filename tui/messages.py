"""App-wide messages, posted by workers and handled by screens."""

from __future__ import annotations

from textual.message import Message


class LoadProgress(Message):
    """Cards loaded so far (for the progress bar)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class LibraryLoaded(Message):
    """All cards are loaded, validated and indexed."""


class CardSaved(Message, bubble=False):
    """A card was saved, created or deleted; the list and view must follow.

    Posted to the app, which hands it to the browser; it does not bubble back up.
    """

    def __init__(self, card_id: str | None, old_id: str | None = None, deleted: bool = False) -> None:
        super().__init__()
        self.card_id = card_id
        self.old_id = old_id
        self.deleted = deleted


class RepoChanged(Message, bubble=False):
    """Git state changed (commit, sync, outside change); refresh badges and header."""
