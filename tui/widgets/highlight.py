"""Showing where a search matched: the matched words marked in list rows and in the card view.

Always on text that has already been through ``visible()``: the marks are styles on spans of
that plain text (``rich.text.Text.stylize`` or segments), never markup built from card text.
Where words are is decided by the core (``find_terms``: folded, whole words), so "coordinatie"
marks "Coördinatie" and a mark never splits a word.
"""

from __future__ import annotations

from collections.abc import Collection

from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.core.search.query import find_terms

MARK = Style(bold=True, underline=True)  # the card view's mark (the list uses its component class)


def spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Where ``terms`` occur in ``text`` as whole words (empty when there are no terms)."""
    return find_terms(text, terms) if terms and text else []


def segments(text: str, terms: Collection[str], style: Style, mark: Style) -> list[Segment]:
    """``text`` as segments in ``style``, the matched words in ``style + mark``."""
    found = spans(text, terms)
    if not found:
        return [Segment(text, style)]
    out: list[Segment] = []
    at = 0
    marked = style + mark
    for start, end in found:
        if start > at:
            out.append(Segment(text[at:start], style))
        out.append(Segment(text[start:end], marked))
        at = end
    if at < len(text):
        out.append(Segment(text[at:], style))
    return out


def mark(text: Text, terms: Collection[str], style: Style | str = MARK) -> list[int]:
    """Mark the matched words in ``text`` (in place); the offsets where marks start."""
    found = spans(text.plain, terms)
    for start, end in found:
        text.stylize(style, start, end)
    return [start for start, _ in found]
