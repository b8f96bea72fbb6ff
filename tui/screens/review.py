"""The review queue, field by field: card title, field label and a word-level diff since the last
approved value (or the latest snapshot); ``a`` akkoord, ``v`` vraag (asks a note), ``n``/``space``
next, ``p`` previous, ``enter`` opens the card. The core decides (``tui.core.review.signoff``);
every read and write runs in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.core.cards.render_text import plain_value
from tui.core.cards.text import visible
from tui.core.git.fielddiff import word_diff
from tui.core.git.gitrepo import GitError
from tui.core.library import Library
from tui.core.review import signoff
from tui.core.review.signoff import ReviewError, ReviewItem
from tui.core.cards.atomic import WriteError

from ..dialogs.review_note import ReviewNoteDialog
from ..i18n import lazy, t
from .card_screen import CardScreen

if TYPE_CHECKING:
    from ..card_actions import CardActions


def _shown(value: Any) -> str:
    return t("review.absent") if value is None else visible(plain_value(value, inline=False))


def diff_text(old: Any, new: Any) -> Text:
    """The change from ``old`` to ``new``: a word-level diff for text, else the old and the new value."""
    out = Text()
    if isinstance(old, str) and isinstance(new, str):
        previous = ""
        for seg in word_diff(old, new):
            if previous == "delete" and seg.op == "insert":
                out.append(" ")  # the old and the new word apart, also without colours
            out.append(visible(seg.text), style={"delete": "red strike", "insert": "green bold"}.get(seg.op, ""))
            previous = seg.op
        return out
    out.append("- " + _shown(old), style="red")
    out.append("\n")
    out.append("+ " + _shown(new), style="green")
    return out


class ReviewScreen(Screen[None]):
    """Walk the review queue and give each field a verdict."""

    BINDINGS = [
        Binding("a", "approve", lazy("review.approve"), id="review-approve"),
        Binding("v", "ask", lazy("review.ask"), id="review-ask"),
        Binding("n,space", "move(1)", lazy("review.next"), id="review-next"),
        Binding("p", "move(-1)", lazy("review.previous"), id="review-previous"),
        Binding("enter", "open_card", lazy("review.open_card"), id="review-open"),
        Binding("escape", "app.pop_screen", lazy("keys.back"), id="review-back"),
    ]

    index: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, library: Library, actions: CardActions) -> None:
        super().__init__()
        self.library = library
        self.actions = actions
        self.items: list[ReviewItem] = []
        self.loaded = False
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(Text(t("review.title")), id="review-title", markup=False)
        yield Static(Text(t("review.loading"), style="dim"), id="review-position", markup=False)
        yield Static("", id="review-card", markup=False)
        yield Static("", id="review-field", markup=False)
        yield Static("", id="review-since", markup=False)
        yield Static("", id="review-diff", markup=False)
        yield Static("", id="review-question", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @property
    def current(self) -> ReviewItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    # -- loading ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load(self) -> None:
        """Worker: the queue from the committed cards and review files."""
        items = signoff.todo(self.library.workspace.root, self.library)
        self.app.call_from_thread(self._loaded, items)

    def _loaded(self, items: list[ReviewItem]) -> None:
        self.items = items
        self.loaded = True
        self.index = min(self.index, max(len(items) - 1, 0))

    def watch_index(self) -> None:
        self.show()

    def show(self) -> None:
        """Put the current field on screen."""
        item = self.current
        parts = {
            k: self.query_one(f"#review-{k}", Static)
            for k in ("position", "card", "field", "since", "diff", "question")
        }
        if item is None:
            for widget in parts.values():
                widget.update("")
            parts["position"].update(Text(t("review.empty")))
            return
        parts["position"].update(Text(t("review.position", n=self.index + 1, total=len(self.items)), style="dim"))
        parts["card"].update(Text(t("review.card", id=visible(item.card_id), title=visible(item.title)), style="bold"))
        status = t(f"review.status.{item.status}")
        parts["field"].update(Text(f"{t('review.field', label=visible(item.label))}  [{status}]"))
        since = {"approved": "review.since", "snapshot": "review.since_snapshot"}.get(item.since, "review.since_none")
        parts["since"].update(Text(t(since), style="dim"))
        parts["diff"].update(diff_text(item.old, item.new))
        question = ""
        if item.note:
            question = t("review.open_question", reviewer=visible(item.reviewer), note=visible(item.note))
        parts["question"].update(Text(question, style="yellow"))

    # -- moving ----------------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + delta))

    def action_open_card(self) -> None:
        item = self.current
        if item is not None and item.card_id in self.library.cards:
            self.app.push_screen(CardScreen(self.library, self.actions, item.card_id))

    # -- verdicts --------------------------------------------------------------------------------
    def action_approve(self) -> None:
        item = self.current
        if item is not None and not self.busy:
            self.busy = True
            self.record(item, signoff.AKKOORD, "")

    @work(exclusive=True, group="review-note", exit_on_error=False)
    async def action_ask(self) -> None:
        item = self.current
        if item is None or self.busy:
            return
        note = await self.app.push_screen_wait(ReviewNoteDialog(item.label))
        if note:
            self.busy = True
            self.record(item, signoff.VRAAG, note)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def record(self, item: ReviewItem, verdict: str, note: str) -> None:
        """Worker: write and commit the verdict, then read the queue again."""
        card = self.library.cards.get(item.card_id)
        try:
            if card is None:
                raise ReviewError("not_committed", card=item.card_id)
            if verdict == signoff.AKKOORD:
                signoff.approve(self.library.workspace.root, self.library, card, item.field, note)
            else:
                signoff.question(self.library.workspace.root, self.library, card, item.field, note)
            items = signoff.todo(self.library.workspace.root, self.library)
        except (ReviewError, GitError, WriteError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._recorded, item, verdict, items)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.notify(message, severity="error", timeout=8, markup=False)

    def _recorded(self, item: ReviewItem, verdict: str, items: list[ReviewItem]) -> None:
        self.busy = False
        self.library.note_repo_changed()
        self.notify(t(f"review.recorded_{verdict}", label=visible(item.label)), timeout=3, markup=False)
        after = self.index + (1 if verdict == signoff.VRAAG else 0)
        self.items = items
        self.index = min(after, max(len(items) - 1, 0))
