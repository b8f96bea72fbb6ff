"""Ask once who is committing: name and e-mail, checked as you type, stored in the repo's config.

Kaartenbak never commits under an invented ``user@host``; this dialog is the only way an
identity is made, and it is written with ``store_identity`` (git CLI, ``--local``).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, LoadingIndicator, Static
from ..widgets.safe import SafeInput

from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.identity import InvalidIdentity, store_identity, validate_identity
from tui.core.cards.text import visible
from ..i18n import explained, lazy, t

_GOOD_NAME, _GOOD_EMAIL = "Naam", "naam@voorbeeld.nl"  # stand-ins to check one field at a time


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` (in the UI language), or None."""
    try:
        validate_identity(name, _GOOD_EMAIL)
    except InvalidIdentity as exc:
        return explained(exc.message, exc.advice, " ")
    return None


def email_problem(email: str) -> str | None:
    """What is wrong with ``email`` (in the UI language), or None."""
    try:
        validate_identity(_GOOD_NAME, email)
    except InvalidIdentity as exc:
        return explained(exc.message, exc.advice, " ")
    return None


class IdentityDialog(ModalScreen[tuple[str, str] | None]):
    """Name and e-mail for git; answers the stored (name, email), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", lazy("identity.cancel"), id="identity-cancel")]

    busy: reactive[bool] = reactive(False)

    def __init__(self, root: Path, name: str = "", email: str = "") -> None:
        super().__init__()
        self.root = root
        self.initial = (name, email)
        self.touched: set[str] = set()

    def compose(self) -> ComposeResult:
        name, email = self.initial
        with Vertical(classes="dialog", id="identity-box"):
            yield Static(Text(t("identity.title"), style="bold"), markup=False)
            yield Static(t("identity.intro"), markup=False)
            yield Static(Text(t("identity.name"), style="bold"), markup=False, classes="label")
            yield SafeInput(name, placeholder=t("identity.name_placeholder"), id="identity-name")
            yield Static("", id="identity-name-problem", classes="field-problem", markup=False)
            yield Static(Text(t("identity.email"), style="bold"), markup=False, classes="label")
            yield SafeInput(email, placeholder=t("identity.email_placeholder"), id="identity-email")
            yield Static("", id="identity-email-problem", classes="field-problem", markup=False)
            yield Static("", id="identity-problem", classes="field-problem", markup=False)
            yield LoadingIndicator(id="identity-busy")
            with Horizontal(classes="buttons"):
                yield Button(t("identity.save"), id="identity-save", variant="primary")
                yield Button(t("identity.cancel"), id="identity-cancel")

    def on_mount(self) -> None:
        for problem in self.query(".field-problem"):
            problem.display = False
        name, _ = self.initial
        self.query_one("#identity-email" if name else "#identity-name", Input).focus()

    # -- validation ------------------------------------------------------------------------
    def _show(self, widget_id: str, problem: str | None) -> None:
        static = self.query_one(f"#{widget_id}", Static)
        static.update(Text(visible(problem or "")))
        static.display = bool(problem)

    def check(self) -> bool:
        """Show the problems of the fields the user has touched; True when both are valid."""
        name = self.query_one("#identity-name", Input).value
        email = self.query_one("#identity-email", Input).value
        name_bad, email_bad = name_problem(name), email_problem(email)
        self._show("identity-name-problem", name_bad if "name" in self.touched else None)
        self._show("identity-email-problem", email_bad if "email" in self.touched else None)
        return name_bad is None and email_bad is None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id == "identity-name":
            self.touched.add("name")
        elif event.input.id == "identity-email":
            self.touched.add("email")
        self._show("identity-problem", None)
        self.check()

    @on(Input.Submitted, "#identity-name")
    def _name_done(self, event: Input.Submitted) -> None:
        self.query_one("#identity-email", Input).focus()

    @on(Input.Submitted, "#identity-email")
    def _email_done(self, event: Input.Submitted) -> None:
        self.action_save()

    # -- actions ---------------------------------------------------------------------------
    def watch_busy(self, busy: bool) -> None:
        self.set_class(busy, "-busy")
        for widget in (*self.query(Button), *self.query(Input)):
            widget.disabled = busy

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "identity-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_save(self) -> None:
        if self.busy:
            return
        self.touched.update(("name", "email"))
        if not self.check():
            bad = "#identity-name" if name_problem(self.query_one("#identity-name", Input).value) else "#identity-email"
            self.query_one(bad, Input).focus()
            return
        self.busy = True
        self._store(self.query_one("#identity-name", Input).value, self.query_one("#identity-email", Input).value)

    @work(thread=True, exclusive=True, group="git", exit_on_error=False)
    def _store(self, name: str, email: str) -> None:
        try:
            with GitRepo.open(self.root) as repo:
                identity = store_identity(repo, name, email)
        except GitError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._stored, identity.name, identity.email)

    def _failed(self, error: GitError) -> None:
        self.busy = False
        self._show("identity-problem", t("identity.failed", error=explained(error.message, error.advice, " ")))

    def _stored(self, name: str, email: str) -> None:
        self.busy = False
        self.app.notify(t("identity.stored"), timeout=4)
        self.dismiss((name, email))
