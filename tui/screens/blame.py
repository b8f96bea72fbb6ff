"""Who wrote what: per field of a card, the last version that changed it (author, date, message)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, LoadingIndicator, Static

from tui.core.cards.text import visible
from tui.core.git.blame import FieldBlame, field_blame
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.status import has_uncommitted
from tui.core.library import Library
from tui.core.review import signoff
from tui.core.review.signoff import FieldReview

from ..dialogs.error import ErrorDialog
from ..i18n import explained, lazy, t


def _one_line(text: str) -> str:
    return visible(" ".join(text.split()))


def _review_cell(review: FieldReview | None) -> Text:
    """A field's review status with its marker ("✓ akkoord"), or nothing for a field not under review."""
    if review is None:
        return Text("")
    words = {
        signoff.AKKOORD: (t("review.status.akkoord"), "green"),
        signoff.VRAAG: (t("review.status.vraag"), "yellow"),
        signoff.TE_BEOORDELEN: (t("review.status.te_beoordelen"), "cyan"),
    }
    word, style = words.get(review.status, (review.status, ""))
    return Text(f"{signoff.MARKERS.get(review.status, '')} {word}", style=style)


class BlameScreen(Screen[None]):
    """A table: field (Dutch label, schema order), who last changed it, when, version and message."""

    BINDINGS = [Binding("escape", "back", lazy("keys.back"), id="blame-back")]

    def __init__(self, library: Library, card_id: str) -> None:
        super().__init__()
        self.library = library
        self.card_id = card_id
        card = library.cards.get(card_id)
        self.card_path = str(card.path) if card else ""
        self.card_title = card.title if card else card_id
        self.rows: list[FieldBlame] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Text(t("blame.title", title=visible(self.card_title)), style="bold"), id="blame-title", markup=False
        )
        yield Static(Text(t("blame.loading"), style="dim"), id="blame-note", markup=False)
        yield LoadingIndicator(id="blame-busy")
        yield DataTable(id="blame-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("field", "author", "date", "commit", "message"):
            table.add_column(Text(t(f"blame.{key}"), style="bold"), key=key)
        table.display = False
        self.compute()

    def current_card_id(self) -> str | None:
        return self.card_id

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def compute(self) -> None:
        """Trace every field to the last version that changed it (reads the whole history)."""
        try:
            with GitRepo.open(self.library.workspace.root) as repo:
                rows = field_blame(repo, self.card_path, self.library.workspace.schema)
                uncommitted = has_uncommitted(repo, self.card_path)
            card = self.library.cards.get(self.card_id)
            review = signoff.card_state(self.library.workspace.root, self.library, card) if card else {}
        except GitError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, rows, uncommitted, review)

    def _show(self, rows: list[FieldBlame], uncommitted: bool, review: dict[str, FieldReview] | None = None) -> None:
        self.rows = rows
        self.query_one("#blame-busy").display = False
        note = self.query_one("#blame-note", Static)
        if not rows:
            note.update(Text(t("blame.none"), style="italic"))
            return
        if uncommitted:
            note.update(Text(t("blame.uncommitted"), style="yellow"))
        else:
            note.display = False
        table = self.query_one(DataTable)
        if review:  # the repository reviews: each field's sign-off beside who last changed it
            table.add_column(Text(t("blame.review"), style="bold"), key="review")
        for b in rows:
            r = b.revision
            shown = b.label if len(b.path) == 1 else "  › " + b.label.rsplit(" › ", 1)[-1]  # sub-field under its table
            label = Text(visible(shown), style="bold" if len(b.path) == 1 else "")
            table.add_row(
                label,
                Text(_one_line(r.author)),
                Text(f"{r.date:%Y-%m-%d %H:%M}"),
                Text(r.short, style="dim"),
                Text(_one_line(r.subject), style="italic"),
                *([_review_cell(review.get(".".join(b.path)))] if review else []),
                key="/".join(b.path),
            )
        table.display = True
        table.focus()

    def _failed(self, error: GitError) -> None:
        self.query_one("#blame-busy").display = False
        self.query_one("#blame-note", Static).update(Text(t("blame.failed"), style="red"))
        self.app.push_screen(ErrorDialog(t("blame.failed"), explained(error.message, error.advice)))

    def action_back(self) -> None:
        self.app.pop_screen()
