"""A yes/no question, typed: ``ModalScreen[bool]``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.cards.text import visible
from ..i18n import lazy, t


class ConfirmDialog(ModalScreen[bool]):
    """Asks before doing something that cannot simply be undone; escape means no."""

    BINDINGS = [Binding("escape", "cancel", lazy("dialog.cancel"), id="confirm-cancel")]

    def __init__(self, question: str, detail: str = "", yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes or t("dialog.yes")
        self.no = no or t("dialog.no")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.question), style="bold"), markup=False)
            if self.detail:
                yield Static(Text(visible(self.detail)), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="error")
                yield Button(self.no, id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)
