"""Commit dialog: choose the changed cards, describe the change, record a version in git.

``start_commit`` finds the changed cards in a worker first, so the dialog only opens when there
is something to commit. Git runs in workers; a missing identity is asked for once
(``IdentityDialog``) and the commit continues; every refusal is explained with its advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, LoadingIndicator, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection
from ..widgets.safe import SafeTextArea

from tui.core.cards.text import visible
from tui.core.git.commit import CardChange, CommitRefused, changed_cards, commit, suggest_message
from tui.core.git.gitrepo import GitError, GitRepo, IndexLocked, NoIdentity, explain
from tui.core.git.status import changed_files
from tui.core.library import Library

from ..i18n import explained, lazy, t
from ..messages import RepoChanged
from .choice import ChoiceDialog
from .error import ErrorDialog
from .identity import IdentityDialog

_ASKED_AT_COMMIT = ("no-identity", "lock")  # asked for (identity) or offered (stale lock) when committing
_STATE_STYLE = {"new": "green", "untracked": "green", "deleted": "red", "conflicted": "bold red"}


def explain_git_error(error: GitError) -> str:
    """A GitError as dialog text: what happened, then what to do."""
    return explained(error.message, error.advice)


def start_commit(app: App, library: Library, *, paths: Sequence[str] | None = None, message: str | None = None) -> None:
    """Look for changed cards in a worker; open the dialog, or say there is nothing to commit.

    ``paths`` (repository-relative) limits the dialog to those cards and ``message`` is the
    message to propose for them (a bulk edit: one commit of exactly its cards).
    """
    workspace = library.workspace

    def scan() -> None:
        try:
            with GitRepo.open(workspace.root) as repo:
                for notice in explain(repo.state()):  # refuse before the user writes a message for nothing
                    if notice.blocks_commit and notice.code not in _ASKED_AT_COMMIT:
                        raise CommitRefused(notice.message, notice.advice)
                changes = changed_cards(repo, workspace)
                renamed = {f.path: f.orig_path for f in changed_files(repo) if f.orig_path}
        except GitError as exc:
            app.call_from_thread(_show_refusal, app, exc)
            return
        app.call_from_thread(found, changes, renamed)

    def found(changes: list[CardChange], renamed: dict[str, str]) -> None:
        if paths is not None:
            wanted = set(paths)
            changes = [c for c in changes if c.path in wanted]
        if not changes:
            app.notify(t("commit.nothing"), title=t("commit.nothing_title"), timeout=6, markup=False)
            return
        app.push_screen(CommitDialog(library, changes, renamed, message=message), committed)

    def committed(sha: str | None) -> None:
        if sha:
            app.post_message(RepoChanged())

    app.run_worker(scan, name="commit-scan", thread=True, exclusive=True, group="git", exit_on_error=False)


def _show_refusal(app: App, error: GitError) -> None:
    app.push_screen(ErrorDialog(t("commit.refused"), explain_git_error(error)))


def change_prompt(change: CardChange) -> Text:
    """One line per card: state, title, and the Dutch labels of the changed fields (never markup)."""
    state = t(f"commit.state_{change.state}")
    text = Text()
    text.append(f"{state:<10} ", style=_STATE_STYLE.get(change.state, "yellow"))
    text.append(visible(" ".join(change.title.split())), style="bold")
    if change.problem:
        text.append("  " + t("commit.unreadable", problem=visible(change.problem)), style="red")
    elif change.labels:
        text.append("  " + t("commit.fields", labels=visible(", ".join(change.labels))), style="italic")
    elif change.state not in ("new", "untracked", "deleted") and not change.shared:
        text.append("  " + t("commit.no_fields"), style="dim italic")
    text.append(f"  {visible(change.path)}", style="dim")
    return text


class CommitDialog(ModalScreen[str | None]):
    """The changed cards (all chosen), a suggested message, and a commit button; answers the new sha."""

    BINDINGS = [
        Binding("ctrl+s", "commit", lazy("commit.commit"), id="commit-confirm", priority=True),
        Binding("escape", "cancel", lazy("commit.cancel"), id="commit-cancel"),
    ]

    busy: reactive[bool] = reactive(False)

    def __init__(
        self,
        library: Library,
        changes: Sequence[CardChange],
        renamed: dict[str, str] | None = None,
        *,
        message: str | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.changes = list(changes)
        self.renamed = dict(renamed or {})
        self.proposed = message  # proposed for exactly these cards (a bulk edit), else suggested per card
        self.suggested = message or suggest_message(self.changes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="commit-box"):
            yield Static(Text(t("commit.title"), style="bold"), markup=False)
            yield Static(t("commit.intro"), markup=False, classes="hint")
            yield Static(Text(t("commit.cards", count=len(self.changes)), style="bold"), markup=False, classes="label")
            yield SelectionList[str](
                *(Selection(change_prompt(c), c.path, True) for c in self.changes), id="commit-cards"
            )
            yield Static(Text(t("commit.message"), style="bold"), markup=False, classes="label")
            yield SafeTextArea(self.suggested, id="commit-message", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="commit-problem", markup=False)
            yield LoadingIndicator(id="commit-busy")
            with Horizontal(classes="buttons"):
                yield Button(t("commit.commit"), id="commit-ok", variant="primary")
                yield Button(t("commit.cancel"), id="commit-cancel")

    def on_mount(self) -> None:
        self.query_one("#commit-problem", Static).display = False
        area = self.query_one("#commit-message", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    # -- state -----------------------------------------------------------------------------
    @property
    def selected_paths(self) -> list[str]:
        """The chosen card files, in the order they are listed."""
        chosen = set(self.query_one("#commit-cards", SelectionList).selected)
        return [c.path for c in self.changes if c.path in chosen]

    @property
    def message(self) -> str:
        return self.query_one("#commit-message", TextArea).text

    def watch_busy(self, busy: bool) -> None:
        self.set_class(busy, "-busy")
        for button in self.query(Button):
            button.disabled = busy
        self.query_one("#commit-cards", SelectionList).disabled = busy
        self.query_one("#commit-message", TextArea).read_only = busy

    def _problem(self, text: str | None) -> None:
        problem = self.query_one("#commit-problem", Static)
        problem.update(Text(text or ""))
        problem.display = bool(text)

    @on(SelectionList.SelectedChanged, "#commit-cards")
    def _selection_changed(self, event: SelectionList.SelectedChanged) -> None:
        """Suggest a message for the chosen cards, unless the user wrote their own."""
        chosen = set(self.selected_paths)
        everything = chosen == {c.path for c in self.changes}
        suggestion = self.proposed if self.proposed and everything else None
        suggestion = suggestion or suggest_message([c for c in self.changes if c.path in chosen])
        area = self.query_one("#commit-message", TextArea)
        if area.text.strip() in ("", self.suggested.strip()):
            area.load_text(suggestion)
            area.move_cursor(area.document.end)
        self.suggested = suggestion
        if chosen:
            self._problem(None)

    @on(TextArea.Changed, "#commit-message")
    def _message_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text.strip():
            self._problem(None)

    # -- actions ---------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "commit-ok":
            self.action_commit()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_commit(self) -> None:
        if self.busy:
            return
        paths = self.selected_paths
        if not paths:
            self._problem(t("commit.none_selected"))
            self.query_one("#commit-cards", SelectionList).focus()
            return
        if not self.message.strip():
            self._problem(t("commit.empty_message"))
            self.query_one("#commit-message", TextArea).focus()
            return
        self._problem(None)
        self.busy = True
        self._commit(self._with_old_names(paths), self.message)

    def _with_old_names(self, paths: list[str]) -> list[str]:
        """A renamed card commits both its new and its old name (else the old file lingers)."""
        return paths + [self.renamed[p] for p in paths if p in self.renamed]

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def _commit(self, paths: list[str], message: str) -> None:
        root = self.library.workspace.root
        try:
            with GitRepo.open(root) as repo:
                try:
                    sha = commit(repo, paths, message)
                except NoIdentity:
                    name, email = repo.configured_identity()
                    self.app.call_from_thread(self._ask_identity, name, email)
                    return
        except GitError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        self.app.call_from_thread(self._done, sha)

    def _done(self, sha: str) -> None:
        self.busy = False
        summary = visible(self.message.strip().splitlines()[0])
        self.app.notify(t("commit.done", sha=sha[:7], summary=summary), timeout=6, markup=False)
        self.dismiss(sha)

    def _refused(self, error: GitError) -> None:
        self.busy = False
        if isinstance(error, IndexLocked) and error.lock.stale:
            choices = [("remove", t("commit.remove_lock"), "warning"), ("keep", t("commit.keep_lock"), "default")]

            def answered(choice: str | None) -> None:
                if choice == "remove":
                    self.busy = True
                    self._remove_lock()

            self.app.push_screen(ChoiceDialog(t("commit.refused"), explain_git_error(error), choices, "keep"), answered)
            return
        self.app.push_screen(ErrorDialog(t("commit.refused"), explain_git_error(error)))

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def _remove_lock(self) -> None:
        try:
            with GitRepo.open(self.library.workspace.root) as repo:
                repo.remove_stale_lock()
        except GitError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        self.app.call_from_thread(self._lock_removed)

    def _lock_removed(self) -> None:
        self.busy = False
        self.notify(t("commit.lock_removed"), timeout=5)

    def _ask_identity(self, name: str, email: str) -> None:
        self.busy = False  # the identity dialog is on top; no spinner behind it

        def answered(identity: tuple[str, str] | None) -> None:
            if identity is None:
                return
            self.busy = True
            self._commit(self._with_old_names(self.selected_paths), self.message)

        self.app.push_screen(IdentityDialog(Path(self.library.workspace.root), name, email), answered)
