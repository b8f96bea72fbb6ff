"""Turning form values into card data and back, by the schema (shared by editor and tests)."""

from __future__ import annotations

from typing import Any

from tui.core.cards.schema import Field, Kind


def empty_value(f: Field) -> Any:
    """The empty value of a field in a new card's template."""
    if f.widget == "list":
        return []
    if f.widget in ("table",):
        return {}
    if f.widget == "tables":
        return []
    if f.widget in ("number", "bool"):
        return None
    return ""


def template(kind: Kind, envelope: dict[str, Any]) -> dict[str, Any]:
    """A new card: the envelope values, then every plain field of the kind present and empty."""
    data: dict[str, Any] = {}
    for f in kind.fields:
        if f.key in envelope:
            data[f.key] = envelope[f.key]
        elif f.key == "kind":
            data["kind"] = kind.name
        elif f.widget in ("line", "text", "list") and f.key not in (
            "alt_titles",
            "related",
            "notes",
            "programme",
            "number",
        ):
            data[f.key] = empty_value(f)
    return data


def parse_number(text: str) -> Any:
    """A typed number: int, float (comma or dot), or the text itself when it is not a number."""
    s = text.strip()
    if not s:
        return None
    try:
        return int(s)
    except ValueError:
        pass
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return s


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, list, dict)):
        return len(value) == 0 if not isinstance(value, str) else value == ""
    return False


def merge_form(original: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The card data after editing: form values over the original; empties dropped unless the key was there.

    Keys the form does not show (for example a conflict record) are kept as they were.
    """
    out = dict(original)
    for key, value in values.items():
        if isinstance(value, dict):
            sub = merge_form(original.get(key, {}) if isinstance(original.get(key), dict) else {}, value)
            if sub:
                out[key] = sub
            else:
                out.pop(key, None)
            continue
        if is_empty(value) and (key not in original or value is None):
            out.pop(key, None)
        else:
            out[key] = value
    return out
