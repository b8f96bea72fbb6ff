"""Go to a field of the form: type a few letters of its label, enter jumps there (ctrl+g)."""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz, utils
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.cards.text import visible

from ..i18n import lazy, t
from ..widgets.safe import SafeInput

MIN_SCORE = 70  # below this a label does not count as matching what was typed


def fold(text: str) -> str:
    """Lower case without diacritics ("coördinatie" → "coordinatie"), for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return utils.default_process("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def rank(query: str, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (key, label) pairs matching ``query`` best first; ties keep the form's order; all when empty."""
    wanted = fold(query)
    if not wanted:
        return list(fields)
    scored = []
    for order, (key, label) in enumerate(fields):
        name = fold(label)
        words = name.split()
        if all(any(word.startswith(part) for word in words) for part in wanted.split()):
            # every word typed starts a word of the label: beats letters scattered in it
            score = 110.0 if name.startswith(wanted) else 100.0
        else:
            score = fuzz.WRatio(wanted, name)
        if score >= MIN_SCORE:
            scored.append((-score, order, key, label))
    return [(key, label) for _s, _o, key, label in sorted(scored)]


class GotoFieldDialog(ModalScreen[str | None]):
    """Pick a field by (part of) its label; answers the field's key, or None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", lazy("keys.close"), id="goto-field-cancel"),
        Binding("down", "move(1)", "", show=False, id="goto-field-down"),
        Binding("up", "move(-1)", "", show=False, id="goto-field-up"),
        Binding("pagedown", "move(8)", "", show=False, id="goto-field-page-down"),
        Binding("pageup", "move(-8)", "", show=False, id="goto-field-page-up"),
    ]

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        super().__init__()
        self.fields = fields  # (key, label) in the form's order
        self.shown: list[tuple[str, str]] = list(fields)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="goto-field-box"):
            yield Static(Text(t("editor.goto_title"), style="bold"), markup=False)
            yield SafeInput(placeholder=t("editor.goto_placeholder"), id="goto-field-query")
            yield OptionList(id="goto-field-list", markup=False)
            yield Static(Text(t("editor.goto_hint"), style="dim"), markup=False, classes="hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#goto-field-query", Input).focus()

    def _fill(self) -> None:
        options = self.query_one("#goto-field-list", OptionList)
        options.clear_options()
        options.add_options([Option(Text(visible(label)), id=key) for key, label in self.shown])
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#goto-field-query")
    def _typed(self, event: Input.Changed) -> None:
        self.shown = rank(event.value, self.fields)
        self._fill()

    @on(Input.Submitted, "#goto-field-query")
    def _enter(self) -> None:
        options = self.query_one("#goto-field-list", OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted][0])

    @on(OptionList.OptionSelected, "#goto-field-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#goto-field-list", OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
