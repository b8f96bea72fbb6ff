"""The readable card: every field with its Dutch label, in schema order, never as markup."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui.core.cards.render_text import card_sections
from tui.core.cards.schema import Kind
from tui.core.cards.text import visible
from tui.core.cards.validate import Problem
from tui.core.cards.vocab import Vocabulary
from tui.core.cards.status import label_of, status_code
from ..i18n import lazy, t
from .highlight import mark

ENVELOPE_SHOWN_IN_META = {"id", "kind", "region", "theme", "programme", "number", "title", "status"}
RELATED = "related"  # the field whose ids are links to other cards
Lookup = Callable[[str], str | None]  # a card id → its title, or None for an unknown card


class Block(NamedTuple):
    """One piece of the card view: text, indent level, blank line before, and a link target."""

    text: Text
    depth: int = 0
    gap: bool = False
    link: str | None = None  # a card id: the block is a link that opens that card


def related_blocks(ids: Sequence[object], lookup: Lookup, depth: int) -> list[Block]:
    """One link per related card: its id and title (both through ``visible``), or "unknown card"."""
    blocks = []
    for raw in ids:
        card_id = str(raw)
        title = lookup(card_id)
        text = Text("→ ")
        text.append(visible(card_id), style="bold")
        text.append("  ")
        if title is None:
            text.append(t("view.unknown_card"), style="italic")
            blocks.append(Block(text, depth, False, None))
        else:
            text.append(visible(title).replace("\n", " ") or t("view.untitled"))
            blocks.append(Block(text, depth, False, card_id))
    return blocks


def _problem(p: Problem, with_label: bool) -> Text:
    text = visible(str(p) if with_label else p.message)
    return Text(("✗ " if p.is_error else "! ") + text, style="bold red" if p.is_error else "yellow")


def card_blocks(
    data: Mapping[str, object] | None,
    kind: Kind | None,
    problems: Sequence[Problem] = (),
    *,
    show_empty: bool = False,
    header: str = "",
    marks: Mapping[str, str] | None = None,
    lookup: Lookup | None = None,
    vocab: Vocabulary | None = None,
) -> list[Block]:
    """The card as labelled blocks: title, meta line, status line, then per field its label and its lines.

    With ``lookup`` the related cards are links (id and title); without, plain ids. ``vocab``
    names the status in the UI language (without it: the code).
    """
    if data is None:
        return [Block(Text(header or t("view.none"), style="dim italic"))]
    title = Text(visible(str(data.get("title", ""))), style="bold")
    if (marks or {}).get("title"):
        title.append(f" {(marks or {})['title']}", style="yellow")
    blocks: list[Block] = [Block(title)]
    kind_title = kind.title if kind else str(data.get("kind", ""))
    meta = [visible(str(data[k])) for k in ("region", "number", "theme", "programme") if data.get(k)]
    blocks.append(Block(Text(" · ".join([*meta, kind_title, visible(str(data.get("id", "")))]), style="dim")))
    code = status_code(data)
    region = data.get("region")
    if code:
        shown = visible(label_of(vocab, region if isinstance(region, str) else None, code))
        blocks.append(Block(Text(t("status.line", status=shown), style="bold")))
    else:
        blocks.append(Block(Text(t("status.line", status=t("status.none")), style="dim")))
    if header:
        blocks.append(Block(Text(header, style="italic")))
    by_field: dict[str, list[Problem]] = {}
    for p in problems:
        by_field.setdefault(p.field, []).append(p)
    for p in by_field.pop("", []) + [p for k in ENVELOPE_SHOWN_IN_META for p in by_field.pop(k, [])]:
        blocks.append(Block(_problem(p, True)))
    related = data.get(RELATED)
    for s in card_sections(data, kind, show_empty=show_empty):
        if s.key in ENVELOPE_SHOWN_IN_META:
            continue
        mark = (marks or {}).get(s.key, "") if s.depth == 0 else ""  # review status (tui.core.review.signoff)
        label = Text(s.label, style="bold" if not s.empty else "dim")
        if mark:
            label.append(f" {mark}", style="yellow")
        blocks.append(Block(label, s.depth, s.depth == 0))
        if s.empty and s.depth == 0 and show_empty:
            blocks.append(Block(Text(t("view.empty"), style="dim italic"), s.depth + 1))
        if s.key == RELATED and s.depth == 0 and lookup is not None and isinstance(related, list) and related:
            blocks.extend(related_blocks(related, lookup, s.depth + 1))
        elif s.lines:
            blocks.append(Block(Text("\n".join(visible(line) for line in s.lines)), s.depth + 1))
        if s.depth == 0:
            for p in by_field.pop(s.key, []):
                blocks.append(Block(_problem(p, False), 1))
    for rest in by_field.values():
        for p in rest:
            blocks.append(Block(_problem(p, True)))
    return blocks


def card_renderable(
    data: Mapping[str, object] | None,
    kind: Kind | None,
    problems: Sequence[Problem] = (),
    *,
    show_empty: bool = False,
    header: str = "",
) -> Text:
    """The whole card as one Text (for tests and plain output)."""
    out = Text()
    for text, depth, _gap, _link in card_blocks(data, kind, problems, show_empty=show_empty, header=header):
        for line in text.split("\n"):
            out.append("  " * depth)
            out.append(line)
            out.append("\n")
    return out


class CardLink(Static, can_focus=True):
    """A related card in the view: ``enter`` or a click opens it."""

    BINDINGS = [Binding("enter", "open", lazy("keys.open_link"), id="link-open")]

    def __init__(self, text: Text, card_id: str) -> None:
        super().__init__(text, markup=False, classes="card-link")
        self.card_id = card_id

    def action_open(self) -> None:
        self.post_message(CardView.LinkChosen(self.card_id))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()


class CardView(VerticalScroll, can_focus=True):
    """Scrollable view of one card; wrapped lines keep their indent; related cards are links;
    search matches marked (n/N step)."""

    BINDINGS = [
        Binding("n", "next_match(1)", lazy("keys.next_match"), id="view-next-match"),
        Binding("N", "next_match(-1)", lazy("keys.previous_match"), id="view-previous-match"),
    ]

    DEFAULT_CSS = """
    CardView { padding: 0 1; }
    CardView > Static { width: 1fr; }
    CardView > Static.gap { margin-top: 1; }
    CardView > CardLink { color: $text-accent; }
    CardView > CardLink:hover { background: $boost; }
    CardView > CardLink:focus { background: $accent; color: $text; text-style: bold; }
    """

    class LinkChosen(Message):
        """The user opened a related card."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.last_text = ""
        self.matches: list[Static] = []  # the blocks holding a search match, in order
        self.match = -1  # the one scrolled to (n/N)

    def on_mount(self) -> None:
        self.mount(Static(Text(t("view.loading"), style="dim"), markup=False))

    def show(
        self,
        data: Mapping[str, object] | None,
        kind: Kind | None,
        problems: Sequence[Problem] = (),
        *,
        show_empty: bool = False,
        header: str = "",
        marks: Mapping[str, str] | None = None,
        lookup: Lookup | None = None,
        words: frozenset[str] = frozenset(),
        vocab: Vocabulary | None = None,
    ) -> None:
        """Display a card (or a hint when ``data`` is None) and scroll to its top.

        ``marks``: review markers per field key; ``lookup`` (card id → title or None) makes the
        related cards links; ``words``: the words a search matched, marked, scrolled to the first.
        """
        self._show_blocks(
            card_blocks(
                data, kind, problems, show_empty=show_empty, header=header, marks=marks, lookup=lookup, vocab=vocab
            ),
            words,
        )

    @property
    def links(self) -> list[CardLink]:
        """The related-card links now shown, in order."""
        return list(self.query(CardLink))

    def show_problem(self, title: str, lines: list[str]) -> None:
        """Explain a file that cannot be shown as a card: its path, then where, why and what to do."""
        blocks: list[Block] = [Block(Text(visible(title), style="bold"))]
        first, *rest = lines or [""]
        blocks.append(Block(Text("✗ " + visible(first), style="bold red"), 0, True))
        blocks.extend(Block(Text(visible(line)), 0, True) for line in rest)
        self._show_blocks(blocks)

    def _show_blocks(self, blocks: list[Block], words: frozenset[str] = frozenset()) -> None:
        self.last_text = "\n".join(b.text.plain for b in blocks)
        had_focus = self.app.focused is not None and self.app.focused.parent is self
        widgets: list[Static] = []
        self.matches = []
        self.match = -1
        for text, depth, gap, link in blocks:
            found = mark(text, words) if words else []
            w = CardLink(text, link) if link else Static(text, markup=False, classes="gap" if gap else "")
            w.styles.padding = (0, 0, 0, 2 * depth)
            widgets.append(w)
            if found:
                self.matches.append(w)
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
        if had_focus:  # a link had focus and is gone with the old card: the view keeps it
            self.focus(scroll_visible=False)
        self.scroll_home(animate=False)
        if self.matches and self.matches[0] is not widgets[0]:  # a match below the title: show it
            self.call_after_refresh(self.action_next_match, 1)

    def action_next_match(self, step: int) -> None:
        """Scroll to the next (``step`` 1) or previous (-1) block holding a search match."""
        if not self.matches:
            return
        self.match = (self.match + step) % len(self.matches)
        self.scroll_to_widget(self.matches[self.match], animate=False, top=True)
