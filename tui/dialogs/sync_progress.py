"""The small panel shown while a sync runs: a spinner and what git is doing, line by line.

The panel runs ``tui.core.sync.flow.run_sync`` in its own thread worker. The worker only returns
the outcome; the panel closes itself when it sees the worker finish (``on_worker_state_changed``),
so a worker never dismisses its own screen. The flow around it (checks, questions, the result,
conflicts) lives in ``tui.sync_flow``.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from tui.core.cards.text import visible
from tui.core.sync.flow import SYNC_TIMEOUT, SyncOutcome, run_sync
from tui.core.sync.sync import SyncStep

from ..i18n import lazy, t
from ..sync_words import step_text

SHOWN_LINES = 8


class SyncProgress(ModalScreen[SyncOutcome | None]):
    """A spinner and what git is doing while the sync runs; answers the outcome (None: it failed)."""

    BINDINGS = [Binding("escape", "hide", lazy("keys.close"), id="sync-close")]

    def __init__(self, root: Path, timeout: float = SYNC_TIMEOUT) -> None:
        super().__init__()
        self.root = root
        self.timeout = timeout
        self.lines: list[str] = []
        self.busy = True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="sync-box"):
            yield Static(Text(t("sync.title"), style="bold"), markup=False)
            yield LoadingIndicator(id="sync-busy")
            yield Static(Text(t("sync.starting"), style="dim"), id="sync-lines", markup=False)

    def on_mount(self) -> None:
        self.run_sync()

    def add_line(self, step: SyncStep) -> None:
        self.lines.append(visible(step_text(step)))
        self.query_one("#sync-lines", Static).update(Text("\n".join(self.lines[-SHOWN_LINES:])))

    @work(thread=True, name="sync-run", exit_on_error=False)
    def run_sync(self) -> SyncOutcome:
        """Fetch, merge, push and read back what changed; only returns (the panel decides to close)."""
        return run_sync(self.root, lambda step: self.app.call_from_thread(self.add_line, step), self.timeout)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "sync-run" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            return
        self.busy = False
        result = event.worker.result if event.state == WorkerState.SUCCESS else None
        self.dismiss(result if isinstance(result, SyncOutcome) else None)

    def action_hide(self) -> None:
        """Git must not be left half-way: the panel stays until the (time-limited) step is done."""
        if self.busy:
            self.notify(t("sync.still_running", seconds=int(self.timeout)), timeout=4, markup=False)
