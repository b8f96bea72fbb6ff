"""The search index on the shipped cards: typos, accents, word order, ranking, filters, updates.

Relevance on the real corpus (its words, spellings and counts), so it lives with the tests about the
shipped data; the index's mechanics on hostile text are in the last tests here and in tests/core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_CARDS
from tui.core.cards.card import Card
from tui.core.search.query import words
from tui.core.search.search import Hit, Query, SearchIndex, parse_query
from tui.core.cards.text import fold
from tui.core.cards.vocab import Vocabulary
from tui.core.workspace import Workspace

ORG_KEYS = ("betrokken_organisaties", "organisaties", "betrokken", "betrokken_partijen", "ontvangen_van", "kartrekker")


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace(SHIPPED_CARDS.parent)


@pytest.fixture(scope="module")
def cards(workspace: Workspace) -> list[Card]:
    loaded = workspace.store.load_all().cards
    assert len(loaded) > 200
    return loaded


@pytest.fixture(scope="module")
def index(cards: list[Card], workspace: Workspace) -> SearchIndex:
    return SearchIndex(cards, workspace.schema)


def all_text(card: Card) -> str:
    def walk(v: object) -> list[str]:
        if isinstance(v, str):
            return [v]
        if isinstance(v, dict):
            return [s for x in v.values() for s in walk(x)]
        if isinstance(v, list):
            return [s for x in v for s in walk(x)]
        return []

    return " ".join(walk(dict(card.data)))


def spanned(hit: Hit) -> list[str]:
    return [hit.snippet[a:b] for a, b in hit.spans]


def make_card(data: dict[str, object]) -> Card:
    return Card.build(Path("x.toml"), dict(data), b"", bom=False, crlf=False)


# -- typos, accents, word order, ranking ------------------------------------------------------------


@pytest.mark.parametrize("query", ["welzin op recpt", "welzin recpt", "Welzijn op Recept", "WELZIJN OP RECEPT"])
def test_typos_and_case_find_welzijn_op_recept_first(index: SearchIndex, query: str) -> None:
    hits = index.search(query, limit=10)
    assert hits[0].card_id == "WBW/T1/1.1"
    # the other cards titled "Welzijn op Recept" follow, before anything else
    titled = [h for h in hits if "welzijn op recept" in fold(index._entries[h.card_id].card.title)]
    assert [h.card_id for h in hits[: len(titled)]] == [h.card_id for h in titled]
    assert len(titled) >= 4
    assert hits[0].field == "title" and hits[0].label == "Titel"
    expected = ["welzijn", "op", "recept"] if "op" in query.lower().split() else ["welzijn", "recept"]
    assert [fold(s) for s in spanned(hits[0])] == expected


def containing(cards: list[Card], pattern: str) -> list[Card]:
    return [c for c in cards if re.search(pattern, all_text(c), re.IGNORECASE)]


def test_accent_free_query_finds_the_accented_word(cards: list[Card], index: SearchIndex) -> None:
    # as a word, and at the end of a compound ("Zorgcoördinatie")
    accented = containing(cards, r"coördinatie(?!\w)")
    assert len(accented) >= 5 and not containing(cards, r"coordinatie")
    assert {c.id for c in accented} <= index.filter_ids("coordinatie")
    top = index.search("coordinatie", limit=3)[0]
    assert [s.casefold() for s in spanned(top)] == ["coördinatie"]


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("patiënten", "patienten"), ("casuïstiek", "casuistiek"), ("huisartsencoöperatie", "huisartsencooperatie")],
)
def test_accented_query_finds_the_plain_word(cards: list[Card], index: SearchIndex, typed: str, plain: str) -> None:
    written_plain = containing(cards, rf"(?<!\w){plain}(?!\w)")
    assert written_plain, f"the real cards also spell it '{plain}'"
    assert {c.id for c in written_plain} <= index.filter_ids(typed)
    hits = {h.card_id: h for h in index.search(typed, limit=len(index))}
    assert any(plain in [s.casefold() for s in spanned(hits[c.id])] for c in written_plain)
    assert index.filter_ids(typed) == index.filter_ids(plain)


def test_word_order_does_not_matter(index: SearchIndex) -> None:
    a = index.search("recept welzijn huisarts", limit=10)
    b = index.search("huisarts welzijn recept", limit=10)
    assert [h.card_id for h in a] == [h.card_id for h in b]
    assert [h.score for h in a] == [h.score for h in b]


def test_title_hits_rank_above_body_hits(cards: list[Card], index: SearchIndex) -> None:
    in_title = {c.id for c in cards if any(w.startswith("huisarts") for w in words(c.title))}
    hits = index.search("huisarts", limit=len(index))
    ids = [h.card_id for h in hits]
    assert in_title and len(ids) > len(in_title)  # there are body-only hits too
    assert set(ids[: len(in_title)]) == in_title
    assert all(h.field == "title" for h in hits[: len(in_title)])
    assert all(h.field != "title" for h in hits[len(in_title) :])


def test_results_hold_every_word_and_partial_matches_come_apart(index: SearchIndex) -> None:
    # the search used to list cards matching any word, ranked by how many; now all must match
    result = index.find("eenzaamheid huisarts welzijn")
    assert result.total == len(result.hits) > 0
    assert all(int(h.score) == 3 for h in result.hits)
    partial = [int(h.score) for h in result.partial]
    assert partial and partial == sorted(partial, reverse=True) and max(partial) < 3
    assert not set(result.ids) & set(result.partial_ids)
    assert index.search("eenzaamheid huisarts welzijn", limit=len(index)) == result.hits


def test_every_text_field_is_searched_including_lists_and_tables(index: SearchIndex) -> None:
    # betrokken_organisaties is a list; mijlpalen an array of tables; impact_categorie a table
    by_list = index.search("Eendracht", limit=len(index))
    assert "WBW/T1/1.1" in {h.card_id for h in by_list}
    hit = next(h for h in index.search("GALA middelen praktijken", limit=5) if h.card_id == "WBW/T1/1.1")
    assert hit.field in ("tijdslijn", "mijlpalen", "randvoorwaarden")
    table = next(h for h in index.search("Marc Pomp zorguitgaven", limit=5) if h.card_id == "WBW/T1/1.1")
    assert table.field in ("impact_categorie", "bronnen")
    assert table.label != table.field  # a Dutch label from the schema


def test_snippets_are_short_single_lines_with_valid_spans(index: SearchIndex) -> None:
    for query in ("welzijn", "coordinatie zorg", "huisartsen wijkverpleging", "e-health", "ouderen thuis"):
        hits = index.search(query, limit=50)
        assert hits
        for h in hits:
            assert len(h.snippet) <= 120
            assert "\n" not in h.snippet and "  " not in h.snippet
            assert h.spans, (query, h)
            for a, b in h.spans:
                assert 0 <= a < b <= len(h.snippet)
                assert re.fullmatch(r"\w+", h.snippet[a:b])


def test_many_words_sharing_a_start_or_an_end(workspace: Workspace) -> None:
    # more compounds than are expanded ("thuiszorg", "mantelzorg", ... and "zorgplan", "zorgpad", ...)
    stems = [f"{a}{b}" for a in "bdfgklmnprst" for b in "aeiou"]
    cards = [
        make_card({"id": f"Z/{i}", "kind": "ketenaanpak", "region": "NML", "title": f"{s}zorg en zorg{s}"})
        for i, s in enumerate(stems)
    ]
    cards.append(make_card({"id": "Z/exact", "kind": "ketenaanpak", "region": "NML", "title": "Zorg"}))
    index = SearchIndex(cards, workspace.schema)
    hits = index.search("zorg", limit=100)
    assert hits[0].card_id == "Z/exact"
    assert len(hits) > 40 and all(h.spans for h in hits)
    assert index.search("zo", limit=5)[0].card_id == "Z/exact"


def test_limit_and_exact_card_id(index: SearchIndex) -> None:
    assert len(index.search("zorg", limit=7)) == 7
    assert index.search("WBW/T1/GP1", limit=3)[0].card_id == "WBW/T1/GP1"
    assert index.search("nml/b22.1", limit=3)[0].card_id == "NML/B22.1"


# -- query parsing and filters ----------------------------------------------------------------------


def test_parse_query_quoted_values_and_unknown_filters() -> None:
    q = parse_query('thema:"Mentale gezondheid" Preventie foo:bar regio:WBW')
    assert q == Query(("preventie",), (("thema", "Mentale gezondheid"), ("regio", "WBW")), ("foo:bar",))
    assert parse_query("https://welzijnoprecept.nl").unknown == ()
    assert parse_query("thema:").filters == ()  # still typing: no filter yet
    assert parse_query('"Welzijn op"').words == ("welzijn", "op")


def test_unknown_filter_is_ignored_by_search(index: SearchIndex) -> None:
    assert index.search("foo:bar welzijn recept", limit=5) == index.search("welzijn recept", limit=5)


def test_thema_filter_and_quoted_value(cards: list[Card], index: SearchIndex) -> None:
    mental = {c.id for c in cards if c.theme == "Mentale gezondheid"}
    assert mental
    assert index.filter_ids('thema:"Mentale gezondheid"') == mental
    assert index.filter_ids("thema:mentale") == mental  # prefix, case-insensitive
    hits = index.search('thema:"Mentale gezondheid"', limit=50)
    titles = [fold(index._entries[h.card_id].card.title) for h in hits]
    assert titles == sorted(titles) and len(hits) == len(mental)
    narrowed = index.filter_ids('preventie thema:"mentale gezondheid"')
    assert narrowed and narrowed < index.filter_ids("preventie") and narrowed <= mental


def test_regio_filter(cards: list[Card], index: SearchIndex) -> None:
    wbw = {c.id for c in cards if c.region == "WBW"}
    assert index.filter_ids("regio:wbw") == wbw
    assert index.filter_ids("welzijn regio:nml") == {i for i in index.filter_ids("welzijn") if i not in wbw}
    assert index.filter_ids("regio:wbw regio:nml") == {c.id for c in cards}  # same filter twice: either


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("initiatief", "initiative"),
        ("initiative", "initiative"),
        ("project", "project"),
        ("ketenaanpak", "ketenaanpak"),
        ("bron", "aanvullende_bron"),
        ('"good practice"', "good_practice"),
        ('"aanvullend initiatief"', "aanvullend_initiatief"),
    ],
)
def test_soort_filter_accepts_kind_keys_and_dutch_words(
    cards: list[Card], index: SearchIndex, value: str, kind: str
) -> None:
    expected = {c.id for c in cards if c.kind == kind}
    assert expected
    assert index.filter_ids(f"soort:{value}") == expected


def test_org_filter_looks_in_every_organisation_field(cards: list[Card], index: SearchIndex) -> None:
    def orgs(c: Card) -> str:
        return fold(" | ".join(all_text(make_card({k: c.data[k]})) for k in ORG_KEYS if k in c.data))

    for value in ("metggz", "Eendracht", "gemeenten"):
        expected = {c.id for c in cards if fold(value) in orgs(c)}
        assert expected, value
        assert index.filter_ids(f"org:{value}") == expected
    # "kartrekker" and "betrokken_partijen" (aanvullend initiatief) count as organisations too
    lead = next(c for c in cards if c.data.get("kartrekker"))
    assert lead.id in index.filter_ids(f'org:"{lead.data["kartrekker"]}"')


def test_programma_filter(cards: list[Card], index: SearchIndex) -> None:
    expected = {c.id for c in cards if "kansrijke" in fold(c.programme)}
    assert expected
    assert index.filter_ids("programma:Kansrijke") == expected
    assert index.filter_ids("programma:kansrijke vroegsignalering") < expected


# -- keeping the index current ---------------------------------------------------------------------


def test_update_and_remove_keep_the_index_current(cards: list[Card], workspace: Workspace) -> None:
    index = SearchIndex(cards[:20], workspace.schema)
    card = cards[0]
    assert len(index) == 20
    assert index.search("zonnebloemveld") == []
    data = card.to_dict()
    data["title"] = "Zonnebloemveld in de wijk"
    index.update(make_card(data))
    assert len(index) == 20
    assert index.search("zonnebloemveld")[0].card_id == card.id
    assert index.search("zonnebloemvelt")[0].card_id == card.id  # typo, against the new word
    data["title"] = "Korenbloem"
    data["regio_test"] = "x"
    index.update(make_card(data))
    assert index.search("zonnebloemveld") == []
    assert "zonnebloemveld" not in index._post
    assert index.search("korenbloem")[0].card_id == card.id
    index.remove(card.id)
    assert len(index) == 19
    assert index.search("korenbloem") == []
    assert card.id not in index.filter_ids("")
    index.remove(card.id)  # twice: nothing happens
    new = make_card({"id": "NEW/1", "kind": "ketenaanpak", "region": "NML", "title": "Nieuwe kaart Ørestad Ålesund"})
    index.update(new)
    assert index.search("orestad alesund")[0].card_id == "NEW/1"
    assert "NEW/1" in index.filter_ids("soort:ketenaanpak regio:nml")


def test_index_built_at_once_equals_index_built_by_updates(cards: list[Card], workspace: Workspace) -> None:
    at_once = SearchIndex(cards, workspace.schema)
    one_by_one = SearchIndex([], workspace.schema)
    for c in reversed(cards):
        one_by_one.update(c)
    for q in ("welzin op recpt", "zorg", "thema:gezond valpreventie", "coordinatie"):
        assert at_once.search(q, limit=20) == one_by_one.search(q, limit=20)


# -- completions -------------------------------------------------------------------------------------


def test_completions(index: SearchIndex, workspace: Workspace) -> None:
    vocab: Vocabulary = workspace.vocab
    assert index.completions("thema:Ment", vocab) == ['thema:"Mentale gezondheid"']
    assert index.completions('thema:"ment', vocab) == ['thema:"Mentale gezondheid"']
    assert index.completions("th", vocab) == ["thema:"]
    assert set(index.completions("", vocab)) == {"thema:", "regio:", "soort:", "org:", "programma:", "status:"}
    assert index.completions("regio:w", vocab) == ["regio:WBW"]
    assert index.completions("welzijn soort:bron", vocab) == ['welzijn soort:"aanvullende bron"']
    assert index.completions("foo:x", vocab) == []
    orgs = index.completions("org:metg", vocab)
    assert orgs and all(o.startswith("org:") and "metggz" in fold(o) for o in orgs)
    # every completion, once typed, is a filter that selects cards
    for completion in index.completions("thema:", vocab):
        assert index.filter_ids(completion), completion


# -- hostile text -------------------------------------------------------------------------------------


def test_markup_and_escape_text_come_back_raw(workspace: Workspace) -> None:
    title = "[bold]Gevaar[/] [@click=app.quit]klik[/] \\[x]"
    body = "tekst met \x1b[31mrood\x1b[0m en [/] en ]] [["
    card = make_card({"id": "X/1", "kind": "ketenaanpak", "region": "NML", "title": title, "kernboodschap": body})
    index = SearchIndex([card], workspace.schema)
    hit = index.search("gevaar")[0]
    assert hit.snippet == title
    assert spanned(hit) == ["Gevaar"]
    body_hit = index.search("rood")[0]
    assert body_hit.field == "kernboodschap"
    assert body_hit.snippet == body
    assert spanned(body_hit) == ["31mrood"]  # the escape's letters are part of the word; nothing is interpreted
    assert index.search("click")[0].card_id == "X/1"


def test_odd_unicode_keeps_spans_aligned(workspace: Workspace) -> None:
    text = "Straße ﬁnanciën: coördinatie en Coördinatie"  # ß and the ﬁ ligature fold to two characters
    card = make_card({"id": "X/2", "kind": "ketenaanpak", "region": "NML", "title": "T", "kernboodschap": text})
    index = SearchIndex([card], workspace.schema)
    assert index.search("coordinatie straat") == []  # "straat" is in no card: not a match any more
    hit = index.search("coordinatie")[0]
    assert spanned(hit) == ["coördinatie", "Coördinatie"]
    assert spanned(index.search("financien")[0]) == ["ﬁnanciën"]
    assert spanned(index.search("strasse")[0]) == ["Straße"]
