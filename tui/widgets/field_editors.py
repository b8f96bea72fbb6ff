"""Form widgets generated from the schema: one editor per field type.

line → Input · text → growing TextArea · list → TextArea with one item per line (alt+↑/↓
moves a line) · enum → Select · number → Input · bool → Switch · vocabulary fields → Input
with suggestions (new values allowed) · table → a sub-form · list of tables → sub-forms with
add/remove. Every editor reports changes upward with ``FieldEditor.Changed``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Select, Static, Switch, TextArea
from textual.widgets.select import InvalidSelectValueError

from tui.core.cards.forms import field_value, select_options, shown_value, tables_value
from tui.core.cards.schema import Field
from tui.core.cards.text import visible
from tui.core.cards.validate import Problem
from ..i18n import lazy, t
from .safe import SafeInput, SafeSelect, SafeTextArea


class ListArea(SafeTextArea):
    """A text area where each line is one list item; alt+up/alt+down move the current line."""

    BINDINGS = [
        Binding("alt+up", "move(-1)", lazy("keys.move_up"), id="list-move-up"),
        Binding("alt+down", "move(1)", lazy("keys.move_down"), id="list-move-down"),
    ]

    def action_move(self, delta: int) -> None:
        lines = self.text.split("\n")
        row = self.cursor_location[0]
        target = row + delta
        if not (0 <= row < len(lines) and 0 <= target < len(lines)):
            return
        lines[row], lines[target] = lines[target], lines[row]
        self.replace("\n".join(lines), (0, 0), self.document.end)
        self.cursor_location = (target, 0)


class FieldEditor(Vertical):
    """Label and one line of help, the control for one field, and the problems found in it.

    Compact: a one-line value takes two rows (label line, value); on a wide screen the editor
    puts the label column left of the value (CSS class ``-wide`` on the screen).
    """

    class Changed(Message):
        """The value of a field changed."""

        def __init__(self, editor: FieldEditor) -> None:
            super().__init__()
            self.editor = editor

    def __init__(
        self,
        f: Field,
        value: Any,
        *,
        suggestions: list[str] | None = None,
        choices: list[str] | None = None,
        read_only: bool = False,
        labels: dict[str, str] | None = None,
    ) -> None:
        one_line = f.widget not in ("text", "list")
        super().__init__(classes=f"field field-{f.widget}" + (" -one-line" if one_line else ""))
        self.read_only = read_only
        self.field = f
        self.initial = value
        self.suggestions = suggestions or []
        self.choices = choices
        self.labels = labels or {}  # what a choice is called in the UI language (a status: its name)
        self._label = Static("", classes="field-label", markup=False)
        self._problems = Static("", classes="field-problems", markup=False)
        self._baseline: Any = shown_value(f, value, choices)

    # -- building ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # one line "label · help" (on wide screens: a label column left of the value)
        with Horizontal(classes="field-head"):
            yield self._label
            yield Static(Text(visible(self.help_line), style="dim"), classes="field-help", markup=False)
        with Vertical(classes="field-body"):
            yield from self.controls()
            yield self._problems

    @property
    def help_line(self) -> str:
        """The first sentence of the field's help (all of it is on F1)."""
        if self.read_only:
            return t("editor.read_only_field")
        return self.field.help.split(". ")[0]

    def on_mount(self) -> None:
        # what the control shows once built (a TextArea evens out line endings, for example):
        # while it still shows this, the field's value is exactly the file's
        self._baseline = self._shown()
        self.mark(changed=False)

    def controls(self) -> ComposeResult:
        f, v = self.field, self.initial
        if f.widget == "text":
            yield SafeTextArea(
                str(v or ""),
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                compact=True,
                classes="control text-control",
            )
        elif f.widget == "list":
            items = v if isinstance(v, list) else []
            yield ListArea(
                "\n".join(str(i) for i in items),
                soft_wrap=True,
                show_line_numbers=True,
                tab_behavior="focus",
                compact=True,
                classes="control list-control",
            )
        elif f.widget == "enum" or (self.choices is not None):
            options = select_options(f, v, self.choices)
            yield SafeSelect(
                [(visible(self.labels.get(o, o)), o) for o in options],
                value=v if v in options else Select.NULL,
                allow_blank=not f.required or v not in options,  # no choice made for the user
                compact=True,
                classes="control",
            )
        elif f.widget == "bool":
            yield Switch(value=bool(v), classes="control")
        elif f.widget == "number":
            yield SafeInput(
                "" if v is None else str(v), classes="control", placeholder="0", select_on_focus=False, compact=True
            )
        else:
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            # no select-on-focus: the first keystroke must not replace a whole title
            yield SafeInput(
                str(v or ""),
                classes="control",
                suggester=suggester,
                max_length=f.max_length or 0,
                disabled=self.read_only,
                select_on_focus=False,
                compact=True,
            )

    # -- value -----------------------------------------------------------------------------
    def _shown(self) -> Any:
        """What the control shows now, in the form model's terms (see ``forms.shown_value``)."""
        control = self.query_one(".control")
        if isinstance(control, TextArea):
            return control.text
        if isinstance(control, Select):
            return None if control.value is Select.NULL else control.value
        if isinstance(control, (Switch, Input)):
            return control.value
        return None

    @property
    def value(self) -> Any:
        """The field's value: the file's own (None when absent) until the user changes the control."""
        return field_value(self.field, self._shown(), self.initial, self._baseline, self.choices)

    def set_value(self, value: Any) -> None:
        """Put a value in the control (revert, restore from history or a draft, merge): from now
        on the field stands for exactly ``value`` until the user changes it."""
        control = self.query_one(".control")
        if isinstance(control, ListArea):
            control.load_text("\n".join(str(i) for i in (value or [])))
        elif isinstance(control, TextArea):
            control.load_text(str(value or ""))
        elif isinstance(control, Select):
            options = select_options(self.field, value, self.choices)
            if value and value not in [v for _, v in control._options]:
                control.set_options(
                    [(visible(self.labels.get(o, o)), o) for o in options]
                )  # a value from elsewhere is offered too
            with contextlib.suppress(InvalidSelectValueError):  # a required choice cannot be blank
                control.value = value if value else Select.NULL
        elif isinstance(control, Switch):
            control.value = bool(value)
        elif isinstance(control, Input):
            control.value = shown_value(self.field, value)
            if isinstance(control, SafeInput):
                control.clear_history()  # as TextArea.load_text: a loaded value is where undo stops
        self.initial = value
        self._baseline = self._shown()
        self.post_message(self.Changed(self))

    # -- display ---------------------------------------------------------------------------
    def mark(self, *, changed: bool) -> None:
        text = Text(self.field.label, style="bold")
        if self.field.required:
            text.append(" *", style="bold red")
        if changed:
            text.append("  ● " + t("editor.changed"), style="italic")
        self._label.update(text)
        self.set_class(changed, "-changed")

    def show_problems(self, problems: list[Problem]) -> None:
        text = Text()
        for i, p in enumerate(problems):
            line = ("\n" if i else "") + ("✗ " if p.is_error else "! ") + visible(str(p))
            text.append(line, style="red" if p.is_error else "yellow")
        self._problems.update(text)
        self._problems.display = bool(problems)
        self.set_class(any(p.is_error for p in problems), "-error")

    # -- events ----------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))


class TableEditor(Vertical):
    """A sub-form for a table field (impact grid, randvoorwaarden, FTE, one milestone)."""

    def __init__(
        self, f: Field, value: dict[str, Any] | None, *, removable: bool = False, title: str | None = None
    ) -> None:
        super().__init__(classes="table-editor")
        self.field = f
        self.original = value  # None for an item added in the form
        self.initial = value or {}
        self.removable = removable
        self.title = title

    def compose(self) -> ComposeResult:
        with Horizontal(classes="table-head"):
            yield Static(
                Text(self.title or self.field.label, style="bold underline"), markup=False, classes="table-title"
            )
            if self.removable:
                yield Button(t("editor.remove_item"), classes="remove-item", variant="error", compact=True)
        for child in self.field.children:
            if child.widget == "tables":
                yield TablesEditor(child, self.initial.get(child.key))
            elif child.widget == "table":
                yield TableEditor(child, self.initial.get(child.key))
            else:
                yield FieldEditor(child, self.initial.get(child.key))

    @property
    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for ed in self.children_editors():
            out[ed.field.key] = ed.value
        return out

    def children_editors(self) -> list[FieldEditor | TableEditor | TablesEditor]:
        return [w for w in self.children if isinstance(w, (FieldEditor, TableEditor, TablesEditor))]

    def set_value(self, value: dict[str, Any] | None) -> None:
        value = value or {}
        for ed in self.children_editors():
            ed.set_value(value.get(ed.field.key))


class TablesEditor(Vertical):
    """A list of sub-forms (milestones, assumptions) with add and remove."""

    class Changed(Message):
        """An item was added or removed."""

    def __init__(self, f: Field, value: Any) -> None:
        super().__init__(classes="tables-editor")
        self.field = f
        self.original = value  # exactly what the file holds (None when absent)
        self.initial = [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def compose(self) -> ComposeResult:
        yield Static(Text(self.field.label, style="bold"), markup=False, classes="field-label")
        for i, item in enumerate(self.initial, 1):
            yield TableEditor(self.field, item, removable=True, title=f"{self.field.label} {i}")
        yield Button(t("editor.add_item", label=self.field.label.lower()), classes="add-item", compact=True)

    @property
    def value(self) -> Any:
        """The items as the form shows them; the original list itself while nothing changed."""
        return tables_value(self.original, [(ed.original, ed.value) for ed in self.query_children(TableEditor)])

    def set_value(self, value: Any) -> None:
        self.original = value
        for ed in list(self.query_children(TableEditor)):
            ed.remove()
        button = self.query_one(".add-item", Button)
        items = [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
        for i, item in enumerate(items, 1):
            self.mount(TableEditor(self.field, item, removable=True, title=f"{self.field.label} {i}"), before=button)
        self.post_message(self.Changed())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("add-item"):
            event.stop()
            n = len(self.query_children(TableEditor)) + 1
            editor = TableEditor(self.field, {}, removable=True, title=f"{self.field.label} {n}")
            self.mount(editor, before=event.button)
            self.call_after_refresh(
                lambda: editor.query(".control").first().focus() if editor.query(".control") else None
            )
            self.post_message(self.Changed())
        elif event.button.has_class("remove-item"):
            event.stop()
            owner = event.button.parent.parent if event.button.parent else None
            if isinstance(owner, TableEditor):
                owner.remove()
                self.post_message(self.Changed())
