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

from .core.config import Config, load_config
from .core.library import Library
from .core.workspace import Workspace
from .i18n import set_language, t
from .messages import CardSaved, RepoChanged


class KaartenbakApp(App[int]):
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

    def current_card_id(self) -> str | None:
        """The card the user is looking at on the current screen."""
        getter = getattr(self.screen, "current_card_id", None)
        return getter() if callable(getter) else None

    def action_edit_card(self) -> None:
        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
            return
        from .screens.editor import EditorScreen

        self.push_screen(EditorScreen(self.library, card))

    def action_new_card(self) -> None:
        from .dialogs.new_card import NewCardDialog

        self.push_screen(NewCardDialog(self.library))

    def action_history(self) -> None:
        self.notify(t("feature.history_missing"), severity="warning")

    def action_blame(self) -> None:
        self.notify(t("feature.history_missing"), severity="warning")

    def action_commit(self) -> None:
        self.notify(t("feature.commit_missing"), severity="warning")

    def action_sync(self) -> None:
        self.notify(t("feature.sync_missing"), severity="warning")

    def on_card_saved(self, message: CardSaved) -> None:
        self.browser.post_message(CardSaved(message.card_id, message.old_id, message.deleted))

    def on_repo_changed(self, message: RepoChanged) -> None:
        pass

    # -- errors ----------------------------------------------------------------------------
    def on_worker_state_changed(self, event: "Worker.StateChanged") -> None:
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
            from .dialogs.error import ErrorDialog

            flush = getattr(self.screen, "flush_draft", None)
            if callable(flush):
                flush()
            self.push_screen(ErrorDialog(t("error.title"), t("error.body", error=f"{type(error).__name__}: {error}", log=str(log))))
        except Exception:
            super()._handle_exception(error)

    browser = None  # set on mount

    @property
    def return_code(self) -> int | None:  # type: ignore[override]
        code = super().return_code
        return 1 if self.had_error and not code else code


def _error_log() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("kaartenbak")) / "errors.log"


def make_app(repo: str | Path | None = None, lang: str | None = None, *, use_cache: bool = True, config: Config | None = None) -> KaartenbakApp:
    """The app for a repository: used by the console script and by the tests."""
    config = config or load_config()
    set_language(lang or config.lang)
    workspace = Workspace.find(repo or config.repo)
    return KaartenbakApp(workspace, config, use_cache=use_cache)
