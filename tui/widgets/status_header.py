"""The top line: app name, repository, branch, pending changes, sync state and file problems
(plain text only)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tui.core.cards.text import visible

from ..i18n import t


class StatusHeader(Static):
    """Shows where the user is working, what is not yet committed or shared, and how many
    card files cannot be shown (they stay counted here until they are fixed)."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._root: Path | None = None
        self._branch: str | None = None
        self._pending: int | None = None
        self._sync = ""
        self.problems = 0

    def show(self, root: Path, branch: str | None, pending: int | None, sync: str = "") -> None:
        self._root, self._branch, self._pending, self._sync = root, branch, pending, sync
        self._render_line()

    def show_problems(self, count: int) -> None:
        """How many card files cannot be listed as a card (unreadable, duplicate id)."""
        self.problems = count
        self._render_line()

    def _render_line(self) -> None:
        text = Text()
        text.append("Kaartenbak", style="bold")
        if self.problems:  # first, so a narrow terminal never cuts it off
            text.append("  " + t("files.header", count=self.problems), style="bold red")
        if self._root is not None:
            text.append(f"  {visible(str(self._root))}")
        if self._branch:
            text.append(f"  ⎇ {visible(self._branch)}")
        if self._pending:
            text.append("  " + t("header.pending", count=self._pending), style="bold")
        elif self._pending == 0:
            text.append("  " + t("header.clean"), style="dim")
        if self._sync:
            text.append(f"  {visible(self._sync)}", style="italic")
        self.update(text)
