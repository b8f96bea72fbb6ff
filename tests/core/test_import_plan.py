"""The import plan: per card new / changed fields / unchanged, problems by row and column, only changes written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import git
from tui.core.cards.card import Card
from tui.core.export.export import export_cards
from tui.core.importing.mapping import candidate_fields, propose
from tui.core.importing.plan import CHANGED, NEW, UNCHANGED, ImportPlan, apply_plan, choose_kinds, plan_import
from tui.core.importing.sheet import ImportFailure, read_sheet
from tui.core.workspace import Workspace


def _plan(ws: Workspace, path: Path, kind: str | None = None) -> ImportPlan:
    sheet = read_sheet(path)
    fields = candidate_fields(ws.schema, choose_kinds(ws.schema, kind) if kind else [])
    cards = ws.store.load_all().cards
    return plan_import(ws, sheet, propose(sheet.header, fields), kind, cards, ws.vocab)


def _cards(ws: Workspace) -> list[Card]:
    return ws.store.load_all().cards


def _export(ws: Workspace, path: Path) -> None:
    path.write_bytes(export_cards(_cards(ws), ws.schema, "xlsx", vocab=ws.vocab))


def _edit(path: Path, edits: dict[tuple[str, str], object]) -> None:
    """Set cells by (card id, header) and save, as Excel would."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (card_id, label), value in edits.items():
        ws.cell(rows[card_id], header.index(label) + 1).value = value
    wb.save(path)


def test_an_unedited_export_plans_no_change(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    _export(ws, tmp_path / "x.xlsx")
    plan = _plan(ws, tmp_path / "x.xlsx")
    assert plan.issues == []
    assert plan.count(UNCHANGED) == len(_cards(ws)) and not plan.to_write


def test_edited_cells_become_changed_fields_and_only_those_are_written(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    path = tmp_path / "x.xlsx"
    _export(ws, path)
    _edit(path, {("WBW/T1/1.1", "Titel"): "Welzijn op Recept (herzien)", ("NML/B01.1", "Ketenaanpak"): "ja"})
    plan = _plan(ws, path)
    changed = {c.card_id: c.changed for c in plan.cards if c.status == CHANGED}
    assert changed == {"WBW/T1/1.1": ("title",), "NML/B01.1": ("ketenaanpak",)}
    before = {p: p.read_bytes() for p in (repo / "cards").rglob("*.toml")}
    apply_plan(ws, plan)
    after = {p: p.read_bytes() for p in (repo / "cards").rglob("*.toml")}
    assert {p.name for p in before if before[p] != after[p]} == {"wbw-t1-1.1.toml", "nml-b01.1.toml"}
    numstat = sorted(line.split("\t") for line in git(repo, "diff", "--numstat").splitlines())
    assert numstat == [["1", "0", "cards/nml/nml-b01.1.toml"], ["1", "1", "cards/wbw/wbw-t1-1.1.toml"]]


def test_problems_carry_row_and_column(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    path = tmp_path / "x.xlsx"
    _export(ws, path)
    _edit(path, {("NML/B01.1", "Ketenaanpak"): "soms", ("WBW/T1/1.1", "Niveau"): "onzin"})
    plan = _plan(ws, path)
    where = {(i.code, i.header) for i in plan.errors}
    assert ("not_a_bool", "Ketenaanpak") in where
    assert ("enum", "Niveau") in where
    bool_issue = next(i for i in plan.errors if i.code == "not_a_bool")
    assert bool_issue.row is not None and bool_issue.row >= 2 and bool_issue.column.isalpha()
    assert plan.blocked() and plan.blocked(allow_warnings=True)
    with pytest.raises(ImportFailure):
        apply_plan(ws, plan, allow_warnings=True)


def _csv(path: Path, rows: list[list[str]], delimiter: str = ";") -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_new_cards_from_csv_get_proposed_ids_and_file_names(repo: Path, tmp_path: Path, delimiter: str) -> None:
    ws = Workspace.find(repo)
    path = tmp_path / "nieuw.csv"
    header = ["Regio", "Thema", "Titel", "Betrokken organisaties", "Probleemstelling"]
    theme = next(c.theme for c in _cards(ws) if c.id == "WBW/T1/1.1")
    _csv(
        path,
        [
            header,
            ["WBW", theme, "Samen sterk", "GGD;MEE", "Regel een\nregel twee"],
            ["WBW", theme, "Samen sterk", "", ""],
        ],
        delimiter,
    )
    plan = _plan(ws, path, "project")
    assert [c.status for c in plan.cards] == [NEW, NEW]
    assert [c.card_id for c in plan.cards] == ["WBW/samen-sterk", "WBW/samen-sterk-2"]
    assert [c.path.name for c in plan.cards] == ["wbw-samen-sterk.toml", "wbw-samen-sterk-2.toml"]
    first = plan.cards[0].data
    assert first["betrokken_organisaties"] == ["GGD", "MEE"] and first["probleemstelling"] == "Regel een\nregel twee"
    assert not plan.errors
    apply_plan(ws, plan, allow_warnings=True)
    assert {c.id for c in _cards(ws)} >= {"WBW/samen-sterk", "WBW/samen-sterk-2"}


def test_duplicate_ids_and_unmapped_required_fields_are_errors(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    path = tmp_path / "dubbel.csv"
    _csv(path, [["Kaart-id", "Titel", "Regio"], ["NML/X1", "Een", "NML"], ["NML/X1", "Twee", "NML"]])
    plan = _plan(ws, path, "initiative")
    codes = [(i.code, i.row) for i in plan.errors]
    assert ("duplicate_row", 3) in codes
    assert any(code == "required_unmapped" and row is None for code, row in codes)


def test_bad_inputs_are_failures_with_codes(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    (tmp_path / "leeg.csv").write_bytes(b"\xef\xbb\xbf\r\n;;\r\n")
    (tmp_path / "nep.xlsx").write_text("geen zip", encoding="utf-8")
    (tmp_path / "plaatje.png").write_bytes(b"\x89PNG\r\n")
    cases = {
        tmp_path / "weg.xlsx": "missing_file",
        tmp_path / "leeg.csv": "empty_sheet",
        tmp_path / "nep.xlsx": "not_spreadsheet",
        tmp_path / "plaatje.png": "not_spreadsheet",
    }
    for path, code in cases.items():
        with pytest.raises(ImportFailure) as info:
            read_sheet(path)
        assert info.value.code == code, path
    with pytest.raises(ImportFailure) as info:
        choose_kinds(ws.schema, "geen-soort")
    assert info.value.code == "unknown_kind"
    _csv(tmp_path / "zonder.csv", [["Titel"], ["Iets"]])
    with pytest.raises(ImportFailure) as info:
        _plan(ws, tmp_path / "zonder.csv")
    assert info.value.code == "kind_needed"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_golden_card_round_trips_unchanged_hostile_ones_included(
    golden_repo: Path, tmp_path: Path, fmt: str
) -> None:
    ws = Workspace.find(golden_repo)
    path = tmp_path / f"alles.{fmt}"
    path.write_bytes(export_cards(_cards(ws), ws.schema, fmt, vocab=ws.vocab))  # type: ignore[arg-type]
    plan = _plan(ws, path)
    assert [(c.card_id, c.changed) for c in plan.cards if c.status != UNCHANGED] == []
    assert plan.issues == []


def test_a_cell_that_looks_like_a_formula_stays_text(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    path = tmp_path / "x.xlsx"
    _export(ws, path)
    wb = openpyxl.load_workbook(path)
    sheet = wb.active
    assert sheet is not None
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "WBW/T1/1.1")
    cell = sheet.cell(row, [c.value for c in sheet[1]].index("Titel") + 1)
    cell.value = "=SUM(A1:A2) is geen formule"
    cell.data_type = "s"  # typed as text ('=...), as Excel stores it
    wb.save(path)
    plan = _plan(ws, path)
    changed = next(c for c in plan.cards if c.status == CHANGED)
    assert changed.data["title"] == "=SUM(A1:A2) is geen formule"
    exported = export_cards(_cards(ws), ws.schema, "xlsx", vocab=ws.vocab)
    (tmp_path / "y.xlsx").write_bytes(exported)
    first = openpyxl.load_workbook(tmp_path / "y.xlsx").active
    assert first is not None
    assert all(c.data_type != "f" for row in first.iter_rows() for c in row)


def test_an_english_export_comes_back_unchanged_in_dutch(golden_repo: Path, tmp_path: Path) -> None:
    from tui.core import language
    from tui.i18n import set_language

    ws = Workspace.find(golden_repo)
    set_language("en")
    try:
        assert language.current() == "en"
        data = export_cards(_cards(ws), ws.schema, "xlsx", vocab=ws.vocab)
    finally:
        set_language("nl")
    path = tmp_path / "english.xlsx"
    path.write_bytes(data)
    assert "Card id" in [c.value for c in next(iter(openpyxl.load_workbook(path).active.iter_rows(max_row=1)))]  # type: ignore[union-attr]
    plan = _plan(ws, path)
    assert [(c.card_id, c.changed) for c in plan.cards if c.status != UNCHANGED] == []
    assert plan.issues == []


def test_rows_without_an_id_find_their_card_by_number_and_region(repo: Path, tmp_path: Path) -> None:
    ws = Workspace.find(repo)
    card = next(c for c in _cards(ws) if c.id == "WBW/T1/1.1")
    path = tmp_path / "zonder-id.csv"
    _csv(path, [["Regio", "Nummer", "Titel"], [card.region, card.number, "Andere titel"]])
    plan = _plan(ws, path, "project")
    assert [(c.card_id, c.status, c.changed) for c in plan.cards] == [("WBW/T1/1.1", CHANGED, ("title",))]
