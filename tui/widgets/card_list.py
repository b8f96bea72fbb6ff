"""The card list: a virtual list on Textual's line API, fast at 10,000 cards.

Only the visible rows are rendered; moving the cursor repaints two lines. Card text is
written as plain segments (never markup), with control characters made visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.cards.text import visible

from ..i18n import catalogue, language, lazy
from .highlight import segments as marked

NUMBER_MAX = 8  # the number column grows with the numbers listed, up to this
STATUS_MAX = 14  # the status column ("Ter bespreking"), only when a listed card has a status
SUBTITLE_MIN = 12  # the theme (or snippet) after the title only when this much room is left
PICK_MARK = "■ "  # before the row of a card marked for a bulk edit


def kind_mark(kind: str) -> str:
    """The short mark of a card's kind in the list ("P", "GP", "I", …; ``kind_mark.<kind>``)."""
    words = catalogue(language())
    return words.get(f"kind_mark.{kind}") or catalogue("nl").get(f"kind_mark.{kind}") or kind[:2].upper()


def fit(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: cut with "…" when it is longer."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


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
    mark: str = ""  # the kind's short mark (kind_mark): a project and a good practice "1.1" differ
    status: str = ""  # the card's status, as its short name ("Vastgesteld"); '' when it has none


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
        Binding("space", "toggle_pick", lazy("bulk.key_mark"), id="list-mark"),
        Binding("asterisk", "pick_all", lazy("bulk.key_mark_all"), show=False, id="list-mark-all"),
    ]
    COMPONENT_CLASSES = {
        "card-list--cursor",
        "card-list--badge",
        "card-list--number",
        "card-list--dim",
        "card-list--mark",
        "card-list--match",
    }
    DEFAULT_CSS = """
    CardList { background: $surface; overflow-x: hidden; }
    CardList > .card-list--cursor { background: $accent 40%; text-style: bold; }
    CardList:focus > .card-list--cursor { background: $accent; color: $text; }
    CardList > .card-list--badge { color: $warning; }
    CardList > .card-list--number { color: $text-muted; }
    CardList > .card-list--dim { color: $text-muted; }
    CardList > .card-list--mark { color: $text-accent; }
    CardList > .card-list--match { text-style: bold underline; color: $text-accent; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another card."""

        def __init__(self, card_id: str | None) -> None:
            super().__init__()
            self.card_id = card_id

    class PicksChanged(Message):
        """Cards were marked or unmarked (space, ``*``) for a bulk edit; ``everything``: by ``*``."""

        def __init__(self, count: int, everything: bool | None = None) -> None:
            super().__init__()
            self.count = count
            self.everything = everything

    class Selected(Message):
        """A card was chosen (enter or double click)."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._last_highlight: str | None = None
        self._widths = (0, 0, 0, 0)  # badge, mark, number and status columns: as wide as the rows need
        self.marks: frozenset[str] = frozenset()  # words the search matched, marked in the rows
        self.picked: set[str] = set()  # cards marked for a bulk edit (space, *), shown with PICK_MARK

    def set_rows(self, rows: list[Row], keep: str | None = None, marks: frozenset[str] = frozenset()) -> None:
        """Replace the rows; keep the cursor on card ``keep`` if it is still listed; mark the words ``marks``."""
        self.rows = rows
        self._widths = (
            max((cell_len(r.badges) for r in rows), default=0),
            max((cell_len(r.mark) for r in rows), default=0),
            min(NUMBER_MAX, max((cell_len(visible(r.number)) for r in rows), default=0)),
            min(STATUS_MAX, max((cell_len(visible(r.status)) for r in rows), default=0)),
        )
        self.marks = marks
        self.virtual_size = Size(self.size.width, len(rows))
        index = next((i for i, r in enumerate(rows) if r.card_id == keep), 0) if keep else 0
        self.cursor = min(index, max(len(rows) - 1, 0))
        self.refresh()

    def move_to(self, card_id: str) -> bool:
        """Put the cursor on ``card_id`` if it is listed (False when it is not)."""
        index = next((i for i, r in enumerate(self.rows) if r.card_id == card_id), None)
        if index is None:
            return False
        self.cursor = index
        return True

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

    # -- marking cards for a bulk edit ---------------------------------------------------------------
    def _pickable(self) -> list[str]:
        return [r.card_id for r in self.rows if not r.problem]

    def action_toggle_pick(self) -> None:
        """space: mark or unmark the card under the cursor, then on to the next row."""
        row = self.current
        if row is None or row.problem:
            return
        self.picked.symmetric_difference_update({row.card_id})
        self.refresh()
        self.post_message(self.PicksChanged(len(self.picked)))
        self.action_cursor(1)

    def action_pick_all(self) -> None:
        """``*``: mark every card listed; when they all are marked already, unmark all."""
        listed = self._pickable()
        everything = bool(listed) and not set(listed) <= self.picked
        self.picked = set(listed) if everything else set()
        self.refresh()
        self.post_message(self.PicksChanged(len(self.picked), everything))

    def set_picked(self, card_ids: set[str]) -> None:
        """Mark exactly ``card_ids`` (e.g. none after a bulk edit, or without cards that are gone)."""
        if card_ids != self.picked:
            self.picked = set(card_ids)
            self.refresh()
            self.post_message(self.PicksChanged(len(self.picked)))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width  # without the scrollbar
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("card-list--cursor")
        badge = self.get_component_rich_style("card-list--badge")
        dim = self.get_component_rich_style("card-list--dim")
        number = self.get_component_rich_style("card-list--number")
        mark_style = self.get_component_rich_style("card-list--mark")
        match = self.get_component_rich_style("card-list--match")
        segments = self.row_segments(row, width, base, badge, mark_style, number, dim, match)
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, base)

    def row_segments(
        self,
        row: Row,
        width: int,
        base: Style,
        badge: Style,
        mark: Style,
        number: Style,
        dim: Style,
        match: Style | None = None,
    ) -> list[Segment]:
        """One row in ``width`` cells: badges, kind mark, number, status, then the title as wide as it fits.

        The theme (or a search snippet) follows the title only in the room the title leaves.
        """
        badge_w, mark_w, number_w, status_w = self._widths
        head: list[Segment] = []
        if self.picked:  # a column for the bulk marks only while cards are marked
            picked = row.card_id in self.picked
            head.append(Segment(PICK_MARK if picked else " " * cell_len(PICK_MARK), base + mark if picked else base))
        if badge_w:
            head.append(Segment(f"{row.badges:<{badge_w}} ", base + badge))
        else:
            head.append(Segment(" ", base))
        if mark_w:
            head.append(Segment(f"{row.mark:<{mark_w}} ", base + mark))
        if number_w:
            head.append(Segment(f"{fit(visible(row.number), number_w):<{number_w}} ", base + number))
        if status_w:
            head.append(Segment(f"{fit(visible(row.status), status_w):<{status_w}} ", base + dim))
        used = sum(seg.cell_length for seg in head)
        room = max(0, width - used - 1)  # one cell free at the right edge
        title = visible(row.title).replace("\n", " ")
        shown = fit(title, room)
        words = frozenset() if row.problem or match is None else self.marks
        match = match or Style()
        segments = [*head, *marked(shown, words, base + badge if row.problem else base, match)]
        extra = visible(row.snippet or row.subtitle).replace("\n", " ")
        left = room - cell_len(shown) - 2
        if extra and left >= min(SUBTITLE_MIN, len(extra)):
            segments += marked("  " + fit(extra, left), words if row.snippet else (), base + dim, match)
        return segments

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
