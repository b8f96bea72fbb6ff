"""The plan at a glance: per region and theme the number of cards, how complete they are and
the FTE total as bars, invalid cards, cards per status, and the latest commits of the repository."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from tui.core.cards.card import LoadError
from tui.core.cards.fte import FteTotal
from tui.core.cards.text import visible
from tui.core.git.gitrepo import GitError
from tui.core.library import Library
from tui.core.cards.vocab import Vocabulary
from tui.core.cards.status import label_of
from tui.core.review.signoff import ReviewCounts
from tui.core.overview import (
    Commit,
    ThemeRow,
    file_problems_by_region,
    recent_commits,
    region_completeness,
    review_counts,
    theme_overview,
)

from ..i18n import lazy, t
from ..messages import LibraryChanged, follow_library
from ..widgets.status_header import StatusHeader

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar_text(value: float, upper: float | None, width: int) -> Text:
    """``value`` (0..1) as solid blocks in eighths of a cell, then up to ``upper`` shaded (a range)."""
    width = max(0, width)
    value = min(max(value, 0.0), 1.0)
    eighths = round(value * width * 8)
    full, part = divmod(eighths, 8)
    solid = "█" * full + (EIGHTHS[part] if part else "")
    text = Text(solid)
    if upper is not None and upper > value:
        shade = max(0, min(width, round(min(upper, 1.0) * width)) - len(solid))
        text.append("░" * shade)
    return text


def number(x: float) -> str:
    """``12``, ``2.5``: no exponent, at most one decimal."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if x % 1 else f"{int(x)}"


def fte_text(total: FteTotal) -> str:
    """``116 fte`` or ``10–14 fte``."""
    if total.low == total.high:
        return t("overview.fte_value", value=number(total.low))
    return t("overview.fte_range", low=number(total.low), high=number(total.high))


def percent(share: float | None) -> str:
    return "—" if share is None else t("overview.percent", percent=round(share * 100))


class Meter(Widget):
    """A horizontal bar as wide as the widget; colour and track come from app.tcss."""

    def __init__(self, value: float, upper: float | None = None, *, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.value, self.upper = value, upper

    def render(self) -> Text:
        return bar_text(self.value, self.upper, self.size.width)


def _level(share: float) -> str:
    return "-good" if share >= 0.9 else "-fair" if share >= 0.6 else "-poor"


def status_text(row: ThemeRow, vocab: Vocabulary | None) -> Text:
    """``Vastgesteld 2 · Concept 1 · (geen status) 5``: the theme's cards per status."""
    out = Text()
    for i, (code, count) in enumerate(row.statuses):
        if i:
            out.append(" · ", style="dim")
        name = visible(label_of(vocab, row.region, code)) if code else t("status.none")
        out.append(name, style="" if code else "dim")
        out.append(f" {count}", style="bold")
    return out


class ThemeBlock(Vertical):
    """One theme: name and counts, a completeness bar and (for initiatives) an FTE bar."""

    def __init__(self, row: ThemeRow, fte_scale: float, validated: bool, vocab: Vocabulary | None = None) -> None:
        super().__init__(classes="ov-theme" + (" -empty" if not row.cards else ""))
        self.row, self.fte_scale, self.validated, self.vocab = row, fte_scale, validated, vocab

    def compose(self) -> ComposeResult:
        row = self.row
        name = Text()
        if row.number is not None:
            name.append(f"{row.number}. ")
        name.append(visible(row.theme) if row.theme else t("tree.no_theme"))
        if not row.known and row.theme:
            name.append(f"  ({t('overview.unknown_theme')})", style="italic")
        counts = Text(t("overview.cards", count=row.cards) if row.cards else t("overview.no_cards"))
        with Horizontal(classes="ov-head"):
            yield Static(name, classes="ov-name", markup=False)
            yield Static(counts, classes="ov-count", markup=False)
            if not self.validated:
                yield Static(Text("…"), classes="ov-invalid", markup=False)
            else:
                invalid = t("overview.invalid", count=row.invalid) if row.invalid else ""
                yield Static(Text(invalid), classes="ov-invalid " + ("-bad" if row.invalid else "-none"), markup=False)
        if not row.cards:
            return
        with Horizontal(classes="ov-line"):
            yield Static(Text(t("overview.complete")), classes="ov-label", markup=False)
            if row.completeness is None:
                yield Static(Text(t("overview.not_measured"), style="dim"), classes="ov-meter", markup=False)
            else:
                yield Meter(row.completeness, classes="ov-meter -complete " + _level(row.completeness))
            yield Static(Text(percent(row.completeness)), classes="ov-value", markup=False)
            yield Static("", classes="ov-extra", markup=False)  # keeps both bars equally wide
        if row.statuses:
            with Horizontal(classes="ov-line -status"):
                yield Static(Text(t("status.overview_label")), classes="ov-label", markup=False)
                yield Static(status_text(row, self.vocab), classes="ov-statuses", markup=False)
        if row.fte is not None:
            fte = row.fte
            scale = self.fte_scale or 1.0
            total = fte.counted + fte.not_possible + fte.missing
            with Horizontal(classes="ov-line"):
                yield Static(Text(t("overview.fte")), classes="ov-label", markup=False)
                yield Meter(fte.low / scale, fte.high / scale, classes="ov-meter -fte")
                yield Static(Text(fte_text(fte)), classes="ov-value", markup=False)
                yield Static(
                    Text(t("overview.fte_counted", counted=fte.counted, total=total)), classes="ov-extra", markup=False
                )


class OverviewScreen(Screen[None]):
    """Per region and theme: cards, completeness, FTE, invalid cards; and recent commits."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
    VALIDATION_POLL = 0.25  # seconds between looks at whether validation has finished (tests set ~0)
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", lazy("keys.back"), id="overview-back"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.rows: list[ThemeRow] = []
        self.commits: list[Commit] | None = None
        self.review: ReviewCounts | None = None
        self.shown_validated = False
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield Static(Text(t("overview.title")), id="overview-title", markup=False)
        yield Static("", id="overview-review", markup=False)
        with VerticalScroll(id="overview-body"), Horizontal(id="overview-columns"):
            yield Vertical(id="overview-themes")
            with Vertical(id="overview-git"):
                yield Static(Text(t("overview.commits")), classes="ov-region", markup=False)
                yield Static(Text(t("overview.commits_busy"), style="dim"), id="overview-commits", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        header = self.query_one(StatusHeader)
        header.show(self.library.workspace.root, None, None)
        header.show_problems(len(self.library.file_problems))
        self.query_one("#overview-body").focus()
        self._unsubscribe = follow_library(self, self.library)
        self.fill()
        if not self.library.validated:
            self._waiting = self.set_interval(self.VALIDATION_POLL, self._check_validated)
        self.load_commits()
        self.load_review()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_library_changed(self, message: LibraryChanged) -> None:
        change = message.change
        if change.changed or change.removed or change.files:
            self.query_one(StatusHeader).show_problems(len(self.library.file_problems))
            self.fill()

    def _check_validated(self) -> None:
        if self.library.validated:
            self._waiting.stop()
            self.fill()

    # -- themes ----------------------------------------------------------------------------
    def fill(self) -> None:
        """(Re)build the theme blocks from the library as it is now."""
        lib = self.library
        validated = lib.validated
        invalid = {cid for cid in lib.cards if lib.has_errors(cid)} if validated else set()
        self.rows = theme_overview(lib.cards.values(), lib.workspace.schema, lib.workspace.vocab, invalid)
        self.shown_validated = validated
        scale = max((r.fte_high or 0.0 for r in self.rows), default=0.0)
        box = self.query_one("#overview-themes", Vertical)
        box.remove_children()
        widgets: list[Widget] = []
        if not lib.cards:
            widgets.append(Static(Text(t("overview.empty")), classes="ov-note -empty-repo", markup=False))
        if not validated:
            widgets.append(Static(Text(t("overview.validating")), classes="ov-note", markup=False))
        file_problems = lib.file_problems
        if file_problems:
            unreadable = sum(1 for p in file_problems if isinstance(p, LoadError))
            note = t(
                "files.overview",
                count=len(file_problems),
                unreadable=unreadable,
                duplicates=len(file_problems) - unreadable,
            )
            widgets.append(Static(Text(note, style="bold"), classes="ov-note -file-problems", markup=False))
        by_region = file_problems_by_region(file_problems, lib.workspace.store.cards_dir, {r.region for r in self.rows})
        vocab = lib.workspace.vocab
        for region in dict.fromkeys(r.region for r in self.rows):
            rows = [r for r in self.rows if r.region == region]
            reg = vocab.regions.get(region)
            head = Text(f"{visible(reg.name)} ({region})" if reg else visible(region), style="bold")
            count = sum(r.cards for r in rows)
            summary = (
                t(
                    "overview.region_summary",
                    cards=count,
                    plural=count,
                    complete=percent(region_completeness(rows)),
                    invalid=sum(r.invalid for r in rows) + by_region.get(region, 0) if validated else "…",
                )
                if count
                else t("overview.cards", count=0)
            )
            head.append("   " + summary, style="not bold")
            if by_region.get(region):
                head.append(" · " + t("files.region", count=by_region[region]), style="not bold")
            ftes = [r.fte for r in rows if r.fte is not None]
            if ftes:
                together = FteTotal(low=sum(f.low for f in ftes), high=sum(f.high for f in ftes))
                head.append(" · " + t("overview.region_fte", fte=fte_text(together)), style="not bold")
            widgets.append(Static(head, classes="ov-region", markup=False))
            widgets.extend(ThemeBlock(r, scale, validated, vocab) for r in rows)
        widgets.append(Static(Text(t("overview.legend")), classes="ov-note -legend", markup=False))
        box.mount_all(widgets)

    # -- git -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def load_commits(self) -> None:
        try:
            commits: list[Commit] | str | None = recent_commits(self.library.workspace.root, 10)
        except GitError as exc:
            commits = t("overview.git_failed", error=str(exc))
        self.app.call_from_thread(self._show_commits, commits)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load_review(self) -> None:
        """Worker: the review counts (fields te beoordelen / akkoord / vraag)."""
        try:
            counts = review_counts(self.library.workspace.root, self.library)
        except GitError:
            counts = None
        self.app.call_from_thread(self._show_review, counts)

    def _show_review(self, counts: ReviewCounts | None) -> None:
        self.review = counts
        widget = self.query_one("#overview-review", Static)
        widget.display = counts is not None
        if counts is not None:
            words = t("review.counts", todo=counts.te_beoordelen, ok=counts.akkoord, asked=counts.vraag)
            widget.update(Text(words))

    def _show_commits(self, commits: list[Commit] | str | None) -> None:
        out = Text()
        if isinstance(commits, str):
            out.append(commits, style="italic")
        elif commits is None:
            out.append(t("overview.no_repo"), style="italic")
        elif not commits:
            out.append(t("overview.no_commits"), style="italic")
        else:
            self.commits = commits
            for i, c in enumerate(commits):
                if i:
                    out.append("\n")
                out.append(c.date.strftime("%Y-%m-%d %H:%M"), style="dim")
                out.append("  " + visible(c.author), style="bold")
                out.append("\n  " + visible(c.subject))
        self.query_one("#overview-commits", Static).update(out)
