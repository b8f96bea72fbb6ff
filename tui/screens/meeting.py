"""Meeting mode: walk an agenda (a saved view, or the cards listed) one card at a time, full-screen.

The header says which agenda and where ("Vergadering · Programma 2 · 4 van 12"); → / page down
and ← / page up step through the cards, ``e`` edits the card shown (the meeting stays on it),
``D`` records a decision (``CardActions.decide``, wired by the decisions work), escape ends the
meeting and answers the card shown last, so the browser can select it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui.core.cards.text import visible
from tui.core.library import Library

from ..i18n import lazy, t
from ..messages import LibraryChanged, follow_library
from ..widgets.card_view import CardLink, CardView
from ..widgets.key_footer import KeyFooter

if TYPE_CHECKING:  # the controller imports the screens; screens need only its type
    from ..card_actions import CardActions


class MeetingScreen(Screen[str | None]):
    """The cards of an agenda in order, one over the whole terminal; answers the last card shown."""

    DEFAULT_CSS = """
    MeetingScreen #meeting-header { height: 1; padding: 0 1; background: $primary; color: $text; text-style: bold; }
    MeetingScreen #meeting-view { height: 1fr; padding: 1 2; }
    """
    BINDINGS = [
        Binding("escape", "leave", lazy("meeting.key_leave"), id="meeting-leave"),
        # priority: the card view scrolls with the same keys; in a meeting they step through the agenda
        Binding("right,pagedown", "step(1)", lazy("meeting.key_next"), id="meeting-next", priority=True),
        Binding("left,pageup", "step(-1)", lazy("meeting.key_previous"), id="meeting-previous", priority=True),
        Binding("e", "edit_card", lazy("meeting.key_edit"), id="meeting-edit"),
        Binding("D", "decide", lazy("meeting.key_decide"), id="meeting-decide"),
        Binding("h", "app.history", lazy("keys.history"), id="meeting-history", show=False),
        Binding("v", "toggle_empty", lazy("keys.empty"), id="meeting-toggle-empty", show=False),
        Binding("tab", "app.focus_next", lazy("keys.next_panel"), show=False, id="meeting-next-panel"),
        Binding("shift+tab", "app.focus_previous", lazy("keys.prev_panel"), show=False, id="meeting-prev-panel"),
    ]

    def __init__(
        self, library: Library, actions: CardActions, name: str, card_ids: Sequence[str], start: int = 0
    ) -> None:
        super().__init__()
        self.library = library
        self.actions = actions
        self.agenda = name
        self.card_ids = list(card_ids)
        self.index = max(0, min(start, len(self.card_ids) - 1))
        self.show_empty = False
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def card_id(self) -> str | None:
        return self.card_ids[self.index] if self.card_ids else None

    def compose(self) -> ComposeResult:
        yield Static("", id="meeting-header", markup=False)
        yield CardView(id="meeting-view")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._unsubscribe = follow_library(self, self.library)
        self.render_card()
        self.query_one(CardView).focus()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_screen_resume(self) -> None:
        self.render_card()  # back from the editor: the card as saved

    # -- what is shown -------------------------------------------------------------------------
    def position(self) -> str:
        """ "4 van 12" (0 van 0 for an empty agenda)."""
        return t("meeting.position", n=self.index + 1 if self.card_ids else 0, total=len(self.card_ids))

    def header_text(self) -> str:
        return t("meeting.header", name=self.agenda, position=self.position())

    def render_card(self) -> None:
        self.query_one("#meeting-header", Static).update(Text(visible(self.header_text())))
        view = self.query_one(CardView)
        card_id = self.card_id
        if card_id is None:
            view.show(None, None, header=t("meeting.empty"))
            return
        card = self.library.cards.get(card_id)
        if card is None:
            view.show(None, None, header=t("meeting.gone"))
            return
        view.show(
            card.data,
            self.library.workspace.schema.kind(card.kind),
            self.library.problems.get(card_id, []),
            show_empty=self.show_empty,
            lookup=self.title_of,
            vocab=self.library.workspace.vocab,  # the status by its name in the UI language
        )
        view.scroll_home(animate=False)

    def title_of(self, card_id: str) -> str | None:
        card = self.library.cards.get(card_id)
        return card.title if card is not None else None

    def current_card_id(self) -> str | None:
        return self.card_id if self.card_id in self.library.cards else None

    def listed_card_ids(self) -> list[str]:
        return [cid for cid in self.card_ids if cid in self.library.cards]

    # -- moving --------------------------------------------------------------------------------
    def action_step(self, step: int) -> None:
        target = self.index + step
        if not self.card_ids or not 0 <= target < len(self.card_ids):
            self.notify(t("meeting.last" if step > 0 else "meeting.first"), timeout=2, markup=False)
            return
        self.index = target
        self.render_card()
        if isinstance(self.focused, CardLink) or self.focused is None:
            self.query_one(CardView).focus(scroll_visible=False)

    def action_leave(self) -> None:
        self.dismiss(self.current_card_id())

    @on(CardView.LinkChosen)
    def _link_chosen(self, event: CardView.LinkChosen) -> None:
        """A related card: shown on its own screen; the meeting stays where it was."""
        event.stop()
        if event.card_id not in self.library.cards:
            self.notify(t("view.gone", id=visible(event.card_id)), severity="warning", timeout=4, markup=False)
            return
        from .card_screen import CardScreen

        self.app.push_screen(CardScreen(self.library, self.actions, event.card_id))

    def on_library_changed(self, message: LibraryChanged) -> None:
        card_id = self.card_id
        if card_id is not None and message.change.touches(card_id) and self.is_current:
            self.render_card()

    # -- card actions --------------------------------------------------------------------------
    def action_edit_card(self) -> None:
        self.actions.edit(self.current_card_id())

    def action_decide(self) -> None:
        """``D``: record a decision on the card shown (the dialog and the save are ``CardActions.decide``)."""
        card_id = self.current_card_id()
        if card_id:
            self.actions.decide(card_id)

    def action_export(self) -> None:
        self.actions.export(self.listed_card_ids())

    def action_toggle_empty(self) -> None:
        self.show_empty = not self.show_empty
        self.render_card()
