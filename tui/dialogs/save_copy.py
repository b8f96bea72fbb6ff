"""Ask where to save a copy of a card whose own file cannot be written; answers the path or None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ..i18n import t
from ..widgets.safe import SafeInput


class SaveCopyDialog(ModalScreen[str | None]):
    """A path prompt, prefilled with a suggestion; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "", show=False, id="save-copy-cancel")]

    def __init__(self, suggestion: str) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(t("editing.copy_title"), style="bold"), markup=False)
            yield Static(Text(t("editing.copy_detail")), markup=False)
            yield SafeInput(self.suggestion, id="copy-path", select_on_focus=False)
            with Horizontal(classes="buttons"):
                yield Button(t("editing.copy_save"), id="copy-save", variant="primary")
                yield Button(t("dialog.cancel"), id="copy-cancel")

    def on_mount(self) -> None:
        self.query_one("#copy-path", Input).focus()

    def _answer(self) -> None:
        path = self.query_one("#copy-path", Input).value.strip()
        self.dismiss(path or None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy-save":
            self._answer()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
