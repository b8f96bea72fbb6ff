"""The Kaartenbak app: configuration, theme, global keys, palette and error handling.

Screens do the work; this class wires them together and makes sure an unexpected error
becomes a dialog (drafts are already on disk) instead of a traceback.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from textual import work
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

    def action_edit_card(self) -> None:
        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
            return
        from .core.locks import EditLocks
        from .screens.editor import EditorScreen

        holder = EditLocks(self.workspace.root).holder(card.id)
        if holder is None:
            self.push_screen(EditorScreen(self.library, card))
            return
        from .dialogs.choice import ChoiceDialog
        from .screens.card_screen import CardScreen

        def answered(choice: str | None) -> None:
            if choice == "edit":
                self.push_screen(EditorScreen(self.library, card))
            elif choice == "read":
                self.push_screen(CardScreen(self.library, card.id))

        choices = [("edit", t("lock.edit_anyway"), "warning"), ("read", t("lock.read_only"), "primary"), ("cancel", t("dialog.cancel"), "default")]
        self.push_screen(ChoiceDialog(t("lock.title"), t("lock.detail", holder=holder.describe()), choices, "read"), answered)

    def action_new_card(self) -> None:
        from .dialogs.new_card import NewCardDialog

        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        self.push_screen(NewCardDialog(self.library, region=card.region if card else None, theme=card.theme if card else None, kind=card.kind if card else None))

    def action_duplicate_card(self) -> None:
        """Copy the selected card under a new id, as a new card in the editor."""
        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
            return
        from .core.card import Card
        from .dialogs.new_card import propose_id
        from .screens.editor import EditorScreen

        data = card.to_dict()
        data.pop("conflict", None)
        data["title"] = t("duplicate.title", title=card.title)
        data["id"] = propose_id(self.library, card.region, data["title"])
        path = self.workspace.store.path_for_new(data["id"], card.region)
        placeholder = Card.build_cached(path, dict(data), "", bom=False, crlf=False)
        self.push_screen(EditorScreen(self.library, placeholder, data=data, new=True))

    def action_delete_card(self) -> None:
        """Remove the selected card's file after a confirmation that says how to get it back."""
        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
            return
        from .dialogs.confirm import ConfirmDialog

        rel = card.path.relative_to(self.workspace.root).as_posix() if card.path.is_relative_to(self.workspace.root) else str(card.path)
        snapshot = getattr(self.browser, "snapshot", None)
        never_committed = snapshot is not None and (not snapshot.is_repo or snapshot.changed.get(rel) in ("new", "untracked"))
        detail = t("delete.detail_new", path=rel) if never_committed else t("delete.detail", path=rel)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_worker(card)

        self.push_screen(ConfirmDialog(t("delete.question", title=card.title), detail, yes=t("delete.yes"), no=t("dialog.cancel")), answered)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _delete_worker(self, card) -> None:  # type: ignore[no-untyped-def]
        from .core.atomic import WriteError

        try:
            self.workspace.store.delete(card)
        except WriteError as exc:
            self.call_from_thread(self.notify, str(exc), title=t("delete.failed"), severity="error", markup=False)
            return
        self.call_from_thread(self._deleted, card)

    def _deleted(self, card) -> None:  # type: ignore[no-untyped-def]
        self.library.remove(card.id)
        if type(self.screen).__name__ == "CardScreen":
            self.pop_screen()
        self.browser.post_message(CardSaved(None, card.id, deleted=True))
        self.notify(t("delete.done", title=card.title), timeout=6, markup=False)

    def action_export(self) -> None:
        """Export the cards now in the list (search and filter apply) as Markdown, CSV or HTML."""
        rows = self.browser.query_one("#list").rows if self.browser is not None else []
        cards = [self.library.cards[r.card_id] for r in rows if r.card_id in self.library.cards]
        if not cards:
            self.notify(t("export.nothing"), severity="warning")
            return
        from .dialogs.choice import ChoiceDialog

        def answered(fmt: str | None) -> None:
            if fmt in ("html", "md", "csv"):
                self.notify(t("export.busy", count=len(cards)), timeout=3)
                self._export_worker(cards, fmt)

        choices = [("html", "HTML", "primary"), ("md", "Markdown", "default"), ("csv", "CSV (Excel)", "default"), ("cancel", t("dialog.cancel"), "default")]
        self.push_screen(ChoiceDialog(t("export.title", count=len(cards)), t("export.detail"), choices, "cancel"), answered)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export_worker(self, cards: list, fmt: str) -> None:  # type: ignore[type-arg]
        import time

        from platformdirs import user_documents_dir

        from .core.atomic import WriteError, write_atomic
        from .core.export import export_cards

        data = export_cards(cards, self.workspace.schema, fmt, vocab=self.workspace.vocab)  # type: ignore[arg-type]
        folder = Path(user_documents_dir()) / "kaartenbak"
        target = folder / f"kaarten-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        except (OSError, WriteError) as exc:
            self.call_from_thread(self.notify, str(exc), title=t("export.failed"), severity="error", markup=False)
            return
        self.call_from_thread(self.notify, t("export.done", path=str(target)), timeout=12, markup=False)

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
        from .dialogs.sync_progress import start_sync

        start_sync(self, self.library)

    def action_resolve_conflicts(self) -> None:
        from .screens.conflict import ConflictScreen, open_conflicts

        if not isinstance(self.screen, ConflictScreen):
            open_conflicts(self, self.library, self.current_card_id())

    def on_card_saved(self, message: CardSaved) -> None:
        self.browser.post_message(CardSaved(message.card_id, message.old_id, message.deleted))

    def on_repo_changed(self, message: RepoChanged) -> None:
        self.browser.post_message(RepoChanged())

    # -- drafts and locks --------------------------------------------------------------------
    def offer_drafts(self) -> None:
        """After a crash or kill: offer every unsaved draft back, one at a time."""
        from .core.drafts import DraftStore

        store = DraftStore(self.workspace.root)
        pending = [d for d in store.all() if not self._being_edited(d.card_id)]
        self._offer_next(store, pending)

    def _being_edited(self, card_id: str) -> bool:
        from .screens.editor import EditorScreen

        return any(isinstance(s, EditorScreen) and s.card.id == card_id for s in self.screen_stack)

    def _offer_next(self, store, pending: list) -> None:  # type: ignore[no-untyped-def, type-arg]
        if not pending:
            return
        from .dialogs.recover import RecoverDraftDialog

        draft = pending.pop(0)

        def answered(choice: str | None) -> None:
            if choice == "restore":
                self._restore_draft(store, draft)
            elif choice == "discard":
                store.discard(draft.card_id)
                self.notify(t("recover.discarded"), timeout=3)
                self.post_message(RepoChanged())
            self._offer_next(store, pending)

        self.push_screen(RecoverDraftDialog(self.library, draft), answered)

    def _restore_draft(self, store, draft) -> None:  # type: ignore[no-untyped-def]
        from .core.card import Card
        from .screens.editor import EditorScreen

        card = self.library.cards.get(draft.card_id)
        if card is None:
            placeholder = Card.build_cached(store.absolute(draft), dict(draft.data), "", bom=False, crlf=False)
            self.push_screen(EditorScreen(self.library, placeholder, data=dict(draft.data), new=True))
        else:
            self.push_screen(EditorScreen(self.library, card, data=dict(draft.data)))

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


def make_app(repo: str | Path | None = None, lang: str | None = None, *, use_cache: bool = True, config: Config | None = None) -> KaartenbakApp:
    """The app for a repository: used by the console script and by the tests."""
    config = config or load_config()
    set_language(lang or config.lang)
    workspace = Workspace.find(repo or config.repo)
    return KaartenbakApp(workspace, config, use_cache=use_cache)
