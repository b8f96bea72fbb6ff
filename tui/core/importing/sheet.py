"""Reading a spreadsheet into a header row and data rows: .xlsx (openpyxl) and CSV (``;`` or ``,``)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class ImportFailure(Exception):
    """The import cannot start or finish: a code (``core.import.<code>`` in tui/locale) and parameters."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(f"{code} {params}" if params else code)


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet's header and its non-empty data rows, each with its row number as the program shows it."""

    path: Path
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]

    def cell(self, cells: tuple[Any, ...], col: int) -> Any:
        return cells[col] if col < len(cells) else None


def column_letter(col: int) -> str:
    """``0`` -> ``A``, ``25`` -> ``Z``, ``26`` -> ``AA``: the column as the spreadsheet program names it."""
    letters = ""
    n = col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _build(path: Path, name: str, raw_rows: list[tuple[int, tuple[Any, ...]]]) -> Sheet:
    rows = [(n, cells) for n, cells in raw_rows if not all(_empty(c) for c in cells)]
    if not rows:
        raise ImportFailure("empty_sheet", path=str(path))
    _, head = rows[0]
    header = [("" if h is None else str(h)).strip() for h in head]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise ImportFailure("empty_sheet", path=str(path))
    return Sheet(path, name, tuple(header), tuple(rows[1:]))


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFailure("not_spreadsheet", path=str(path), reason=str(exc) or type(exc).__name__) from None
    except Exception as exc:  # openpyxl's InvalidFileException and friends
        raise ImportFailure("not_spreadsheet", path=str(path), reason=str(exc) or type(exc).__name__) from None
    try:
        ws: Any = wb.active if wb.active is not None else (wb.worksheets[0] if wb.worksheets else None)
        if not hasattr(ws, "iter_rows"):  # a chart sheet, or no sheet at all
            ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise ImportFailure("empty_sheet", path=str(path))
        rows = [(i, tuple(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
        return _build(path, ws.title, rows)
    finally:
        wb.close()


def _decode(data: bytes, path: Path) -> str:
    if b"\0" in data[:4096]:
        raise ImportFailure("not_spreadsheet", path=str(path), reason="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Dutch Excel saves "CSV" as Windows-1252


def _read_csv(path: Path, data: bytes) -> Sheet:
    text = _decode(data, path)
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = None
    delimiter = dialect.delimiter if dialect is not None else (";" if sample.count(";") >= sample.count(",") else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    try:
        rows = [(i, tuple(r)) for i, r in enumerate(reader, 1)]
    except csv.Error as exc:
        raise ImportFailure("not_spreadsheet", path=str(path), reason=str(exc)) from None
    return _build(path, path.stem, rows)


def read_sheet(path: Path) -> Sheet:
    """The active (last shown) sheet of an .xlsx file, or a CSV file; ImportFailure when missing or no spreadsheet."""
    if not path.exists():
        raise ImportFailure("missing_file", path=str(path))
    if path.is_dir():
        raise ImportFailure("not_spreadsheet", path=str(path), reason="folder")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure("unreadable", path=str(path), reason=str(exc.strerror or exc)) from None
    suffix = path.suffix.lower()
    if data.startswith(b"PK") or suffix in XLSX_SUFFIXES:
        if not data.startswith(b"PK"):
            raise ImportFailure("not_spreadsheet", path=str(path), reason="no xlsx")
        return _read_xlsx(path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, data)
    raise ImportFailure("not_spreadsheet", path=str(path), reason=suffix or "?")
