"""The typed seam between the app and its screens.

Screens do not know each other's classes: where the app or the palette needs something
from "whatever screen is showing", it asks for one of these protocols with ``isinstance``.
Change notices do not travel through here at all: screens subscribe to the ``Library``
(see ``tui.messages.follow_library``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from tui.core.library import Library

    from .card_actions import CardActions


@runtime_checkable
class HasLibrary(Protocol):
    """The app as the palette sees it: the cards it can go to."""

    library: Library


@runtime_checkable
class ShowsCard(Protocol):
    """A screen with a current card (history, blame and conflicts start from it)."""

    def current_card_id(self) -> str | None: ...


@runtime_checkable
class ActsOnCards(Protocol):
    """A screen whose card actions (edit, new, duplicate, delete, export) the palette can run."""

    actions: CardActions

    def current_card_id(self) -> str | None: ...

    def listed_card_ids(self) -> list[str]: ...


@runtime_checkable
class KeepsDraft(Protocol):
    """A screen holding typed text that must reach the draft store before a crash or exit."""

    def flush_draft(self) -> None: ...


# (title, help, what to run) of one palette entry, in the UI's language
PaletteAction = tuple[str, str, Callable[[], object]]


@runtime_checkable
class HasOwnPalette(Protocol):
    """A screen whose palette offers its own actions instead of the cards' (the editor)."""

    def palette_actions(self) -> list[PaletteAction]: ...

    def palette_fields(self) -> list[PaletteAction]: ...
