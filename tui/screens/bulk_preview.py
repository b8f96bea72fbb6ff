"""The bulk preview: every card a bulk edit changes with its field diff, the count, and the cards
skipped with their reasons. Nothing is written before "Schrijven"; then the cards are saved in a
worker with progress, and one commit of exactly those cards is proposed (``start_bulk``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from tui.core.cards.card import Card
from tui.core.cards.text import visible
from tui.core.git.fielddiff import format_diff
from tui.core.library import Library
from tui.core.meetings.bulk import BulkEdit, BulkError, BulkPlan, BulkResult, Skip, apply_bulk, plan_bulk

from ..dialogs.bulk import BulkDialog
from ..dialogs.commit import start_commit
from ..i18n import lazy, t


def reason(skip: Skip) -> str:
    """Why a card is left alone, in the user's language."""
    return t(f"bulk.reason.{skip.code}", **skip.values)


def _card_line(card: Card) -> str:
    return visible(f"{card.id}  {' '.join(card.title.split())}", keep="")


def preview_text(plan: BulkPlan) -> Text:
    """Per card its id, title and field diff; then the skipped cards with their reasons (never markup)."""
    out = Text()
    for change in plan.changes:
        out.append(_card_line(change.card) + "\n", style="bold")
        for line in format_diff(change.diffs).splitlines():
            stripped = line.lstrip()
            style = "green" if stripped.startswith("+") else "red" if stripped.startswith("-") else ""
            out.append(f"  {line}\n", style=style)
    if plan.skipped:
        gap = "\n" if plan.changes else ""
        out.append(gap + t("bulk.preview_skipped", count=len(plan.skipped)) + "\n", style="bold underline")
        for skip in plan.skipped:
            out.append(_card_line(skip.card), style="dim")
            out.append(f": {visible(reason(skip), keep='')}\n", style="italic")
    return out


class BulkPreviewScreen(ModalScreen[BulkResult | None]):
    """The plan of one bulk edit; "Schrijven" saves it, escape goes back without writing."""

    BINDINGS = [
        Binding("escape", "back", lazy("bulk.back"), id="bulk-preview-back"),
        Binding("ctrl+s", "confirm", lazy("bulk.confirm"), id="bulk-preview-confirm", priority=True),
    ]

    def __init__(self, library: Library, edit: BulkEdit, cards: Sequence[Card], scope: str = "") -> None:
        super().__init__()
        self.library = library
        self.edit = edit
        self.cards = list(cards)
        self.scope = scope
        self.plan: BulkPlan | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="bulk-preview-box"):
            yield Static(Text(t("bulk.preview_title", edit=visible(self.edit.describe(), keep="")), style="bold"))
            yield Static(t("load.busy"), id="bulk-summary", markup=False)
            with VerticalScroll(id="bulk-preview-list"):
                yield Static("", id="bulk-preview-text", markup=False)
            yield ProgressBar(id="bulk-progress", show_eta=False)
            with Horizontal(classes="buttons"):
                yield Button(t("bulk.confirm"), id="bulk-write", variant="primary", disabled=True)
                yield Button(t("bulk.back"), id="bulk-back")

    def on_mount(self) -> None:
        self.query_one("#bulk-back", Button).focus()
        self._make_plan()

    # -- the plan ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="bulk", exit_on_error=False)
    def _make_plan(self) -> None:
        try:
            plan = plan_bulk(self.library.workspace, self.edit, self.cards, scope=self.scope)
        except BulkError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        self.app.call_from_thread(self._show, plan)

    def _refused(self, exc: BulkError) -> None:
        words = t(f"bulk.error.{exc.code}", **{k: str(v) for k, v in exc.params.items()})
        self.query_one("#bulk-summary", Static).update(Text(words, style="bold red"))

    def _show(self, plan: BulkPlan) -> None:
        self.plan = plan
        parts = [t("bulk.preview_count", count=plan.count)] if plan.changes else [t("bulk.preview_none")]
        if plan.skipped:
            parts.append(t("bulk.preview_skipped", count=len(plan.skipped)))
        self.query_one("#bulk-summary", Static).update(Text(" · ".join(parts)))
        self.query_one("#bulk-preview-text", Static).update(preview_text(plan))
        write = self.query_one("#bulk-write", Button)
        write.disabled = not plan.changes
        if plan.changes:
            write.focus()

    # -- writing -----------------------------------------------------------------------------
    def action_confirm(self) -> None:
        plan = self.plan
        if plan is None or not plan.changes or self.busy:
            return
        self.busy = True
        self.add_class("-busy")
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#bulk-summary", Static).update(Text(t("bulk.writing", count=plan.count)))
        self.query_one("#bulk-progress", ProgressBar).update(total=plan.count, progress=0)
        self._write(plan)

    @work(thread=True, exclusive=True, group="bulk", exit_on_error=False)
    def _write(self, plan: BulkPlan) -> None:
        bar = self.query_one("#bulk-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            result = apply_bulk(self.library.workspace, plan, library=self.library, progress=progress)
        except Exception as exc:  # e.g. the disk went away: say so, nothing more is written
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.remove_class("-busy")
        self.query_one("#bulk-back", Button).disabled = False
        self.query_one("#bulk-summary", Static).update(Text(t("bulk.write_failed", reason=str(exc)), style="red"))

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "bulk-write":
            self.action_confirm()
        else:
            self.action_back()


def start_bulk(
    app: App, library: Library, cards: Sequence[Card], scope: str = "", done: Callable[[], None] | None = None
) -> None:
    """The whole flow: the dialog, the preview, writing, then one commit proposed with the generated message.

    ``done`` is called once cards were written (the browser unmarks them).
    """

    def chosen(edit: BulkEdit | None) -> None:
        if edit is not None:
            app.push_screen(BulkPreviewScreen(library, edit, cards, scope), lambda result: written(edit, result))

    def written(edit: BulkEdit, result: BulkResult | None) -> None:
        if result is None:  # back from the preview: the dialog again, as it was
            app.push_screen(BulkDialog(library.workspace, cards, edit), chosen)
            return
        if result.refused:
            lines = [f"{_card_line(s.card)}: {reason(s)}" for s in result.refused[:8]]
            app.notify(
                "\n".join(lines), title=t("bulk.refused", count=len(result.refused)), severity="warning", markup=False
            )
        if not result.saved:
            return
        app.notify(t("bulk.written", count=len(result.saved)), timeout=4, markup=False)
        if done is not None:
            done()
        start_commit(app, library, paths=result.paths, message=result.message)

    app.push_screen(BulkDialog(library.workspace, cards), chosen)
