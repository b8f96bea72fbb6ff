"""Reading card files with stdlib ``tomllib``: fast, strict, and every failure explained.

Policy: a UTF-8 byte-order mark is accepted and kept on save; CRLF line endings are accepted
and kept on save; line breaks inside values always read as ``\\n``. Files that do not parse are
reported with line and column and never rewritten.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card, LoadError
from tui.core.language import phrase

MAX_BYTES = 5 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
_REASONS = {  # tomllib's message -> code (``core.load.toml_<code>``: an explanation, then tomllib's words)
    "Cannot overwrite a value": "duplicate_key",
    "Cannot declare": "duplicate_table",
    "Invalid value": "invalid_value",
    "Unterminated string": "unterminated_string",
    "Illegal character": "illegal_character",
    "Expected '=' after a key in a key/value pair": "expected_equals",
    "Expected newline or end of document after a statement": "after_value",
    "Invalid initial character for a key part": "key_start",
    "Invalid statement": "invalid_statement",
}


def _error(
    path: Path, code: str, line: int | None = None, column: int | None = None, conflict: bool = False, **params: object
) -> LoadError:
    """A LoadError with its reason ``core.load.<code>`` phrased in the display language."""
    reason = phrase(f"load.{code}", params)
    return LoadError(path, reason, line, column, conflict, f"load.{code}", tuple(params.items()))


def _reason(message: str) -> tuple[str, str]:
    """(code, tomllib's own words) for a TOML syntax error."""
    base = _POS.sub("", message).replace("(at end of document)", "").strip()
    for english, code in _REASONS.items():
        if base.startswith(english):
            return f"toml_{code}", base
    return "toml_other", base


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def parse_bytes(path: Path, raw: bytes, mtime_ns: int = 0) -> Card | LoadError:
    """Parse a card file's bytes into a Card, or explain why it cannot be opened."""
    if len(raw) > MAX_BYTES:
        return _error(path, "too_big", size=len(raw) // 1024 // 1024, max=MAX_BYTES // 1024 // 1024)
    bom = raw.startswith(BOM)
    body = raw[len(BOM) :] if bom else raw
    if not body.strip():
        return _error(path, "empty")
    marker = _CONFLICT.search(body)
    if marker is not None:
        line, col = _line_col(body, marker.start())
        return _error(path, "conflict_markers", line, col, conflict=True)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(body, exc.start)
        return _error(path, "not_utf8", line, col)
    if "\ufeff" in text:
        return _error(path, "inner_bom")
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = _POS.search(str(exc))
        where = (int(pos.group(1)), int(pos.group(2))) if pos else (None, None)
        code, detail = _reason(str(exc))
        return _error(path, code, *where, detail=detail)
    except RecursionError:
        return _error(path, "too_deep")
    crlf = b"\r\n" in body
    return Card.build(path, data, raw, bom=bom, crlf=crlf, mtime_ns=mtime_ns)


def load_file(path: Path) -> Card | LoadError:
    """Read and parse one card file."""
    try:
        st = path.stat()
        if st.st_size > MAX_BYTES:
            return _error(path, "too_big", size=st.st_size // 1024 // 1024, max=MAX_BYTES // 1024 // 1024)
        raw = path.read_bytes()
    except OSError as exc:
        return _error(path, "unreadable", error=exc.strerror or str(exc))
    return parse_bytes(path, raw, st.st_mtime_ns)
