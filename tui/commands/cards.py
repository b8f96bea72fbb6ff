"""Command palette: "go to card" (fuzzy by title) and every action of the app."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.cards.text import visible
from ..i18n import t

ACTIONS = [
    ("edit_card", "palette.edit"),
    ("new_card", "palette.new"),
    ("duplicate_card", "palette.duplicate"),
    ("delete_card", "palette.delete"),
    ("history", "palette.history"),
    ("blame", "palette.blame"),
    ("commit", "palette.commit"),
    ("sync", "palette.sync"),
    ("resolve_conflicts", "palette.conflicts"),
    ("overview", "palette.overview"),
    ("export", "palette.export"),
    ("help", "palette.help"),
]


class CardCommands(Provider):
    """Cards by title and the app's actions, for ``ctrl+p``."""

    def _go(self, card_id: str) -> None:
        browser = getattr(self.app, "browser", None)
        if browser is not None:
            browser.goto(card_id)

    async def discover(self) -> Hits:
        for action, key in ACTIONS:
            yield DiscoveryHit(t(key), partial(self.app.run_action, action), help=t(key + "_help"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, key in ACTIONS:
            score = matcher.match(t(key))
            if score > 0:
                yield Hit(score, matcher.highlight(t(key)), partial(self.app.run_action, action), help=t(key + "_help"))
        library = getattr(self.app, "library", None)
        if library is None:
            return
        prefix = t("palette.goto")
        for card in list(library.cards.values()):
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
