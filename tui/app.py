"""The Kaartenbak app: configuration, theme, global keys, palette and error handling.

Screens do the work; this class wires them together and makes sure an unexpected error
becomes a dialog (drafts are already on disk) instead of a traceback.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker

from .card_actions import CardActions
from tui.core.config import Config, load_config
from tui.core.library import Library
from tui.core.workspace import Workspace
from .i18n import set_language, t
from .messages import CardSaved, RepoChanged


class KaartenbakApp(CardActions, App[int]):
    """Browse, search and edit the cards of one repository."""

    CSS_PATH = "app.tcss"
    TITLE = "Kaartenbak"
    BINDINGS = [
        Binding("q", "quit", t("keys.quit"), id="quit"),
        Binding("question_mark,f1", "help", t("keys.help"), id="help"),
    ]

    def __init__(self, workspace: Workspace, config: Config, *, use_cache: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.config = config
        self.library = Library(workspace, use_cache=use_cache)
        self.had_error = False
        from .commands.cards import CardCommands

        self.COMMANDS = self.COMMANDS | {CardCommands}

    def on_mount(self) -> None:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self._on_signal, int(sig))
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # Windows or not the main thread: the draft timer still protects typed text
        try:
            self.theme = self.config.theme
        except Exception:
            self.config.problems.append(t("config.bad_theme", theme=self.config.theme))
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        from .screens.browser import BrowserScreen

        self.browser = BrowserScreen(self.library)
        self.push_screen(self.browser)
        for problem in self.config.problems:
            self.notify(problem, title=t("config.title"), severity="warning", timeout=10, markup=False)
        from .screens.welcome import should_welcome

        if not self.is_headless and should_welcome(self.config):
            self.show_welcome()

    # -- global actions --------------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        groups = [(t("help.global"), list(self.BINDINGS))]
        screen = self.screen
        if screen is not self.browser:
            groups.insert(0, (t("help.this_screen"), list(getattr(screen, "BINDINGS", []))))
        groups.append((t("help.browser"), list(self.browser.BINDINGS)))
        from .widgets.card_list import CardList

        groups.append((t("help.list"), list(CardList.BINDINGS)))
        self.push_screen(HelpScreen(groups))

    def action_overview(self) -> None:
        """Per region and theme: cards, completeness, FTE, invalid cards, and the latest commits."""
        from .screens.overview import OverviewScreen

        if self.browser is None or not self.browser.loaded:
            self.notify(t("overview.loading"), severity="warning", timeout=4)
            return
        if not isinstance(self.screen, OverviewScreen):
            self.push_screen(OverviewScreen(self.library))

    def show_welcome(self) -> None:
        """The first-run welcome; once it is closed it is not shown again (a marker file)."""
        from .screens.welcome import WelcomeScreen, remember_welcomed

        def closed(_: object) -> None:
            self.run_worker(remember_welcomed, thread=True, group="welcome", exit_on_error=False)

        self.push_screen(WelcomeScreen(self.config.keymap), closed)

    def current_card_id(self) -> str | None:
        """The card the user is looking at on the current screen."""
        getter = getattr(self.screen, "current_card_id", None)
        return getter() if callable(getter) else None

    def action_history(self) -> None:
        card_id = self.current_card_id()
        if card_id is None or card_id not in self.library.cards:
            self.notify(t("history.no_card"), severity="warning")
            return
        from .screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.library, card_id))

    def action_blame(self) -> None:
        card_id = self.current_card_id()
        if card_id is None or card_id not in self.library.cards:
            self.notify(t("history.no_card"), severity="warning")
            return
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

    def on_card_saved(self, message: CardSaved) -> None:
        self.browser.post_message(CardSaved(message.card_id, message.old_id, message.deleted))

    def on_repo_changed(self, message: RepoChanged) -> None:
        self.browser.post_message(RepoChanged())

    # -- drafts ------------------------------------------------------------------------------
    def _flush_all_drafts(self) -> None:
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_draft", None)
            if callable(flush):
                flush()

    def _on_signal(self, signum: int) -> None:
        """Terminal closed or process asked to stop: keep what was typed, then exit non-zero."""
        self._flush_all_drafts()
        self.exit(128 + signum)

    # -- errors ----------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background task failed: explain it instead of failing silently."""
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self._handle_exception(event.worker.error)

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
        if getattr(self, "_exiting", False) or not self.is_running or self.browser is None:
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
        from .dialogs.error import ErrorDialog
        from .screens.browser import BrowserScreen

        broken = self.screen
        if isinstance(broken, ErrorDialog):
            return  # already explaining an error
        if broken is self.browser:
            self.browser = BrowserScreen(self.library)
            self.switch_screen(self.browser)
        elif len(self.screen_stack) > 1:
            self.pop_screen()
        message = t("error.body", error=f"{type(error).__name__}: {error}", log=str(log))
        self.push_screen(ErrorDialog(t("error.title"), message), lambda _: self.offer_drafts())

    browser = None  # set on mount

    @property
    def return_code(self) -> int | None:  # type: ignore[override]
        code = super().return_code
        return 1 if self.had_error and not code else code


def _error_log() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("kaartenbak")) / "errors.log"


def make_app(
    repo: str | Path | None = None, lang: str | None = None, *, use_cache: bool = True, config: Config | None = None
) -> KaartenbakApp:
    """The app for a repository: used by the console script and by the tests."""
    config = config or load_config()
    set_language(lang or config.lang)
    workspace = Workspace.find(repo or config.repo)
    return KaartenbakApp(workspace, config, use_cache=use_cache)
