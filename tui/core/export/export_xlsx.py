"""Excel (.xlsx) export with the same columns as the CSV export, made to come back in by ``kaartenbak import``.

- One sheet ``Kaarten``, one row per card, the header row holds the labels of ``export_csv``
  (the first column is the card id, so an import matches each row to its card).
- Cells hold the same text as the CSV cells (``cell_value``), stored as text cells: a value
  starting with ``=`` is text, never a formula, so no apostrophe is needed.
- FTE low/high columns are numbers, so Excel can sum them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.schema import Field, Schema
from tui.core.export.export_csv import _header, cell_text, columns, fte_range
from tui.core.export.shared import Progress, clean, is_fte

SHEET_TITLE = "Kaarten"
MAX_WIDTH = 60


def cell_value(f: Field, value: Any, schema: Schema) -> str:
    """The text of one field's cell, as the xlsx (and, before neutralising, the CSV) export writes it."""
    return clean(cell_text(f, value, schema).replace("\r\n", "\n").replace("\r", "\n")).strip()


def render_xlsx(cards: Sequence[Card], schema: Schema, progress: Progress | None = None) -> bytes:
    """The workbook as bytes."""
    from openpyxl import Workbook  # imported on first use: keeps start-up fast
    from openpyxl.styles import Alignment, Font

    fields = columns(cards, schema)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    header = _header(fields)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for i, card in enumerate(cards, 1):
        row: list[Any] = []
        for f in fields:
            value = card.data.get(f.key)
            row.append(cell_value(f, value, schema))
            if is_fte(f):
                rng = fte_range(value)
                row += [rng[0], rng[1]] if rng else [None, None]
        ws.append([v if v != "" else None for v in row])
        for col, cell in enumerate(ws[ws.max_row]):
            if isinstance(row[col], str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
                if "\n" in row[col]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[col] = max(widths[col], min(MAX_WIDTH, max(len(p) for p in row[col].split("\n"))))
        if progress:
            progress(i, len(cards))
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = max(8, min(MAX_WIDTH, width + 2))
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
