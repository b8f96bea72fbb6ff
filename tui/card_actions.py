"""What can be done with cards: edit (with edit locks), new, duplicate, delete, export, and
offering unsaved drafts back after a crash.

``CardActions`` is a small controller the app makes once and hands to the screens that own a
selection (the browser, the card screen); each screen says *which* card, this class does the
rest. Results reach the screens through the library's change notices, never directly.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.cards.card import Card
from tui.core.export.export import Format

from .i18n import t
from .messages import RepoChanged

if TYPE_CHECKING:
    from textual.message import Message

    from tui.core.git.snapshot import RepoSnapshot
    from tui.core.library import Library
    from tui.core.workspace import Workspace

EXPORT_FORMATS: dict[str, Format] = {"html": "html", "md": "md", "csv": "csv", "xlsx": "xlsx"}


class _Journal:
    """The typed-decision journal of one open dialog: writes stop once the dialog has answered."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.closed = False

    def close(self) -> None:
        with self.lock:
            self.closed = True


class CardActions:
    """Card actions for the screens of one app and one library."""

    def __init__(self, app: App[Any], library: Library) -> None:
        self.app = app
        self.library = library

    # -- what the actions need from the app ------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        return self.library.workspace

    @property
    def screen_stack(self) -> list[Screen[Any]]:
        return self.app.screen_stack

    def push_screen(self, screen: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
        self.app.push_screen(screen, callback)

    def notify(self, message: str, **options: Any) -> None:
        self.app.notify(message, **options)

    def post_message(self, message: Message) -> None:
        self.app.post_message(message)

    def _card(self, card_id: str | None) -> Card | None:
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
        return card

    # -- edit, new, duplicate ------------------------------------------------------------------
    def edit(self, card_id: str | None) -> None:
        """Open the card in the editor; when someone else edits it, ask first."""
        card = self._card(card_id)
        if card is None:
            return
        from tui.core.locks import EditLocks

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
                self.push_screen(CardScreen(self.library, self, card.id))

        choices = [
            ("edit", t("lock.edit_anyway"), "warning"),
            ("read", t("lock.read_only"), "primary"),
            ("cancel", t("dialog.cancel"), "default"),
        ]
        self.push_screen(
            ChoiceDialog(t("lock.title"), t("lock.detail", holder=holder.describe()), choices, "read"), answered
        )

    def new(self, near_id: str | None) -> None:
        """A new card, in the region, theme and kind of the card ``near_id`` when there is one."""
        from .dialogs.new_card import NewCard, NewCardDialog
        from .screens.editor import EditorScreen

        def chosen(new: NewCard | None) -> None:
            if new is not None:
                self.push_screen(EditorScreen(self.library, new.card, data=new.data, new=True))

        card = self.library.cards.get(near_id) if near_id else None
        self.push_screen(
            NewCardDialog(
                self.library,
                region=card.region if card else None,
                theme=card.theme if card else None,
                kind=card.kind if card else None,
            ),
            chosen,
        )

    def duplicate(self, card_id: str | None) -> None:
        """Copy the card under a new id, as a new card in the editor."""
        card = self._card(card_id)
        if card is None:
            return
        from .dialogs.new_card import propose_id
        from .screens.editor import EditorScreen

        data = card.to_dict()
        data.pop("conflict", None)
        data["title"] = t("duplicate.title", title=card.title)
        data["id"] = propose_id(self.library, card.region, data["title"])
        path = self.workspace.store.path_for_new(data["id"], card.region)
        placeholder = Card.build_cached(path, dict(data), "", bom=False, crlf=False)
        self.push_screen(EditorScreen(self.library, placeholder, data=data, new=True))

    # -- delete ----------------------------------------------------------------------------------
    def delete(self, card_id: str | None, snapshot: RepoSnapshot | None = None) -> None:
        """Remove the card's file after a confirmation that says how to get it back."""
        card = self._card(card_id)
        if card is None:
            return
        from .dialogs.confirm import ConfirmDialog

        root = self.workspace.root
        rel = card.path.relative_to(root).as_posix() if card.path.is_relative_to(root) else str(card.path)
        never_committed = snapshot is not None and (
            not snapshot.is_repo or snapshot.changed.get(rel) in ("new", "untracked")
        )
        detail = t("delete.detail_new", path=rel) if never_committed else t("delete.detail", path=rel)

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_worker(
                    partial(self._delete_file, card), thread=True, exclusive=True, group="save", exit_on_error=False
                )

        self.push_screen(
            ConfirmDialog(t("delete.question", title=card.title), detail, yes=t("delete.yes"), no=t("dialog.cancel")),
            answered,
        )

    def _delete_file(self, card: Card) -> None:
        """Worker: remove the file, then forget the card on the UI thread."""
        try:
            self.workspace.store.delete(card)
        except WriteError as exc:
            self.app.call_from_thread(self.notify, str(exc), title=t("delete.failed"), severity="error", markup=False)
            return
        self.app.call_from_thread(self._deleted, card)

    def _deleted(self, card: Card) -> None:
        self.library.remove(card.id)  # screens showing it hear it from the library
        self.notify(t("delete.done", title=card.title), timeout=6, markup=False)

    # -- export ----------------------------------------------------------------------------------
    def export(self, card_ids: list[str], query: str | None = None) -> None:
        """Export these cards (the list as searched and filtered) as Markdown, CSV or HTML.

        ``query`` is what chose them (search text and tree filter): named in the header and the file name.
        """
        cards = [self.library.cards[cid] for cid in card_ids if cid in self.library.cards]
        if not cards:
            self.notify(t("export.nothing"), severity="warning")
            return
        from .dialogs.choice import ChoiceDialog

        def answered(choice: str | None) -> None:
            fmt = EXPORT_FORMATS.get(choice or "")
            if fmt is not None:
                self.notify(t("export.busy", count=len(cards)), timeout=3)
                self.app.run_worker(
                    partial(self._export_file, cards, fmt, query),
                    thread=True,
                    exclusive=True,
                    group="export",
                    exit_on_error=False,
                )

        choices = [
            ("html", "HTML", "primary"),
            ("md", "Markdown", "default"),
            ("csv", "CSV", "default"),
            ("xlsx", "Excel", "default"),
            ("cancel", t("dialog.cancel"), "default"),
        ]
        self.push_screen(
            ChoiceDialog(t("export.title", count=len(cards)), t("export.detail"), choices, "cancel"), answered
        )

    def _export_file(self, cards: list[Card], fmt: Format, query: str | None = None) -> None:
        """Worker: write the export into the user's documents folder."""
        from platformdirs import user_documents_dir

        from tui.core.export.export import export_cards, export_name

        data = export_cards(cards, self.workspace.schema, fmt, vocab=self.workspace.vocab, query=query)
        folder = Path(user_documents_dir()) / "kaartenbak"
        target = folder / export_name(query or "", fmt, time.strftime("%Y%m%d-%H%M%S"))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        except (OSError, WriteError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title=t("export.failed"), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, t("export.done", path=str(target)), timeout=12, markup=False)

    # -- decisions (issue #16) -------------------------------------------------------------------
    def decide(self, card_id: str) -> None:
        """Record a decision about the card: ask in a dialog, save in a worker, say so in a toast.

        The card view updates through the library's change notice. Meeting mode calls this too.
        """
        card = self._card(card_id)
        if card is not None:
            self.app.run_worker(partial(self._prepare_decision, card), thread=True, group="decide", exit_on_error=False)

    def _prepare_decision(self, card: Card) -> None:
        """Worker: refuse a card with an unsaved editor draft; find the meeting name and typed text kept."""
        from datetime import date

        from tui.core.drafts import DraftStore
        from tui.core.meetings.decisions import DecisionDrafts, DecisionError, default_meeting

        root = self.workspace.root
        if DraftStore(root).get(card.id) is not None:
            refusal = DecisionError("draft_open", title=card.title, id=card.id)
            self.app.call_from_thread(self._decision_refused, refusal)
            return
        today = date.today().isoformat()
        kept = DecisionDrafts(root).get(card.id)
        fields = kept or {"datum": today, "vergadering": default_meeting(root, today)}
        region = self.workspace.vocab.regions.get(card.region)
        orgs = tuple(region.organisations) if region is not None else ()
        self.app.call_from_thread(self._ask_decision, card, fields, orgs, kept is not None)

    def _ask_decision(self, card: Card, fields: dict[str, str], orgs: tuple[str, ...], restored: bool) -> None:
        from tui.core.meetings.decisions import Decision, DecisionDrafts

        from .dialogs.decision import DecisionDialog

        if any(isinstance(s, DecisionDialog) for s in self.screen_stack):
            return  # D pressed twice before the dialog appeared: one dialog
        drafts = DecisionDrafts(self.workspace.root)
        state = _Journal()

        def typed(values: dict[str, str]) -> None:
            self.app.run_worker(
                partial(self._journal_decision, drafts, card, values, state),
                thread=True,
                group="decision-draft",
                exit_on_error=False,
            )

        def answered(decision: Decision | None) -> None:
            state.close()  # a journal write still on its way is dropped, never written after the discard
            if decision is None:
                self.app.run_worker(
                    partial(drafts.discard, card.id), thread=True, group="decision-draft", exit_on_error=False
                )
                return
            self.app.run_worker(
                partial(self._save_decision, drafts, card.id, decision),
                thread=True,
                exclusive=True,
                group="save",
                exit_on_error=False,
            )

        dialog = DecisionDialog(card.title, fields, organisations=orgs, restored=restored, on_typed=typed)
        self.push_screen(dialog, answered)

    def _journal_decision(self, drafts: Any, card: Card, values: dict[str, str], state: _Journal) -> None:
        """Worker: keep the typed decision; a failure is told, the dialog stays open."""
        try:
            with state.lock:
                if not state.closed:
                    drafts.write(card, values)
        except (OSError, WriteError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title=t("decisions.not_kept"), severity="warning")

    def _save_decision(self, drafts: Any, card_id: str, decision: Any) -> None:
        """Worker: append the decision to the card as it is now; the typed text stays kept on failure."""
        from tui.core.meetings.decisions import DecisionError, add_decision

        card = self.library.cards.get(card_id)
        if card is None:
            self.app.call_from_thread(self.notify, t("edit.no_card"), severity="warning")
            return
        try:
            saved = add_decision(self.library, card, decision)
        except (DecisionError, OSError, WriteError) as exc:
            with contextlib.suppress(OSError, WriteError):
                drafts.write(card, decision.to_table())  # what was typed comes back with the next D
            if isinstance(exc, DecisionError):
                self.app.call_from_thread(self._decision_refused, exc)
            else:
                self.app.call_from_thread(
                    self.notify, str(exc), title=t("decisions.failed"), severity="error", markup=False
                )
            return
        drafts.discard(card_id)
        self.app.call_from_thread(self.notify, t("decisions.saved", title=saved.title), timeout=6, markup=False)
        self.app.call_from_thread(self.post_message, RepoChanged())

    def _decision_refused(self, error: Exception) -> None:
        from .i18n import phrase_error

        self.notify(phrase_error(error), title=t("decisions.failed"), severity="warning", markup=False)

    # -- drafts left by a crash (kept as one block) -----------------------------------------------
    def offer_drafts(self) -> None:
        """After a crash or kill: offer every unsaved draft back, one at a time."""
        from tui.core.drafts import DraftStore
        from tui.core.locks import EditLocks, crashed_drafts

        store = DraftStore(self.workspace.root)
        found = crashed_drafts(store, EditLocks(self.workspace.root))  # not another live editor's
        pending = [d for d in found if not self._being_edited(d.card_id)]
        self._offer_next(store, pending)

    def _being_edited(self, card_id: str) -> bool:
        from .screens.editor import EditorScreen

        return any(isinstance(s, EditorScreen) and s.card.id == card_id for s in self.screen_stack)

    def _offer_next(self, store, pending: list) -> None:  # type: ignore[no-untyped-def]
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
        from tui.core.cards.card import Card
        from .screens.editor import EditorScreen

        card = self.library.cards.get(draft.card_id)
        if card is None:
            placeholder = Card.build_cached(store.absolute(draft), dict(draft.data), "", bom=False, crlf=False)
            self.push_screen(EditorScreen(self.library, placeholder, data=dict(draft.data), new=True))
        else:
            self.push_screen(EditorScreen(self.library, card, data=dict(draft.data)))
