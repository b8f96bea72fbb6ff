"""The one sanitising rule (tui/core/cards/text.py): what is hidden, and its two shown forms."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tui.core.cards.text import is_hidden, one_cell, visible

TERMINAL_ACTIVE = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
BIDI_AND_ZERO_WIDTH = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
BIDI_AND_ZERO_WIDTH += ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u2028", "\u2029"]


def test_every_control_bidi_and_zero_width_character_is_hidden() -> None:
    for ch in TERMINAL_ACTIVE + BIDI_AND_ZERO_WIDTH:
        assert is_hidden(ch), f"U+{ord(ch):04X}"
    for ch in "aZ09 é€中🙂[]\\/<>":
        assert not is_hidden(ch)


def test_read_only_form_names_the_code_point_and_keeps_newlines_and_tabs() -> None:
    assert visible("a\x1b]0;T\x07\tb\nc\x9b\u202e") == "a<U+001B>]0;T<U+0007>\tb\nc<U+009B><U+202E>"
    assert visible("plain [bold]text[/]") == "plain [bold]text[/]"


def test_one_cell_form_is_one_distinct_cell_per_character() -> None:
    assert visible("\x1b]0;T\x07", one_cell_form=True) == "␛]0;T␇"
    assert one_cell("\x00") == "␀" and one_cell("\x7f") == "␡" and one_cell("\x9d") == "\ufffd"
    assert one_cell("\u202e") == "¤"
    assert visible("a\tb\nc", one_cell_form=True, keep="") == "a␉b␊c"
    for ch in TERMINAL_ACTIVE + BIDI_AND_ZERO_WIDTH:
        stand_in = one_cell(ch)
        assert len(stand_in) == 1 and not is_hidden(stand_in)
        assert unicodedata.east_asian_width(stand_in) in ("N", "A")  # one cell wide


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_no_hidden_character_survives_either_form(text: str) -> None:
    one = visible(text, one_cell_form=True, keep="")
    assert len(one) == len(text)  # indices into the value are indices into what is shown
    assert not any(is_hidden(ch) for ch in one)
    assert not any(is_hidden(ch) and ch not in "\n\t" for ch in visible(text))
    assert [a for a, b in zip(text, one, strict=True) if a != b] == [ch for ch in text if is_hidden(ch)]
