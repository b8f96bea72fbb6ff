"""A card full-screen, for reading during a meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from tui.core.library import Library
from ..i18n import lazy
from ..widgets.card_view import CardView
from ..widgets.status_header import StatusHeader


class CardScreen(Screen[None]):
    """One card over the whole terminal; ``e`` edits it, ``escape`` goes back."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", lazy("keys.back"), id="card-back"),
        Binding("e", "app.edit_card", lazy("keys.edit"), id="card-edit"),
        Binding("h", "app.history", lazy("keys.history"), id="card-history"),
        Binding("b", "app.blame", lazy("keys.blame"), id="card-blame"),
        Binding("v", "toggle_empty", lazy("keys.empty"), id="card-toggle-empty"),
    ]

    def __init__(self, library: Library, card_id: str) -> None:
        super().__init__()
        self.library = library
        self.card_id = card_id
        self.show_empty = False

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield CardView(id="full-view")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StatusHeader).show(self.library.workspace.root, None, None)
        self.render_card()
        self.query_one(CardView).focus()

    def current_card_id(self) -> str | None:
        return self.card_id

    def render_card(self) -> None:
        card = self.library.cards.get(self.card_id)
        kind = self.library.workspace.schema.kind(card.kind) if card else None
        self.query_one(CardView).show(
            card.data if card else None, kind, self.library.problems.get(self.card_id, []), show_empty=self.show_empty
        )

    def action_toggle_empty(self) -> None:
        self.show_empty = not self.show_empty
        self.render_card()
