"""The browser's saved views (agendas) and meeting mode: listed in the tree, opened in the search
box, saved with ``V``, deleted from the tree, walked with ``m``. Its own module so that the main
screen keeps to browsing and searching."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.screen import Screen
from textual.widgets import Input

from tui.core.cards.text import visible
from tui.core.library import Library
from tui.core.meetings.views import View, ViewsError, delete_view, load_views, view_cards
from tui.core.search.query import quote_value

from ..dialogs.confirm import ConfirmDialog
from ..dialogs.save_view import SaveViewDialog
from ..i18n import phrase_error, t
from ..widgets.theme_tree import NodeFilter, ThemeTree
from .meeting import MeetingScreen

if TYPE_CHECKING:
    from ..card_actions import CardActions


class BrowserAgendas(Screen[None]):
    """The agenda part of the browser; ``BrowserScreen`` supplies the list, the tree and notices."""

    library: Library
    actions: CardActions
    views: list[View]
    current_view: View | None
    node_filter: NodeFilter
    sort: str
    query_text: str
    loaded: bool
    _told: set[str]

    if TYPE_CHECKING:  # what the browser itself offers (defined in BrowserScreen)

        def tell(self, message: str, *, timeout: float = ..., **options: Any) -> None: ...
        def size_tree(self) -> None: ...
        def refresh_list(self, keep: str | None = None, *, to_top: bool = False) -> None: ...
        def listed_card_ids(self) -> list[str]: ...
        def _show_card(self, card_id: str) -> None: ...

    # -- saved views (agendas) and meeting mode ---------------------------------------------
    @work(thread=True, exclusive=True, group="views", exit_on_error=False)
    def load_views(self) -> None:
        """Worker: read views.toml; the tree and the palette list its views."""
        try:
            found: list[View] | str = load_views(self.library.workspace.root)
        except ViewsError as exc:
            found = phrase_error(exc)
        self.app.call_from_thread(self._views_loaded, found)

    def _views_loaded(self, found: list[View] | str) -> None:
        if isinstance(found, str):
            if found not in self._told:
                self._told.add(found)
                self.tell(visible(t("views.problem", reason=found)), severity="warning")
            found = []
        self.views = found
        self.query_one(ThemeTree).show_views([v.name for v in found])
        self.size_tree()

    def find_view(self, name: str) -> View | None:
        key = " ".join(name.split()).casefold()
        return next((v for v in self.views if v.name.casefold() == key), None)

    @on(ThemeTree.ViewChosen)
    def _view_chosen(self, event: ThemeTree.ViewChosen) -> None:
        event.stop()
        self.open_view(event.name)

    def open_view(self, name: str) -> None:
        """Show a saved view: its query in the search box, its sort order, the tree's filter off."""
        view = self.find_view(name)
        if view is None:
            return
        self.current_view = view
        self.node_filter = NodeFilter()
        self.sort = view.sort
        search = self.query_one("#search", Input)
        if search.value != view.query:
            search.value = view.query  # the search runs as if typed
        else:
            self.refresh_list()
        count = len(view_cards(view, self.library)) if self.loaded else 0
        name = visible(view.name)
        words = t("views.chosen", name=name, count=count)
        self.tell(words, timeout=4)

    def action_save_view(self) -> None:
        """``V``: save the search (and sort order) as a view; a dialog asks the name."""

        def saved(view: View | None) -> None:
            if view is None:
                return
            self.current_view = view
            self.tell(t("views.saved", name=visible(view.name)), timeout=4)
            self.load_views()

        root = self.library.workspace.root
        taken = [v.name for v in self.views]
        self.app.push_screen(SaveViewDialog(root, self.view_query(), self.sort, taken), saved)

    def view_query(self) -> str:
        """The search as a view keeps it: the text typed, plus the tree's choice as filters."""
        f = self.node_filter
        parts = [" ".join(self.query_text.split())] if self.query_text.strip() else []
        for name, value in (("regio", f.region), ("thema", f.theme), ("programma", f.programme)):
            if value and f"{name}:" not in self.query_text:
                parts.append(f"{name}:{quote_value(value)}")
        return " ".join(parts)

    def ask_delete_view(self, name: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_view(name)

        self.app.push_screen(
            ConfirmDialog(t("views.delete_question", name=name), t("views.delete_detail"), yes=t("views.delete_yes")),
            answered,
        )

    @work(thread=True, exclusive=True, group="views-write", exit_on_error=False)
    def _delete_view(self, name: str) -> None:
        try:
            gone = delete_view(self.library.workspace.root, name)
            said = t("views.deleted", name=visible(gone.name))
            severity = "information"
        except ViewsError as exc:
            said, severity = visible(phrase_error(exc)), "warning"
        self.app.call_from_thread(self._view_deleted, said, severity, name)

    def _view_deleted(self, said: str, severity: str, name: str) -> None:
        if self.current_view is not None and self.current_view.name.casefold() == name.casefold():
            self.current_view = None
        self.tell(said, severity=severity, timeout=4)
        self.load_views()

    def action_meeting(self) -> None:
        """``m``: meeting mode on the view chosen (or, without one, on the cards listed now)."""
        typed = " ".join(self.query_text.split())
        view = self.current_view or next(  # a view's search typed by hand counts as that view
            (v for v in self.views if typed and v.query == typed and self.node_filter == NodeFilter()), None
        )
        if view is not None:
            ids = [c.id for c in view_cards(view, self.library)]
            name = view.name
        else:
            ids = self.listed_card_ids()
            name = t("meeting.listed")

        def ended(card_id: str | None) -> None:
            if card_id is not None and card_id in self.library.cards:
                self._show_card(card_id)

        self.app.push_screen(MeetingScreen(self.library, self.actions, name, ids), ended)
