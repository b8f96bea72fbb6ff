"""CSV export that Dutch Excel opens correctly with a double click.

- Separator ``;`` (Dutch Excel's list separator), UTF-8 with BOM (else Excel reads cp1252 and
  mangles "coördinatie"), rows ending in CRLF, numbers with a decimal comma.
- One row per card; columns are the envelope fields and the union of the selected kinds'
  fields in schema order, headed by their Dutch labels.
- Lists are joined with `` | `` on one line: Excel shows an in-cell line break only when "wrap
  text" is on and does not grow the row height, so a joined list is the readable choice in
  the default view. Multi-line text keeps its line breaks (LF inside a quoted cell, which Excel
  and LibreOffice read as an in-cell break), and tables become ``Label: value`` lines; decisions
  (``besluiten``) one a line, ``datum · vergadering: besluit (Actiehouder: …; Deadline: …)``.
- An FTE field gives its readable summary plus two numeric columns, low and high (equal for a
  single number), so summing them in Excel gives the same range as the FTE totals per theme.
- Formula injection: cells are trimmed, then a text cell starting with ``=``, ``+``, ``-``, ``@``,
  tab or CR gets a leading apostrophe, so Excel shows it as text and never evaluates it
  (trimming first means `` =1`` or a tab before ``=`` cannot slip past).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from tui.core.cards.card import Card
from tui.core.export.shared import Progress, clean, fte_text, is_fte, kind_title
from tui.core.cards.render_text import card_sections
from tui.core.cards.schema import Field, Kind, Schema
from tui.core.language import phrase

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "
DECISION_KEYS = ("datum", "vergadering", "besluit", "actiehouder", "deadline")


def neutralise(cell: str) -> str:
    """A text cell that cannot run as a spreadsheet formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def decimal(value: float) -> str:
    """A number as Dutch Excel reads it: ``9,5``, no thousands separator."""
    return f"{value:g}".replace(".", ",") if abs(value) < 1e15 else f"{value:.0f}"


def fte_range(fte: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """(low, high) of an FTE figure, counted the way ``FteTotal`` counts it; None when not a number."""
    if not isinstance(fte, Mapping):
        return None
    status, waarde = fte.get("status"), fte.get("waarde")
    if status in ("number", "estimate") and isinstance(waarde, (int, float)) and not isinstance(waarde, bool):
        return float(waarde), float(waarde)
    low, high = fte.get("min"), fte.get("max")
    if status == "range" and isinstance(low, (int, float)) and isinstance(high, (int, float)):
        return float(low), float(high)
    return None


def columns(cards: Sequence[Card], schema: Schema) -> list[Field]:
    """Envelope head fields, the selected kinds' own fields, then envelope tail fields, deduplicated by key."""
    kinds = [k for k in schema.kinds.values() if any(c.kind == k.name for c in cards)] or list(schema.kinds.values())
    envelope = set(schema.envelope.get("properties", {}))
    head: dict[str, Field] = {}
    middle: dict[str, Field] = {}
    tail: dict[str, Field] = {}
    for kind in kinds:
        seen_own = False
        for f in kind.fields:
            if f.key not in envelope:
                seen_own = True
                middle.setdefault(f.key, f)
            else:
                (tail if seen_own else head).setdefault(f.key, f)
    return list(head.values()) + list(middle.values()) + [f for k, f in tail.items() if k not in head]


def _header(fields: list[Field]) -> list[str]:
    """Dutch labels; two fields with one label get their key added so every header is distinct."""
    counts: dict[str, int] = {}
    for f in fields:
        counts[f.label] = counts.get(f.label, 0) + 1
    out: list[str] = []
    for f in fields:
        label = f.label if counts[f.label] == 1 else f"{f.label} ({f.key})"
        out.append(label)
        if is_fte(f):
            out += [f"{label} (fte laag)", f"{label} (fte hoog)"]
    return out


def _one_field_kind(f: Field) -> Kind:
    """A stand-in kind holding only ``f``, so ``card_sections`` labels its sub-fields in the display language."""
    return Kind(name="", title_nl="", description_nl="", regions=(), fields=(f,), json_schema={})


def decisions_text(f: Field, items: list[Any]) -> str:
    """Decisions (``besluiten``), one a line: ``2026-12-02 · Stuurgroep: text (Actiehouder: X; Deadline: Y)``."""

    def word(item: Mapping[str, Any], key: str) -> str:
        value = item.get(key)
        return " ".join(str(value).split()) if value not in (None, "") else ""

    lines = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        head = " · ".join(x for x in (word(item, "datum"), word(item, "vergadering")) if x)
        line = f"{head}: {word(item, 'besluit')}" if head else word(item, "besluit")
        extra = []
        for key in ("actiehouder", "deadline"):
            child = f.child(key)
            if word(item, key):
                extra.append(f"{child.label if child else key}: {word(item, key)}")
        extra += [f"{k}: {word(item, k)}" for k in item if k not in DECISION_KEYS and word(item, k)]
        lines.append(f"{line} ({'; '.join(extra)})" if extra else line)
    return "\n".join(lines)


def table_text(f: Field, value: Any) -> str:
    """A table as ``Label: value`` lines; rows of a list of tables as ``1. Label: value; ...``;
    decisions one a line (``decisions_text``)."""
    if f.key == "besluiten" and isinstance(value, list):
        return decisions_text(f, value)
    lines = []
    for s in card_sections({f.key: value}, _one_field_kind(f))[1:]:
        indent = "  " * max(s.depth - 1, 0)
        parts = [" ".join(ln.split()) for ln in s.lines if ln.strip()]
        if parts and all(p.startswith("• ") for p in parts):
            text = LIST_SEPARATOR.join(p[2:] for p in parts)
        elif s.key.rsplit(".", 1)[-1].isdigit():
            lines.append(f"{indent}{s.label} {'; '.join(parts)}".rstrip())
            continue
        else:
            text = " ".join(parts)
        lines.append(f"{indent}{s.label}: {text}" if text else f"{indent}{s.label}")
    return "\n".join(lines)


def cell_text(f: Field, value: Any, schema: Schema) -> str:
    """One field of one card as the text of its cell (before formula neutralising)."""
    if value is None:
        return ""
    if f.key == "kind":
        return kind_title(schema, str(value))
    if is_fte(f):
        return fte_text(value)
    if f.is_table and isinstance(value, (Mapping, list)):
        return table_text(f, value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(" ".join(str(v).split()) for v in value)
    if isinstance(value, bool):
        return phrase("render.yes" if value else "render.no", {})
    if isinstance(value, float):
        return decimal(value)
    return str(value)


def card_row(card: Card, fields: list[Field], schema: Schema) -> list[str]:
    """One card as CSV cells, in the order of ``fields``."""
    row: list[str] = []
    for f in fields:
        value = card.data.get(f.key)
        text = clean(cell_text(f, value, schema).replace("\r\n", "\n").replace("\r", "\n"))
        row.append(neutralise(text.strip()))
        if is_fte(f):
            rng = fte_range(value)
            row += [decimal(rng[0]), decimal(rng[1])] if rng else ["", ""]
    return row


def render_csv(cards: Sequence[Card], schema: Schema, progress: Progress | None = None) -> bytes:
    """The CSV file as bytes: BOM, ``;``-separated, CRLF rows, one row per card."""
    fields = columns(cards, schema)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", quotechar='"', lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(_header(fields))
    for i, card in enumerate(cards, 1):
        writer.writerow(card_row(card, fields, schema))
        if progress:
            progress(i, len(cards))
    return buf.getvalue().encode("utf-8-sig")
