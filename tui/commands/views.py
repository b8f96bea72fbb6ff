"""Command palette: the saved views ("Agenda: Programma 2"); choosing one opens it in the browser."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.cards.text import visible
from tui.core.meetings.views import View, ViewsError, load_views

from ..i18n import t
from ..seam import HasLibrary, HasOwnPalette


@runtime_checkable
class OpensViews(Protocol):
    """A screen that can show a saved view (the browser)."""

    def open_view(self, name: str) -> None: ...


class ViewCommands(Provider):
    """One entry per saved view of ``views.toml``, on the screens that can open a view."""

    views: list[View] = []

    async def startup(self) -> None:
        self.views = []
        if not isinstance(self.app, HasLibrary):
            return
        root = self.app.library.workspace.root
        try:
            self.views = await asyncio.to_thread(load_views, root)
        except ViewsError:
            self.views = []  # the browser says what is wrong with the file

    def _entries(self) -> list[tuple[str, str, View]]:
        screen = self.screen
        if isinstance(screen, HasOwnPalette) or not isinstance(screen, OpensViews):
            return []
        found = []
        for view in self.views:
            sort = t(f"sort.{view.sort}")
            query = view.query or t("views.all_cards")
            found.append(
                (
                    visible(t("views.palette", name=view.name)),
                    visible(t("views.palette_help", query=query, sort=sort)),
                    view,
                )
            )
        return found

    def _open(self, name: str) -> None:
        screen = self.screen
        if isinstance(screen, OpensViews):
            screen.open_view(name)

    async def discover(self) -> Hits:
        for title, help_text, view in self._entries():
            yield DiscoveryHit(title, partial(self._open, view.name), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, view in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._open, view.name), text=title, help=help_text)
