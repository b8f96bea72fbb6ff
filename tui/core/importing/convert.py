"""Spreadsheet cells to card values, by the field's type in the schema.

- text and line fields: the cell text (line breaks kept for text fields, CRLF made LF);
- lists: split on line breaks, ``;`` or the export's `` | ``;
- numbers: Excel's own numbers, or text in Dutch notation (``1.234,5``, ``9,5``) or with a point;
- booleans: ja/nee, yes/no, waar/onwaar, true/false, 1/0, x;
- enums: the choice itself, its case and accents ignored;
- FTE figures: ``{tekst, status, waarde | min, max}`` with the cell text kept verbatim in ``tekst``.

Each conversion answers the value and the problems found (codes for ``core.import.<code>``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from tui.core.cards.schema import Field, Schema
from tui.core.cards.text import fold
from tui.core.export.export_csv import FORMULA_START, LIST_SEPARATOR
from tui.core.export.shared import is_fte

ERROR = "error"
WARNING = "warning"
TRUE_WORDS = {"ja", "j", "yes", "y", "waar", "true", "1", "x", "wel", "aan"}
FALSE_WORDS = {"nee", "n", "no", "onwaar", "false", "0", "niet", "uit", "geen"}
_NUMBER_DUTCH = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$")
_NUMBER_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_RANGE = re.compile(r"^\s*([+-]?[\d.,]+)\s*(?:-|–|—|tot|to|t/m)\s*([+-]?[\d.,]+)\s*(?:fte)?\s*$", re.IGNORECASE)
_ESTIMATE = re.compile(r"^\s*(?:~|±|\+/-|ca\.?|circa|ongeveer|about)\s*([+-]?[\d.,]+)\s*(?:fte)?\s*$", re.IGNORECASE)
_SINGLE = re.compile(r"^\s*([+-]?[\d.,]+)\s*(?:fte)?\s*$", re.IGNORECASE)
_LITERAL = re.compile(r"\((?:letterlijk|literally): (.*)\)\s*$", re.DOTALL)
_LIST_SPLIT = re.compile(r"\r\n|\r|\n|;|" + re.escape(LIST_SEPARATOR))


class _Missing:
    def __repr__(self) -> str:
        return "EMPTY"


EMPTY: Any = _Missing()  # the cell is empty: the field gets no value


@dataclass(frozen=True)
class CellIssue:
    """A problem with one cell's value."""

    level: str
    code: str
    params: tuple[tuple[str, str], ...] = ()


def issue(level: str, code: str, **params: object) -> CellIssue:
    return CellIssue(level, code, tuple((k, str(v)) for k, v in params.items()))


def cell_text(raw: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, line breaks as LF, one formula-guard apostrophe removed."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "ja" if raw else "nee"
    if isinstance(raw, float):
        return f"{raw:.15g}"
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_START):
        text = text[1:]  # the CSV export's guard against formulas
    return text


def parse_number(text: str) -> int | float | None:
    """``1.234,5`` -> 1234.5, ``9,5`` -> 9.5, ``12`` -> 12, ``1.5`` -> 1.5; None when it is no number."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if _NUMBER_DUTCH.match(s):
        s = s.replace(".", "").replace(",", ".")
    elif "," in s and "." not in s and s.count(",") == 1:
        s = s.replace(",", ".")
    elif not _NUMBER_PLAIN.match(s):
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() and "." not in s and "e" not in s.lower() else value


def _number(raw: Any) -> int | float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else raw
    return parse_number(cell_text(raw))


def parse_bool(text: str) -> bool | None:
    word = fold(text).strip(".")
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_fte(text: str) -> tuple[dict[str, Any], list[CellIssue]]:
    """An FTE figure from its words: the text kept verbatim in ``tekst``, the parsed value beside it."""
    literal = _LITERAL.search(text)
    tekst = literal.group(1).strip() if literal else text.strip()
    folded = fold(tekst)
    m = _RANGE.match(tekst)
    if m:
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is not None and high is not None:
            if low > high:
                return {"tekst": tekst, "status": "range", "min": high, "max": low}, []
            return {"tekst": tekst, "status": "range", "min": low, "max": high}, []
    m = _ESTIMATE.match(tekst)
    if m and parse_number(m.group(1)) is not None:
        return {"tekst": tekst, "status": "estimate", "waarde": parse_number(m.group(1))}, []
    m = _SINGLE.match(tekst)
    if m and parse_number(m.group(1)) is not None:
        return {"tekst": tekst, "status": "number", "waarde": parse_number(m.group(1))}, []
    if folded.startswith("niet mogelijk") or folded.startswith("not possible"):
        return {"tekst": tekst, "status": "niet_mogelijk"}, []
    if re.sub(r"[^a-z]", "", folded) in ("ntb", "nogtebepalen", "tbd", "tobedetermined"):
        return {"tekst": tekst, "status": "ntb"}, []
    if folded in ("geen waarde in het document", "no value in the document", "ontbreekt", "missing"):
        return {"tekst": "", "status": "ontbreekt"}, []
    return {"tekst": tekst, "status": "ontbreekt"}, [issue(WARNING, "fte_unparsed", value=tekst)]


def _enum(f: Field, text: str, schema: Schema) -> tuple[Any, list[CellIssue]]:
    if f.key == "kind":
        name = kind_name(schema, text)
        if name is None:
            return EMPTY, [issue(ERROR, "kind_unknown", value=text, choices=", ".join(schema.kinds))]
        return name, []
    if not f.choices or text in f.choices:
        return text, []
    for choice in f.choices:
        if fold(choice) == fold(text) or fold(choice).replace("_", " ") == fold(text):
            return choice, []
    return text, [issue(ERROR, "enum", value=text, choices=", ".join(f.choices))]


def kind_name(schema: Schema, text: str) -> str | None:
    """The kind a cell names: its name (``project``) or title (``Project of programma (WBW)``), accents ignored."""
    want = fold(text)
    for kind in schema.kinds.values():
        titles = {kind.name, kind.title_nl, kind.title_en, re.sub(r"\s*\(.*?\)\s*$", "", kind.title_nl)}
        if kind.title_en:
            titles.add(re.sub(r"\s*\(.*?\)\s*$", "", kind.title_en))
        if want in {fold(t) for t in titles if t}:
            return kind.name
    return None


def convert(f: Field, raw: Any, schema: Schema) -> tuple[Any, list[CellIssue]]:
    """A cell's value for field ``f`` (``EMPTY`` for an empty cell) and the problems with it."""
    text = cell_text(raw)
    if not text:
        return EMPTY, []
    widget = f.widget
    if is_fte(f):
        return parse_fte(text)
    if widget in ("table", "tables"):
        return EMPTY, [issue(WARNING, "table_not_imported")]
    if widget == "list":
        return [p.strip() for p in _LIST_SPLIT.split(text) if p.strip()], []
    if widget == "number":
        number = _number(raw)
        if number is None:
            return EMPTY, [issue(ERROR, "not_a_number", value=text)]
        return number, []
    if widget == "bool":
        if isinstance(raw, bool):
            return raw, []
        flag = parse_bool(text)
        if flag is None:
            return EMPTY, [issue(ERROR, "not_a_bool", value=text)]
        return flag, []
    if widget == "enum":
        return _enum(f, text, schema)
    if widget == "line":
        return " ".join(text.split("\n")).strip() if "\n" in text else text, []
    return text, []
