"""How good the search's main result list is: precision and recall over the judged queries.

The queries and the cards a person typing them wants are in ``tests/data/judged_queries.toml``
(judged by reading the shipped cards). Per query: precision = share of the main list that is
relevant, recall = share of the relevant cards that are in it (partial matches never count);
both are averaged over the queries. ``tests/data/test_search_judged.py`` asserts the floors.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .data import ROOT
from .stats import Row, Target

JUDGED = ROOT / "tests" / "data" / "judged_queries.toml"
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.95


@dataclass(frozen=True)
class Judged:
    """One query's outcome: what it found, what was wanted."""

    text: str
    found: tuple[str, ...]
    relevant: frozenset[str]

    @property
    def precision(self) -> float:
        return sum(1 for c in self.found if c in self.relevant) / len(self.found) if self.found else 0.0

    @property
    def recall(self) -> float:
        return sum(1 for c in self.relevant if c in self.found) / len(self.relevant) if self.relevant else 1.0


def load_judged(path: Path = JUDGED) -> list[dict[str, Any]]:
    """The judged queries as written."""
    with path.open("rb") as fh:
        return list(tomllib.load(fh)["query"])


def relevant_ids(entry: Mapping[str, Any], cards: Iterable[Any]) -> frozenset[str]:
    """The relevant card ids of one entry: listed, or every card whose fields equal ``select``."""
    if "relevant" in entry:
        return frozenset(entry["relevant"])
    want: Mapping[str, str] = entry["select"]
    return frozenset(c.id for c in cards if all(getattr(c, k) == v for k, v in want.items()))


def judge(index: Any, cards: list[Any], entries: list[dict[str, Any]] | None = None) -> list[Judged]:
    """Run every judged query through ``index.find`` and pair what it found with what was wanted."""
    out = []
    for entry in load_judged() if entries is None else entries:
        result = index.find(entry["text"])
        out.append(Judged(entry["text"], tuple(result.ids), relevant_ids(entry, cards)))
    return out


def averages(judged: list[Judged]) -> tuple[float, float]:
    """Mean precision and mean recall over the queries."""
    n = len(judged) or 1
    return sum(j.precision for j in judged) / n, sum(j.recall for j in judged) / n


def fig_relevance(ctx: Any) -> list[Row]:
    """Precision and recall of the main list over the judged queries on the shipped cards (not timed)."""
    from tui.core.search.search import SearchIndex
    from tui.core.workspace import Workspace

    ws = Workspace(ROOT)
    cards = ws.store.load_all().cards
    judged = judge(SearchIndex(cards, ws.schema), cards)
    precision, recall = averages(judged)
    worst_p = min(judged, key=lambda j: j.precision)
    worst_r = min(judged, key=lambda j: j.recall)
    rows = []
    for name, value, low, worst, floor in (
        ("precision", precision, worst_p.precision, worst_p.text, PRECISION_FLOOR),
        ("recall", recall, worst_r.recall, worst_r.text, RECALL_FLOOR),
    ):
        r = Row("relevance", f"{name}, judged queries (main list)", len(judged), value, low, "share", 1)
        r.target = f"mean ≥ {floor}"
        r.met = value >= floor
        r.extra = {"lowest_query": worst, "lowest": round(low, 3)}
        rows.append(r)
    ctx.log(f"  relevance: precision {precision:.3f}, recall {recall:.3f} over {len(judged)} queries")
    return rows


__all__ = ["Target", "averages", "fig_relevance", "judge", "load_judged", "relevant_ids"]
