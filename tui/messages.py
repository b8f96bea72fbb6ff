"""App-wide messages, posted by workers and handled by screens.

Change notices have one source: the ``Library``. A screen that shows cards calls
``follow_library`` on mount; every ``LibraryChange`` then arrives as a ``LibraryChanged``
message on the screen's own thread (``post_message`` is thread-safe), whoever made it: a
save, a delete, a sync, a commit or the disk poll.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.message_pump import MessagePump

from tui.core.library import Library, LibraryChange


class LoadProgress(Message):
    """Cards loaded so far (for the progress bar)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class LibraryLoaded(Message):
    """All cards are loaded, validated and indexed."""


class LibraryChanged(Message, bubble=False):
    """Cards, file problems or git state changed (see ``LibraryChange``)."""

    def __init__(self, change: LibraryChange) -> None:
        super().__init__()
        self.change = change


def follow_library(node: MessagePump, library: Library) -> Callable[[], None]:
    """Deliver every change of ``library`` to ``node`` as ``LibraryChanged``; returns unsubscribe."""

    def deliver(change: LibraryChange) -> None:
        node.post_message(LibraryChanged(change))

    return library.subscribe(deliver)


class RepoChanged(Message, bubble=False):
    """Git state changed (commit, sync). Prefer ``library.note_repo_changed()``; the app turns
    this message into exactly that."""


class GotoCard(Message):
    """Show this card in the browser (from the palette's "go to card")."""

    def __init__(self, card_id: str) -> None:
        super().__init__()
        self.card_id = card_id
