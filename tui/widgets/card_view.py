"""The readable card: every field with its Dutch label, in schema order, never as markup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.cards.render_text import card_sections
from tui.core.cards.schema import Kind
from tui.core.cards.text import visible
from tui.core.cards.validate import Problem
from ..i18n import lazy, t
from .highlight import mark

ENVELOPE_SHOWN_IN_META = {"id", "kind", "region", "theme", "programme", "number", "title"}
Block = tuple[Text, int, bool]  # text, indent level, blank line before


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
) -> list[Block]:
    """The card as labelled blocks: title, meta line, then per field its label and its lines."""
    if data is None:
        return [(Text(header or t("view.none"), style="dim italic"), 0, False)]
    blocks: list[Block] = [(Text(visible(str(data.get("title", ""))), style="bold"), 0, False)]
    kind_title = kind.title if kind else str(data.get("kind", ""))
    meta = [visible(str(data[k])) for k in ("region", "number", "theme", "programme") if data.get(k)]
    blocks.append((Text(" · ".join([*meta, kind_title, visible(str(data.get("id", "")))]), style="dim"), 0, False))
    if header:
        blocks.append((Text(header, style="italic"), 0, False))
    by_field: dict[str, list[Problem]] = {}
    for p in problems:
        by_field.setdefault(p.field, []).append(p)
    for p in by_field.pop("", []) + [p for k in ENVELOPE_SHOWN_IN_META for p in by_field.pop(k, [])]:
        blocks.append((_problem(p, True), 0, False))
    for s in card_sections(data, kind, show_empty=show_empty):
        if s.key in ENVELOPE_SHOWN_IN_META:
            continue
        blocks.append((Text(s.label, style="bold" if not s.empty else "dim"), s.depth, s.depth == 0))
        if s.empty and s.depth == 0 and show_empty:
            blocks.append((Text(t("view.empty"), style="dim italic"), s.depth + 1, False))
        if s.lines:
            blocks.append((Text("\n".join(visible(line) for line in s.lines)), s.depth + 1, False))
        if s.depth == 0:
            for p in by_field.pop(s.key, []):
                blocks.append((_problem(p, False), 1, False))
    for rest in by_field.values():
        for p in rest:
            blocks.append((_problem(p, True), 0, False))
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
    for text, depth, _gap in card_blocks(data, kind, problems, show_empty=show_empty, header=header):
        for line in text.split("\n"):
            out.append("  " * depth)
            out.append(line)
            out.append("\n")
    return out


class CardView(VerticalScroll, can_focus=True):
    """Scrollable view of one card; wrapped lines keep their indent; search matches marked (n/N step)."""

    BINDINGS = [
        Binding("n", "next_match(1)", lazy("keys.next_match"), id="view-next-match"),
        Binding("N", "next_match(-1)", lazy("keys.previous_match"), id="view-previous-match"),
    ]

    DEFAULT_CSS = """
    CardView { padding: 0 1; }
    CardView > Static { width: 1fr; }
    CardView > Static.gap { margin-top: 1; }
    """

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
        marks: frozenset[str] = frozenset(),
    ) -> None:
        """Display a card (or a hint when ``data`` is None); with ``marks``, mark them and scroll to the first."""
        self._show_blocks(card_blocks(data, kind, problems, show_empty=show_empty, header=header), marks)

    def show_problem(self, title: str, lines: list[str]) -> None:
        """Explain a file that cannot be shown as a card: its path, then where, why and what to do."""
        blocks: list[Block] = [(Text(visible(title), style="bold"), 0, False)]
        first, *rest = lines or [""]
        blocks.append((Text("✗ " + visible(first), style="bold red"), 0, True))
        blocks.extend((Text(visible(line)), 0, True) for line in rest)
        self._show_blocks(blocks)

    def _show_blocks(self, blocks: list[Block], marks: frozenset[str] = frozenset()) -> None:
        self.last_text = "\n".join(text.plain for text, _, _ in blocks)
        widgets = []
        self.matches = []
        self.match = -1
        for text, depth, gap in blocks:
            found = mark(text, marks) if marks else []
            w = Static(text, markup=False, classes="gap" if gap else "")
            w.styles.padding = (0, 0, 0, 2 * depth)
            widgets.append(w)
            if found:
                self.matches.append(w)
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
        self.scroll_home(animate=False)
        if self.matches and self.matches[0] is not widgets[0]:  # a match below the title: show it
            self.call_after_refresh(self.action_next_match, 1)

    def action_next_match(self, step: int) -> None:
        """Scroll to the next (``step`` 1) or previous (-1) block holding a search match."""
        if not self.matches:
            return
        self.match = (self.match + step) % len(self.matches)
        self.scroll_to_widget(self.matches[self.match], animate=False, top=True)
