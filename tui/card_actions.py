"""What the app does with cards: edit (with edit locks), new, duplicate, delete, export, and
offering unsaved drafts back after a crash. Mixed into ``KaartenbakApp`` to keep ``app.py`` small.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from .i18n import t
from .messages import CardSaved, RepoChanged

if TYPE_CHECKING:
    from tui.core.library import Library
    from tui.core.workspace import Workspace


class CardActions:
    """Card actions of the app (``self`` is the ``KaartenbakApp``)."""

    library: Library
    workspace: Workspace
    browser: Any

    def action_edit_card(self) -> None:
        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
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
                self.push_screen(CardScreen(self.library, card.id))

        choices = [
            ("edit", t("lock.edit_anyway"), "warning"),
            ("read", t("lock.read_only"), "primary"),
            ("cancel", t("dialog.cancel"), "default"),
        ]
        self.push_screen(
            ChoiceDialog(t("lock.title"), t("lock.detail", holder=holder.describe()), choices, "read"), answered
        )

    def action_new_card(self) -> None:
        from .dialogs.new_card import NewCardDialog

        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        self.push_screen(
            NewCardDialog(
                self.library,
                region=card.region if card else None,
                theme=card.theme if card else None,
                kind=card.kind if card else None,
            )
        )

    def action_duplicate_card(self) -> None:
        """Copy the selected card under a new id, as a new card in the editor."""
        card_id = self.current_card_id()
        card = self.library.cards.get(card_id) if card_id else None
        if card is None:
            self.notify(t("edit.no_card"), severity="warning")
            return
        from tui.core.cards.card import Card
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

        rel = (
            card.path.relative_to(self.workspace.root).as_posix()
            if card.path.is_relative_to(self.workspace.root)
            else str(card.path)
        )
        snapshot = getattr(self.browser, "snapshot", None)
        never_committed = snapshot is not None and (
            not snapshot.is_repo or snapshot.changed.get(rel) in ("new", "untracked")
        )
        detail = t("delete.detail_new", path=rel) if never_committed else t("delete.detail", path=rel)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_worker(card)

        self.push_screen(
            ConfirmDialog(t("delete.question", title=card.title), detail, yes=t("delete.yes"), no=t("dialog.cancel")),
            answered,
        )

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _delete_worker(self, card) -> None:  # type: ignore[no-untyped-def]
        from tui.core.cards.atomic import WriteError

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

        choices = [
            ("html", "HTML", "primary"),
            ("md", "Markdown", "default"),
            ("csv", "CSV (Excel)", "default"),
            ("cancel", t("dialog.cancel"), "default"),
        ]
        self.push_screen(
            ChoiceDialog(t("export.title", count=len(cards)), t("export.detail"), choices, "cancel"), answered
        )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export_worker(self, cards: list, fmt: str) -> None:  # type: ignore[type-arg]
        import time

        from platformdirs import user_documents_dir

        from tui.core.cards.atomic import WriteError, write_atomic
        from tui.core.export.export import export_cards

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
        from tui.core.cards.card import Card
        from .screens.editor import EditorScreen

        card = self.library.cards.get(draft.card_id)
        if card is None:
            placeholder = Card.build_cached(store.absolute(draft), dict(draft.data), "", bom=False, crlf=False)
            self.push_screen(EditorScreen(self.library, placeholder, data=dict(draft.data), new=True))
        else:
            self.push_screen(EditorScreen(self.library, card, data=dict(draft.data)))
