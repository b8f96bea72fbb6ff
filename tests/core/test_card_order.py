"""Cards sort the way people read a plan: numbers in titles and card numbers as numbers."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tui.core.cards.card import Card
from tui.core.cards.order import card_sort_key, natural_key, natural_text
from tui.core.workspace import Workspace


def _card(title: str, number: str = "") -> Card:
    data = {"id": f"ZHG/{title}", "kind": "project", "region": "ZHG", "title": title, "number": number}
    return Card.build(Path(f"{title}.toml"), data, b"", bom=False, crlf=False)


def test_titles_with_numbers_sort_by_the_number() -> None:
    titles = ["Project 10: wijk", "Project 2: wijk", "project 1: wijk", "Project 1b"]
    cards = sorted((_card(t) for t in titles), key=lambda c: card_sort_key(c, "title"))
    assert [c.title for c in cards] == ["project 1: wijk", "Project 1b", "Project 2: wijk", "Project 10: wijk"]


def test_numbers_sort_naturally_within_a_region() -> None:
    cards = [_card("a", n) for n in ("B10.1", "B2.1", "B2.10", "B2.2")]
    ordered = sorted(cards, key=lambda c: card_sort_key(c, "number"))
    assert [c.number for c in ordered] == ["B2.1", "B2.2", "B2.10", "B10.1"]


def test_natural_key_ignores_case_only() -> None:
    assert natural_key("Thema 3") == natural_key("thema 3")
    assert natural_key("Thema 3") < natural_key("Thema 12")


def test_the_shipped_cards_sort_without_error_in_every_order() -> None:
    cards = Workspace(ROOT).store.load_all().cards
    for sort in ("title", "number", "changed", "unknown"):
        assert len(sorted(cards, key=lambda c: card_sort_key(c, sort))) == len(cards)


def test_the_string_key_orders_as_the_tuple_key() -> None:
    titles = ["Project 10: wijk", "Project 2: wijk", "project 1: wijk", "Project 1b", "B2.10", "B2.9", "Zorg", "ábc"]
    assert sorted(titles, key=natural_text) == sorted(titles, key=natural_key)
