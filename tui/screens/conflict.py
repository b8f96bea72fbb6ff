"""The conflict screen: per field both people changed differently, the original, mine and theirs
side by side, and a choice: mine (1), theirs (2) or a combination written by hand (e).

Nothing changes on disk until every field has a choice and the user says "bewaren": then
``tui.core.sync.conflicts.resolve_card`` writes the card with the ``[[conflict]]`` entries
resolved, checked and ``git add``-ed. The screen only asks and shows: its workers return what
they found or did, and the screen decides (``on_worker_state_changed``) whether to close. What
comes after (the next card, recording the merge) is the flow's business (``tui.sync_flow``).
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, LoadingIndicator, Static, TextArea
from textual.worker import Worker, WorkerState

from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.text import visible
from tui.core.git.fielddiff import word_diff
from tui.core.library import Library
from tui.core.sync.conflicts import (
    MINE,
    OWN,
    SIDES,
    THEIRS,
    CardConflicts,
    Change,
    Resolution,
    as_text,
    card_conflicts,
    editable,
    from_text,
    resolve_card,
)
from tui.core.sync.merge import FieldConflict

from ..dialogs.question import question
from ..i18n import lazy, t
from ..sync_words import resolution_problems
from ..widgets.safe import SafeTextArea
from .history import show_value

__all__ = ["MINE", "OWN", "THEIRS", "CombineDialog", "ConflictScreen"]

# --- showing (data in, rich Text out; never markup) ------------------------------------------------


def side_text(value: Any, base: Any, side: str) -> Text:
    """One column: the value, with what this side changed against the original marked (never markup)."""
    if value is None:
        return Text(t("conflict.absent"), style="dim italic")
    if side != "base" and isinstance(value, str) and isinstance(base, str):
        text = Text()  # this side's own words marked; what it removed shows in the original column
        for seg in word_diff(base, value):
            if seg.op != "delete":
                text.append(visible(seg.text), style="bold green underline" if seg.op == "insert" else "")
        return text
    return Text(show_value(value))


def who_text(change: Change | None) -> Text:
    if change is None:
        return Text(" ", style="dim")
    return Text(
        t(
            "conflict.changed_by",
            author=visible(change.author),
            date=f"{change.date:%Y-%m-%d %H:%M}",
            subject=visible(change.subject),
        ),
        style="dim italic",
    )


# --- a combination typed by hand ------------------------------------------------------------------


class CombineDialog(ModalScreen[str | None]):
    """A text area prefilled with mine, theirs below for reference; answers the text or None."""

    BINDINGS = [
        Binding("ctrl+s", "accept", lazy("conflict.accept"), id="conflict-combine-accept", priority=True),
        Binding("escape", "cancel", lazy("dialog.cancel"), id="conflict-combine-cancel"),
    ]

    def __init__(self, label: str, mine: str, theirs: str) -> None:
        super().__init__()
        self.label, self.mine, self.theirs = label, mine, theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="conflict-combine"):
            yield Static(Text(t("conflict.combine_title", label=visible(self.label)), style="bold"), markup=False)
            yield Static(t("conflict.combine_intro"), markup=False, classes="hint")
            yield SafeTextArea(self.mine, id="conflict-combine-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text(t("conflict.theirs"), style="bold"), markup=False, classes="label")
            with VerticalScroll(id="conflict-combine-theirs"):
                yield Static(Text(visible(self.theirs)), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("conflict.accept"), id="conflict-combine-ok", variant="primary")
                yield Button(t("dialog.cancel"), id="conflict-combine-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_accept() if event.button.id == "conflict-combine-ok" else self.action_cancel()

    def action_accept(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the screen -----------------------------------------------------------------------------------


class ConflictScreen(Screen[bool]):
    """Resolve the ``[[conflict]]`` entries of one card; answers True when the card was written."""

    BINDINGS = [
        Binding("1", "choose('ours')", lazy("conflict.choose_mine"), id="conflict-mine"),
        Binding("2", "choose('theirs')", lazy("conflict.choose_theirs"), id="conflict-theirs"),
        Binding("e", "combine", lazy("conflict.combine"), id="conflict-combine"),
        Binding("n,right", "step(1)", lazy("conflict.next"), id="conflict-next"),
        Binding("p,left", "step(-1)", lazy("conflict.previous"), id="conflict-previous"),
        Binding("ctrl+s", "save", lazy("conflict.save"), id="conflict-save", priority=True),
        Binding("escape", "leave", lazy("conflict.leave"), id="conflict-leave"),
    ]

    def __init__(self, library: Library, card_id: str) -> None:
        super().__init__()
        self.library = library
        self.card_id = card_id
        card = library.cards.get(card_id)
        self.card: Card | None = card
        self.title_text = card.title if card else card_id
        self.conflicts: list[FieldConflict] = []
        self.changes: dict[tuple[str, str], Change] = {}
        self.choices: dict[str, tuple[str, Any]] = {}  # field -> (ours | theirs | own, value)
        self.index = 0
        self.loaded = False
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Static(
            Text(t("conflict.title", title=visible(self.title_text), id=visible(self.card_id)), style="bold"),
            id="conflict-title",
            markup=False,
        )
        yield Static(t("conflict.intro"), id="conflict-intro", markup=False)
        yield Static("", id="conflict-field", markup=False)
        yield LoadingIndicator(id="conflict-busy")
        with Horizontal(id="conflict-columns"):
            for side in SIDES:
                with VerticalScroll(id=f"conflict-{side}", classes="conflict-side", can_focus=True):
                    yield Static(Text(t(f"conflict.head_{side}"), style="bold"), classes="conflict-head", markup=False)
                    yield Static("", classes="conflict-who", markup=False)
                    yield Static("", classes="conflict-body", markup=False)
        yield Static("", id="conflict-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#conflict-columns").display = False
        self.load()

    def current_card_id(self) -> str | None:
        return self.card_id

    # -- loading -------------------------------------------------------------------------------
    @work(thread=True, name="conflict-load", exit_on_error=False)
    def load(self) -> CardConflicts | str:
        """The card's conflicts as on disk now and who changed each side (reads history), or why not."""
        if self.card is None or not isinstance(load_file(self.card.path), Card):
            return "unreadable"
        return card_conflicts(self.library.workspace.root, self.card.path, who=True) or "none_here"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The screen decides what a finished worker means: show the card, close, or explain."""
        if event.state != WorkerState.SUCCESS:
            return
        if event.worker.name == "conflict-load" and isinstance(event.worker.result, (CardConflicts, str)):
            self._loaded(event.worker.result)
        elif event.worker.name == "conflict-save" and isinstance(event.worker.result, Resolution):
            self._saved(event.worker.result)

    def _loaded(self, found: CardConflicts | str) -> None:
        self.query_one("#conflict-busy").display = False
        if isinstance(found, str):  # unreadable | none_here
            self.notify(
                t(f"conflict.{found}"),
                severity="error" if found == "unreadable" else "information",
                timeout=8,
                markup=False,
            )
            self.dismiss(False)
            return
        self.conflicts = list(found.conflicts)
        self.changes = dict(found.who)
        self.loaded = True
        self.query_one("#conflict-columns").display = True
        self.show_field()
        self.refresh_bindings()

    # -- showing ---------------------------------------------------------------------------------
    @property
    def current(self) -> FieldConflict | None:
        return self.conflicts[self.index] if 0 <= self.index < len(self.conflicts) else None

    def show_field(self) -> None:
        c = self.current
        if c is None:
            return
        head = Text()
        head.append(t("conflict.field_of", n=self.index + 1, total=len(self.conflicts)), style="dim")
        head.append("  ")
        head.append(visible(c.label or c.field), style="bold")
        if not c.path:
            head.append("  " + t("conflict.whole_card"), style="italic")
        self.query_one("#conflict-field", Static).update(head)
        chosen = self.choices.get(c.field)
        for side in SIDES:
            column = self.query_one(f"#conflict-{side}", VerticalScroll)
            column.query_one(".conflict-who", Static).update(who_text(self.changes.get((side, c.field))))
            value = getattr(c, side)
            body = side_text(value, c.base, side) if c.path else Text(self._card_summary(value))
            column.query_one(".conflict-body", Static).update(body)
            column.set_class(chosen is not None and chosen[0] == side, "-chosen")
            column.scroll_home(animate=False)
        self._show_status()

    @staticmethod
    def _card_summary(value: Any) -> str:
        if value is None:
            return t("conflict.card_deleted")
        return (
            show_value({k: v for k, v in value.items() if k != "conflict"})
            if isinstance(value, dict)
            else show_value(value)
        )

    def _show_status(self) -> None:
        c = self.current
        text = Text()
        chosen = self.choices.get(c.field) if c else None
        if chosen is None:
            text.append(t("conflict.not_chosen"), style="bold")
        else:
            text.append(t(f"conflict.chosen_{chosen[0]}"), style="bold green")
            if chosen[0] == OWN:
                text.append("\n" + visible(as_text(chosen[1])), style="green")
        left = sum(1 for x in self.conflicts if x.field not in self.choices)
        text.append("\n" + (t("conflict.left", count=left) if left else t("conflict.all_chosen")), style="dim")
        self.query_one("#conflict-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "combine", "step", "save"):
            if not self.loaded or self.saving:
                return None
            if action == "combine" and self.current is not None and not editable(self.current):
                return None
        return True

    # -- choosing --------------------------------------------------------------------------------
    def action_choose(self, side: str) -> None:
        c = self.current
        if c is None or self.saving:
            return
        self.choices[c.field] = (side, copy.deepcopy(getattr(c, side)))
        self._advance()

    def action_combine(self) -> None:
        c = self.current
        if c is None or self.saving:
            return
        if not editable(c):
            self.notify(t("conflict.not_editable"), timeout=6, markup=False)
            return
        like = c.ours if c.ours is not None else c.theirs
        start = self.choices[c.field][1] if self.choices.get(c.field, ("",))[0] == OWN else c.ours

        def typed(text: str | None) -> None:
            if text is None:
                return
            self.choices[c.field] = (OWN, from_text(text, like))
            self._advance()

        self.app.push_screen(CombineDialog(c.label or c.field, as_text(start), as_text(c.theirs)), typed)

    def _advance(self) -> None:
        """Next field without a choice; when all have one, ask to write the card."""
        n = len(self.conflicts)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if self.conflicts[i].field not in self.choices:
                self.index = i
                self.show_field()
                return
        self.show_field()
        self.action_save()

    def action_step(self, delta: int) -> None:
        if self.conflicts:
            self.index = (self.index + delta) % len(self.conflicts)
            self.show_field()

    # -- writing -----------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving or not self.loaded:
            return
        left = [c for c in self.conflicts if c.field not in self.choices]
        if left:
            self.index = self.conflicts.index(left[0])
            self.show_field()
            self.notify(t("conflict.left", count=len(left)), severity="warning", timeout=4, markup=False)
            return
        self.save()

    def _save_detail(self) -> str:
        lines = []
        for c in self.conflicts:
            kind, value = self.choices[c.field]
            lines.append(f"• {visible(c.label or c.field)}: {t(f'conflict.pick_{kind}')}")
            if kind == OWN:
                lines.append(f"  {visible(as_text(value))}")
        return "\n".join(lines) + "\n\n" + t("conflict.save_detail")

    @work(exclusive=True, group="conflict-save", name="conflict-save", exit_on_error=False)
    async def save(self) -> Resolution | None:
        """Ask, then resolve → validate → save → stage in a thread; returns what happened (None: not saved)."""
        choices = [("save", t("conflict.save"), "primary"), ("back", t("conflict.keep_choosing"), "default")]
        answer = await self.app.push_screen_wait(
            question(t("conflict.save_question"), self._save_detail(), choices, "back")
        )
        card = self.library.cards.get(self.card_id) or self.card
        if answer != "save" or card is None:
            return None
        self._busy(True)
        values = {field: value for field, (_, value) in self.choices.items()}
        try:
            return await asyncio.to_thread(resolve_card, self.library.workspace, card, values)
        finally:
            self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.saving = busy
        self.query_one("#conflict-busy").display = busy
        self.refresh_bindings()

    def _saved(self, res: Resolution) -> None:
        """Written and staged: tell the library and close; refused or failed: explain, keep the choices."""
        from ..dialogs.error import ErrorDialog

        if res.code == "invalid":
            problems = "\n".join(resolution_problems(res))
            self.app.push_screen(ErrorDialog(t("conflict.invalid_title"), t("conflict.invalid", problems=problems)))
            return
        if not res.ok:
            text = "\n\n".join(p for p in (visible(res.message), visible(res.advice)) if p)
            self.app.push_screen(ErrorDialog(t("conflict.save_failed"), text))
            return
        if res.card is None:
            self.library.remove(self.card_id)
        else:
            self.library.update(res.card, old_id=self.card_id)
        self.app.notify(t("conflict.written", title=visible(self.title_text)), timeout=5, markup=False)
        self.dismiss(True)

    def action_leave(self) -> None:
        if not self.choices or self.saving:
            if not self.saving:
                self.dismiss(False)
            return
        choices = [("stay", t("conflict.keep_choosing"), "primary"), ("leave", t("conflict.leave_anyway"), "warning")]

        def answered(choice: str | None) -> None:
            if choice == "leave":
                self.dismiss(False)

        self.app.push_screen(
            question(t("conflict.leave_question"), t("conflict.leave_detail"), choices, "stay"), answered
        )
