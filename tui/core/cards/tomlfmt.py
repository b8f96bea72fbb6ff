"""The canonical text of a card: how Kaartenbak writes TOML so that ``git diff`` stays small.

Keys in schema order, plain values and string lists first, then tables and arrays of tables;
multi-line text as ``\"\"\"`` blocks (one source line per line), one list item per line, a final
newline. Control, bidi and zero-width characters are written as ``\\uXXXX`` escapes so that
neither a terminal showing ``git diff`` nor a reviewer can be fooled by them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any
from collections.abc import Iterable

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _needs_escape(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") or ch in "\u2028\u2029"


def _escape_char(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def key(name: str) -> str:
    """A TOML key: bare where possible, else quoted."""
    return name if _BARE_KEY.match(name) else basic_string(name)


def basic_string(value: str) -> str:
    """A one-line TOML basic string."""
    out = ['"']
    for ch in value:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif _needs_escape(ch):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def multiline_body(value: str) -> str:
    """The escaped body of a ``\"\"\"`` string (without the delimiters or the leading newline)."""
    out: list[str] = []
    quotes = 0
    for ch in value:
        if ch == '"':
            quotes += 1
            # every third quote in a row is escaped, so no run ever closes the string
            out.append('\\"' if quotes % 3 == 0 else '"')
            continue
        quotes = 0
        if ch == "\\":
            out.append("\\\\")
        elif ch in "\n\t":
            out.append(ch)
        elif ch == "\r":
            out.append("\\r")
        elif _needs_escape(ch):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    if value.endswith('"') and not out[-1].startswith("\\"):
        out[-1] = '\\"'  # a quote right before the closing delimiter would merge with it
    return "".join(out)


def multiline_string(value: str) -> str:
    """A ``\"\"\"`` string whose text starts on the next line."""
    return '"""\n' + multiline_body(value) + '"""'


def value(val: Any, *, multiline_text: bool = False) -> str:
    """The TOML text of a plain value (string, number, bool, list of plain values)."""
    if isinstance(val, bool):
        return "true" if val else "false"
    if isinstance(val, int):
        return str(val)
    if isinstance(val, float):
        if math.isnan(val):
            return "nan"  # TOML 1.0 has nan and inf; a card that holds them round-trips
        if math.isinf(val):
            return "inf" if val > 0 else "-inf"
        text = repr(val)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(val, str):
        if multiline_text and "\n" in val:
            return multiline_string(val)
        return basic_string(val)
    if isinstance(val, list):
        if not val:
            return "[]"
        items = [value(v) for v in val]
        if len(items) == 1 and len(items[0]) <= 60:
            return f"[{items[0]}]"
        return "[\n" + "".join(f"  {i},\n" for i in items) + "]"
    raise TypeError(f"cannot write {type(val).__name__} as a card value")


def is_table_value(val: Any) -> bool:
    """Whether a value is written as a table (dict) or array of tables (list of dicts)."""
    return isinstance(val, dict) or (isinstance(val, list) and bool(val) and all(isinstance(v, dict) for v in val))


def _lines_for_table(path: str, data: dict[str, Any], text_keys: set[str]) -> list[str]:
    lines: list[str] = []
    for k, v in data.items():
        if not is_table_value(v):
            lines.append(f"{key(k)} = {value(v, multiline_text=True)}")
    for k, v in data.items():
        if is_table_value(v):
            lines.extend(_table_block(f"{path}.{key(k)}" if path else key(k), v, text_keys))
    return lines


def _table_block(path: str, val: Any, text_keys: set[str]) -> list[str]:
    if isinstance(val, dict):
        return ["", f"[{path}]", *_lines_for_table(path, val, text_keys)]
    lines: list[str] = []
    for item in val:
        lines.extend(["", f"[[{path}]]", *_lines_for_table(path, item, text_keys)])
    return lines


def render(data: dict[str, Any], order: Iterable[str], header: str | None = None) -> str:
    """The canonical text of a whole card.

    ``order`` is the schema order of the top-level keys; keys not in it follow in their own
    order (the validator reports them). ``header`` is an optional first line such as
    ``#:schema ../../schema/json/project.schema.json``.
    """
    order = list(order)
    ranked = sorted(data, key=lambda k: order.index(k) if k in order else len(order))
    ordered = {k: data[k] for k in ranked}
    lines = [header] if header else []
    lines.extend(_lines_for_table("", ordered, set()))
    text = "\n".join(lines)
    return text.lstrip("\n") + "\n"
