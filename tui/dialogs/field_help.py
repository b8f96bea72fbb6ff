"""The whole help text of one field (F1 in the editor), with what the schema requires of it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.cards.text import visible

from ..i18n import lazy, t


class FieldHelpDialog(ModalScreen[None]):
    """Label, help and rules of a field; escape, enter or F1 closes it."""

    BINDINGS = [
        Binding("escape,enter,f1", "dismiss", lazy("keys.close"), id="field-help-close", priority=True),
    ]

    def __init__(self, label: str, help_text: str, rules: list[str]) -> None:
        super().__init__()
        self.label = label
        self.help_text = help_text
        self.rules = rules
        self.message = "\n\n".join([help_text, *rules])

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="field-help-box"):
            yield Static(Text(visible(self.label), style="bold"), markup=False)
            with VerticalScroll(classes="dialog-detail"):
                yield Static(Text(visible(self.help_text)), markup=False)
                for rule in self.rules:
                    yield Static(Text("• " + visible(rule), style="italic"), markup=False)
            yield Static(Text(t("editor.help_close"), style="dim"), markup=False, classes="hint")
