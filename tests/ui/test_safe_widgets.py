"""SafeInput, SafeTextArea, SafeSelect and the compositor guard (tui/widgets/safe.py) on their own."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets._toast import Toast

from tests.ui.rendered import raw_segments, screen_text
from tui.widgets.safe import SafeInput, SafeSelect, SafeTextArea, TerminalSafety, guard_strip

HOSTILE = "T\x1b]0;PWNED\x07 \x9b\u202e x"
# str.splitlines() breaks at all of these; a card value holding them must survive the editor
NOT_NEWLINES = "a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i"


class Bare(App[None]):
    """A plain Textual app (no guard installed by it) with the safe widgets."""

    def compose(self) -> ComposeResult:
        yield SafeInput(HOSTILE, id="input")
        yield SafeTextArea(HOSTILE + "\n" + NOT_NEWLINES, id="area", soft_wrap=True)
        yield SafeSelect([(HOSTILE, 1), ("[@click=app.quit]b[/]", 2)], value=1, id="select")


async def test_safe_widgets_show_stand_ins_and_keep_the_value() -> None:
    app = Bare()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert raw_segments(app) == []
        text = screen_text(app)
        assert "T␛]0;PWNED␇ �¤ x" in text  # input and area: one cell each
        assert "T<U+001B>]0;PWNED<U+0007>" in text  # select prompt: read-only form
        assert app.query_one(SafeInput).value == HOSTILE
        area = app.query_one(SafeTextArea)
        assert area.text == HOSTILE + "\n" + NOT_NEWLINES
        assert area.document.line_count == 2
        area.focus()
        area.move_cursor((1, len(NOT_NEWLINES)))
        await pilot.press("!")
        assert area.text == HOSTILE + "\n" + NOT_NEWLINES + "!"
        area.move_cursor((0, 2))  # just after the ESC
        await pilot.press("backspace")
        assert area.text.startswith("T]0;PWNED")
        await pilot.press("ctrl+z")
        assert area.text.startswith(HOSTILE)


async def test_clicking_in_a_safe_input_lands_on_the_character_under_the_mouse() -> None:
    app = Bare()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        box = app.query_one(SafeInput)
        offset = HOSTILE.index("PWNED")  # every character before it is one cell wide on screen
        await pilot.click(SafeInput, offset=(box.content_region.x - box.region.x + offset, 1))
        assert box.cursor_position == offset
        assert box._cursor_offset == offset


def test_guard_drops_raw_characters_and_keeps_the_cell_length() -> None:
    strip = Strip([Segment("ab\x1b]0;T\x07c"), Segment("\u202ed\x9b")])
    guarded = guard_strip(strip)
    assert guarded.text == "ab]0;Tcd" and guarded.cell_length == strip.cell_length
    clean = Strip([Segment("abc")])
    assert guard_strip(clean) is clean


class Guarded(TerminalSafety, App[None]):
    """An app with the guard but a plain Textual Input (as Textual's own palette input is)."""

    def compose(self) -> ComposeResult:
        yield Input(HOSTILE)


async def test_the_guard_keeps_a_raw_widget_off_the_terminal_and_toasts_are_visible() -> None:
    app = Guarded()
    async with app.run_test(size=(60, 12), notifications=True) as pilot:
        await pilot.pause()
        widget_lines = raw_segments(app)
        assert widget_lines and all(not line.startswith("terminal") for line in widget_lines)
        app.notify(HOSTILE, title=HOSTILE)
        for _ in range(100):  # bounded: the toast is mounted a few messages later
            if app.screen.query(Toast):
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert "<U+001B>]0;PWNED<U+0007>" in screen_text(app)
        assert not [line for line in raw_segments(app) if line.startswith("terminal")]


async def test_stand_ins_are_drawn_in_their_own_style() -> None:
    app = Bare()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        box = app.query_one(SafeInput)
        strips = box.render_lines(box.region.reset_offset)
        segments = [seg for strip in strips for seg in strip if seg.text.strip()]
        escape = next(seg for seg in segments if "␛" in seg.text)
        plain = next(seg for seg in segments if seg.text.startswith("T"))
        assert escape.text == "␛" and escape.style is not None and escape.style.bold
        assert plain.style is None or not plain.style.bold
