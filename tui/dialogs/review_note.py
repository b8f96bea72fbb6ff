"""Ask the note that goes with a *vraag* on a field; answers the note, or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.core.cards.text import visible

from ..i18n import t
from ..widgets.safe import SafeInput


class ReviewNoteDialog(ModalScreen[str | None]):
    """One line for the question; an empty note is refused in place, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "", show=False, id="review-note-cancel")]

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="review-note-box"):  # one line to type: as tall as it needs
            yield Static(Text(t("review.note_title", label=visible(self.label)), style="bold"), markup=False)
            yield SafeInput("", id="review-note", placeholder=t("review.note_placeholder"))
            yield Static("", id="review-note-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("review.note_ok"), id="review-note-ok", variant="primary")
                yield Button(t("review.note_cancel"), id="review-note-cancel")

    def on_mount(self) -> None:
        self.query_one("#review-note", Input).focus()

    def _answer(self) -> None:
        note = self.query_one("#review-note", Input).value.strip()
        if not note:
            self.query_one("#review-note-problem", Static).update(Text(t("review.note_empty")))
            return
        self.dismiss(note)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "review-note-ok":
            self._answer()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
