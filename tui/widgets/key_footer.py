"""The footer of the main screens: help and quit first, so a narrow terminal never loses them.

Textual's footer lists the focused widget's keys, then the screen's, then the app's; the app's
``?`` (help) and ``q`` (quit) come last and are the first to fall off the right edge. This footer
shows the same keys with those two in front, compact when the terminal is narrow.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

FIRST = ("help", "quit")  # actions (on the app) that always stay visible, in this order
COMPACT_BELOW = 100  # columns: under this the footer drops its spacing


def _first_rank(widget: Widget) -> int | None:
    """Where a footer key goes among the first ones (None: it keeps its place after them)."""
    action = getattr(widget, "action", None)  # a FooterKey (not public in Textual) knows its action
    name = action.removeprefix("app.") if isinstance(action, str) else ""
    return FIRST.index(name) if name in FIRST else None


class KeyFooter(Footer):
    """A footer that keeps help and quit in view."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        ranked = [(rank, i) for i, w in enumerate(widgets) if (rank := _first_rank(w)) is not None]
        front = [i for _rank, i in sorted(ranked)]
        yield from (widgets[i] for i in front)
        yield from (w for i, w in enumerate(widgets) if i not in front)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW
