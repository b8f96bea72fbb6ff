"""Command palette: "go to card" (fuzzy by title) and every action of the app."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.cards.text import visible

from ..i18n import t
from ..messages import GotoCard
from ..seam import ActsOnCards, HasLibrary, HasOwnPalette

# actions of the screen that owns the selection (browser, card screen)
CARD_ACTIONS = [
    ("edit_card", "palette.edit"),
    ("new_card", "palette.new"),
    ("duplicate_card", "palette.duplicate"),
    ("delete_card", "palette.delete"),
    ("export", "palette.export"),
    ("decide", "decisions.palette"),
]
# actions of the app
APP_ACTIONS = [
    ("history", "palette.history"),
    ("blame", "palette.blame"),
    ("commit", "palette.commit"),
    ("sync", "palette.sync"),
    ("resolve_conflicts", "palette.conflicts"),
    ("overview", "palette.overview"),
    ("review", "review.palette"),
    ("changes", "changes.palette"),
    ("make_snapshot", "snapshot.palette"),
    ("import_sheet", "import.palette"),
    ("help", "palette.help"),
]


class CardCommands(Provider):
    """Cards by title and the app's actions, for ``ctrl+p``."""

    def _actions(self) -> list[tuple[str, Callable[[], object]]]:
        """(catalogue key, what to run) for every action that applies on the current screen."""
        found: list[tuple[str, Callable[[], object]]] = []
        screen = self.screen
        if isinstance(screen, HasOwnPalette):
            return found  # the editor offers its own actions (tui.screens.editor_palette)
        if isinstance(screen, ActsOnCards):
            found += [(key, partial(screen.run_action, action)) for action, key in CARD_ACTIONS]
        found += [(key, partial(self.app.run_action, action)) for action, key in APP_ACTIONS]
        return found

    def _go(self, card_id: str) -> None:
        self.app.post_message(GotoCard(card_id))

    async def discover(self) -> Hits:
        for key, run in self._actions():
            yield DiscoveryHit(t(key), run, help=t(key + "_help"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key, run in self._actions():
            score = matcher.match(t(key))
            if score > 0:
                yield Hit(score, matcher.highlight(t(key)), run, help=t(key + "_help"))
        if not isinstance(self.app, HasLibrary) or isinstance(self.screen, HasOwnPalette):
            return
        prefix = t("palette.goto")
        for card in list(self.app.library.cards.values()):
            title = visible(card.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._go, card.id),
                    text=title,
                    help=visible(f"{prefix}: {card.id}"),
                )
