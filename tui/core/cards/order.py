"""The orders cards are listed in: one rule for the browser, saved views and exports.

Titles and numbers sort *naturally* (``Project 2`` before ``Project 10``, ``B2.1`` before
``B10.1``): a plan numbers its projects, and people read those numbers as numbers.
"""

from __future__ import annotations

import re
from typing import Any

from .card import Card

SORTS = ("title", "number", "changed")
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key comparing runs of digits as numbers and the rest without case."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in _DIGITS.split(text) if p)


def natural_text(text: str) -> str:
    """``natural_key`` as one string (digit runs zero-padded): cheap enough for 10,000 titles per listing."""
    folded = text.casefold()
    if not any(ch.isdigit() for ch in folded):
        return folded
    return _DIGITS.sub(lambda m: m.group().zfill(12), folded)


def card_sort_key(card: Card, sort: str) -> tuple[Any, ...]:
    """Where ``card`` goes in a list sorted by ``sort`` (one of ``SORTS``; unknown means title)."""
    if sort == "number":
        return (card.region, natural_key(card.number or card.id), natural_key(card.id))
    if sort == "changed":
        return (-card.mtime_ns, natural_text(card.title), card.id)
    return (natural_text(card.title), card.id)
