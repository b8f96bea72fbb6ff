"""What an import would do, card by card, and doing it.

``plan_import`` reads nothing but the sheet and the cards already loaded: per row it finds the
card (by id, else by number + region), converts only the cells whose text differs from what the
export writes for the card's current value, and validates the result. ``apply_plan`` writes the
cards through the card store (``writer``), so a field nobody changed stays byte-identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from tui.core.cards import writer
from tui.core.cards.card import Card
from tui.core.cards.forms import is_empty, template
from tui.core.cards.schema import Field, Kind, Schema
from tui.core.cards.slug import slugify, unique_name
from tui.core.cards.validate import Problem, validate_data
from tui.core.cards.vocab import Vocabulary
from tui.core.export.export_xlsx import cell_value
from tui.core.importing.convert import EMPTY, ERROR, WARNING, CellIssue, cell_text, convert, kind_name
from tui.core.importing.mapping import ColumnMap, candidate_fields
from tui.core.importing.sheet import ImportFailure, Sheet, column_letter
from tui.core.language import phrase
from tui.core.workspace import Workspace

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
ENVELOPE_PROPOSED = ("id", "kind")  # an import proposes these; they need no column


@dataclass(frozen=True)
class ImportIssue:
    """A problem found by the import: where (row, column letter, header) and what (a code, or a validation problem)."""

    level: str
    row: int | None
    column: str
    header: str
    code: str
    params: tuple[tuple[str, str], ...] = ()
    problem: Problem | None = None

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def message(self) -> str:
        """What is wrong, in the display language."""
        if self.problem is not None:
            return str(self.problem)
        return phrase(f"import.{self.code}", dict(self.params))


@dataclass
class CardPlan:
    """One row's outcome: a new card, a changed card (which fields) or an unchanged one."""

    row: int
    card_id: str
    kind: str
    status: str
    path: Path
    data: dict[str, Any]
    card: Card | None = None
    changed: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))


@dataclass
class ImportPlan:
    """Everything an import would do, and every problem it found."""

    sheet: Sheet
    mapping: ColumnMap
    cards: list[CardPlan] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if not i.is_error]

    def count(self, status: str) -> int:
        return sum(1 for c in self.cards if c.status == status)

    @property
    def to_write(self) -> list[CardPlan]:
        return [c for c in self.cards if c.status in (NEW, CHANGED)]

    def blocked(self, allow_warnings: bool = False) -> bool:
        """Whether writing must wait: any error, or a warning the user has not accepted."""
        return bool(self.errors) or (bool(self.warnings) and not allow_warnings)


def _issue(level: str, row: int | None, col: int | None, sheet: Sheet, code: str, **params: object) -> ImportIssue:
    letter = column_letter(col) if col is not None else ""
    header = sheet.header[col] if col is not None and col < len(sheet.header) else ""
    return ImportIssue(level, row, letter, header, code, tuple((k, str(v)) for k, v in params.items()))


def choose_kinds(schema: Schema, kind: str | None) -> list[Kind]:
    """The kinds an import may make: the one asked for, or all. ImportFailure for an unknown kind."""
    if kind is None:
        return list(schema.kinds.values())
    name = kind_name(schema, kind)
    found = schema.kind(name) if name else None
    if found is None:
        raise ImportFailure("unknown_kind", kind=kind, choices=", ".join(schema.kinds))
    return [found]


def propose_id(region: str, title: str, taken: set[str]) -> str:
    """``REGION/slug-of-title``, unique among ``taken`` (casefolded ids), as the new-card dialog proposes."""
    slug = slugify(title) or "nieuw"
    base = f"{region}/{slug}" if region else slug  # no region: its own error, not a bad id too
    candidate, n = base, 2
    while candidate.casefold() in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


class _Paths:
    """File names for new cards: as ``CardStore.path_for_new``, and unique within one import too."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.taken: dict[Path, set[str]] = {}

    def new(self, card_id: str, region: str) -> Path:
        folder = self.ws.store.cards_dir / slugify(region or "overig")
        if folder not in self.taken:
            self.taken[folder] = {p.stem for p in folder.glob("*.toml")} if folder.is_dir() else set()
        name = unique_name(slugify(card_id), self.taken[folder])
        self.taken[folder].add(name)
        return folder / f"{name}.toml"


@lru_cache(maxsize=256)
def _labelled(f: Field, lang: str) -> Field:
    """``f`` (and its sub-fields) labelled in ``lang`` whatever the display language."""
    label = (f.label_en or f.label_nl) if lang == "en" else f.label_nl
    children = tuple(_labelled(c, lang) for c in f.children)
    return replace(f, label_nl=label, label_en=label, children=children)


def untouched(f: Field, raw: Any, current: Any, schema: Schema) -> bool:
    """Whether a cell says what the export wrote for ``current`` (in either language, for tables)."""
    text = cell_text(raw)
    if text == cell_value(f, current, schema):
        return True
    if f.is_table and current is not None:
        return any(text == cell_value(_labelled(f, lang), current, schema) for lang in ("nl", "en"))
    return False


def _problem_key(p: Problem) -> tuple[Any, ...]:
    return (p.level, p.path, p.code, p.params)


def _default_region(region: str | None, vocab: Vocabulary | None) -> str | None:
    """The region asked for (checked against the schema's regions), else the only one there is."""
    codes = list(vocab.regions) if vocab is not None else []
    if region:
        found = next((c for c in codes if c.casefold() == region.casefold()), None)
        if codes and found is None:
            raise ImportFailure("region_unknown", region=region, choices=", ".join(codes))
        return found or region
    return codes[0] if len(codes) == 1 else None


def plan_import(
    ws: Workspace,
    sheet: Sheet,
    mapping: ColumnMap,
    kind: str | None,
    cards: Sequence[Card],
    vocab: Vocabulary | None = None,
    region: str | None = None,
) -> ImportPlan:
    """What importing ``sheet`` with ``mapping`` into the loaded ``cards`` would do.

    ``region`` is the region of rows without a Regio cell; a repository with one region needs
    none (a new region's plan rarely says its own name on every row).
    """
    schema = ws.schema
    region = _default_region(region, vocab)
    kind = kind or mapping.kind
    kinds = choose_kinds(schema, kind)
    fields = candidate_fields(schema, kinds)
    plan = ImportPlan(sheet, mapping)
    col_of: dict[str, int] = {}
    for col, h in enumerate(sheet.header):
        key = mapping.field_of(h) if h else ""
        if key and key not in col_of:
            col_of[key] = col
    if "kind" not in col_of and kind is None:
        raise ImportFailure("kind_needed", choices=", ".join(schema.kinds))
    if not any(k in col_of for k in ("id", "title", "number")):
        raise ImportFailure("nothing_to_match")
    by_id = {c.id.casefold(): c for c in cards if c.id}
    by_number = {(c.number.casefold(), c.region.casefold(), c.kind): c for c in cards if c.number}
    taken = set(by_id)
    paths = _Paths(ws)
    seen_rows: dict[str, int] = {}
    unmapped_reported: set[tuple[str, str]] = set()
    for row, cells in sheet.rows:
        _plan_row(
            ws, plan, row, cells, col_of, fields, kinds, kind, by_id, by_number, taken, paths, seen_rows, vocab,
            unmapped_reported, region,
        )  # fmt: skip
    return plan


def _plan_row(
    ws: Workspace,
    plan: ImportPlan,
    row: int,
    cells: tuple[Any, ...],
    col_of: dict[str, int],
    fields: dict[str, Field],
    kinds: list[Kind],
    kind_opt: str | None,
    by_id: dict[str, Card],
    by_number: dict[tuple[str, str, str], Card],
    taken: set[str],
    paths: _Paths,
    seen_rows: dict[str, int],
    vocab: Vocabulary | None,
    unmapped_reported: set[tuple[str, str]],
    region: str | None,
) -> None:
    schema, sheet = ws.schema, plan.sheet

    def raw(key: str) -> Any:
        col = col_of.get(key)
        return sheet.cell(cells, col) if col is not None else None

    # which kind this row is
    kind_col = col_of.get("kind")
    kind_text = cell_text(raw("kind"))
    if kind_text:
        name = kind_name(schema, kind_text)
        if name is None:
            plan.issues.append(
                _issue(ERROR, row, kind_col, sheet, "kind_unknown", value=kind_text, choices=", ".join(schema.kinds))
            )
            return
        if kind_opt is not None and name != kinds[0].name:
            plan.issues.append(_issue(ERROR, row, kind_col, sheet, "kind_mismatch", value=name, kind=kinds[0].name))
            return
    elif len(kinds) == 1:
        name = kinds[0].name
    else:
        plan.issues.append(_issue(ERROR, row, kind_col, sheet, "kind_empty", choices=", ".join(schema.kinds)))
        return
    kind = schema.kind(name)
    assert kind is not None
    # which card it is
    row_id = cell_text(raw("id"))
    region_text = cell_text(raw("region")) or (region or "")
    number_text = cell_text(raw("number"))
    card: Card | None = None
    if row_id:
        card = by_id.get(row_id.casefold())
    elif number_text and region_text:
        card = by_number.get((number_text.casefold(), region_text.casefold(), kind.name))
    if card is not None and card.kind != kind.name:
        plan.issues.append(_issue(ERROR, row, kind_col, sheet, "kind_changed", id=card.id, kind=card.kind))
        return
    # convert the cells
    base: dict[str, Any] = card.to_dict() if card is not None else {}
    values: dict[str, Any] = {}
    cell_issues: list[tuple[int, CellIssue]] = []
    for key, col in col_of.items():
        f = kind.field(key)
        value_raw = sheet.cell(cells, col)
        if f is None:
            if cell_text(value_raw):
                plan.issues.append(_issue(WARNING, row, col, sheet, "field_not_in_kind", field=key, kind=kind.name))
            continue
        if key == "kind":
            continue
        if card is not None and untouched(f, value_raw, base.get(key), schema):
            continue  # the cell says what the export wrote: untouched
        value, found = convert(f, value_raw, schema)
        cell_issues.extend((col, i) for i in found)
        if card is not None and f.is_table and value is EMPTY and found:
            continue  # a table cell was edited: reported, the card keeps its table
        values[key] = value
    for col, ci in cell_issues:
        plan.issues.append(
            ImportIssue(ci.level, row, column_letter(col), sheet.header[col], ci.code, ci.params)
        )  # fmt: skip
    # build the new data
    if card is None:
        envelope: dict[str, Any] = {"kind": kind.name}
        for key in ("region", "title", "theme"):
            if values.get(key, EMPTY) is not EMPTY:
                envelope[key] = values[key]
        if region and envelope.get("region", EMPTY) in (EMPTY, "", None):
            envelope["region"] = region
        data = template(kind, envelope)
        for key, value in values.items():
            if value is not EMPTY:
                data[key] = value
        card_id = row_id or propose_id(str(data.get("region", "")), str(data.get("title", "")), taken)
        data["id"] = card_id
        data = {k: data[k] for k in [*kind.keys, *data] if k in data}  # schema order
        for f in kind.fields:
            unmapped = f.required and f.key not in col_of and f.key not in ENVELOPE_PROPOSED
            unmapped = unmapped and not (f.key == "region" and region)
            if unmapped and is_empty(data.get(f.key)) and (kind.name, f.key) not in unmapped_reported:
                unmapped_reported.add((kind.name, f.key))
                if f.key == "region":
                    codes = ", ".join(vocab.regions) if vocab is not None else ""
                    plan.issues.append(_issue(ERROR, None, None, sheet, "region_needed", choices=codes))
                else:
                    plan.issues.append(
                        _issue(ERROR, None, None, sheet, "required_unmapped", field=f.key, label=f.label)
                    )  # fmt: skip
    else:
        data = dict(base)
        for key, value in values.items():
            f = kind.field(key)
            if value is EMPTY:
                if key in data and f is not None and f.widget in ("line", "text", "list") and not f.required:
                    data[key] = [] if f.widget == "list" else ""
                elif key in data:
                    del data[key]
            else:
                data[key] = value
        card_id = card.id
    # one row per card
    folded = card_id.casefold()
    if folded in seen_rows:
        id_col = col_of.get("id")
        plan.issues.append(_issue(ERROR, row, id_col, sheet, "duplicate_row", id=card_id, first=seen_rows[folded]))
        return
    seen_rows[folded] = row
    taken.add(folded)
    # validate: for a changed card only the problems the import brings
    problems = validate_data(data, schema, vocab)
    if card is not None:
        before = {_problem_key(p) for p in validate_data(base, schema, vocab)}
        problems = [p for p in problems if _problem_key(p) not in before]
    said = {sheet.header[col] for col, ci in cell_issues if ci.level == ERROR}
    for p in problems:
        if p.is_error and p.field in col_of and sheet.header[col_of[p.field]] in said:
            continue  # the cell's own conversion error says it already
        unmapped = p.field not in col_of and p.field not in ENVELOPE_PROPOSED
        if card is None and unmapped and p.code in ("required", "min_length"):
            continue  # said once for the whole sheet (required_unmapped)
        pcol = col_of.get(p.field)
        letter = column_letter(pcol) if pcol is not None else ""
        header = sheet.header[pcol] if pcol is not None else p.label
        plan.issues.append(ImportIssue(p.level, row, letter, header, "validate", problem=p))
    if card is None:
        path = paths.new(card_id, str(data.get("region", "")))
        plan.cards.append(CardPlan(row, card_id, kind.name, NEW, path, data))
        return
    changed = tuple(k for k in kind.keys if not writer.same(base.get(k, EMPTY), data.get(k, EMPTY)))
    status = CHANGED if changed else UNCHANGED
    plan.cards.append(CardPlan(row, card_id, kind.name, status, card.path, data, card, changed))


def apply_plan(ws: Workspace, plan: ImportPlan, *, allow_warnings: bool = False) -> list[Path]:
    """Write the new and changed cards; ImportFailure (``blocked``) when the plan is not clean."""
    if plan.blocked(allow_warnings):
        raise ImportFailure("blocked", errors=len(plan.errors), warnings=len(plan.warnings))
    written: list[Path] = []
    for cp in plan.to_write:
        if cp.card is None:
            ws.store.create(cp.data, cp.path)
        else:
            ws.store.save(cp.card, cp.data)
        written.append(cp.path)
    return written


def commit_message(plan: ImportPlan) -> str:
    """A proposed commit message for what the import wrote (Dutch, as the other proposals)."""
    new, changed = plan.count(NEW), plan.count(CHANGED)
    parts = []
    if new:
        parts.append(f"{new} {'nieuwe kaart' if new == 1 else 'nieuwe kaarten'}")
    if changed:
        parts.append(f"{changed} {'kaart' if changed == 1 else 'kaarten'} bijgewerkt")
    head = f"Import uit {plan.sheet.path.name}: " + (", ".join(parts) or "geen wijzigingen")
    lines = [head, ""]
    for cp in plan.to_write:
        what = "nieuw" if cp.status == NEW else ", ".join(cp.changed)
        lines.append(f"- {cp.card_id}: {what}")
    return "\n".join(lines).rstrip() + "\n"
