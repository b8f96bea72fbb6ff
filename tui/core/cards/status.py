"""A card's lifecycle status: the top-level field ``status`` with codes from the region's
vocabulary (``[[statuses]]`` in ``schema/regions/<region>.toml``), in order on a line
(concept → ter_bespreking → vastgesteld → in_uitvoering → afgerond) plus steps off it (gestopt).

From a status on, fields can be required: a field carries ``"x-required-from": "<code>"`` in its
kind schema and must be filled when the card's status is that code or later on the line.
Everything here returns data; the words ("(geen status)") are the UI's (``[status]`` in the locale).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.cards.schema import Field, Kind
from tui.core.cards.vocab import Region, Status, Vocabulary

NO_STATUS = ""  # the group / key of cards without a status


def status_code(data: Mapping[str, Any]) -> str:
    """The card's status code as written (stripped), or ``NO_STATUS`` when it has none."""
    value = data.get("status")
    return value.strip() if isinstance(value, str) else NO_STATUS


def region_of(vocab: Vocabulary | None, data: Mapping[str, Any]) -> Region | None:
    """The vocabulary region of a card, when known."""
    region = data.get("region")
    return vocab.regions.get(region) if vocab is not None and isinstance(region, str) else None


def find_status(vocab: Vocabulary | None, region: str | None, text: str) -> Status | None:
    """The status called ``text`` (code or name, any language, case/accents ignored) in ``region``
    (or in any region when ``region`` is None or unknown)."""
    if vocab is None:
        return None
    regions = [vocab.regions[region]] if region in vocab.regions else list(vocab.regions.values())
    for r in regions:
        found = r.status(text)
        if found is not None:
            return found
    return None


def label_of(vocab: Vocabulary | None, region: str | None, code: str) -> str:
    """The display-language name of status ``code`` ('' for no status; the code itself when unknown)."""
    if not code:
        return ""
    found = find_status(vocab, region, code)
    return found.label if found is not None and found.code == code else code


def statuses_of(vocab: Vocabulary | None, region: str | None) -> tuple[Status, ...]:
    """The statuses of ``region`` in order (of all regions, first spelling wins, when unknown)."""
    if vocab is None:
        return ()
    if region in vocab.regions:
        return vocab.regions[region].statuses
    seen: dict[str, Status] = {}
    for r in vocab.regions.values():
        for s in r.statuses:
            seen.setdefault(s.code, s)
    return tuple(seen.values())


def required_now(kind: Kind, region: Region, code: str) -> list[tuple[Field, Status]]:
    """The fields status ``code`` requires on a card of ``kind``, each with the status it is required from."""
    out: list[tuple[Field, Status]] = []
    for f in kind.fields:
        step = f.required_from
        if step and region.reaches(code, step):
            since = region.status(step)
            if since is not None:
                out.append((f, since))
    return out


@dataclass(frozen=True)
class StatusChange:
    """A status that changed between two versions of a card (``old``/``new``: codes, '' for none)."""

    old: str
    new: str


def status_change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> StatusChange | None:
    """The status transition between two versions of a card, or None when it stayed the same."""
    before = status_code(old or {})
    after = status_code(new or {})
    return None if before == after else StatusChange(before, after)


def count_by_status(cards: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """How many cards have each status code (``NO_STATUS`` for those without)."""
    return Counter(status_code(d) for d in cards)
