"""New card: choose region, kind, theme (and programme); the id and file name are proposed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static
from ..widgets.safe import SafeInput, SafeSelect

from tui.core.cards.card import Card
from tui.core.cards.forms import template
from tui.core.cards.schema import Kind
from tui.core.cards.slug import slugify
from tui.core.library import Library

from ..i18n import lazy, t


def propose_id(library: Library, region: str, title: str) -> str:
    """``REGION/slug-of-title``, made unique among the loaded cards."""
    base = f"{region}/{slugify(title) or 'nieuw'}"
    taken = {c.id.casefold() for c in library.cards.values()}
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


@dataclass(frozen=True)
class NewCard:
    """What the dialog answers: a card not yet on disk and the data to start the editor with."""

    card: Card
    data: dict[str, Any]


class NewCardDialog(ModalScreen["NewCard | None"]):
    """Asks what kind of card to make, then opens it in the editor."""

    BINDINGS = [Binding("escape", "dismiss", lazy("dialog.cancel"), id="new-cancel")]

    def __init__(
        self, library: Library, region: str | None = None, theme: str | None = None, kind: str | None = None
    ) -> None:
        super().__init__()
        self.start_kind = kind
        self.library = library
        self.start_region = region
        self.start_theme = theme
        self._id_edited = False
        self._ready = False

    def compose(self) -> ComposeResult:
        ws = self.library.workspace
        regions = list(ws.vocab.regions) or ["WBW"]
        if self.start_region in regions:
            regions.remove(self.start_region)
            regions.insert(0, self.start_region)
        with Vertical(classes="dialog"):
            yield Static(Text(t("new.title"), style="bold"), markup=False)
            yield Static(t("new.region"), markup=False)
            yield SafeSelect(
                [(f"{ws.vocab.regions[r].name} ({r})" if r in ws.vocab.regions else r, r) for r in regions],
                value=regions[0],
                allow_blank=False,
                id="new-region",
            )
            kinds = self._kinds(regions[0])
            yield Static(t("new.kind"), markup=False)
            names = [k.name for k in kinds]
            yield SafeSelect(
                [(k.title, k.name) for k in kinds],
                value=self.start_kind if self.start_kind in names else names[0],
                id="new-kind",
                allow_blank=False,
            )
            yield Static(t("new.theme"), markup=False)
            yield SafeSelect([(th, th) for th in ws.vocab.values("themes", regions[0])], id="new-theme")
            yield Static(t("new.card_title"), markup=False)
            yield SafeInput(id="new-title", placeholder=t("new.title_placeholder"))
            yield Static(t("new.id"), markup=False)
            yield SafeInput(id="new-id")
            yield Static("", id="new-file", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("new.create"), id="create", variant="primary")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self._ready = True
        self._region_changed()
        self.query_one("#new-title", Input).focus()

    @on(Select.Changed, "#new-region")
    def _region_changed(self, event: Select.Changed | None = None) -> None:
        if not self._ready:
            return
        ws = self.library.workspace
        region = self.chosen_region
        kinds = self._kinds(region)
        kind_select = self.query_one("#new-kind", Select)
        kind_select.set_options([(k.title, k.name) for k in kinds])
        names = [k.name for k in kinds]
        kind_select.value = self.start_kind if self.start_kind in names else names[0]
        themes = ws.vocab.values("themes", region)
        theme_select = self.query_one("#new-theme", Select)
        theme_select.set_options([(th, th) for th in themes])
        if themes:
            theme_select.value = self.start_theme if self.start_theme in themes else themes[0]
        self._propose()

    def _kinds(self, region: str) -> list[Kind]:
        """The kinds of card a region uses (all kinds when the schema does not say)."""
        all_kinds = list(self.library.workspace.schema.kinds.values())
        return [k for k in all_kinds if not k.regions or region in k.regions] or all_kinds

    @property
    def chosen_region(self) -> str:
        value = self.query_one("#new-region", Select).value
        return str(value) if value is not Select.NULL else ""

    @on(Input.Changed, "#new-title")
    def _title_changed(self, event: Input.Changed) -> None:
        if self._ready:
            self._propose()

    @on(Input.Changed, "#new-id")
    def _id_changed(self, event: Input.Changed) -> None:
        if not self._ready:
            return
        if self.focused is event.input:
            self._id_edited = True
        self._show_file()

    def _propose(self) -> None:
        if self._id_edited:
            return
        title = self.query_one("#new-title", Input).value
        id_input = self.query_one("#new-id", Input)
        with id_input.prevent(Input.Changed):
            id_input.value = propose_id(self.library, self.chosen_region, title)
        self._show_file()

    def _show_file(self) -> None:
        card_id = self.query_one("#new-id", Input).value
        path = self.library.workspace.store.path_for_new(card_id, self.chosen_region)
        rel = path.relative_to(self.library.workspace.root)
        self.query_one("#new-file", Static).update(Text(t("new.file", path=str(rel)), style="dim"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        title = self.query_one("#new-title", Input).value.strip()
        card_id = self.query_one("#new-id", Input).value.strip()
        if not title or not card_id:
            self.notify(t("new.need_title"), severity="warning")
            return
        pattern = self.library.workspace.schema.envelope["properties"]["id"].get("pattern")
        if pattern and not re.fullmatch(pattern, card_id):
            self.notify(t("new.bad_id"), severity="error")
            return
        if card_id.casefold() in {c.id.casefold() for c in self.library.cards.values()}:
            self.notify(t("new.id_taken", id=card_id), severity="error", markup=False)
            return
        ws = self.library.workspace
        kind = ws.schema.kind(str(self.query_one("#new-kind", Select).value))
        theme = self.query_one("#new-theme", Select).value
        envelope = {"id": card_id, "kind": kind.name if kind else "", "region": self.chosen_region, "title": title}
        if theme is not Select.NULL and theme:
            envelope["theme"] = str(theme)
        data = template(kind, envelope) if kind else envelope
        path = ws.store.path_for_new(card_id, self.chosen_region)
        placeholder = Card.build_cached(path, dict(data), "", bom=False, crlf=False)
        self.dismiss(NewCard(placeholder, data))  # the caller opens the editor on it
