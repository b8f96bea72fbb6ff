"""``SearchIndex.find``: every word must match, partial matches apart, exact filters uncapped (golden cards)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOLDEN
from tui.core.cards.card import Card
from tui.core.cards.text import fold
from tui.core.search.query import args_query, find_terms, parse_query, strings
from tui.core.search.search import SearchIndex
from tui.core.workspace import Workspace

WS = Workspace(GOLDEN)
CARDS = WS.store.load_all().cards
INDEX = SearchIndex(CARDS, WS.schema)


def text(card: Card) -> str:
    return fold(" ".join(strings(dict(card.data))))


def card(cid: str, title: str, **fields: object) -> Card:
    data = {"id": cid, "kind": "ketenaanpak", "region": "NML", "title": title, **fields}
    return Card.build(Path("x.toml"), data, b"", bom=False, crlf=False)


def test_every_word_must_match_and_the_rest_is_partial() -> None:
    result = INDEX.find("welzijn recept")
    both = {c.id for c in CARDS if "welzijn" in text(c) and "recept" in text(c)}
    assert set(result.ids) == both and result.total == len(both) and not result.exact
    assert result.partial_ids and not set(result.partial_ids) & both
    assert all(("welzijn" in text(c)) != ("recept" in text(c)) for c in CARDS if c.id in result.partial_ids)
    assert [h.card_id for h in result.hits] == result.ids
    assert [h.card_id for h in result.partial] == result.partial_ids
    assert result.query_text == "welzijn recept" and result.terms >= {"welzijn", "recept"}


def test_titles_rank_first_within_the_full_matches() -> None:
    ids = INDEX.find("welzijn recept").ids
    titled = [i for i in ids if "recept" in fold(next(c.title for c in CARDS if c.id == i))]
    assert titled and ids[: len(titled)] == titled


def test_little_words_may_be_missing_but_a_query_of_only_them_needs_them() -> None:
    cards = [card("A/1", "Zorg voor ouderen"), card("A/2", "Zorg ouderen"), card("A/3", "Voor iedereen")]
    index = SearchIndex(cards, WS.schema)
    assert set(index.find("zorg voor ouderen").ids) == {"A/1", "A/2"}
    assert index.find("zorg voor ouderen").ids[0] == "A/1"  # holding the little word too ranks higher
    assert set(index.find("voor").ids) == {"A/1", "A/3"}


def test_compounds_prefixes_stems_and_typos_but_not_other_real_words() -> None:
    cards = [
        card("B/1", "Ouderenzorg in de regio"),
        card("B/2", "Thuiszorg en thuiswonende ouderen"),
        card("B/3", "Mantelzorgondersteuning"),
        card("B/4", "Een recent verslag"),  # "recent" is a real word, not a typo of "recept"
        card("B/5", "Welzijn op recept"),
        card("B/6", "Palliatief team"),
        card("B/7", "Inzet wijkverpleegkundigen"),
    ]
    index = SearchIndex(cards, WS.schema)
    assert set(index.find("zorg").ids) == {"B/1", "B/2"}
    assert set(index.find("thuis").ids) == {"B/2"}
    assert set(index.find("mantelzorgers ondersteunen").ids) == {"B/3"}
    assert index.find("recept").ids == ["B/5"]
    assert index.find("recpt").ids == ["B/5"]  # a typo: the nearest word only
    assert index.find("palliatieve").ids == ["B/6"]  # an inflection of a real word
    assert index.find("wijkverpleging").ids == ["B/7"]  # verpleg-ing / verpleeg-kundige


def test_exact_filters_list_every_card_they_select_by_title() -> None:
    for query, expected in (
        ("regio:NML", {c.id for c in CARDS if c.region == "NML"}),
        ("soort:initiatief", {c.id for c in CARDS if c.kind == "initiative"}),
        ('soort:"good practice"', {c.id for c in CARDS if c.kind == "good_practice"}),
        ("soort:good practice", {c.id for c in CARDS if c.kind == "good_practice"}),
        ("kind:chain approach", {c.id for c in CARDS if c.kind == "ketenaanpak"}),
        ("kind:initiative", {c.id for c in CARDS if c.kind == "initiative"}),
        ('thema:"Mentale gezondheid"', {c.id for c in CARDS if c.theme == "Mentale gezondheid"}),
    ):
        result = INDEX.find(query)
        assert result.exact and set(result.ids) == expected and result.total == len(expected), query
        titles = [fold(next(c.title for c in CARDS if c.id == i)) for i in result.ids]
        assert titles == sorted(titles) and result.partial_ids == [] and result.terms == frozenset()
    assert parse_query("soort:good practice").words == ()  # one kind, no word "practice"


def test_no_cap_however_many_cards_match() -> None:
    many = [card(f"C/{i}", f"Kaart {i} over valpreventie") for i in range(700)]
    index = SearchIndex(many, WS.schema)
    assert index.find("regio:NML").total == 700 and len(index.find("regio:NML").ids) == 700
    result = index.find("valpreventie")
    assert result.total == 700 and len(result.head(5)) == 5 and len(result.hits) == 700


def test_a_card_id_gives_that_card_and_the_rest_is_partial() -> None:
    result = INDEX.find("WBW/T1/1.1")
    assert result.ids == ["WBW/T1/1.1"] and result.partial_ids
    assert INDEX.find("nml/b22.1").ids == ["NML/B22.1"]


def test_filters_with_words_narrow_the_full_matches() -> None:
    result = INDEX.find("welzijn recept regio:NML")
    assert result.ids and all(i.startswith("NML/") for i in result.ids + result.partial_ids)
    assert set(result.ids) < set(INDEX.find("welzijn recept").ids)
    assert result.query_text == "welzijn recept regio:NML"


def test_unknown_filters_are_reported_and_ignored() -> None:
    result = INDEX.find("kleur:rood welzijn recept")
    assert result.unknown == ("kleur:rood",)
    assert result.ids == INDEX.find("welzijn recept").ids


@pytest.mark.parametrize(
    ("args", "query"),
    [
        (["thema:Mentale gezondheid"], 'thema:"Mentale gezondheid"'),
        (['thema:"Mentale gezondheid"'], 'thema:"Mentale gezondheid"'),
        (["welzijn", "op", "recept"], "welzijn op recept"),
        (["soort:good practice", "regio:WBW"], 'soort:"good practice" regio:WBW'),
        (["https://x.nl/a b"], "https://x.nl/a b"),
        ([" ", ""], ""),
    ],
)
def test_shell_arguments_become_one_query(args: list[str], query: str) -> None:
    assert args_query(args) == query


def test_find_terms_marks_whole_folded_words_in_the_original_text() -> None:
    line = "Zorgcoördinatie en Coördinatie; Straße ﬁnanciën"
    assert [line[a:b] for a, b in find_terms(line, {"coordinatie"})] == ["Coördinatie"]
    assert [line[a:b] for a, b in find_terms(line, {"zorgcoordinatie", "strasse", "financien"})] == [
        "Zorgcoördinatie",
        "Straße",
        "ﬁnanciën",
    ]
    assert find_terms(line, ()) == [] and find_terms("", {"x"}) == []


def test_results_are_the_same_built_at_once_or_card_by_card() -> None:
    one_by_one = SearchIndex([], WS.schema)
    for c in reversed(CARDS):
        one_by_one.update(c)
    for q in ("welzijn recept", "regio:NML", "zorg", "coordinatie regio:NML", "mantelzorg"):
        a, b = INDEX.find(q), one_by_one.find(q)
        assert (a.ids, a.partial_ids, a.terms) == (b.ids, b.partial_ids, b.terms), q
