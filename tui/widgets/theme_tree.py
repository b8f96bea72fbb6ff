"""The tree on the left: all cards, then region → theme → programme (or region → status), each with a
count; then the saved views."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.cards.card import Card
from tui.core.cards.text import visible
from tui.core.cards.vocab import Vocabulary
from tui.core.cards.status import NO_STATUS, label_of, status_code
from ..i18n import lazy, t

GUIDE = 2  # cells of indent per level (guide_depth)


@dataclass(frozen=True)
class NodeFilter:
    """What a tree node selects: a region, a theme in it, a programme in that theme (or all);
    in the status grouping a status in a region (``NO_STATUS``: the cards without one)."""

    region: str | None = None
    theme: str | None = None
    programme: str | None = None
    status: str | None = None

    def matches(self, card: Card) -> bool:
        return (
            (self.region is None or card.region == self.region)
            and (self.theme is None or card.theme == self.theme)
            and (self.programme is None or card.programme == self.programme)
            and (self.status is None or status_code(card.data) == self.status)
        )


@dataclass(frozen=True)
class ViewNode(NodeFilter):
    """A saved view (agenda) in the tree: selecting it applies its query and sort, not a filter."""

    view_name: str = ""


def _label(name: str, count: int) -> Text:
    text = Text(visible(name))
    text.append(f" ({count})", style="dim")
    return text


class ThemeTree(Tree[NodeFilter]):
    """Region/theme/programme tree; selecting a node filters the card list.

    By keyboard: up/down move, enter filters on the node (and opens or closes it), right opens a
    node or goes to its first child, left closes it or goes to its parent.
    """

    BINDINGS = [
        Binding("left", "collapse_or_parent", lazy("keys.tree_collapse"), show=False, id="tree-collapse"),
        Binding("right", "expand_or_child", lazy("keys.tree_expand"), show=False, id="tree-expand"),
    ]

    class FilterChosen(Message):
        """The user picked a node."""

        def __init__(self, node_filter: NodeFilter, label: str) -> None:
            super().__init__()
            self.node_filter = node_filter
            self.label = label

    class ViewChosen(Message):
        """The user picked a saved view (agenda) in the tree."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(t("tree.all", count=0)), data=NodeFilter(), id=id)
        self.by_status = False  # region → status instead of region → theme → programme (key g)
        self.show_root = True
        self.guide_depth = GUIDE
        self.view_names: list[str] = []  # the saved views, listed under the regions
        self._views_node: TreeNode[NodeFilter] | None = None

    def show_views(self, names: list[str]) -> None:
        """List the saved views (agendas) in a branch below the regions (none: no branch)."""
        self.view_names = list(names)
        if self._views_node is not None:
            self._views_node.remove()
        self._views_node = None
        if not names:
            return
        branch = self.root.add(Text(t("views.tree_branch", count=len(names))), data=None, expand=True)
        for name in names:
            branch.add_leaf(Text(visible(name)), data=ViewNode(view_name=name))
        self._views_node = branch

    def chosen_view(self) -> str | None:
        """The saved view under the cursor, or None."""
        node = self.cursor_node
        data = node.data if node is not None else None
        return data.view_name if isinstance(data, ViewNode) else None

    def wanted_width(self) -> int:
        """Cells the widest label needs, with its indent, the guide and the border."""

        def widest(node: TreeNode[NodeFilter], depth: int) -> int:
            label = node.label
            own = depth * GUIDE + 2 + cell_len(label.plain if isinstance(label, Text) else str(label))
            return max([own, *(widest(child, depth + 1) for child in node.children)])

        return widest(self.root, 0) + 2  # the cursor's padding and the right border

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded and not node.is_root:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def fill(self, cards: Iterable[Card], vocab: Vocabulary) -> None:
        """Rebuild the tree from the cards (theme order from the vocabulary)."""
        cards = list(cards)
        by_region = Counter(c.region for c in cards)
        by_theme = Counter((c.region, c.theme) for c in cards)
        by_prog = Counter((c.region, c.theme, c.programme) for c in cards if c.programme)
        self.clear()
        self.root.set_label(Text(t("tree.all", count=len(cards))))
        self.root.data = NodeFilter()
        for region in sorted(by_region):
            reg = vocab.regions.get(region)
            name = f"{reg.name} ({region})" if reg else region
            rnode = self.root.add(Text(f"{visible(name)} ({by_region[region]})"), data=NodeFilter(region), expand=True)
            if self.by_status:
                self._fill_statuses(rnode, region, [c for c in cards if c.region == region], vocab)
                continue
            order = [th.name for th in reg.themes] if reg else []
            themes = sorted(
                {th for r, th in by_theme if r == region},
                key=lambda th: (order.index(th) if th in order else len(order), th),
            )
            for theme in themes:
                label = theme or t("tree.no_theme")
                number = next((th.number for th in reg.themes if th.name == theme), None) if reg else None
                shown = f"{number}. {label}" if number else label
                progs = sorted(p for (r, th, p) in by_prog if r == region and th == theme)
                if progs:
                    tnode = rnode.add(
                        _label(shown, by_theme[(region, theme)]), data=NodeFilter(region, theme), expand=False
                    )
                    for prog in progs:
                        tnode.add_leaf(
                            _label(prog, by_prog[(region, theme, prog)]), data=NodeFilter(region, theme, prog)
                        )
                else:
                    rnode.add_leaf(_label(shown, by_theme[(region, theme)]), data=NodeFilter(region, theme))
        self._views_node = None  # cleared with the rest
        self.show_views(self.view_names)
        self.root.expand()

    def _fill_statuses(self, rnode: TreeNode[NodeFilter], region: str, cards: list[Card], vocab: Vocabulary) -> None:
        """Under a region: one node per status of its vocabulary that cards have (in lifecycle
        order, then codes it does not know), and "(geen status)" last."""
        counts = Counter(status_code(c.data) for c in cards)
        reg = vocab.regions.get(region)
        order = [s.code for s in reg.statuses] if reg else []
        codes = sorted(
            (c for c in counts if c != NO_STATUS),
            key=lambda c: (order.index(c) if c in order else len(order), c),
        )
        for code in codes:
            rnode.add_leaf(_label(label_of(vocab, region, code), counts[code]), data=NodeFilter(region, status=code))
        if counts[NO_STATUS]:
            rnode.add_leaf(_label(t("status.none"), counts[NO_STATUS]), data=NodeFilter(region, status=NO_STATUS))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeFilter]) -> None:
        event.stop()
        node = event.node
        if isinstance(node.data, ViewNode):
            self.post_message(self.ViewChosen(node.data.view_name))
        elif node.data is not None:
            label = node.label
            self.post_message(self.FilterChosen(node.data, label.plain if isinstance(label, Text) else str(label)))
