"""Save the browser's search as a view (agenda): ask the name, refuse an empty or taken one, write in a worker."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.core.cards.text import visible
from tui.core.meetings.views import View, ViewsError, check_name, save_view, suggest_name

from ..i18n import lazy, phrase_error, t
from ..widgets.safe import SafeInput


def sort_words(sort: str) -> str:
    """A sort order in words ("op nummer")."""
    return t(f"sort.{sort}")


class SaveViewDialog(ModalScreen[View | None]):
    """The query and order to save, the name (prefilled from the query), Save / Cancel; answers the saved view."""

    DEFAULT_CSS = """
    SaveViewDialog { align: center middle; }
    #save-view-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", lazy("views.cancel"), id="save-view-cancel")]

    def __init__(self, root: Path, query: str, sort: str, taken: list[str]) -> None:
        super().__init__()
        self.root = root
        self.view_query = " ".join(query.split())
        self.sort = sort
        self.taken = {" ".join(n.split()).casefold(): n for n in taken}
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save-view-dialog"):
            yield Static(Text(t("views.dialog_title"), style="bold"), markup=False)
            yield Static(Text(t("views.dialog_query", query=visible(self.view_query) or t("views.all_cards"))))
            yield Static(Text(t("views.dialog_sort", sort=sort_words(self.sort))), markup=False)
            yield SafeInput(suggest_name(self.view_query), placeholder=t("views.name_placeholder"), id="save-view-name")
            yield Static(Text(""), id="save-view-error", markup=False)
            yield Static(Text(t("views.dialog_help"), style="dim"), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("views.save"), id="save-view-save", variant="primary")
                yield Button(t("views.cancel"), id="save-view-cancel-button")

    def on_mount(self) -> None:
        self.query_one("#save-view-name", SafeInput).focus()
        self._check(self.query_one("#save-view-name", SafeInput).value, quiet_empty=True)

    def problem(self, name: str) -> str | None:
        """Why ``name`` cannot be saved (empty, too long, taken), or None."""
        try:
            name = check_name(name)
        except ViewsError as exc:
            return phrase_error(exc)
        taken = self.taken.get(name.casefold())
        if taken is not None:
            return t("core.views.duplicate", name=taken)
        return None

    def _check(self, name: str, *, quiet_empty: bool = False) -> bool:
        why = self.problem(name)
        self.error = why or ""
        shown = "" if quiet_empty and not name.strip() else self.error
        self.query_one("#save-view-error", Static).update(Text(visible(shown), style="bold"))
        return why is None

    @on(Input.Changed, "#save-view-name")
    def _typed(self, event: Input.Changed) -> None:
        self._check(event.value, quiet_empty=True)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save-view-cancel-button")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save-view-save")
    @on(Input.Submitted, "#save-view-name")
    def _save(self) -> None:
        name = self.query_one("#save-view-name", SafeInput).value
        if not self._check(name):
            self.query_one("#save-view-name", SafeInput).focus()
            return
        self.query_one("#save-view-save", Button).disabled = True
        self._write(View(name, self.view_query, self.sort))

    @work(thread=True, exclusive=True, group="views", exit_on_error=False)
    def _write(self, view: View) -> None:
        try:
            save_view(self.root, view)
            saved: View | str = View(check_name(view.name), view.query, view.sort)
        except ViewsError as exc:
            saved = phrase_error(exc)
        self.app.call_from_thread(self._done, saved)

    def _done(self, saved: View | str) -> None:
        self.query_one("#save-view-save", Button).disabled = False
        if isinstance(saved, str):
            self.error = saved
            self.query_one("#save-view-error", Static).update(Text(visible(saved), style="bold"))
            return
        self.dismiss(saved)
