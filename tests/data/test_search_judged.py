"""Precision and recall of the search's main result list over the judged queries (tests/data/judged_queries.toml).

The judgments are about the shipped cards, so this lives with the tests about the shipped data.
"""

from __future__ import annotations

import pytest

from bench.relevance import PRECISION_FLOOR, RECALL_FLOOR, Judged, averages, judge, load_judged
from tests.conftest import SHIPPED_CARDS
from tui.core.cards.card import Card
from tui.core.search.search import SearchIndex
from tui.core.workspace import Workspace


@pytest.fixture(scope="module")
def cards() -> list[Card]:
    return Workspace(SHIPPED_CARDS.parent).store.load_all().cards


@pytest.fixture(scope="module")
def judged(cards: list[Card]) -> list[Judged]:
    return judge(SearchIndex(cards, Workspace(SHIPPED_CARDS.parent).schema), cards)


def test_the_judged_set_is_big_and_names_real_cards(cards: list[Card]) -> None:
    entries = load_judged()
    assert len(entries) >= 25
    ids = {c.id for c in cards}
    for entry in entries:
        assert entry["about"] and ("relevant" in entry) != ("select" in entry), entry["text"]
        assert set(entry.get("relevant", ())) <= ids, entry["text"]
    assert len({e["text"] for e in entries}) == len(entries)


def test_precision_and_recall_of_the_main_list(judged: list[Judged]) -> None:
    precision, recall = averages(judged)
    report = "\n".join(f"{j.precision:.2f} {j.recall:.2f}  {j.text}" for j in judged if j.precision < 1 or j.recall < 1)
    assert precision >= PRECISION_FLOOR, report
    assert recall >= RECALL_FLOOR, report


def test_exact_filters_find_exactly_their_cards(judged: list[Judged]) -> None:
    exact = [
        j for j in judged if j.text.split()[0].split(":")[0] in ("regio", "soort", "kind", "thema") and ":" in j.text
    ]
    filters_only = [j for j in exact if all(":" in w or w.endswith('"') for w in j.text.split())]
    assert len(filters_only) >= 5
    for j in filters_only:
        assert set(j.found) == j.relevant, j.text


def test_scoring_counts_what_the_list_holds() -> None:
    a = Judged("q", ("x", "y", "z", "w"), frozenset({"x", "y", "v"}))
    assert a.precision == 0.5 and a.recall == pytest.approx(2 / 3)
    assert Judged("q", (), frozenset({"x"})).precision == 0.0
    assert averages([a, Judged("r", ("x",), frozenset({"x"}))]) == (0.75, pytest.approx(5 / 6))


def test_bench_reports_precision_and_recall_rows() -> None:
    from bench.relevance import fig_relevance

    class Quiet:
        def log(self, _: str) -> None:
            pass

    rows = fig_relevance(Quiet())
    assert [r.variant.split(",")[0] for r in rows] == ["precision", "recall"]
    assert all(r.figure == "relevance" and r.unit == "share" and 0 <= r.p95 <= r.median <= 1 for r in rows)
    assert all(r.met for r in rows) and rows[0].n == len(load_judged())
