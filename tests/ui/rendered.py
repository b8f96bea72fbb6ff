"""What the app actually draws: the segments of the active screen, checked for raw control text.

Two levels are checked, because Kaartenbak has two defences (tui/widgets/safe.py):

- every visible widget's own ``render_lines`` (what each widget would draw; this is where the
  visible rule must hold, before the compositor guard), and
- the compositor's full update (what is sent to the terminal, after the guard).
"""

from __future__ import annotations

import re

from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

# Written out here on purpose (not imported from the code under test): C0, DEL, C1, zero-width,
# line/paragraph separators, bidi embeddings/overrides/isolates, BOM.
RAW = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _raw_in(strips: list[Strip], where: str) -> list[str]:
    found = []
    for y, strip in enumerate(strips):
        for segment in strip:
            if RAW.search(segment.text):
                found.append(f"{where} line {y}: {segment.text!r}")
    return found


def raw_segments(app: App[object]) -> list[str]:
    """Every rendered segment of the active screen that holds a raw control character."""
    screen = app.screen
    compositor = screen._compositor
    found = _raw_in(list(compositor.render_update(full=True).strips), "terminal")
    for widget, (region, _clip) in list(compositor.visible_widgets.items()):
        if region.width and region.height:
            lines = widget.render_lines(Region(0, 0, region.width, region.height))
            found += _raw_in(lines, type(widget).__name__ + (f"#{widget.id}" if widget.id else ""))
    return found


def screen_text(app: App[object]) -> str:
    """The plain text the active screen shows, line by line."""
    strips = app.screen._compositor.render_update(full=True).strips
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
