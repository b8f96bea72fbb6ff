"""The card list: a virtual list on Textual's line API, fast at 10,000 cards.

Only the visible rows are rendered; moving the cursor repaints two lines. Card text is
written as plain segments (never markup), with control characters made visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.cards.text import visible

from ..i18n import lazy
from .highlight import segments as marked


@dataclass(frozen=True)
class Row:
    """One line of the list: a card's id, its columns, and its status badges."""

    card_id: str
    title: str
    number: str = ""
    subtitle: str = ""
    badges: str = ""
    snippet: str = ""
    problem: bool = False  # a file that cannot be listed as a card (unreadable, duplicate id)


class CardList(ScrollView, can_focus=True):
    """A scrollable, keyboard- and mouse-driven list of cards."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", lazy("keys.up"), show=False, id="list-up"),
        Binding("down,j", "cursor(1)", lazy("keys.down"), show=False, id="list-down"),
        Binding("pageup", "page(-1)", lazy("keys.page_up"), show=False, id="list-page-up"),
        Binding("pagedown", "page(1)", lazy("keys.page_down"), show=False, id="list-page-down"),
        Binding("home", "jump(0)", lazy("keys.first"), show=False, id="list-first"),
        Binding("end", "jump(-1)", lazy("keys.last"), show=False, id="list-last"),
        Binding("enter", "select", lazy("keys.open"), id="list-open"),
    ]
    COMPONENT_CLASSES = {
        "card-list--cursor",
        "card-list--badge",
        "card-list--number",
        "card-list--dim",
        "card-list--match",
    }
    DEFAULT_CSS = """
    CardList { background: $surface; }
    CardList > .card-list--cursor { background: $accent 40%; text-style: bold; }
    CardList:focus > .card-list--cursor { background: $accent; color: $text; }
    CardList > .card-list--badge { color: $warning; }
    CardList > .card-list--number { color: $text-muted; }
    CardList > .card-list--dim { color: $text-muted; }
    CardList > .card-list--match { text-style: bold underline; color: $text-accent; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another card."""

        def __init__(self, card_id: str | None) -> None:
            super().__init__()
            self.card_id = card_id

    class Selected(Message):
        """A card was chosen (enter or double click)."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._last_highlight: str | None = None
        self.marks: frozenset[str] = frozenset()  # words the search matched, marked in the rows

    def set_rows(self, rows: list[Row], keep: str | None = None, marks: frozenset[str] = frozenset()) -> None:
        """Replace the rows; keep the cursor on card ``keep`` if it is still listed; mark the words ``marks``."""
        self.rows = rows
        self.marks = marks
        self.virtual_size = Size(self.size.width, len(rows))
        index = next((i for i, r in enumerate(rows) if r.card_id == keep), 0) if keep else 0
        self.cursor = min(index, max(len(rows) - 1, 0))
        self.refresh()

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old - self.scroll_offset.y)
        self.refresh_line(new - self.scroll_offset.y)
        self.scroll_to_region_cursor()
        row = self.current
        card_id = row.card_id if row else None
        if card_id != self._last_highlight:
            self._last_highlight = card_id
            self.post_message(self.Highlighted(card_id))

    def scroll_to_region_cursor(self) -> None:
        if self.rows:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True)

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 1))

    def action_jump(self, index: int) -> None:
        if self.rows:
            self.cursor = index if index >= 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.current:
            self.post_message(self.Selected(self.current.card_id))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("card-list--cursor")
        badge = self.get_component_rich_style("card-list--badge")
        dim = self.get_component_rich_style("card-list--dim")
        number = self.get_component_rich_style("card-list--number")
        match = self.get_component_rich_style("card-list--match")
        marks = frozenset() if row.problem else self.marks
        segments = [
            Segment(f"{row.badges:<3} ", base + badge),
            Segment(f"{visible(row.number)[:7]:<7} ", base + number),
            *marked(visible(row.title).replace("\n", " "), marks, base + badge if row.problem else base, match),
        ]
        extra = row.snippet or row.subtitle
        if extra:
            segments += marked(
                "  " + visible(extra).replace("\n", " "), marks if row.snippet else (), base + dim, match
            )
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, base)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
