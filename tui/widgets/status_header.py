"""The top line: app name, repository, branch, pending changes and sync state (plain text only)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from tui.core.cards.text import visible
from ..i18n import t


class StatusHeader(Static):
    """Shows where the user is working and what is not yet committed or shared."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def show(self, root: Path, branch: str | None, pending: int | None, sync: str = "") -> None:
        text = Text()
        text.append("Kaartenbak", style="bold")
        text.append(f"  {visible(str(root))}")
        if branch:
            text.append(f"  ⎇ {visible(branch)}")
        if pending:
            text.append("  " + t("header.pending", count=pending), style="bold")
        elif pending == 0:
            text.append("  " + t("header.clean"), style="dim")
        if sync:
            text.append(f"  {visible(sync)}", style="italic")
        self.update(text)
