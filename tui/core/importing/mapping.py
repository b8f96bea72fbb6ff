"""Which spreadsheet column fills which card field: proposed from the header row, or read from a map file.

A proposal matches each header against every field's key, Dutch label and English label, first
exactly (case, accents and punctuation ignored), then fuzzily (rapidfuzz); each field is used by
one column at most. The export's own derived columns (``... (fte laag)``/``(fte hoog)``) are skipped.
A map file is TOML the user can edit::

    kind = "project"          # optional
    [columns]
    "Kaart-id" = "id"
    "Naam project" = "title"
    "Opmerking" = ""          # not imported
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from rapidfuzz import fuzz

from tui.core.cards.atomic import write_atomic
from tui.core.cards.schema import Field, Kind, Schema
from tui.core.cards.text import fold
from tui.core.importing.sheet import ImportFailure

SKIP = ""
NOT_IMPORTED = frozenset({"conflict"})  # fields a spreadsheet never sets
FUZZY_CUTOFF = 86.0
_DERIVED = re.compile(r"\((fte laag|fte hoog|fte low|fte high)\)\s*$", re.IGNORECASE)


@dataclass
class ColumnMap:
    """Column header -> field key (``SKIP`` for a column that is not imported), plus the kind the file names."""

    columns: dict[str, str] = field(default_factory=dict)
    kind: str | None = None

    def field_of(self, header: str) -> str:
        return self.columns.get(header, SKIP)

    def mapped(self) -> dict[str, str]:
        """Field key -> header, for the columns that are imported."""
        return {k: h for h, k in self.columns.items() if k}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def candidate_fields(schema: Schema, kinds: Sequence[Kind]) -> dict[str, Field]:
    """The fields a column may fill: those of ``kinds`` (all kinds when empty), in schema order."""
    out: dict[str, Field] = {}
    for kind in kinds or list(schema.kinds.values()):
        for f in kind.fields:
            if f.key not in NOT_IMPORTED:
                out.setdefault(f.key, f)
    return out


def _names(f: Field) -> set[str]:
    names = {f.key, f.key.replace("_", " "), f.label_nl, f"{f.label_nl} ({f.key})"}
    if f.label_en:
        names |= {f.label_en, f"{f.label_en} ({f.key})"}
    if f.key == "kind":
        names |= {"soort", "kind", "type"}
    if f.key == "id":
        names |= {"id", "kaart id", "card id"}
    return {_norm(n) for n in names if _norm(n)}


def is_derived(header: str) -> bool:
    """Whether a column is one the export computes (FTE low/high): read-only, never imported."""
    return bool(_DERIVED.search(header))


def propose(header: Iterable[str], fields: dict[str, Field]) -> ColumnMap:
    """A mapping proposal for ``header`` over ``fields``."""
    heads = [h for h in header if h]
    names = {k: _names(f) for k, f in fields.items()}
    result: dict[str, str] = {h: SKIP for h in heads}
    used: set[str] = set()
    for h in heads:  # exact matches first, in column order
        if is_derived(h):
            continue
        n = _norm(h)
        for key, ns in names.items():
            if key not in used and n in ns:
                result[h] = key
                used.add(key)
                break
    scored: list[tuple[float, int, str, str]] = []
    for i, h in enumerate(heads):
        if result[h] or is_derived(h) or not _norm(h):
            continue
        for key, ns in names.items():
            if key in used:
                continue
            score = max(fuzz.token_sort_ratio(_norm(h), n) for n in ns)
            if score >= FUZZY_CUTOFF:
                scored.append((score, -i, h, key))
    for _score, _i, h, key in sorted(scored, reverse=True):
        if not result[h] and key not in used:
            result[h] = key
            used.add(key)
    return ColumnMap(result)


def load_map(path: Path, header: Sequence[str], fields: dict[str, Field]) -> ColumnMap:
    """A map file read and checked against the sheet's header and the fields; unlisted columns are skipped."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportFailure("map_missing", path=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFailure("map_unreadable", path=str(path), reason=str(exc)) from None
    cols = raw.get("columns", {})
    kind = raw.get("kind")
    if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
        raise ImportFailure("map_unreadable", path=str(path), reason='[columns] header = "field"')
    for h, key in cols.items():
        if key and key not in fields:
            raise ImportFailure("map_unknown_field", path=str(path), column=h, field=key)
    result = {h: cols.get(h, SKIP) for h in header if h}
    return ColumnMap(result, kind if isinstance(kind, str) and kind else None)


def map_text(mapping: ColumnMap, fields: dict[str, Field]) -> str:
    """The mapping as an editable TOML map file."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment('kaartenbak import: kolom -> veld. Een lege waarde ("") betekent: niet importeren.'))
    doc.add(tomlkit.comment("Velden: " + ", ".join(fields)))
    if mapping.kind:
        doc.add("kind", mapping.kind)
    table = tomlkit.table()
    for h, key in mapping.columns.items():
        table.add(h, key)
        f = fields.get(key)
        if f is not None:
            table[h].comment(f.label_nl)
    doc.add("columns", table)
    return tomlkit.dumps(doc)


def write_map(path: Path, mapping: ColumnMap, fields: dict[str, Field]) -> None:
    """Write the map file (atomically)."""
    write_atomic(path, map_text(mapping, fields).encode("utf-8"))
