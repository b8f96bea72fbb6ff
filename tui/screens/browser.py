"""The main screen: theme tree, card list with search as you type, and the card view."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from tui.core.cards.order import SORTS
from tui.core.cards.text import visible
from tui.core.drafts import DraftStore
from tui.core.git.gitrepo import GitError
from tui.core.git.snapshot import RepoSnapshot, take_snapshot
from tui.core.library import Library, LibraryChange
from tui.core.meetings.views import View
from tui.core.review import signoff
from tui.core.review.signoff import FieldReview
from tui.core.search.query import NO_STATUS_WORDS, quote_value
from tui.core.search.search import Hit, SearchResult
from tui.core.visits import Visits

from ..i18n import explained, lazy, t
from ..messages import LibraryChanged, LibraryLoaded, LoadProgress, follow_library
from ..widgets.card_list import CardList, Row
from ..widgets.card_view import CardLink, CardView
from ..widgets.file_problems import PROBLEM_KEY, problem_text
from ..widgets.key_footer import KeyFooter
from ..widgets.safe import SafeInput
from ..widgets.status_header import StatusHeader
from ..widgets.theme_tree import NodeFilter, ThemeTree
from .bulk_preview import start_bulk
from .card_screen import CardScreen
from .browser_rows import PARTIAL_KEY, BrowserRows

if TYPE_CHECKING:  # the controller imports the screens; screens need only its type
    from ..card_actions import CardActions

SEARCH_LIMIT = 100  # hits that get a snippet per keystroke; the cards beyond are listed by title
TREE_MIN = 20  # the tree's width follows its labels, from this many columns…
TREE_SHARE = 0.25  # …up to this share of the terminal; < and > narrow or widen it from there
TREE_STEP = 4
NOTICE_TIMEOUT = 8  # seconds a notice stays (long ones covered dialogs and the conflict screen)
LIST_FIRST_WAIT = 1.0  # seconds the loader waits for the first listing to be painted before indexing


class BrowserScreen(BrowserRows):
    """Browse, filter and search the cards; read the selected one."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VIEW_DELAY = 0.06  # seconds the list cursor rests before the card view follows (tests set ~0)
    BINDINGS = [
        Binding("slash", "focus_search", lazy("keys.search"), id="search"),
        Binding("escape", "clear_search", lazy("keys.clear"), show=False, id="clear-search"),
        Binding("e", "edit_card", lazy("keys.edit"), id="edit-card"),
        Binding("n", "new_card", lazy("keys.new"), id="new-card", show=False),
        Binding("d", "duplicate_card", lazy("keys.duplicate"), id="duplicate-card", show=False),
        Binding("delete", "delete_card", lazy("keys.delete"), id="delete-card", show=False),
        Binding("h", "app.history", lazy("keys.history"), id="history"),
        Binding("c", "app.commit", lazy("keys.commit"), id="commit"),
        Binding("s", "app.sync", lazy("keys.sync"), id="sync"),
        Binding("x", "app.resolve_conflicts", lazy("conflict.key"), id="resolve-conflicts"),
        Binding("o", "app.overview", lazy("overview.key"), id="overview"),
        Binding("b", "app.review", lazy("review.key_open"), id="review", show=False),
        Binding("w", "app.changes", lazy("changes.key"), id="changes", show=False),
        Binding("B", "bulk_edit", lazy("bulk.key_edit"), id="bulk-edit", show=False),
        Binding("t", "toggle_tree", lazy("keys.tree"), id="toggle-tree"),
        Binding("g", "toggle_grouping", lazy("status.key_group"), id="tree-grouping", show=False),
        Binding("v", "toggle_empty", lazy("keys.empty"), id="toggle-empty", show=False),
        Binding("r", "cycle_sort", lazy("keys.sort"), id="sort", show=False),
        Binding("V", "save_view", lazy("views.key_save"), id="save-view", show=False),
        Binding("m", "meeting", lazy("meeting.key"), id="meeting"),
        Binding("D", "decide", lazy("decisions.key"), id="decide", show=False),
        Binding("alt+left,left_square_bracket", "back", lazy("keys.back_card"), id="card-back-visit", show=False),
        Binding(
            "alt+right,right_square_bracket", "forward", lazy("keys.forward_card"), id="card-forward-visit", show=False
        ),
        Binding("greater_than_sign", "tree_width(1)", lazy("keys.tree_wider"), id="tree-wider", show=False),
        Binding("less_than_sign", "tree_width(-1)", lazy("keys.tree_narrower"), id="tree-narrower", show=False),
        Binding("down", "search_to_list", lazy("keys.to_list"), id="search-to-list", show=False),
        Binding("tab", "app.focus_next", lazy("keys.next_panel"), show=False, id="next-panel"),
        Binding("shift+tab", "app.focus_previous", lazy("keys.prev_panel"), show=False, id="prev-panel"),
    ]

    def __init__(self, library: Library, actions: CardActions) -> None:
        super().__init__()
        self.library = library
        self.actions = actions
        self.node_filter = NodeFilter()
        self.query_text = ""
        self.sort = "title"
        self.show_empty = False
        self.hits: dict[str, Hit] = {}
        self.result: SearchResult | None = None
        self.loaded = False
        self.snapshot: RepoSnapshot | None = None
        self.draft_ids: set[str] = set()
        self.review: dict[str, dict[str, FieldReview]] = {}  # review status per card and field
        self._told: set[str] = set()
        self._unknown_filters: tuple[str, ...] = ()
        self._view_timer: Any = None
        self._shown: tuple[object, ...] | None = None  # what the card view shows now
        self._pending: LibraryChange | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._git_look: Worker[None] | None = None
        self._git_again = False
        self.visits = Visits()
        self.tree_extra = 0  # columns added (or taken) with > and <
        self._held: list[tuple[str, dict[str, Any]]] = []  # notices kept while a dialog is on top
        self.views: list[View] = []  # the saved views (views.toml), in the tree and the palette
        self.current_view: View | None = None  # the view whose query is in the search box
        self._counts = (0, 0)  # cards listed, partial matches (for the hint line)
        self._listed = threading.Event()  # the cards' first listing has been painted

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="status")
        with Horizontal(id="main"):
            yield ThemeTree(id="tree")
            with Vertical(id="middle"):
                yield SafeInput(placeholder=t("search.placeholder"), id="search")
                yield Static("", id="hint", markup=False)
                yield ProgressBar(id="progress", show_eta=False)
                yield CardList(id="list")
            yield CardView(id="view")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(StatusHeader).show(self.library.workspace.root, None, None)
        self.query_one("#hint", Static).update(Text(t("load.busy"), style="dim"))
        self.query_one(CardList).focus()
        self._unsubscribe = follow_library(self, self.library)
        self.load_library()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- loading ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_library(self) -> None:
        """Read the cards (list them at once), then index and validate them in the background."""

        def progress(done: int, total: int) -> None:
            self.post_message(LoadProgress(done, total))

        self.library.read(progress)
        self._listed.clear()
        self.post_message(LibraryLoaded())
        # the list's first frame before the index: both would share one interpreter lock
        self._listed.wait(LIST_FIRST_WAIT)
        self.library.build_index()  # search first: someone may already be typing
        self.library.validate()
        self.app.call_from_thread(self._validated)

    def _validated(self) -> None:
        """Problems are known: badges and the card view can show them."""
        self.refresh_list()
        errors = sum(1 for cid in self.library.cards if self.library.has_errors(cid))
        if errors:
            self.tell(t("load.invalid", count=errors), severity="warning")

    def on_load_progress(self, message: LoadProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.loaded = True
        self.call_after_refresh(self._listed.set)
        self.query_one("#progress", ProgressBar).display = False
        self.query_one(ThemeTree).fill(self.library.cards.values(), self.library.workspace.vocab)
        self.size_tree()
        self.refresh_list()
        self._show_file_problems()
        problems = self.library.file_problems
        if problems:  # the rows and the header count stay; this only draws the eye once
            lines = [visible(self._problem_line(p)) for p in problems[:5]]
            self.tell(
                "\n".join([*lines, t("files.toast")]), title=t("load.errors", count=len(problems)), severity="error"
            )
        if not self.library.cards and not problems:
            self.query_one(CardView).show(None, None, header=t("view.empty_repo"))
        if self.query_text.strip():
            self.run_search(self.query_text)  # typed while the cards were loading
        self.refresh_git()
        self.load_views()
        self.call_after_refresh(self.actions.offer_drafts)

    # -- git state -------------------------------------------------------------------------
    def refresh_git(self) -> None:
        """Take a new look at git (badges, header); while one look runs, one more follows it."""
        if self._git_look is not None and not self._git_look.is_finished:
            self._git_again = True
            return
        self._git_again = False
        self._git_look = self._take_snapshot()

    @work(thread=True, group="git", exit_on_error=False)
    def _take_snapshot(self) -> None:
        snap = take_snapshot(self.library.workspace.root)
        drafts = {d.card_id for d in DraftStore(self.library.workspace.root).all()}
        try:
            review = signoff.list_state(self.library.workspace.root, self.library) if snap.is_repo else {}
        except GitError:
            review = {}
        self.app.call_from_thread(self._apply_snapshot, snap, drafts, review)

    def _apply_snapshot(
        self, snap: RepoSnapshot, drafts: set[str], review: dict[str, dict[str, FieldReview]] | None = None
    ) -> None:
        self.review = review if review is not None else self.review
        if self._git_again:
            self._git_look = None
            self.refresh_git()
        self.snapshot = snap
        self.draft_ids = drafts
        sync = ""
        if snap.is_repo and snap.upstream:
            if snap.ahead:
                sync = t("header.to_send", count=snap.ahead)
            if snap.behind:
                sync = (sync + " · " if sync else "") + t("header.to_receive", count=snap.behind)
            sync = sync or t("header.up_to_date")
        elif snap.is_repo:
            sync = t("header.no_remote")
        self.query_one(StatusHeader).show(
            self.library.workspace.root, snap.branch, snap.pending if snap.is_repo else None, sync
        )
        self._show_file_problems()
        if not snap.is_repo and "repo" not in self._told:
            self._told.add("repo")
            self.tell(explained(snap.message, snap.advice, "\n"), title=t("git.notice"), severity="warning")
        for n in snap.notices:
            if n.code not in self._told:
                self._told.add(n.code)
                self.tell(explained(n.message, n.advice, "\n"), title=t("git.notice"), severity="warning")
        if self.loaded:
            self.refresh_list()

    def refresh_list(self, keep: str | None = None, *, to_top: bool = False) -> None:
        """Rebuild the rows from filter, query and sort order.

        The selection stays on the same card unless ``to_top`` (new search results: the best hit).
        Files that cannot be listed as a card come first, as rows of their own.
        """
        lst = self.query_one(CardList)
        if keep is None and not to_top:
            keep = lst.current.card_id if lst.current else None
        cards = self.library.cards
        ids = [cid for cid, c in cards.items() if self.node_filter.matches(c)]
        rows: list[Row] = []
        partial = 0
        if self.query_text.strip() and self.result is not None:
            rows, partial = self._result_rows(set(ids))
        else:
            rows = self.sorted_rows(ids)
        lst.set_rows(rows, keep=keep, marks=self.marks())
        self._update_hint(sum(1 for r in rows if not r.problem) - partial, partial)
        self.show_current()

    def _show_file_problems(self) -> None:
        self.query_one(StatusHeader).show_problems(len(self.library.file_problems))

    def _update_hint(self, count: int, partial: int = 0) -> None:
        hint = self.query_one("#hint", Static)
        self._counts = (count, partial)
        parts = [t("list.count", count=count)]
        picked = len(self.query_one(CardList).picked)
        if picked:
            parts.append(t("bulk.marked", count=picked))
        if partial:
            parts.append(t("search.partial_count", count=partial))
        if self.node_filter != NodeFilter():
            parts.append(t("list.filtered"))
        searched = bool(self.query_text.strip()) and self.result is not None
        exact = searched and self.result is not None and self.result.exact  # filters only: by title
        if searched and self.current_view is not None:
            parts.append(t(f"sort.{self.current_view.sort}"))
        else:
            parts.append(
                t("sort.score") if searched and not exact else t("sort.title" if exact else f"sort.{self.sort}")
            )
        unknown = self._unknown_filters
        if unknown:
            parts.append(t("search.unknown_filter", names=", ".join(unknown)))
        hint.update(Text(" · ".join(parts), style="dim"))

    def show_current(self) -> None:
        lst = self.query_one(CardList)
        row = lst.current
        view = self.query_one(CardView)
        shown: tuple[object, ...]
        if row is None:
            header = (
                t("view.empty_repo")
                if self.loaded and not self.library.cards
                else t("view.no_match")
                if self.loaded
                else ""
            )
            shown = ("none", header)
            if shown != self._shown:
                view.show(None, None, header=header)
        elif row.card_id == PARTIAL_KEY:
            shown = ("partial",)
            if shown != self._shown:
                view.show(None, None, header=t("search.partial_explained"))
        elif row.problem:
            problem = self.library.file_problem(Path(row.card_id.removeprefix(PROBLEM_KEY)))
            shown = ("problem", problem)
            if problem is not None and shown != self._shown:
                view.show_problem(*problem_text(problem, self.library.workspace.root))
        else:
            card = self.library.cards.get(row.card_id)
            if card is None:
                return
            problems = self.library.problems.get(card.id, [])
            marks = signoff.field_markers(self.review.get(card.id))
            words = self.marks()
            shown = ("card", card, id(problems), self.show_empty, marks, words)
            if shown != self._shown:
                kind = self.library.workspace.schema.kind(card.kind)
                view.show(
                    card.data,
                    kind,
                    problems,
                    show_empty=self.show_empty,
                    marks=marks,
                    lookup=self.title_of,
                    words=words,
                    vocab=self.library.workspace.vocab,
                )
        self._shown = shown

    @on(CardList.Highlighted)
    def _highlighted(self, event: CardList.Highlighted) -> None:
        # wait for the cursor to settle so holding an arrow key stays smooth
        if self._view_timer is not None:
            self._view_timer.stop()
        self._view_timer = self.set_timer(self.VIEW_DELAY, self.show_current)

    @on(CardList.Selected)
    def _selected(self, event: CardList.Selected) -> None:
        card = self.library.cards.get(event.card_id)
        if card:
            self.app.push_screen(CardScreen(self.library, self.actions, card.id))

    def title_of(self, card_id: str) -> str | None:
        """A related card's title (None: no such card), for the links in the card view."""
        card = self.library.cards.get(card_id)
        return card.title if card is not None else None

    @on(CardView.LinkChosen)
    def _link_chosen(self, event: CardView.LinkChosen) -> None:
        event.stop()
        self.follow(event.card_id)

    @on(ThemeTree.FilterChosen)
    def _filter(self, event: ThemeTree.FilterChosen) -> None:
        self.node_filter = event.node_filter
        self.refresh_list()

    # -- search ----------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self.current_view is not None and event.value != self.current_view.query:
            self.current_view = None  # the search was changed: no longer that view
        if not self.loaded:
            return
        if not event.value.strip():
            self.hits = {}
            self.result = None
            self._unknown_filters = ()
            self.refresh_list()
            return
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.query_one(CardList).focus()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, text: str) -> None:
        """Search in a worker: the result, with snippets for the first rows and the partial ones."""
        result = self.library.index.find(text)
        hits = result.head(SEARCH_LIMIT)  # no more snippets per keystroke than SEARCH_LIMIT
        hits += result.partial[: max(0, SEARCH_LIMIT - len(hits))] if len(hits) < SEARCH_LIMIT else []
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show_hits, text, result, hits)

    def _show_hits(self, text: str, result: SearchResult, hits: list[Hit]) -> None:
        if text != self.query_text:
            return  # a newer keystroke is on its way
        self.result = result
        self.hits = {h.card_id: h for h in hits}
        self._unknown_filters = result.unknown
        self.refresh_list(to_top=True)

    def selection_query(self) -> str | None:
        """What chose the listed cards, as a query (search text plus the tree's filter), for exports."""
        f = self.node_filter
        parts = [self.result.query_text] if self.query_text.strip() and self.result is not None else []
        for name, value in (("regio", f.region), ("thema", f.theme), ("programma", f.programme)):
            if value:
                parts.append(f"{name}:{quote_value(value)}")
        if f.status is not None:
            parts.append(f"status:{quote_value(f.status or NO_STATUS_WORDS[0])}")
        return " ".join(p for p in parts if p)

    # -- actions ---------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        """escape: the search box emptied, back to the list (from the tree or a link: only back)."""
        search = self.query_one("#search", Input)
        if search.value and not isinstance(self.focused, (ThemeTree, CardLink, CardView)):
            search.value = ""
        self.query_one(CardList).focus()

    def action_search_to_list(self) -> None:
        """↓ in the search box: to the list, on its first (best) hit."""
        if self.focused is self.query_one("#search", Input):
            lst = self.query_one(CardList)
            lst.focus()
            lst.action_jump(0)

    def action_toggle_tree(self) -> None:
        """``t``: to the theme tree (shown first when it is hidden); in the tree, hide it again."""
        tree = self.query_one(ThemeTree)
        narrow = self.has_class("-narrow")
        hidden = not tree.has_class("-shown") if narrow else tree.has_class("-hidden")
        if hidden:
            tree.set_class(True, "-shown") if narrow else tree.set_class(False, "-hidden")
            tree.focus()
        elif self.focused is tree:
            tree.set_class(False, "-shown") if narrow else tree.set_class(True, "-hidden")
            self.query_one(CardList).focus()
        else:
            tree.focus()

    def action_toggle_grouping(self) -> None:
        """``g``: the tree by region → status (with counts) instead of region → theme → programme, and back."""
        tree = self.query_one(ThemeTree)
        tree.by_status = not tree.by_status
        tree.fill(self.library.cards.values(), self.library.workspace.vocab)
        self.size_tree()
        self.node_filter = NodeFilter()  # the node chosen is gone with its grouping
        self.refresh_list()
        self.tell(t("status.grouped_by_status" if tree.by_status else "status.grouped_by_theme"))

    def action_tree_width(self, step: int) -> None:
        self.tree_extra += step * TREE_STEP
        self.size_tree()

    def size_tree(self) -> None:
        """The tree as wide as its labels, within limits; in a narrow terminal it takes the width."""
        tree = self.query_one(ThemeTree)
        if self.has_class("-narrow"):
            tree.styles.width = None  # the CSS: a band above the list
            return
        columns = self.size.width or self.app.size.width
        base = max(TREE_MIN, min(tree.wanted_width(), int(columns * TREE_SHARE)))
        width = max(12, min(base + self.tree_extra, columns // 2))
        self.tree_extra = width - base  # never beyond the limits, so < works at once after many >
        tree.styles.width = width

    def on_resize(self) -> None:
        self.size_tree()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The panel with the keys is marked (``-has-focus``): the list's heading line lights up."""
        middle = self.query_one("#middle")
        middle.set_class(middle in event.widget.ancestors, "-has-focus")

    # -- following links, back and forward -------------------------------------------------
    def follow(self, card_id: str) -> None:
        """Open a related card: it becomes the card shown, and a step in the visits."""
        if card_id not in self.library.cards:
            self.tell(t("view.gone", id=visible(card_id)), severity="warning", timeout=4)
            return
        current = self.current_card_id()
        if current:
            self.visits.visit(current)
        self.visits.visit(card_id)
        self._show_card(card_id)

    def action_back(self) -> None:
        target = self.visits.back(self.current_card_id(), exists=self.library.cards.__contains__)
        if target is None:
            self.tell(t("view.no_back"), timeout=2)
        else:
            self._show_card(target)

    def action_forward(self) -> None:
        target = self.visits.forward(exists=self.library.cards.__contains__)
        if target is None:
            self.tell(t("view.no_forward"), timeout=2)
        else:
            self._show_card(target)

    def _show_card(self, card_id: str) -> None:
        """Select ``card_id`` in the list (search and filter cleared if it is not listed) and show it."""
        lst = self.query_one(CardList)
        if not lst.move_to(card_id):
            self.goto(card_id)
        self.show_current()
        if isinstance(self.focused, CardLink) or self.focused is None:
            self.query_one(CardView).focus(scroll_visible=False)

    # -- notices -----------------------------------------------------------------------------
    def tell(self, message: str, *, timeout: float = NOTICE_TIMEOUT, **options: Any) -> None:
        """A notice (plain text, short-lived); kept back while a dialog is on top, so it never
        covers the dialog's buttons, and shown when this screen is back."""
        options = {"markup": False, "timeout": timeout, **options}
        if self.app.screen is self or not self.is_attached:
            self.notify(message, **options)
        else:
            self._held.append((message, options))

    def on_screen_resume(self) -> None:
        held, self._held = self._held, []
        for message, options in held:
            self.notify(message, **options)

    def action_toggle_empty(self) -> None:
        self.show_empty = not self.show_empty
        self._shown = None
        self.show_current()
        self.tell(t("view.empty_shown") if self.show_empty else t("view.empty_hidden"), timeout=2)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        if self.current_view is not None:  # the agenda in another order, for this session (not saved)
            self.current_view = dataclasses.replace(self.current_view, sort=self.sort)
        self.refresh_list()

    def goto(self, card_id: str) -> None:
        """Show one card: clear search and filter so it is in the list, then select it."""
        self.node_filter = NodeFilter()
        search = self.query_one("#search", Input)
        self.query_text = ""
        self.hits = {}
        self.result = None
        with search.prevent(Input.Changed):
            search.value = ""
        self.refresh_list(keep=card_id)
        self.query_one(CardList).focus()

    def current_card_id(self) -> str | None:
        row = self.query_one(CardList).current
        return row.card_id if row and not row.problem else None

    def listed_card_ids(self) -> list[str]:
        """The cards in the list, without the partial matches below the divider (never exported)."""
        rows = self.query_one(CardList).rows
        end = next((i for i, r in enumerate(rows) if r.card_id == PARTIAL_KEY), len(rows))
        return [r.card_id for r in rows[:end] if not r.problem]

    # -- card actions (on the selected card) -------------------------------------------------
    def action_edit_card(self) -> None:
        self.actions.edit(self.current_card_id())

    def action_new_card(self) -> None:
        self.actions.new(self.current_card_id())

    def action_decide(self) -> None:
        card_id = self.current_card_id()
        if card_id:
            self.actions.decide(card_id)
        else:
            self.tell(t("edit.no_card"), severity="warning")

    def action_duplicate_card(self) -> None:
        self.actions.duplicate(self.current_card_id())

    def action_delete_card(self) -> None:
        tree = self.query_one(ThemeTree)
        name = tree.chosen_view() if self.focused is tree else None
        if name is not None:
            self.ask_delete_view(name)
            return
        self.actions.delete(self.current_card_id(), self.snapshot)

    # -- bulk edits (marked cards) -------------------------------------------------------------
    @on(CardList.PicksChanged)
    def _picks_changed(self, event: CardList.PicksChanged) -> None:
        self._update_hint(*self._counts)
        if event.everything is not None:
            words = t("bulk.marked_all", count=event.count) if event.everything else t("bulk.unmarked_all")
            self.tell(words, timeout=2)

    def action_bulk_edit(self) -> None:
        """``B``: a bulk edit of the marked cards (or of the card under the cursor)."""
        lst = self.query_one(CardList)
        cards = self.library.cards
        ids = [r.card_id for r in lst.rows if r.card_id in lst.picked and r.card_id in cards]
        ids += sorted(i for i in lst.picked if i in cards and i not in ids)  # marked, not listed now
        current = self.current_card_id()
        if not ids and current in cards:
            ids = [current]
        if not ids:
            self.tell(t("bulk.nothing"), severity="warning")
            return
        scope = self.selection_query() if set(ids) == set(self.listed_card_ids()) else ""
        start_bulk(self.app, self.library, [cards[i] for i in ids], scope or "", lambda: lst.set_picked(set()))

    def action_export(self) -> None:
        self.actions.export(self.listed_card_ids(), query=self.selection_query())

    # -- changes -----------------------------------------------------------------------------
    def on_library_changed(self, message: LibraryChanged) -> None:
        """Cards, file problems or git state changed: gather what arrives together, then follow."""
        first = self._pending is None
        self._pending = message.change if self._pending is None else self._pending.merged(message.change)
        if first:
            self.call_after_refresh(self._follow_changes)

    def _follow_changes(self) -> None:
        change, self._pending = self._pending, None
        if change is None or not self.loaded:
            return
        if change.removed:
            lst = self.query_one(CardList)
            lst.set_picked({i for i in lst.picked if i in self.library.cards})
        if change.changed or change.removed or change.files:
            self.query_one(ThemeTree).fill(self.library.cards.values(), self.library.workspace.vocab)
            self.size_tree()
            if self.query_text.strip():
                self.run_search(self.query_text)
            self.refresh_list(keep=change.focus)
            self._show_file_problems()
        if change.repo or change.from_disk:
            self.load_views()  # a sync or an edit outside may bring other views
        self.refresh_git()
