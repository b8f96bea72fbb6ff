"""Wijzigingen: what changed since a snapshot or a date, card by card (grouped by theme) and field by field.

The change set is computed in a worker that streams: the first changed card shows before the
rest are done, with a progress line. ``enter`` opens a card. ``SnapshotDialog`` makes a
snapshot ("Snapshot maken" in the palette) and shows the core's coded refusals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core.cards.render_text import plain_value
from tui.core.cards.text import visible
from tui.core.git.fielddiff import ADDED as F_ADDED
from tui.core.git.fielddiff import REMOVED as F_REMOVED
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.cards.vocab import Vocabulary
from tui.core.library import Library
from tui.core.cards.status import label_of
from tui.core.review.changes import CardChange, FieldChange, open_changes
from tui.core.review.changes_report import decision_word
from tui.core.review.snapshots import Snapshot, create_snapshot, list_snapshots

from ..i18n import explained, language, lazy, phrase_error, t
from ..widgets.safe import SafeInput, SafeSelect
from .card_screen import CardScreen

if TYPE_CHECKING:  # the controller imports the screens; screens need only its type
    from ..card_actions import CardActions

DATE = "date"  # the Select value that means "type a date"
REFRESH_EVERY = 20  # cards between list rebuilds while streaming (the first card shows at once)


def _error_text(exc: Exception) -> str:
    words = phrase_error(exc)
    if isinstance(exc, GitError) and words == str(exc):
        return explained(exc.message, exc.advice, " ")
    return words


def status_words(card: CardChange) -> str:
    """ "gewijzigd", "nieuw, niet vastgelegd", ... in the UI language."""
    word = t(f"changes.status_{card.status}")
    return t("changes.uncommitted", status=word) if card.uncommitted else word


def field_text(f: FieldChange) -> Text:
    """One field's change as styled text: deletions struck through, insertions underlined; never markup."""
    out = Text()
    out.append(visible(f.label), style="bold")
    out.append(f"  {visible(f.key)}\n", style="dim")
    decided = decision_word(f)  # a decision added or removed: "besluit toegevoegd: …"
    if decided is not None:
        out.append(visible(decided), style="green" if f.change == F_ADDED else "red strike")
    elif f.change == F_ADDED:
        out.append(visible(plain_value(f.new, inline=True)), style="green underline")
    elif f.change == F_REMOVED:
        out.append(visible(plain_value(f.old, inline=True)), style="red strike")
    elif f.added_items or f.removed_items:
        for item in f.removed_items:
            out.append("− " + visible(item) + "\n", style="red strike")
        for item in f.added_items:
            out.append("+ " + visible(item) + "\n", style="green underline")
    elif isinstance(f.old, list) and isinstance(f.new, list):
        out.append(t("changes.reordered"), style="dim")
    elif f.segments:
        for seg in f.segments:
            style = {"delete": "red strike", "insert": "green underline"}.get(seg.op, "")
            out.append(visible(seg.text), style=style)
    else:
        out.append(visible(plain_value(f.old, inline=True)), style="red strike")
        out.append(" → ")
        out.append(visible(plain_value(f.new, inline=True)), style="green underline")
    out.rstrip()
    return out


def card_text(card: CardChange, vocab: Vocabulary | None = None) -> Text:
    """The whole diff of one card for the right-hand pane (a status change first, by name)."""
    out = Text()
    out.append(visible(" — ".join(p for p in (card.id, card.title) if p)), style="bold")
    out.append(f"  ({status_words(card)})\n", style="italic")
    out.append(visible(card.path) + "\n", style="dim")
    if card.old_path and card.old_path != card.path:
        out.append(t("changes.renamed_from", path=visible(card.old_path)) + "\n", style="dim")
    if card.problem:
        out.append(t("changes.unreadable", problem=visible(card.problem)) + "\n", style="bold")
    for c in card.commits:
        out.append(f"{c.short} {c.date:%Y-%m-%d} ", style="dim")
        out.append(visible(c.author), style="bold")
        out.append(": " + visible(c.subject) + "\n")
    if card.transition is not None:
        old, new = (label_of(vocab, card.region, c) or t("status.none") for c in card.transition)
        out.append("\n" + t("status.transition", old=visible(old), new=visible(new)) + "\n", style="bold")
    for f in card.fields:
        if card.transition is not None and f.key == "status":
            continue
        out.append("\n")
        out.append_text(field_text(f))
        out.append("\n")
    out.rstrip()
    return out


class ChangesScreen(Screen[None]):
    """Changed cards since a snapshot or a date, grouped by theme, with their field diffs."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", lazy("keys.back"), id="changes-back"),
        Binding("f", "choose_from", lazy("changes.choose_key"), id="changes-choose"),
    ]

    def __init__(self, library: Library, actions: CardActions | None = None) -> None:
        super().__init__()
        self.library = library
        self.actions = actions
        self.snapshots: list[Snapshot] = []
        self.cards: list[CardChange] = []
        self.total = 0
        self.done = False
        self.error = ""
        self.since: str | None = None
        self._generation = 0

    @property
    def root(self) -> Path:
        return self.library.workspace.root

    def compose(self) -> ComposeResult:
        yield Static(Text(t("changes.title")), id="changes-title", markup=False)
        with Horizontal(id="changes-bar"):
            yield SafeSelect([], prompt=t("changes.choose_prompt"), id="changes-from", allow_blank=True)
            yield SafeInput(placeholder=t("changes.date_placeholder"), id="changes-date")
        yield Static(Text(t("changes.loading_snapshots")), id="changes-progress", markup=False)
        with Horizontal(id="changes-body"):
            yield OptionList(id="changes-list", markup=False)
            with VerticalScroll(id="changes-diff-box"):
                yield Static(Text(""), id="changes-diff", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#changes-date").display = False
        self.load_snapshots()

    def current_card_id(self) -> str | None:
        """The highlighted changed card's id (for the app's card keys)."""
        card = self._highlighted()
        return card.id if card is not None else None

    # -- choosing FROM -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="changes-snapshots", exit_on_error=False)
    def load_snapshots(self) -> None:
        try:
            with GitRepo.open(self.root) as repo:
                snaps: list[Snapshot] | str = list_snapshots(repo)
        except GitError as exc:
            snaps = _error_text(exc)
        self.app.call_from_thread(self._show_snapshots, snaps)

    def _show_snapshots(self, snaps: list[Snapshot] | str) -> None:
        select = self.query_one("#changes-from", SafeSelect)
        if isinstance(snaps, str):
            self._progress(snaps)
            return
        self.snapshots = snaps
        options: list[tuple[str, str]] = [(f"{s.name} ({s.date:%Y-%m-%d})", s.tag) for s in reversed(snaps)]
        options.append((t("changes.by_date"), DATE))
        select.set_options(options)
        if snaps:
            select.value = snaps[-1].tag  # the latest: Changed starts the comparison
        else:
            self._progress(t("changes.no_snapshots"))
            select.value = DATE

    def action_choose_from(self) -> None:
        self.query_one("#changes-from", SafeSelect).focus()

    @on(Select.Changed, "#changes-from")
    def _from_changed(self, event: Select.Changed) -> None:
        date_input = self.query_one("#changes-date", SafeInput)
        if event.value == DATE:
            date_input.display = True
            date_input.focus()
            return
        date_input.display = False
        if isinstance(event.value, str):
            self.compare(event.value)

    @on(SafeInput.Submitted, "#changes-date")
    def _date_submitted(self, event: SafeInput.Submitted) -> None:
        if event.value.strip():
            self.compare(event.value.strip())

    # -- the change set ----------------------------------------------------------------------
    def compare(self, since: str) -> None:
        """Start computing the changes since ``since`` (a snapshot tag, revision or date)."""
        self._generation += 1
        self.since, self.cards, self.total, self.done, self.error = since, [], 0, False, ""
        self.query_one("#changes-list", OptionList).clear_options()
        self.query_one("#changes-diff", Static).update(Text(""))
        self._progress(t("changes.computing"))
        self._compute(since, self._generation)

    @work(thread=True, exclusive=True, group="changes", exit_on_error=False)
    def _compute(self, since: str, generation: int) -> None:
        worker = get_current_worker()
        try:
            with GitRepo.open(self.root) as repo, open_changes(repo, since, None, lang=language()) as stream:
                self.app.call_from_thread(self._started, generation, stream.total)
                for card in stream:
                    if worker.is_cancelled:
                        return
                    self.app.call_from_thread(self._add, generation, card)
        except GitError as exc:
            self.app.call_from_thread(self._failed, generation, _error_text(exc))
            return
        self.app.call_from_thread(self._finished, generation)

    def _started(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self._progress(t("changes.progress", done=0, total=total))

    def _add(self, generation: int, card: CardChange) -> None:
        if generation != self._generation:
            return
        self.cards.append(card)
        self._progress(t("changes.progress", done=len(self.cards), total=self.total))
        if len(self.cards) == 1 or len(self.cards) % REFRESH_EVERY == 0:
            self._rebuild()

    def _finished(self, generation: int) -> None:
        if generation != self._generation:
            return
        self.done = True
        self._rebuild()
        n = len(self.cards)
        self._progress(t("changes.done_none") if not n else t("changes.done", count=n))

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.error = message
            self.done = True
            self._progress(message)

    def _progress(self, text: str) -> None:
        self.query_one("#changes-progress", Static).update(Text(text))

    def groups(self) -> dict[str, list[CardChange]]:
        """The cards computed so far by theme (first-seen order)."""
        out: dict[str, list[CardChange]] = {}
        for card in self.cards:
            out.setdefault(card.theme, []).append(card)
        return out

    def _rebuild(self) -> None:
        olist = self.query_one("#changes-list", OptionList)
        keep = olist.highlighted_option.id if olist.highlighted_option is not None else None
        options: list[Option] = []
        index = {id(c): i for i, c in enumerate(self.cards)}
        for theme, cards in self.groups().items():
            head = Text(visible(theme) if theme else t("changes.no_theme"), style="bold")
            head.append(f"  ({len(cards)})", style="dim")
            options.append(Option(head, disabled=True))
            for card in cards:
                line = Text("  ")
                line.append(f"{status_words(card)}  ", style="italic")
                line.append(visible(" — ".join(p for p in (card.id, card.title) if p)))
                options.append(Option(line, id=str(index[id(card)])))
        olist.set_options(options)
        if keep is not None:
            olist.highlighted = next((i for i, o in enumerate(options) if o.id == keep), None)
        if olist.highlighted is None:
            olist.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        self._show(self._highlighted())

    def _highlighted(self) -> CardChange | None:
        option = self.query_one("#changes-list", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return self.cards[int(option.id)]

    def _show(self, card: CardChange | None) -> None:
        self.query_one("#changes-diff", Static).update(
            card_text(card, self.library.workspace.vocab) if card is not None else Text("")
        )

    @on(OptionList.OptionHighlighted, "#changes-list")
    def _highlight(self, event: OptionList.OptionHighlighted) -> None:
        self._show(self._highlighted())

    @on(OptionList.OptionSelected, "#changes-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        card = self._highlighted()
        if card is None:
            return
        if card.id not in self.library.cards or self.actions is None:
            self.notify(t("changes.not_here", id=visible(card.id)), severity="warning")
            return
        self.app.push_screen(CardScreen(self.library, self.actions, card.id))


class SnapshotDialog(ModalScreen[Snapshot | None]):
    """Ask the snapshot's name (and an optional text), make it, and show a refusal in words."""

    BINDINGS = [Binding("escape", "cancel", lazy("snapshot.cancel"), id="snapshot-cancel")]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="snapshot-dialog"):
            yield Static(Text(t("snapshot.dialog_title")), id="snapshot-title", markup=False)
            yield Static(Text(t("snapshot.dialog_help")), markup=False)
            yield SafeInput(placeholder=t("snapshot.name_placeholder"), id="snapshot-name")
            yield SafeInput(placeholder=t("snapshot.message_placeholder"), id="snapshot-message")
            yield Static(Text(""), id="snapshot-error", markup=False)
            with Horizontal(id="snapshot-buttons"):
                yield Button(t("snapshot.make"), id="snapshot-make", variant="primary")
                yield Button(t("snapshot.cancel"), id="snapshot-cancel-button")

    def on_mount(self) -> None:
        self.query_one("#snapshot-name", SafeInput).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#snapshot-cancel-button")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#snapshot-make")
    @on(SafeInput.Submitted)
    def _make(self) -> None:
        name = self.query_one("#snapshot-name", SafeInput).value
        message = self.query_one("#snapshot-message", SafeInput).value
        self.query_one("#snapshot-make", Button).disabled = True
        self._create(name, message)

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def _create(self, name: str, message: str) -> None:
        try:
            with GitRepo.open(self.root) as repo:
                made: Snapshot | str = create_snapshot(repo, name, message)
        except GitError as exc:
            made = _error_text(exc)
        self.app.call_from_thread(self._done, made)

    def _done(self, made: Snapshot | str) -> None:
        self.query_one("#snapshot-make", Button).disabled = False
        if isinstance(made, str):
            self.error = made
            self.query_one("#snapshot-error", Static).update(Text(made, style="bold"))
            return
        cards = t("snapshot.cards", count=made.cards)
        self.app.notify(
            t("snapshot.made", name=visible(made.name), tag=made.tag, commit=made.commit[:7], cards=cards),
            markup=False,
        )
        self.dismiss(made)
