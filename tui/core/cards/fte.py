"""FTE figures: readable text and totals per theme, computed from the cards' structured values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Iterable, Mapping

from tui.core.cards.card import Card
from tui.core.language import phrase

WORDED_STATUSES = ("niet_mogelijk", "ontbreekt", "ntb")  # said in words (``core.fte.<status>`` in tui/locale)


def fte_summary(fte: Mapping[str, Any] | None) -> str:
    """``116 fte``, ``0–1 fte``, ``± 550 fte`` or the status in words."""
    if not isinstance(fte, Mapping):
        return ""
    status = fte.get("status")
    if status == "number" and isinstance(fte.get("waarde"), (int, float)):
        return f"{fte['waarde']:g} fte"
    if status == "estimate" and isinstance(fte.get("waarde"), (int, float)):
        return f"± {fte['waarde']:g} fte"
    if status == "range" and isinstance(fte.get("min"), (int, float)) and isinstance(fte.get("max"), (int, float)):
        return f"{fte['min']:g}–{fte['max']:g} fte"
    if status in WORDED_STATUSES:
        return phrase(f"fte.{status}", {})
    if status in ("number", "range", "estimate"):
        return ""
    return str(fte.get("tekst", ""))


@dataclass
class FteTotal:
    """Sum of FTE per theme: ``low``..``high`` spans ranges; counts say what was left out."""

    low: float = 0.0
    high: float = 0.0
    counted: int = 0
    not_possible: int = 0
    missing: int = 0

    def add(self, fte: Mapping[str, Any] | None) -> None:
        status = fte.get("status") if isinstance(fte, Mapping) else "ontbreekt"
        if (
            status in ("number", "estimate")
            and isinstance(fte, Mapping)
            and isinstance(fte.get("waarde"), (int, float))
        ):
            self.low += fte["waarde"]
            self.high += fte["waarde"]
            self.counted += 1
        elif (
            status == "range"
            and isinstance(fte, Mapping)
            and isinstance(fte.get("min"), (int, float))
            and isinstance(fte.get("max"), (int, float))
        ):
            self.low += fte["min"]
            self.high += fte["max"]
            self.counted += 1
        elif status == "niet_mogelijk":
            self.not_possible += 1
        else:
            self.missing += 1


def fte_totals(cards: Iterable[Card], kind: str = "initiative", key: str = "impact_fte") -> dict[str, FteTotal]:
    """FTE totals per theme over the cards of ``kind`` (section B initiatives by default)."""
    totals: dict[str, FteTotal] = {}
    for c in cards:
        if c.kind != kind:
            continue
        totals.setdefault(c.theme or "(geen thema)", FteTotal()).add(c.data.get(key))
    return totals
