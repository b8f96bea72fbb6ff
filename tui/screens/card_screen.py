"""A card full-screen, for reading during a meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from tui.core.git.gitrepo import GitError
from tui.core.cards.text import visible
from tui.core.library import Library
from tui.core.review import signoff
from tui.core.visits import Visits

from ..i18n import lazy, t
from ..messages import LibraryChanged, follow_library
from ..widgets.card_view import CardLink, CardView
from ..widgets.key_footer import KeyFooter
from ..widgets.status_header import StatusHeader

if TYPE_CHECKING:  # the controller imports the screens; screens need only its type
    from ..card_actions import CardActions


class CardScreen(Screen[None]):
    """One card over the whole terminal; ``e`` edits it, ``escape`` goes back.

    Related cards are links: ``enter`` on one shows that card here; ``[`` / ``alt+left`` and
    ``]`` / ``alt+right`` go back and forward through the cards visited.

    It follows the library: a change on disk shows at once, a card deleted in the app closes
    the screen, a card deleted outside it says so.
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", lazy("keys.back"), id="card-back"),
        Binding("e", "edit_card", lazy("keys.edit"), id="card-edit"),
        Binding("h", "app.history", lazy("keys.history"), id="card-history"),
        Binding("b", "app.blame", lazy("keys.blame"), id="card-blame"),
        Binding("v", "toggle_empty", lazy("keys.empty"), id="card-toggle-empty"),
        Binding("D", "decide", lazy("decisions.key"), id="card-decide"),
        Binding("alt+left,left_square_bracket", "back", lazy("keys.back_card"), id="card-visit-back", show=False),
        Binding(
            "alt+right,right_square_bracket", "forward", lazy("keys.forward_card"), id="card-visit-forward", show=False
        ),
        Binding("tab", "app.focus_next", lazy("keys.next_panel"), show=False, id="card-next"),
        Binding("shift+tab", "app.focus_previous", lazy("keys.prev_panel"), show=False, id="card-previous"),
    ]

    def __init__(self, library: Library, actions: CardActions, card_id: str) -> None:
        super().__init__()
        self.library = library
        self.actions = actions
        self.card_id = card_id
        self.visits = Visits(card_id)
        self.show_empty = False
        self.marks: dict[str, str] = {}  # review markers per field key
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield CardView(id="full-view")
        yield KeyFooter()

    def on_mount(self) -> None:
        header = self.query_one(StatusHeader)
        header.show(self.library.workspace.root, None, None)
        header.show_problems(len(self.library.file_problems))
        self._unsubscribe = follow_library(self, self.library)
        self.render_card()
        self.query_one(CardView).focus()
        self.load_review()

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load_review(self) -> None:
        """Worker: the review markers of this card's fields (tui.core.review.signoff)."""
        card = self.library.cards.get(self.card_id)
        try:
            fields = signoff.card_state(self.library.workspace.root, self.library, card) if card else {}
        except GitError:
            fields = {}
        self.app.call_from_thread(self._show_review, signoff.field_markers(fields))

    def _show_review(self, marks: dict[str, str]) -> None:
        if marks != self.marks:
            self.marks = marks
            self.render_card()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def current_card_id(self) -> str | None:
        return self.card_id

    def listed_card_ids(self) -> list[str]:
        return [self.card_id] if self.card_id in self.library.cards else []

    def render_card(self, header: str = "") -> None:
        card = self.library.cards.get(self.card_id)
        kind = self.library.workspace.schema.kind(card.kind) if card else None
        self.query_one(CardView).show(
            card.data if card else None,
            kind,
            self.library.problems.get(self.card_id, []),
            show_empty=self.show_empty,
            header=header,
            marks=self.marks,
            lookup=self.title_of,
            vocab=self.library.workspace.vocab,
        )

    def title_of(self, card_id: str) -> str | None:
        card = self.library.cards.get(card_id)
        return card.title if card is not None else None

    # -- links, back and forward -------------------------------------------------------------
    @on(CardView.LinkChosen)
    def _link_chosen(self, event: CardView.LinkChosen) -> None:
        event.stop()
        if event.card_id not in self.library.cards:
            self.notify(t("view.gone", id=visible(event.card_id)), severity="warning", timeout=4, markup=False)
            return
        self.visits.visit(event.card_id)
        self._go(event.card_id)

    def action_back(self) -> None:
        target = self.visits.back(self.card_id, exists=self.library.cards.__contains__)
        if target is None:
            self.notify(t("view.no_back"), timeout=2)
        else:
            self._go(target)

    def action_forward(self) -> None:
        target = self.visits.forward(exists=self.library.cards.__contains__)
        if target is None:
            self.notify(t("view.no_forward"), timeout=2)
        else:
            self._go(target)

    def _go(self, card_id: str) -> None:
        self.card_id = card_id
        self.render_card()
        if self.focused is None or isinstance(self.focused, CardLink):
            self.query_one(CardView).focus(scroll_visible=False)

    def on_library_changed(self, message: LibraryChanged) -> None:
        change = message.change
        self.query_one(StatusHeader).show_problems(len(self.library.file_problems))
        if not change.touches(self.card_id):
            return
        if self.card_id in self.library.cards:
            self.render_card()
        elif change.from_disk:
            self.render_card(header=t("files.deleted_outside"))
        elif self.is_current:
            self.app.pop_screen()  # deleted in the app: back to the list

    # -- card actions ------------------------------------------------------------------------
    def action_edit_card(self) -> None:
        self.actions.edit(self.card_id)

    def action_decide(self) -> None:
        self.actions.decide(self.card_id)

    def action_new_card(self) -> None:
        self.actions.new(self.card_id)

    def action_duplicate_card(self) -> None:
        self.actions.duplicate(self.card_id)

    def action_delete_card(self) -> None:
        self.actions.delete(self.card_id)

    def action_export(self) -> None:
        self.actions.export(self.listed_card_ids())

    def action_toggle_empty(self) -> None:
        self.show_empty = not self.show_empty
        self.render_card()
