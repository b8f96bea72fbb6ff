"""Record a decision about one card (issue #16): date, meeting, decision text, action holder, deadline.

The dialog only asks: it checks the fields with the core's rule
(``tui.core.meetings.decisions.problems``) and answers a ``Decision`` or None; saving is the
caller's (``CardActions.decide``). What is typed is journaled a moment after each change through
``on_typed`` (the editor's draft mechanism and its ``DraftSchedule``, written off the UI thread by
the caller), so a kill loses at most the last couple of seconds; escape with typed text asks before throwing it away.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.core.cards.text import visible
from tui.core.drafts import DraftSchedule
from tui.core.meetings.decisions import Decision, problems

from ..i18n import lazy, t
from ..widgets.safe import SafeInput, SafeTextArea

FIELDS = ("datum", "vergadering", "besluit", "actiehouder", "deadline")


class DecisionDialog(ModalScreen[Decision | None]):
    """The five fields of a decision; ctrl+s saves, escape cancels (asking first when text was typed)."""

    JOURNAL_DELAY: ClassVar[float] = 0.5  # seconds after the last keystroke before the typed text is journaled
    JOURNAL_MAX_WAIT: ClassVar[float] = 2.0  # ... but never later than this after the first unjournaled one

    BINDINGS = [
        Binding("escape", "cancel", lazy("keys.close"), id="decision-cancel"),
        Binding("ctrl+s", "save", lazy("keys.save"), id="decision-save"),
    ]

    DEFAULT_CSS = """
    DecisionDialog > .dialog { width: 90; height: auto; max-height: 95%; }
    DecisionDialog VerticalScroll { height: auto; max-height: 70vh; }
    DecisionDialog Label { margin-top: 1; }
    DecisionDialog #decision-besluit { height: 6; }
    DecisionDialog #decision-problem { color: $error; height: auto; display: none; }
    DecisionDialog #decision-problem.-shown { display: block; }
    """

    def __init__(
        self,
        card_title: str,
        fields: dict[str, str],
        *,
        organisations: Sequence[str] = (),
        restored: bool = False,
        on_typed: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        super().__init__()
        self.card_title = card_title
        self.start = {k: fields.get(k, "") for k in FIELDS}
        self.organisations = list(organisations)
        self.restored = restored
        self.on_typed = on_typed
        self._timer: Any = None
        self._ready = False
        self._schedule = DraftSchedule(self.JOURNAL_DELAY, self.JOURNAL_MAX_WAIT)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(t("decisions.title", title=visible(self.card_title)), style="bold"), markup=False)
            if self.restored:
                yield Static(Text(t("decisions.restored"), style="italic"), markup=False, id="decision-restored")
            yield Static("", id="decision-problem", markup=False)
            with VerticalScroll():
                yield Label(t("decisions.field_datum"))
                yield SafeInput(self.start["datum"], id="decision-datum", placeholder="JJJJ-MM-DD")
                yield Label(t("decisions.field_vergadering"))
                yield SafeInput(self.start["vergadering"], id="decision-vergadering")
                yield Label(t("decisions.field_besluit"))
                yield SafeTextArea(self.start["besluit"], id="decision-besluit", soft_wrap=True)
                yield Label(t("decisions.field_actiehouder"))
                suggester = SuggestFromList(self.organisations, case_sensitive=False) if self.organisations else None
                yield SafeInput(
                    self.start["actiehouder"],
                    id="decision-actiehouder",
                    suggester=suggester,
                    placeholder=t("decisions.holder_hint"),
                )
                yield Label(t("decisions.field_deadline"))
                yield SafeInput(
                    self.start["deadline"], id="decision-deadline", placeholder=t("decisions.deadline_hint")
                )
            with Horizontal(classes="buttons"):
                yield Button(t("decisions.save"), id="decision-ok", variant="primary")
                yield Button(t("dialog.cancel"), id="decision-cancel-button")

    def on_mount(self) -> None:
        target = "#decision-besluit" if self.start["vergadering"] and self.start["datum"] else "#decision-datum"
        self.query_one(target).focus()
        self.call_after_refresh(self._arm)

    def _arm(self) -> None:
        self._ready = True  # changes from here on are the user's typing

    # -- the fields ----------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """What the fields hold now (text of the decision as typed; the others trimmed)."""
        out = {k: self.query_one(f"#decision-{k}", Input).value.strip() for k in FIELDS if k != "besluit"}
        out["besluit"] = self.query_one("#decision-besluit", TextArea).text.strip()
        return {k: out[k] for k in FIELDS}

    def typed(self) -> bool:
        """Whether anything differs from what the dialog opened with (or a restored draft is shown)."""
        return self.restored or self.values() != {k: v.strip() for k, v in self.start.items()}

    def problem(self) -> tuple[str, str] | None:
        """The first thing wrong with the fields: (field key, words), or None."""
        found = problems(self.values())
        if not found:
            return None
        key, code = found[0]
        return key, t(f"decisions.problem_{code}", field=t(f"decisions.name_{key}"))

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        if not self._ready:
            return
        self.query_one("#decision-problem", Static).remove_class("-shown")
        if self.on_typed is None:
            return
        if self._timer is not None:
            self._timer.stop()
        delay = self._schedule.changed(time.monotonic())  # steady typing still reaches the disk
        if delay > 0:
            self._timer = self.set_timer(delay, self._journal)
        else:
            self._timer = None
            self.call_later(self._journal)

    def _journal(self) -> None:
        self._timer = None
        self._schedule.written()
        if self.on_typed is not None and self.is_attached:
            self.on_typed(self.values())

    # -- answers -------------------------------------------------------------------------------
    def action_save(self) -> None:
        problem = self.problem()
        if problem is not None:
            key, words = problem
            shown = self.query_one("#decision-problem", Static)
            shown.update(Text("✗ " + words, style="bold"))
            shown.add_class("-shown")
            self.query_one(f"#decision-{key}").focus()
            return
        v = self.values()
        self._stop_timer()
        self.dismiss(
            Decision(v["datum"], v["vergadering"], v["besluit"], v["actiehouder"] or None, v["deadline"] or None)
        )

    def action_cancel(self) -> None:
        if not self.typed():
            self._stop_timer()
            self.dismiss(None)
            return
        from .confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._stop_timer()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                t("decisions.discard_question"), t("decisions.discard_detail"), yes=t("decisions.discard_yes")
            ),
            answered,
        )

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "decision-ok":
            self.action_save()
        else:
            self.action_cancel()
