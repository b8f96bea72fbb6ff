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

MAX_BYTES = 5 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
_REASONS = {
    "Cannot overwrite a value": "deze sleutel of tabel staat er twee keer in",
    "Cannot declare": "deze tabel staat er twee keer in",
    "Invalid value": "ongeldige waarde",
    "Unterminated string": "tekst zonder afsluitend aanhalingsteken",
    "Illegal character": "ongeldig teken",
    "Expected '=' after a key in a key/value pair": "'=' verwacht na de sleutel",
    "Expected newline or end of document after a statement": "onverwacht teken na de waarde",
    "Invalid initial character for a key part": "ongeldig begin van een sleutel",
    "Invalid statement": "ongeldige regel",
}


def _reason(message: str) -> str:
    base = _POS.sub("", message).replace("(at end of document)", "").strip()
    for english, dutch in _REASONS.items():
        if base.startswith(english):
            return f"{dutch} ({base})"
    return base


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def parse_bytes(path: Path, raw: bytes, mtime_ns: int = 0) -> Card | LoadError:
    """Parse a card file's bytes into a Card, or explain why it cannot be opened."""
    if len(raw) > MAX_BYTES:
        return LoadError(path, f"bestand is te groot ({len(raw) // 1024 // 1024} MB; hoogstens 5 MB)")
    bom = raw.startswith(BOM)
    body = raw[len(BOM) :] if bom else raw
    if not body.strip():
        return LoadError(path, "het bestand is leeg")
    marker = _CONFLICT.search(body)
    if marker is not None:
        line, col = _line_col(body, marker.start())
        return LoadError(
            path, "onopgeloste conflictmarkeringen van git (<<<<<<<) in deze kaart", line, col, conflict=True
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(body, exc.start)
        return LoadError(path, "geen geldige UTF-8-tekst (sla het bestand op als UTF-8)", line, col)
    if "\ufeff" in text:
        return LoadError(path, "onverwacht byte-order-teken (BOM) midden in het bestand")
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = _POS.search(str(exc))
        where = (int(pos.group(1)), int(pos.group(2))) if pos else (None, None)
        return LoadError(path, _reason(str(exc)), *where)
    except RecursionError:
        return LoadError(path, "te diep geneste tabellen of lijsten")
    crlf = b"\r\n" in body
    return Card.build(path, data, raw, bom=bom, crlf=crlf, mtime_ns=mtime_ns)


def load_file(path: Path) -> Card | LoadError:
    """Read and parse one card file."""
    try:
        st = path.stat()
        if st.st_size > MAX_BYTES:
            return LoadError(path, f"bestand is te groot ({st.st_size // 1024 // 1024} MB; hoogstens 5 MB)")
        raw = path.read_bytes()
    except OSError as exc:
        return LoadError(path, f"kan niet lezen: {exc.strerror or exc}")
    return parse_bytes(path, raw, st.st_mtime_ns)
