"""Widgets that show card text without letting any of it reach the terminal raw.

Textual's ``Input`` and ``TextArea`` hand the characters of their value straight to the
terminal, so an ESC in a card title (``\\x1b]0;PWNED\\x07``) would retitle the terminal window
on every repaint. These subclasses show every hidden character (the rule of
:func:`tui.core.cards.text.is_hidden`) as its one-cell stand-in in a distinct style, while the
value, cursor, selection and undo history stay on the raw text: a stand-in has the same index
as the character it stands for, and all cell arithmetic (cursor offset, mouse clicks, soft
wrapping, up/down movement) is done on the shown form. Editing keeps what the file holds.

``SafeSelect`` does the same for option prompts (never markup either), the ``TerminalSafety``
app mixin for every toast, and its compositor guard drops any raw control character left.
Written against Textual 8.2.8 (pinned): the overridden points are ``Input._value``,
``Input._position_to_cell``, ``Input._cell_offset_to_index``, ``Input.render_line`` and
``TextArea.get_line``, ``TextArea._set_document``, ``TextArea.get_column_width``,
``TextArea.cell_width_to_column_index``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, overload

from rich.cells import cell_len, get_character_cell_size
from rich.console import RenderableType
from rich.style import Style
from rich.segment import Segment
from rich.text import Text
from textual._cells import cell_width_to_column_index
from textual._compositor import Compositor
from textual.document._document import Document, DocumentBase, EditResult, Location
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.expand_tabs import expand_tabs_inline
from textual.geometry import Region
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.strip import Strip
from textual.widgets import Input, Select, TextArea

from tui.core.cards.text import is_hidden, visible

HIDDEN_CLASS = "safe--hidden"
_HIDDEN_CSS = f"""
SafeInput > .{HIDDEN_CLASS}, SafeTextArea > .{HIDDEN_CLASS} {{
    color: $text-error;
    text-style: bold;
}}
"""


def shown(text: str, keep: str = "") -> str:
    """The one-cell shown form of ``text`` (same length, same indices)."""
    return visible(text, one_cell_form=True, keep=keep)


def mark_hidden(text: Text, raw: str, style: Style | str, keep: str = "") -> Text:
    """Give the stand-ins in ``text`` (built from ``raw``) the hidden style."""
    if not raw.isprintable():
        for index, ch in enumerate(raw):
            if ch not in keep and is_hidden(ch):
                text.stylize(style, index, index + 1)
    return text


def _hidden_style(widget: Input | TextArea) -> Style:
    """The style of the stand-ins (plain until the widget's CSS is known)."""
    try:
        return widget.get_component_rich_style(HIDDEN_CLASS)
    except KeyError:
        return Style()


def safe_prompt(prompt: RenderableType) -> RenderableType:
    """An option prompt that shows hidden characters and is never read as markup."""
    if isinstance(prompt, Text):
        return Text(visible(prompt.plain), style=prompt.style, end=prompt.end)
    if isinstance(prompt, str):
        return Text(visible(prompt), end="")
    return prompt


def _changed_span(old: str, new: str) -> tuple[int, int, int]:
    """Where ``old`` became ``new``: the common prefix length and the lengths of the changed middles."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, len(old) - prefix - suffix, len(new) - prefix - suffix


class InputHistory:
    """Undo and redo for a one-line input: earlier values, typing grouped word by word.

    Textual 8's ``Input`` has no undo (its ``TextArea`` has). Every change of the value is one step,
    except that characters typed one after another join the step before them until a space.
    """

    LIMIT = 200

    def __init__(self, value: str) -> None:
        self.current = value
        self.undo: list[str] = []
        self.redo: list[str] = []
        self._typing_at: int | None = None  # the index after the last character typed, while a word goes on

    def changed(self, value: str) -> None:
        """The input's value changed (by the user, a paste, a program): remember what it was."""
        if value == self.current:
            return
        start, removed, added = _changed_span(self.current, value)
        typed = removed == 0 and added == 1
        joins = typed and self._typing_at == start and not value[start].isspace() and bool(self.undo)
        if not joins:
            self.undo.append(self.current)
            del self.undo[: -self.LIMIT]
        self.redo.clear()
        self._typing_at = start + 1 if typed else None
        self.current = value

    def step(self, back: bool) -> tuple[str, int] | None:
        """The value to show after undo (``back``) or redo, and where the cursor goes; None at the end."""
        source, target = (self.undo, self.redo) if back else (self.redo, self.undo)
        if not source:
            return None
        value = source.pop()
        target.append(self.current)
        start, _removed, added = _changed_span(self.current, value)
        self.current = value
        self._typing_at = None
        return value, start + added

    def clear(self, value: str) -> None:
        """Forget the history (a value loaded from the file, a draft or a revert)."""
        self.current = value
        self.undo.clear()
        self.redo.clear()
        self._typing_at = None


class SafeInput(Input):
    """An ``Input`` whose hidden characters are shown as one-cell stand-ins, kept in the value.

    It also undoes and redoes (ctrl+z, ctrl+y), which Textual's ``Input`` does not.
    """

    DEFAULT_CSS = _HIDDEN_CSS
    COMPONENT_CLASSES = Input.COMPONENT_CLASSES | {HIDDEN_CLASS}
    BINDINGS = [
        Binding("ctrl+z,super+z", "undo", "", show=False, id="input-undo"),
        Binding("ctrl+y,super+y,ctrl+shift+z", "redo", "", show=False, id="input-redo"),
    ]

    def __init__(self, value: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(value, *args, **kwargs)
        self.history = InputHistory(self.value)

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        history = getattr(self, "history", None)  # None while Input.__init__ sets the first value
        if history is not None:
            history.changed(value)

    def clear_history(self) -> None:
        """Start the undo history afresh from the value shown now."""
        self.history.clear(self.value)

    def action_undo(self) -> None:
        """Put the value back as it was before the last change (typing: before the last word)."""
        self._step(back=True)

    def action_redo(self) -> None:
        """Do again what the last undo took back."""
        self._step(back=False)

    def _step(self, back: bool) -> None:
        found = self.history.step(back)
        if found is None:
            return
        value, cursor = found
        self.value = value  # the history already holds it: _watch_value records nothing
        self.cursor_position = cursor

    @property
    def _shown_value(self) -> str:
        return "•" * len(self.value) if self.password else shown(self.value)

    @property
    def _value(self) -> Text:
        """The value as shown: stand-ins instead of hidden characters."""
        if self.password:
            return super()._value
        text = Text(shown(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return mark_hidden(text, self.value, _hidden_style(self))

    def _position_to_cell(self, position: int) -> int:
        return cell_len(self._shown_value[:position])

    def _cell_offset_to_index(self, offset: int) -> int:
        cell_offset = 0
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        text = self._shown_value
        for index, char in enumerate(text):
            width = get_character_cell_size(char)
            if cell_offset <= offset < cell_offset + width:
                return index
            cell_offset += width
        return max(0, min(offset, len(text)))

    def render_line(self, y: int) -> Strip:
        """Input.render_line of Textual 8.2.8 with the placeholder and suggestion shown safely."""
        if y != 0:
            return Strip.blank(self.size.width, self.rich_style)
        console = self.app.console
        console_options = self.app.console_options
        max_content_width = self.scrollable_content_region.width
        if not self.value:
            placeholder = Text(shown(self.placeholder), justify="left", end="")
            placeholder.stylize(self.get_component_rich_style("input--placeholder"))
            if self.has_focus and self._cursor_visible:
                if len(placeholder) == 0:
                    placeholder = Text(" ", end="")
                placeholder.stylize(self.get_component_rich_style("input--cursor"), 0, 1)
            strip = Strip(console.render(placeholder, console_options.update_width(max_content_width + 1)))
        else:
            result = self._value
            value_length = len(self.value)
            suggestion = self._suggestion
            show_suggestion = len(suggestion) > value_length and self.has_focus
            if show_suggestion:
                result += Text(
                    shown(suggestion[value_length:]), self.get_component_rich_style("input--suggestion"), end=""
                )
            if self.has_focus:
                if not self.selection.is_empty:
                    start, end = sorted(self.selection)
                    result.stylize_before(self.get_component_rich_style("input--selection"), start, end)
                if self._cursor_visible:
                    cursor = self.cursor_position
                    if not show_suggestion and self.cursor_at_end:
                        result.pad_right(1)
                    result.stylize(self.get_component_rich_style("input--cursor"), cursor, cursor + 1)
            strip = Strip(list(console.render(result, console_options.update_width(self.content_width))))
            scroll_x, _ = self.scroll_offset
            strip = strip.crop(scroll_x, scroll_x + max_content_width + 1)
            strip = strip.extend_cell_length(max_content_width + 1)
        return strip.apply_style(self.rich_style)


_NEWLINE = re.compile(r"\r\n|\r|\n")


class KeepingDocument(Document):
    """A plain-text document that breaks lines only at real newlines.

    Textual's ``Document`` splits with ``str.splitlines``, which also breaks at U+000B, U+000C,
    U+001C-001E, U+0085, U+2028 and U+2029 and writes them back as newlines: a card value holding
    one of them would change just by being shown in the editor.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._lines = _NEWLINE.split(text)

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        top, bottom = sorted((start, end))
        top_row, top_column = top
        bottom_row, bottom_column = bottom
        insert_lines = _NEWLINE.split(text) if text else []
        lines = self._lines
        replaced_text = self.get_text_range(top, bottom)
        after_selection = "" if bottom_row >= len(lines) else lines[bottom_row][bottom_column:]
        before_selection = "" if top_row >= len(lines) else lines[top_row][:top_column]
        if insert_lines:
            insert_lines[0] = before_selection + insert_lines[0]
            destination_column = len(insert_lines[-1])
            insert_lines[-1] = insert_lines[-1] + after_selection
        else:
            destination_column = len(before_selection)
            insert_lines = [before_selection + after_selection]
        lines[top_row : bottom_row + 1] = insert_lines
        destination_row = top_row + len(insert_lines) - 1
        return EditResult((destination_row, destination_column), replaced_text)


class _ShownList(Sequence[str]):
    """A read-only view of a list of lines in their shown form, converted on access."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [shown(line, "\t") for line in self._lines[index]]
        return shown(self._lines[index], "\t")


class ShownLines:
    """The lines of a document as shown (stand-ins for hidden characters), for layout only.

    Wrapping and cursor movement measure cells on these lines; edits still go to the document.
    """

    def __init__(self, document: DocumentBase) -> None:
        self._document = document

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)

    @property
    def lines(self) -> _ShownList:
        return _ShownList(self._document.lines)

    def get_line(self, index: int) -> str:
        return shown(self._document.get_line(index), "\t")

    def __getitem__(self, index: int) -> str:
        return shown(self._document[index], "\t")


class SafeTextArea(TextArea):
    """A ``TextArea`` whose hidden characters are shown as one-cell stand-ins, kept in the text.

    ctrl+home and ctrl+end go to the start and the end of the whole text (with shift: selecting);
    undo and redo are Textual's own (ctrl+z, ctrl+y).
    """

    DEFAULT_CSS = _HIDDEN_CSS
    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {HIDDEN_CLASS}
    BINDINGS = [
        Binding("ctrl+home", "cursor_text_start", "", show=False, id="text-start"),
        Binding("ctrl+end", "cursor_text_end", "", show=False, id="text-end"),
        Binding("ctrl+shift+home", "cursor_text_start(True)", "", show=False, id="text-select-start"),
        Binding("ctrl+shift+end", "cursor_text_end(True)", "", show=False, id="text-select-end"),
    ]

    def action_cursor_text_start(self, select: bool = False) -> None:
        """The cursor to the very start of the text."""
        self.move_cursor((0, 0), select=select)

    def action_cursor_text_end(self, select: bool = False) -> None:
        """The cursor to the very end of the text."""
        self.move_cursor(self.document.end, select=select)

    def _set_document(self, text: str, language: str | None) -> None:
        if language:
            super()._set_document(text, language)
            document: DocumentBase = self.document
        else:
            self._highlight_query = None
            document = KeepingDocument(text)
            self.document = document
        self.wrapped_document = WrappedDocument(ShownLines(document), tab_width=self.indent_width)  # type: ignore[arg-type]
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    def get_line(self, line_index: int) -> Text:
        raw = self.document.get_line(line_index)
        text = Text(shown(raw, "\t"), end="", no_wrap=True)
        return mark_hidden(text, raw, _hidden_style(self), keep="\t")

    def get_column_width(self, row: int, column: int) -> int:
        line = shown(self.document[row], "\t")
        return cell_len(expand_tabs_inline(line[:column], self.indent_width))

    def cell_width_to_column_index(self, cell_width: int, row_index: int) -> int:
        return cell_width_to_column_index(shown(self.document[row_index], "\t"), cell_width, self.indent_width)


class SafeSelect(Select[Any]):
    """A ``Select`` whose option prompts show hidden characters and are never markup."""

    def _setup_variables_for_options(self, options: Iterable[tuple[RenderableType, Any]]) -> None:
        super()._setup_variables_for_options([(safe_prompt(prompt), value) for prompt, value in options])


# Characters that act on a terminal (C0, DEL, C1), reorder its display (bidi) or hide (zero width).
# All of them are zero cells wide to Rich, so dropping one keeps every strip's cell length.
_RAW = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_guard_installed = False


def guard_strip(strip: Strip) -> Strip:
    """``strip`` without any character that could act on the terminal (a last line of defence)."""
    if not _RAW.search(strip.text):
        return strip
    segments = [Segment(_RAW.sub("", text), style, control) for text, style, control in strip]
    return Strip(segments, strip.cell_length)


def install_terminal_guard() -> None:
    """Make the compositor drop raw control characters from every strip it sends to the terminal.

    Widgets show such characters visibly themselves (:func:`visible`, ``SafeInput``,
    ``SafeTextArea``); this guard is the belt to those braces, for widgets Textual builds
    itself (the command palette's input, a pasted query) and for any future widget that forgets.
    It hooks ``Compositor._get_renders`` of Textual 8.2.8, through which every widget's lines pass.
    """
    global _guard_installed
    if _guard_installed:
        return
    original = Compositor._get_renders

    def guarded(self: Compositor, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        for region, clip, strips in original(self, crop):
            yield region, clip, [guard_strip(strip) for strip in strips]

    Compositor._get_renders = guarded  # type: ignore[method-assign]
    _guard_installed = True


class TerminalSafety:
    """App mixin: no text reaches the terminal raw.

    Every toast (``notify``, from any widget or screen) shows its message and title through
    :func:`visible`, and the compositor guard is installed when the app is created.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        install_terminal_guard()
        super().__init__(*args, **kwargs)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(  # type: ignore[misc]
            visible(str(message)), title=visible(str(title)), severity=severity, timeout=timeout, markup=markup
        )
