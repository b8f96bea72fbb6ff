"""A question with several answers (save / discard / keep editing, and the like), typed by answer id."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.cards.text import visible


class ChoiceDialog(ModalScreen[str]):
    """Offers ``choices`` as buttons; escape answers ``cancel_id``."""

    BINDINGS = [Binding("escape", "cancel", "", show=False, id="choice-cancel")]

    def __init__(
        self, question: str, detail: str, choices: list[tuple[str, str, str]], cancel_id: str, *, wide: bool = False
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.choices = choices  # (id, label, variant)
        self.cancel_id = cancel_id
        self.wide = wide

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog" + (" wide" if self.wide else "")):
            yield Static(Text(visible(self.question), style="bold"), markup=False)
            if self.detail:
                with VerticalScroll(classes="dialog-detail"):
                    yield Static(Text(visible(self.detail)), markup=False)
            with Horizontal(classes="buttons"):
                for cid, label, variant in self.choices:
                    yield Button(label, id=f"choice-{cid}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.cancel_id}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_id)
