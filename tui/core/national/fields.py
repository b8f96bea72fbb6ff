"""A card as rows: its field values by dotted path, their labels, its prose and its FTE figure."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.cards.schema import Field, Schema

FTE_STATUSES = ("number", "estimate", "range", "niet_mogelijk", "ntb", "ontbreekt")
NOT_PROSE = frozenset({"id", "kind", "region", "title", "source", "level"})  # keys that are not card text


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"randvoorwaarden.bekostiging": "...", "mijlpalen": [...]}``: tables become dotted paths, lists stay whole."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The paths whose value differs between two flattened cards, with the new value (None: removed)."""
    changed = {k: v for k, v in new.items() if k not in old or old[k] != v or type(old[k]) is not type(v)}
    changed.update({k: None for k in old if k not in new})
    return dict(sorted(changed.items()))


def to_json(value: Any) -> str:
    """JSON for the database: dates and times as ISO text, non-ASCII kept readable."""
    return json.dumps(value, ensure_ascii=False, default=_jsonable, sort_keys=False)


def _jsonable(value: Any) -> Any:
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return iso()
    return str(value)


def value_row(value: Any) -> tuple[str | None, float | None, str]:
    """``(value as text, number or None, type)`` for one field value."""
    if isinstance(value, bool):
        return ("true" if value else "false"), None, "boolean"
    if isinstance(value, int):
        return str(value), float(value), "integer"
    if isinstance(value, float):
        return repr(value), value, "float"
    if isinstance(value, str):
        return value, None, "text"
    if isinstance(value, list):
        return to_json(value), None, "list"
    if isinstance(value, Mapping):
        return to_json(value), None, "table"
    if value is None:
        return None, None, "null"
    return _jsonable(value), None, type(value).__name__


def label(schema: Schema | None, kind: str, path: str) -> str | None:
    """The schema's Dutch label of a dotted field path: ``Randvoorwaarden: Bekostiging``."""
    k = schema.kind(kind) if schema is not None else None
    if k is None:
        return None
    head, _, rest = path.partition(".")
    f: Field | None = k.field(head)
    if f is None:
        return None
    labels = [f.label_nl]
    for part in rest.split(".") if rest else []:
        f = f.child(part) if f is not None else None
        if f is None:
            break
        labels.append(f.label_nl)
    return ": ".join(labels)


def prose(data: Mapping[str, Any]) -> str:
    """All card text except the title and the bookkeeping fields, one piece per line, for the full-text index."""
    return "\n".join(_strings({k: v for k, v in data.items() if k not in NOT_PROSE}))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        if node.strip():
            yield node
    elif isinstance(node, Mapping):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@dataclass(frozen=True)
class Fte:
    """A card's FTE figure: which field, its status and its number(s)."""

    field: str | None = None
    status: str | None = None
    value: float | None = None  # exact or estimated; None for a range
    low: float | None = None
    high: float | None = None


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def fte_of(data: Mapping[str, Any]) -> Fte:
    """The first structured FTE field of a card (``impact_fte``, ``fte_raming``); an empty Fte when none."""
    for key, value in data.items():
        if not (isinstance(value, Mapping) and value.get("status") in FTE_STATUSES and "tekst" in value):
            continue
        status = str(value["status"])
        if status in ("number", "estimate"):
            number = _num(value.get("waarde"))
            return Fte(key, status, number, number, number)
        if status == "range":
            return Fte(key, status, None, _num(value.get("min")), _num(value.get("max")))
        return Fte(key, status)
    return Fte()


def themes_of(data: Mapping[str, Any]) -> list[str]:
    """Every theme a card names: its ``theme``, else the list in ``themas`` (section F names several)."""
    theme = data.get("theme")
    if isinstance(theme, str) and theme:
        return [theme]
    many = data.get("themas")
    return [str(t) for t in many if str(t)] if isinstance(many, list) else []
