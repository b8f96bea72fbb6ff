"""The Kaartenbak app: configuration, theme, global keys, palette and error handling.

Screens do the work; this class makes the library and the card actions, hands them to the
screens, polls the disk for changes made outside the app, and makes sure an unexpected error
becomes a dialog (drafts are already on disk) instead of a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from platformdirs import user_state_dir
from textual import events
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from tui.core.config import Config, load_config
from tui.core.library import Library
from tui.core.workspace import Workspace

from .card_actions import CardActions
from .commands.cards import CardCommands
from .commands.views import ViewCommands
from .dialogs.error import ErrorDialog
from .i18n import lazy, set_language, t
from .messages import GotoCard, RepoChanged
from .screens.browser import BrowserScreen
from .screens.welcome import WelcomeScreen, remember_welcomed, should_welcome
from .seam import KeepsDraft, ShowsCard
from .ui_language import LocalizedApp
from .widgets.card_list import CardList
from .widgets.theme_tree import ThemeTree
from .widgets.safe import TerminalSafety

POLL_INTERVAL = 2.0  # seconds between looks at the disk for changes made outside the app


class KaartenbakApp(TerminalSafety, LocalizedApp):
    """Browse, search and edit the cards of one repository."""

    CSS_PATH = "app.tcss"
    TITLE = "Kaartenbak"
    COMMANDS = LocalizedApp.COMMANDS | {CardCommands, ViewCommands}
    BINDINGS = [
        Binding("q", "quit", lazy("keys.quit"), id="quit"),
        Binding("question_mark,f1", "help", lazy("keys.help"), id="help"),
    ]

    def __init__(
        self, workspace: Workspace, config: Config, *, use_cache: bool = True, poll_interval: float | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.config = config
        self.library = Library(workspace, use_cache=use_cache)
        self.cards = CardActions(self, self.library)
        self.browser: BrowserScreen = BrowserScreen(self.library, self.cards)
        self.poll_interval = POLL_INTERVAL if poll_interval is None else poll_interval
        self.had_error = False
        self._disk_check: Worker[Any] | None = None
        self._next_disk_check = 0.0

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # on Windows or off the main thread this fails: the draft timer still protects typed text
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal, int(sig))
        try:
            self.theme = self.config.theme
        except Exception:
            self.config.problems.append(t("config.bad_theme", theme=self.config.theme))
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.push_screen(self.browser)
        for problem in self.config.problems:
            self.notify(str(problem), title=t("config.title"), severity="warning", timeout=10, markup=False)
        if self.poll_interval > 0:
            self.set_interval(self.poll_interval, self._disk_tick)
        if not self.is_headless and should_welcome(self.config):
            self.show_welcome()

    # -- changes made outside the app -----------------------------------------------------------
    def check_disk(self) -> Worker[Any] | None:
        """Look for card files changed, added or removed on disk (a worker; one at a time)."""
        if not self.library.loaded or (self._disk_check is not None and not self._disk_check.is_finished):
            return None
        self._disk_check = self.run_worker(
            self._look_at_disk, name="disk-check", thread=True, group="disk", exit_on_error=False
        )
        return self._disk_check

    def _disk_tick(self) -> None:
        if time.monotonic() >= self._next_disk_check:
            self.check_disk()

    def _look_at_disk(self) -> None:
        """Worker: compare the disk with the library; the library tells the screens."""
        start = time.monotonic()
        self.library.refresh_from_disk()
        spent = time.monotonic() - start
        # a huge repository on a slow disk: the timer never spends more than a tenth of the time
        self._next_disk_check = time.monotonic() + 9 * spent

    def on_app_focus(self, event: events.AppFocus) -> None:
        self.check_disk()

    def on_repo_changed(self, message: RepoChanged) -> None:
        self.library.note_repo_changed()

    def on_goto_card(self, message: GotoCard) -> None:
        self.browser.goto(message.card_id)

    # -- global actions --------------------------------------------------------------------
    def current_card_id(self) -> str | None:
        """The card the user is looking at on the current screen."""
        screen = self.screen
        return screen.current_card_id() if isinstance(screen, ShowsCard) else None

    def action_help(self) -> None:
        """Every key of this screen, the main screen, the list and the theme tree."""
        groups = [(t("help.global"), _bindings(self.BINDINGS))]
        if self.screen is not self.browser:
            groups.insert(0, (t("help.this_screen"), _bindings(self.screen.BINDINGS)))
        groups.append((t("help.browser"), _bindings(self.browser.BINDINGS)))
        groups.append((t("help.list"), _bindings(CardList.BINDINGS)))
        groups.append((t("help.tree"), _bindings(ThemeTree.BINDINGS)))
        from .screens.help import HelpScreen  # the screens are imported when first opened: a quicker start

        self.push_screen(HelpScreen(groups))

    def action_overview(self) -> None:
        """Per region and theme: cards, completeness, FTE, invalid cards, and the latest commits."""
        if not self.browser.loaded:
            self.notify(t("overview.loading"), severity="warning", timeout=4)
            return
        from .screens.overview import OverviewScreen

        if not isinstance(self.screen, OverviewScreen):
            self.push_screen(OverviewScreen(self.library))

    def action_review(self) -> None:
        """The review queue: every changed field, to approve (akkoord) or question (vraag)."""
        if not self.browser.loaded:
            self.notify(t("review.loading"), severity="warning", timeout=4)
            return
        from .screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen(self.library, self.cards))

    def action_changes(self) -> None:
        """What changed since a snapshot or a date (the Wijzigingen screen)."""
        from .screens.changes import ChangesScreen

        if not isinstance(self.screen, ChangesScreen):
            self.push_screen(ChangesScreen(self.library, self.cards))

    def action_make_snapshot(self) -> None:
        """Ask a name and make a snapshot of the committed state."""
        from .screens.changes import SnapshotDialog

        if not isinstance(self.screen, SnapshotDialog):
            self.push_screen(SnapshotDialog(self.library.workspace.root))

    def action_import_sheet(self) -> None:
        """Import cards from a spreadsheet (tui/screens/import_screen.py)."""
        from .screens.import_screen import ImportScreen

        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen(self.library))

    def show_welcome(self) -> None:
        """The first-run welcome; once it is closed it is not shown again (a marker file)."""

        def closed(_: object) -> None:
            self.run_worker(remember_welcomed, thread=True, group="welcome", exit_on_error=False)

        self.push_screen(WelcomeScreen(self.config.keymap), closed)

    def _card_for_git(self) -> str | None:
        card_id = self.current_card_id()
        if card_id is None or card_id not in self.library.cards:
            self.notify(t("history.no_card"), severity="warning")
            return None
        return card_id

    def action_history(self) -> None:
        card_id = self._card_for_git()
        if card_id is not None:
            from .screens.history import HistoryScreen

            self.push_screen(HistoryScreen(self.library, card_id))

    def action_blame(self) -> None:
        card_id = self._card_for_git()
        if card_id is not None:
            from .screens.blame import BlameScreen

            self.push_screen(BlameScreen(self.library, card_id))

    def action_commit(self) -> None:
        from .dialogs.commit import CommitDialog, start_commit

        if not isinstance(self.screen, CommitDialog):
            start_commit(self, self.library)

    def action_sync(self) -> None:
        from .sync_flow import start_sync

        start_sync(self, self.library)

    def action_resolve_conflicts(self) -> None:
        from .screens.conflict import ConflictScreen
        from .sync_flow import open_conflicts

        if not isinstance(self.screen, ConflictScreen):
            open_conflicts(self, self.library, self.current_card_id())

    # -- drafts ------------------------------------------------------------------------------
    def _flush_all_drafts(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, KeepsDraft):
                screen.flush_draft()

    def _on_signal(self, signum: int) -> None:
        """Terminal closed or process asked to stop: keep what was typed, then exit non-zero."""
        self._flush_all_drafts()
        self.exit(128 + signum, return_code=128 + signum)

    # -- errors ----------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background task failed: explain it instead of failing silently."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self._handle_exception(error if isinstance(error, Exception) else Exception(str(error)))

    def _handle_exception(self, error: Exception) -> None:
        """Show unexpected errors in a dialog and keep running; the log keeps the details."""
        self.had_error = True
        log = _error_log()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write("".join(traceback.format_exception(error)))
        except OSError:
            pass
        if self._exit or not self.is_running or not self.browser.is_attached:
            super()._handle_exception(error)
            return
        try:
            self._flush_all_drafts()
            # run on the app's own message loop: the failed widget's loop has stopped
            self.call_later(self._recover, error, log)
        except Exception:
            super()._handle_exception(error)

    def _recover(self, error: Exception, log: Path) -> None:
        """Keep typed text, replace the screen whose handler failed, explain, then offer the draft back.

        Textual stops the message loop of a widget whose handler raised, so the screen it was on
        cannot be trusted any more: it is replaced by a fresh one.
        """
        broken = self.screen
        if isinstance(broken, ErrorDialog):
            return  # already explaining an error
        if broken is self.browser:
            self.browser = BrowserScreen(self.library, self.cards)
            self.switch_screen(self.browser)
        elif len(self.screen_stack) > 1:
            self.pop_screen()
        message = t("error.body", error=f"{type(error).__name__}: {error}", log=str(log))
        self.push_screen(ErrorDialog(t("error.title"), message), lambda _: self.cards.offer_drafts())

    @property
    def return_code(self) -> int | None:
        code = super().return_code
        return 1 if self.had_error and not code else code


def _bindings(declared: Iterable[Binding | tuple[str, ...]]) -> list[Binding]:
    return [b for b in declared if isinstance(b, Binding)]


def _error_log() -> Path:
    return Path(user_state_dir("kaartenbak")) / "errors.log"


def make_app(
    repo: str | Path | None = None,
    lang: str | None = None,
    *,
    use_cache: bool = True,
    config: Config | None = None,
    poll_interval: float | None = None,
) -> KaartenbakApp:
    """The app for a repository: used by the console script and by the tests.

    ``poll_interval`` is how often (seconds) the disk is checked for outside changes; 0 turns
    the timer off (tests call ``check_disk`` themselves).
    """
    config = config or load_config()
    set_language(lang or config.lang)
    workspace = Workspace.find(repo or config.repo)
    return KaartenbakApp(workspace, config, use_cache=use_cache, poll_interval=poll_interval)
