"""Help: every key, grouped by screen, generated from the bindings so it is never out of date."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import lazy, t
from ..ui_language import describe
from ..widgets.card_view import CardView


def _keys(binding: Binding) -> str:
    names = {"slash": "/", "question_mark": "?", "asterisk": "*"}
    return ", ".join(names.get(k, k) for k in binding.key.split(","))


def help_text(groups: list[tuple[str, list[Binding]]]) -> Text:
    """The help page: a heading per screen, a line per key with what it does, then how to search."""
    view_keys = [b for b in CardView.BINDINGS if isinstance(b, Binding)]
    if not any(b is view_keys[0] for _, bindings in groups for b in bindings):
        groups = [*groups, (t("help.card_view"), view_keys)]
    out = Text()
    out.append(t("help.title") + "\n\n", style="bold")
    out.append(t("help.intro") + "\n", style="italic")
    for title, bindings in groups:
        out.append(f"\n{title}\n", style="bold underline")
        for b in bindings:
            description = describe(b)
            if not description:
                continue
            out.append(f"  {_keys(b):<18}", style="bold")
            out.append(f"{description}\n")
    out.append(f"\n{t('help.search_title')}\n", style="bold underline")
    for line in t("help.search_text").strip().splitlines():
        out.append(f"  {line}\n")
    out.append("\n" + t("help.close") + "\n", style="dim")
    return out


class HelpScreen(ModalScreen[None]):
    """Every key of every screen; closes on escape, q, ? or F1."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", lazy("keys.close"), id="help-close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_text(self.groups), markup=False)
