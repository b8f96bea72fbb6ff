"""How the browser turns cards, search hits and file problems into list rows (with their badges).

A base of ``BrowserScreen``, as ``BrowserAgendas`` is: the rows follow the screen's state
(filter, query, sort, git snapshot, drafts, review) but touch no widget.
"""

from __future__ import annotations

from typing import Any

from tui.core.cards.card import Card, LoadError
from tui.core.cards.order import card_sort_key, natural_text
from tui.core.cards.slug import slugify
from tui.core.cards.status import label_of, status_code
from tui.core.git.snapshot import RepoSnapshot
from tui.core.library import FileProblem
from tui.core.meetings.views import sort_cards
from tui.core.review import signoff
from tui.core.review.signoff import FieldReview
from tui.core.search.search import Hit, SearchResult

from ..i18n import t
from ..widgets.card_list import Row, kind_mark
from ..widgets.file_problems import PROBLEM_KEY
from .browser_agendas import BrowserAgendas

PARTIAL_KEY = "\x00partial"  # the divider row above the cards matching only part of the query


class BrowserRows(BrowserAgendas):
    """List rows for the browser: one card's row, the sorted listing, the search result, the file problems."""

    hits: dict[str, Hit]
    result: SearchResult | None
    snapshot: RepoSnapshot | None
    draft_ids: set[str]
    review: dict[str, dict[str, FieldReview]]

    def _sort_key(self, card_id: str) -> tuple[Any, ...]:
        return card_sort_key(self.library.cards[card_id], self.sort)

    def _status(self, card: Card) -> str:
        """The card's status by its name in the UI language ('' when it has none)."""
        return label_of(self.library.workspace.vocab, card.region, status_code(card.data))

    @staticmethod
    def _number(card: Card) -> str:
        """The document's number, or the last part of the id (NML/B22.1 → B22.1)."""
        return card.number or card.id.rsplit("/", 1)[-1]

    def badges(self, card_id: str) -> str:
        """Status marks: ⚠ conflict to resolve, ✗ invalid or ! warnings, ✎ unsaved draft,
        ● changed since the last commit, ↑ not yet shared."""
        marks = ""
        card = self.library.cards.get(card_id)
        if card is not None and "conflict" in card.data:
            marks += "⚠"
        if self.library.has_errors(card_id):
            marks += "✗"
        elif self.library.has_warnings(card_id):
            marks += "!"
        if card_id in self.draft_ids:
            marks += "✎"
        snap = self.snapshot
        if snap is not None and card is not None:
            rel = self._rel(card)
            if rel in snap.changed:
                marks += "●"
            elif rel in snap.unshared:
                marks += "↑"
        return marks + signoff.badge(self.review.get(card_id))

    def _rel(self, card: Card | FileProblem) -> str:
        try:
            return card.path.relative_to(self.library.workspace.root).as_posix()
        except ValueError:
            return str(card.path)

    def card_row(self, card: Card, snippet: str = "", *, with_theme: bool = True) -> Row:
        """The list row of one card; the theme column stays empty when the tree filters on a theme."""
        theme = card.theme if with_theme and self.node_filter.theme is None else ""
        return Row(
            card.id,
            card.title,
            self._number(card),
            theme,
            self.badges(card.id),
            snippet,
            mark=kind_mark(card.kind),
            status=self._status(card),
        )

    def sorted_rows(self, ids: list[str]) -> list[Row]:
        """Rows for ``ids`` in the chosen order (no search): the file problems first."""
        cards = self.library.cards
        rows = self._problem_rows()
        if self.sort == "title":  # the usual order, and 10,000 keys at start-up: no tuple per card
            titles = {cid: natural_text(cards[cid].title) for cid in ids}  # Project 2 before 10
            ids.sort(key=titles.__getitem__)
        else:
            ids.sort(key=self._sort_key)
        return rows + [self.card_row(cards[cid]) for cid in ids]

    def marks(self) -> frozenset[str]:
        """The card words the current search matched (marked in the list and the card view)."""
        return self.result.terms if self.query_text.strip() and self.result is not None else frozenset()

    def _result_rows(self, allowed: set[str]) -> tuple[list[Row], int]:
        """Rows for the search result: every full match (best first), then the divider and the partial ones."""
        result = self.result
        assert result is not None
        cards = self.library.cards

        def row(cid: str) -> Row:
            hit = self.hits.get(cid)
            snippet = f"{hit.label}: {hit.snippet}" if hit is not None and hit.field != "title" else ""
            return self.card_row(cards[cid], snippet, with_theme=not hit)

        ids = result.ids
        if self.current_view is not None:  # a saved view lists its cards in its own order (as the meeting walks them)
            ids = [c.id for c in sort_cards((cards[cid] for cid in ids if cid in cards), self.current_view.sort)]
        rows = [row(cid) for cid in ids if cid in allowed and cid in cards]
        partial = [row(cid) for cid in result.partial_ids if cid in allowed and cid in cards]
        if partial:
            rows.append(Row(PARTIAL_KEY, t("search.partial_divider"), problem=True))
        return rows + partial, len(partial)

    def _problem_rows(self) -> list[Row]:
        """A row per file problem that belongs under the chosen tree node (all, or its region)."""
        f = self.node_filter
        if f.theme is not None:
            return []
        cards_dir = self.library.workspace.store.cards_dir
        rows = []
        for p in self.library.file_problems:
            if f.region is not None:
                try:
                    folder = p.path.relative_to(cards_dir).parts[0]
                except (ValueError, IndexError):
                    folder = ""
                if folder != slugify(f.region):
                    continue
            if isinstance(p, LoadError):
                note = t("files.row_conflict") if p.conflict else t("files.row_unreadable")
            else:
                note = t("files.row_duplicate", id=p.card_id)
            rows.append(Row(PROBLEM_KEY + str(p.path), self._rel(p), "", "", "✗", note, problem=True))
        return rows

    def _problem_line(self, p: FileProblem) -> str:
        if isinstance(p, LoadError):
            note = t("files.row_conflict") if p.conflict else t("files.row_unreadable")
            where = f" ({t('files.where', line=p.line, column=p.column or 1)})" if p.line else ""
            return f"{self._rel(p)}: {note}{where}"
        return f"{self._rel(p)}: {t('files.row_duplicate', id=p.card_id)}"
