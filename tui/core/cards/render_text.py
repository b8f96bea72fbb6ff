"""A card as readable sections (label + lines), shared by ``kaartenbak show`` and the card view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Mapping

from tui.core.cards.fte import fte_summary
from tui.core.cards.schema import Field, Kind
from tui.core.language import phrase

DECISIONS = "besluiten"  # decisions per card (tui.core.meetings.decisions): shown per meeting, not as a table


@dataclass(frozen=True)
class Section:
    """One field ready to read: its label, its text lines, and whether it is empty."""

    key: str
    label: str
    lines: tuple[str, ...]
    depth: int = 0

    @property
    def empty(self) -> bool:
        return not any(line.strip() for line in self.lines)


def _scalar(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool):
        return [phrase("render.yes" if value else "render.no", {})]
    if isinstance(value, float):
        return [f"{value:g}"]
    return str(value).split("\n")


def _field_sections(f: Field | None, key: str, value: Any, depth: int) -> list[Section]:
    label = f.label if f else key
    if (
        f is not None
        and f.widget == "table"
        and set(c.key for c in f.children) >= {"tekst", "status"}
        and isinstance(value, Mapping)
    ):
        summary = fte_summary(value)
        text = str(value.get("tekst", ""))
        lines = [summary] if summary else []
        if text and text != summary:
            lines.append(phrase("render.literal", {"text": text}))
        return [Section(key, label, tuple(lines), depth)]
    if isinstance(value, Mapping):
        out = [Section(key, label, (), depth)]
        children = {c.key: c for c in (f.children if f else ())}
        keys = [c for c in children if c in value] + [k for k in value if k not in children]
        for k in keys:
            out.extend(_field_sections(children.get(k), k, value[k], depth + 1))
        if len(out) == 1:
            return [Section(key, label, (), depth)]
        return out
    if isinstance(value, list) and key == DECISIONS and value and all(isinstance(v, Mapping) for v in value):
        return [Section(key, label, (), depth), *_decision_sections(f, key, value, depth + 1)]
    if isinstance(value, list):
        if value and all(isinstance(v, Mapping) for v in value):
            out = [Section(key, label, (), depth)]
            children = {c.key: c for c in (f.children if f else ())}
            for i, item in enumerate(value, 1):
                parts = []
                for k in [c for c in children if c in item] + [k for k in item if k not in children]:
                    lab = children[k].label if k in children else k
                    parts.append(f"{lab}: {' '.join(_scalar(item[k]))}")
                out.append(Section(f"{key}.{i}", f"{i}.", tuple(parts), depth + 1))
            return out
        return [Section(key, label, tuple(f"• {v}" for v in value), depth)]
    return [Section(key, label, tuple(_scalar(value)), depth)]


def _decision_sections(f: Field | None, key: str, items: list[Any], depth: int) -> list[Section]:
    """Each decision as "datum · vergadering", then its text and, when given, action holder and deadline."""
    children = {c.key: c for c in (f.children if f else ())}

    def lab(k: str) -> str:
        return children[k].label if k in children else k

    out = []
    for i, item in enumerate(items, 1):
        head = " · ".join(" ".join(_scalar(item[k])) for k in ("datum", "vergadering") if item.get(k) is not None)
        lines = list(_scalar(item.get("besluit")))
        for k in ("actiehouder", "deadline"):
            if item.get(k) not in (None, ""):
                lines.append(f"{lab(k)}: {' '.join(_scalar(item[k]))}")
        known = {"datum", "vergadering", "besluit", "actiehouder", "deadline"}
        lines.extend(f"{k}: {' '.join(_scalar(v))}" for k, v in item.items() if k not in known)
        out.append(Section(f"{key}.{i}", head or f"{i}.", tuple(lines), depth))
    return out


def decision_summary(item: Mapping[str, Any]) -> str:
    """One decision on one line: ``2026-12-02 · Stuurgroep: text (actiehouder: X; deadline: Y)``."""

    def text(key: str) -> str:
        value = item.get(key)
        return " ".join(str(value).split()) if value not in (None, "") else ""

    head = " · ".join(x for x in (text("datum"), text("vergadering")) if x)
    out = f"{head}: {text('besluit')}" if head else text("besluit")
    extra = [phrase(f"decisions.render_{k}", {"value": text(k)}) for k in ("actiehouder", "deadline") if text(k)]
    return f"{out} ({'; '.join(extra)})" if extra else out


def plain_value(value: Any, *, inline: bool = False) -> str:
    """Any field value as plain text: ``ja``/``nee``, numbers without trailing zeros, tables as
    ``key: value`` and lists as bullets (one per line), or all on one line when ``inline``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return phrase("render.yes" if value else "render.no", {})
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Mapping):
        parts = [f"{k}: {plain_value(v, inline=inline)}" for k, v in value.items()]
        return "; ".join(parts) if inline else "\n".join(parts)
    if isinstance(value, list):
        items = [plain_value(v, inline=inline) for v in value]
        return ", ".join(items) if inline else "\n".join(f"• {i}" for i in items)
    return str(value)


def card_sections(data: Mapping[str, Any], kind: Kind | None, *, show_empty: bool = False) -> list[Section]:
    """Every field of a card in schema order, with labels in the display language; empty fields only on request."""
    fields = list(kind.fields) if kind else []
    keys = [f.key for f in fields]
    out: list[Section] = []
    for f in fields:
        if f.key in data:
            out.extend(_field_sections(f, f.key, data[f.key], 0))
        elif show_empty:
            out.append(Section(f.key, f.label, (), 0))
    for k in data:
        if k not in keys:
            out.extend(_field_sections(None, k, data[k], 0))
    return [
        s
        for s in out
        if show_empty or not s.empty or any(o.depth > s.depth for o in out[out.index(s) + 1 : out.index(s) + 2])
    ]


def card_text(data: Mapping[str, Any], kind: Kind | None, *, show_empty: bool = False) -> str:
    """Plain text of a whole card for the terminal."""
    lines = [str(data.get("title", "")), "=" * min(len(str(data.get("title", ""))), 80)]
    for s in card_sections(data, kind, show_empty=show_empty):
        indent = "  " * s.depth
        if s.key in ("title",):
            continue
        if not s.lines:
            lines.append(f"{indent}{s.label}:")
        elif len(s.lines) == 1 and len(s.lines[0]) < 60:
            lines.append(f"{indent}{s.label}: {s.lines[0]}")
        else:
            lines.append(f"{indent}{s.label}:")
            lines.extend(f"{indent}  {line}" for line in s.lines)
    return "\n".join(lines)
