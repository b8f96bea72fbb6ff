"""The bulk dialog: what to do (set, add, remove, replace), to which field, with which value.

Only the fields of the marked cards' kinds are offered, with their schema labels; the value box
completes from the field's choices, its vocabulary (organisations) and the values the cards
already hold (→ takes the suggestion). It answers a ``BulkEdit`` (or None); nothing is written
here: the preview comes next.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Select, Static

from tui.core.cards.card import Card
from tui.core.meetings.bulk import APPEND, OPS, REMOVE, REPLACE, SET, BulkEdit, bulk_fields, field_of, suggestions
from tui.core.workspace import Workspace

from ..i18n import lazy, t
from ..widgets.safe import SafeInput, SafeSelect

LIST_OPS = (APPEND, REMOVE)


class BulkDialog(ModalScreen[BulkEdit | None]):
    """Choose the operation, the field and the value of a bulk edit of ``cards``."""

    BINDINGS = [
        Binding("escape", "cancel", lazy("bulk.cancel"), id="bulk-cancel"),
        Binding("ctrl+s", "preview", lazy("bulk.preview"), id="bulk-preview", priority=True),
    ]

    def __init__(self, workspace: Workspace, cards: Sequence[Card], edit: BulkEdit | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.cards = list(cards)
        self.fields = bulk_fields(workspace.schema, [c.kind for c in self.cards])
        self.start = edit  # back from the preview: the edit as it was, to adjust

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="bulk-box"):
            yield Static(Text(t("bulk.title", count=len(self.cards)), style="bold"), markup=False)
            yield Static(t("bulk.op"), classes="label", markup=False)
            yield SafeSelect([(t(f"bulk.op_{op}"), op) for op in OPS], value=SET, allow_blank=False, id="bulk-op")
            yield Static(t("bulk.field"), classes="label", markup=False)
            options = [(f"{label} ({key})", key) for key, label in self.fields]
            yield SafeSelect(options, prompt=t("bulk.field"), id="bulk-field")
            yield Static(t("bulk.value"), classes="label", markup=False, id="bulk-value-label")
            yield SafeInput(placeholder=t("bulk.value_placeholder"), id="bulk-value", select_on_focus=False)
            yield Static(t("bulk.old"), classes="label", markup=False, id="bulk-old-label")
            yield SafeInput(id="bulk-old", select_on_focus=False)
            yield Static(t("bulk.new"), classes="label", markup=False, id="bulk-new-label")
            yield SafeInput(id="bulk-new", select_on_focus=False)
            yield Static("", id="bulk-problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("bulk.preview"), id="bulk-ok", variant="primary")
                yield Button(t("bulk.cancel"), id="bulk-cancel-button")

    def on_mount(self) -> None:
        start = self.start
        if start is not None and start.field in dict(self.fields):
            self.query_one("#bulk-op", Select).value = start.op
            self.query_one("#bulk-field", Select).value = start.field
            self.query_one("#bulk-value", Input).value = start.value
            self.query_one("#bulk-old", Input).value = start.old
            self.query_one("#bulk-new", Input).value = start.new
        self._show_inputs()
        if start is not None and start.op != REPLACE:
            self.query_one("#bulk-value", Input).focus()
        elif start is not None:
            self.query_one("#bulk-old", Input).focus()
        else:
            self.query_one("#bulk-field", Select).focus()

    # -- state -------------------------------------------------------------------------------
    @property
    def op(self) -> str:
        value = self.query_one("#bulk-op", Select).value
        return value if isinstance(value, str) else SET

    @property
    def field_key(self) -> str | None:
        value = self.query_one("#bulk-field", Select).value
        return value if isinstance(value, str) else None

    def _show_inputs(self) -> None:
        replace = self.op == REPLACE
        for wid in ("#bulk-value", "#bulk-value-label"):
            self.query_one(wid).display = not replace
        for wid in ("#bulk-old", "#bulk-old-label", "#bulk-new", "#bulk-new-label"):
            self.query_one(wid).display = replace

    def _problem(self, text: str) -> None:
        self.query_one("#bulk-problem", Static).update(Text(text))

    @on(Select.Changed, "#bulk-op")
    def _op_changed(self, event: Select.Changed) -> None:
        self._show_inputs()

    @on(Select.Changed, "#bulk-field")
    def _field_changed(self, event: Select.Changed) -> None:
        key = self.field_key
        if key is None:
            return
        self._problem("")
        offered = suggestions(self.workspace, key, self.cards)
        for wid in ("#bulk-value", "#bulk-old", "#bulk-new"):
            self.query_one(wid, Input).suggester = SuggestFromList(offered, case_sensitive=False)
        path = tuple(key.split("."))
        is_list = any(
            (f := field_of(k, path)) is not None and f.widget == "list"
            for k in (self.workspace.schema.kind(c.kind) for c in self.cards)
            if k is not None
        )
        chosen_before = self.start is not None and self.start.field == key
        if is_list and self.op == SET and not chosen_before:  # a list field: adding is what a meeting usually means
            self.query_one("#bulk-op", Select).value = APPEND
        elif not is_list and self.op in LIST_OPS:  # adding to or removing from a text cannot be meant
            self.query_one("#bulk-op", Select).value = SET

    # -- answers -----------------------------------------------------------------------------
    def edit(self) -> BulkEdit | None:
        """The edit the dialog describes, or None (and the reason shown) when it is not complete."""
        key = self.field_key
        if key is None:
            self._problem(t("bulk.need_field"))
            return None
        if self.op == REPLACE:
            old = self.query_one("#bulk-old", Input).value
            if not old:
                self._problem(t("bulk.error.empty_old"))
                return None
            return BulkEdit(REPLACE, key, old=old, new=self.query_one("#bulk-new", Input).value)
        value = self.query_one("#bulk-value", Input).value
        if self.op in LIST_OPS and not value.strip():
            self._problem(t("bulk.error.empty_value", op=t(f"bulk.op_{self.op}").lower()))
            return None
        return BulkEdit(self.op, key, value=value)

    def action_preview(self) -> None:
        edit = self.edit()
        if edit is not None:
            self.dismiss(edit)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "bulk-ok":
            self.action_preview()
        else:
            self.action_cancel()
