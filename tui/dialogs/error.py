"""A plain error dialog: what went wrong, in words, never as markup."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.cards.text import visible
from ..i18n import lazy, t


class ErrorDialog(ModalScreen[None]):
    """Shows an error message; escape or OK closes it."""

    BINDINGS = [Binding("escape", "dismiss", lazy("keys.close"), id="error-close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Static(Text(visible(self.title_text), style="bold"), markup=False)
            yield Static(Text(visible(self.message)), markup=False)
            yield Button(t("dialog.ok"), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
