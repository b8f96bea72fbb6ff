"""Command palette inside the editor: the editor's own actions and "go to field", not the browser's.

A screen-level provider (``EditorScreen.COMMANDS``); it lives with the screens because they sit
below ``tui.commands`` in the layers."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..seam import HasOwnPalette


class EditorCommands(Provider):
    """Save, commit, go to a field, revert a field, leave, ...: whatever the editor screen offers."""

    async def discover(self) -> Hits:
        screen = self.screen
        if not isinstance(screen, HasOwnPalette):
            return
        for title, help_text, run in screen.palette_actions():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, HasOwnPalette):
            return
        matcher = self.matcher(query)
        for title, help_text, run in [*screen.palette_actions(), *screen.palette_fields()]:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)
