"""After a crash: offer a card's unsaved draft back, showing the draft next to the file."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.drafts import Draft
from tui.core.git.fielddiff import diff_cards
from tui.core.library import Library
from tui.core.cards.render_text import card_sections, plain_value
from tui.core.cards.text import visible
from ..i18n import lazy, t


def _column(title: str, values: list[tuple[str, str]]) -> Text:
    out = Text(title + "\n", style="bold underline")
    for label, value in values:
        out.append(f"\n{label}\n", style="bold")
        out.append(visible(value or t("view.empty")) + "\n")
    return out


class RecoverDraftDialog(ModalScreen[str]):
    """Answers ``restore``, ``discard`` or ``later`` for one draft."""

    BINDINGS = [Binding("escape", "later", lazy("recover.later"), id="recover-later")]

    def __init__(self, library: Library, draft: Draft) -> None:
        super().__init__()
        self.library = library
        self.draft = draft

    def compose(self) -> ComposeResult:
        card = self.library.cards.get(self.draft.card_id)
        on_disk = dict(card.data) if card else None
        kind = self.library.workspace.schema.kind(str(self.draft.data.get("kind", "")))
        diffs = diff_cards(on_disk, self.draft.data, kind)
        keys = list(dict.fromkeys(str(d.path[0]) for d in diffs))
        labels = {s.key: s.label for s in card_sections(self.draft.data, kind, show_empty=True)}
        disk_vals = [(labels.get(k, k), plain_value(on_disk.get(k)) if on_disk else "") for k in keys]
        draft_vals = [(labels.get(k, k), plain_value(self.draft.data.get(k))) for k in keys]
        when = time.strftime("%d-%m-%Y %H:%M", time.localtime(self.draft.saved_at))
        title = visible(str(self.draft.data.get("title", self.draft.card_id)))
        with Vertical(classes="dialog wide"):
            yield Static(Text(t("recover.title", title=title, when=when), style="bold"), markup=False)
            yield Static(
                Text(t("recover.detail_new") if card is None else t("recover.detail", count=len(keys))), markup=False
            )
            with Horizontal(classes="side-by-side"):
                with VerticalScroll():
                    yield Static(_column(t("recover.on_disk"), disk_vals), markup=False)
                with VerticalScroll():
                    yield Static(_column(t("recover.draft"), draft_vals), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("recover.restore"), id="restore", variant="primary")
                yield Button(t("recover.discard"), id="discard", variant="error")
                yield Button(t("recover.later"), id="later")

    def on_mount(self) -> None:
        self.query_one("#restore", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")

    def action_later(self) -> None:
        self.dismiss("later")
