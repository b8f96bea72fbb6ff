"""Moving around the editor's form: the focused field in view with its label, go to a field, section jumps.

Kept apart from ``editor.py`` (building, drafts, saving): this part only moves focus and scrolls.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widgets import Static

from ..dialogs.goto_field import GotoFieldDialog
from ..widgets.field_editors import FieldEditor, TableEditor, TablesEditor


class FormMoves(Screen[None]):
    """Focus and scrolling in a form of field editors (``#form``); the editor screen builds the form."""

    FOCUS_SETTLE: ClassVar[float] = 0.15  # s: look again that the focused field is in view (late scrolls)

    editors: dict[str, Any]  # top-level field key -> its editor, in form order
    sections: list[tuple[Static, list[str]]]  # group head and its field keys, in order
    built: bool  # the form's widgets exist and take keystrokes

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The focused field is fully in view with its label (Textual only scrolls to the control)."""
        node: Any = event.widget
        while node is not None and not isinstance(node, (FieldEditor, TableEditor, TablesEditor)):
            node = node.parent
        if node is not None:
            self._show_after_layout(node)

    def _show_after_layout(self, editor: Any, top: bool = False) -> None:
        """Bring ``editor`` into view once a focused text area has grown to its focused height."""
        self.call_after_refresh(self.call_after_refresh, self._show_field, editor, top)

    def _show_field(self, editor: Any, top: bool = False, tries: int = 3) -> None:
        if not editor.is_attached:
            return
        form = self.query_one("#form", VerticalScroll)
        fits = editor.outer_size.height <= form.scrollable_content_region.height
        # taller than the form, or jumped to: its label at the top
        form.scroll_to_widget(editor, animate=False, top=top or not fits, immediate=True)
        if tries > 1 and fits:  # a text area growing on focus, or Textual's own focus scroll, may come later
            self.call_after_refresh(self._recheck_field, editor, top, tries - 1)
            self.set_timer(self.FOCUS_SETTLE, lambda: self._recheck_field(editor, top, 1))

    def _recheck_field(self, editor: Any, top: bool, tries: int) -> None:
        form = self.query_one("#form", VerticalScroll)
        if editor.is_attached and self.focused is not None and not form.region.contains_region(editor.region):
            self._show_field(editor, top, tries)

    def focus_field(self, key: str) -> bool:
        """Focus the first control of field ``key`` and bring it into view with its label."""
        editor = self.editors.get(key)
        if editor is None:
            return False
        target = next((w for w in editor.query("*") if w.focusable), None)
        if target is None:
            return False
        target.focus(scroll_visible=False)
        self._show_after_layout(editor, top=True)
        return True

    def field_labels(self) -> list[tuple[str, str]]:
        """(key, label) of every field in the form, in its order (labels in the UI's language)."""
        return [(key, ed.field.label) for key, ed in self.editors.items()]

    def action_goto_field(self) -> None:
        """Pick a field by its label (fuzzy) and go there."""
        if not self.built:
            return

        def answered(key: str | None) -> None:
            if key:
                self.focus_field(key)

        self.app.push_screen(GotoFieldDialog(self.field_labels()), answered)

    def _top_key(self) -> str | None:
        """The key of the top-level field that has focus."""
        tops = {id(ed): key for key, ed in self.editors.items()}
        node: Any = self.focused
        while node is not None and id(node) not in tops:
            node = node.parent
        return tops[id(node)] if node is not None else None

    def action_section(self, delta: int) -> None:
        """To the first field of the next (1) or previous (-1) section; back to the start of this one first."""
        if not self.built or not self.sections:
            return
        current = self._top_key()
        index = next((i for i, (_h, keys) in enumerate(self.sections) if current in keys), -1)
        if delta < 0 and index >= 0 and current != self.sections[index][1][0]:
            target = index  # not at the start of this section: go there first
        else:
            target = index + delta if index >= 0 else 0
        target = max(0, min(len(self.sections) - 1, target))
        head, keys = self.sections[target]
        for key in keys:
            if self.focus_field(key):
                if head.display:
                    self.call_after_refresh(self.call_after_refresh, self._show_section, head)
                return

    def _show_section(self, head: Static) -> None:
        self.query_one("#form", VerticalScroll).scroll_to_widget(head, animate=False, top=True, immediate=True)
