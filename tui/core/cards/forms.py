"""Turning form values into card data and back, by the schema (shared by editor and tests)."""

from __future__ import annotations

from typing import Any

from tui.core.cards.schema import Field, Kind

HIDDEN_FIELDS = frozenset({"kind", "conflict"})  # set by the card's kind / resolved in the conflict screen


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
            old = original.get(key)
            sub = merge_form(old if isinstance(old, dict) else {}, value)
            if sub:
                out[key] = sub
            elif key not in original or (isinstance(old, dict) and old):
                out.pop(key, None)  # absent and left empty, or emptied by the user
            continue  # an empty table or a value the form cannot show stays as it was
        if is_empty(value) and (key not in original or value is None):
            out.pop(key, None)
        else:
            out[key] = value
    return out


# -- the form model: what each control shows, and what it means --------------------------------
# A form never invents a value. A control that still shows what it showed when the form was
# built stands for exactly the value the file holds (an absent key stays absent, an ``int`` in a
# text field stays an ``int``, a lone ``\r`` stays); only a control the user changed is parsed.


def shown_value(f: Field, value: Any, choices: list[str] | None = None) -> Any:
    """What the control of field ``f`` shows for ``value`` (a string, a bool, or None for no choice)."""
    if f.widget == "list":
        return "\n".join(str(i) for i in value) if isinstance(value, list) else ""
    if f.widget == "enum" or choices is not None:
        options = select_options(f, value, choices)
        return value if value in options else None
    if f.widget == "bool":
        return bool(value)
    if f.widget == "number":
        return "" if value is None else str(value)
    return str(value or "")


def select_options(f: Field, value: Any, choices: list[str] | None = None) -> list[str]:
    """The options of a choice field; a value outside the list is offered too (never lost)."""
    options = list(choices if choices is not None else f.choices)
    if value and value not in options:
        options.append(str(value))
    return options


def parsed_value(f: Field, shown: Any, choices: list[str] | None = None) -> Any:
    """What a control the user changed means as card data."""
    if f.widget == "list":
        return [line.strip() for line in str(shown).split("\n") if line.strip()]
    if f.widget == "enum" or choices is not None:
        return "" if shown is None else shown
    if f.widget == "bool":
        return bool(shown)
    if f.widget == "number":
        return parse_number(str(shown))
    return str(shown).replace("\r\n", "\n").replace("\r", "\n")


def field_value(f: Field, shown: Any, initial: Any, baseline: Any, choices: list[str] | None = None) -> Any:
    """The value of one field: the file's own value (None when absent) while the control still
    shows ``baseline`` (what it showed when built), otherwise the parsed control."""
    if shown == baseline:
        return initial
    if f.widget == "bool" and initial is None and shown is False:
        return None  # switched on and off again: still not set
    return parsed_value(f, shown, choices)


def table_value(initial: dict[str, Any] | None, values: dict[str, Any]) -> dict[str, Any]:
    """One table (or list item) after editing: the sub-fields over the original, extra keys kept."""
    return merge_form(dict(initial or {}), values)


def tables_value(initial: Any, items: list[tuple[Any, dict[str, Any]]]) -> list[Any] | None:
    """A list of tables after editing, from (original item or None for an added one, form values).

    Items the user emptied or added and left empty are dropped; when nothing changed the
    original list comes back as it was (None when the key was absent).
    """
    out: list[Any] = []
    for original, values in items:
        if original is not None and not isinstance(original, dict):
            out.append(original)  # not a table: the form cannot show it, so it is kept
            continue
        merged = table_value(original, values)
        if merged or (original is not None and merged == original):
            out.append(merged)
    if out == (initial if isinstance(initial, list) else []):
        return initial
    return out


def untouched_values(kind: Kind, data: dict[str, Any], hidden: frozenset[str] | set[str]) -> dict[str, Any]:
    """What every control of a freshly built form for ``data`` reports, field by field (headless)."""
    return {f.key: _untouched(f, data.get(f.key)) for f in kind.fields if f.key not in hidden}


def _untouched(f: Field, value: Any) -> Any:
    if f.widget == "table":  # as TableEditor: one value per sub-field, merged over the original later
        sub = value if isinstance(value, dict) else {}
        return {c.key: _untouched(c, sub.get(c.key)) for c in f.children}
    if f.widget == "tables":  # as TablesEditor: one sub-form per item
        items = value if isinstance(value, list) else []
        pairs = [(item, _untouched(f_item(f), item) if isinstance(item, dict) else {}) for item in items]
        return tables_value(value, pairs)
    baseline = shown_value(f, value)
    return field_value(f, baseline, value, baseline)


def f_item(f: Field) -> Field:
    """The sub-form of one item of a list of tables: a table field with the same sub-fields."""
    return Field(
        key=f.key,
        label_nl=f.label_nl,
        help_nl=f.help_nl,
        widget="table",
        children=f.children,
        label_en=f.label_en,
        help_en=f.help_en,
    )


def collect(kind: Kind | None, base: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The card as a form says it is: form values over ``base``, the kind's key, schema order."""
    data = merge_form(base, values)
    data["kind"] = kind.name if kind else data.get("kind")
    if data["kind"] is None and "kind" not in base:
        data.pop("kind")
    order = list(kind.keys) if kind else list(data)
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
