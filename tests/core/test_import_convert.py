"""Cells to card values by the schema's types: Dutch numbers, lists, booleans, enums, FTE text kept verbatim."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import SCHEMA
from tui.core.cards.schema import Schema
from tui.core.importing.convert import EMPTY, cell_text, convert, kind_name, parse_bool, parse_fte, parse_number


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema(SCHEMA)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", 1234.5),
        ("1.234", 1234),
        ("9,5", 9.5),
        ("12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        ("1.234.567", 1234567),
        (" 7 ", 7),
        ("", None),
        ("zeven", None),
        ("1,2,3", None),
        ("nan", None),
    ],
)
def test_dutch_numbers(text: str, value: float | None) -> None:
    got = parse_number(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", {"tekst": "7", "status": "number", "waarde": 7}),
        ("1.234,5 fte", {"tekst": "1.234,5 fte", "status": "number", "waarde": 1234.5}),
        ("0 - 1", {"tekst": "0 - 1", "status": "range", "min": 0, "max": 1}),
        ("2–4 fte", {"tekst": "2–4 fte", "status": "range", "min": 2, "max": 4}),
        ("~550", {"tekst": "~550", "status": "estimate", "waarde": 550}),
        ("± 550 fte", {"tekst": "± 550 fte", "status": "estimate", "waarde": 550}),
        (
            "Niet mogelijk o.b.v. specificaties",
            {"tekst": "Niet mogelijk o.b.v. specificaties", "status": "niet_mogelijk"},
        ),
        ("n.t.b.", {"tekst": "n.t.b.", "status": "ntb"}),
        ("7 fte (letterlijk: zeven)", {"tekst": "zeven", "status": "ontbreekt"}),
    ],
)
def test_fte_text_is_kept_verbatim_beside_its_value(text: str, expected: dict[str, object]) -> None:
    value, _issues = parse_fte(text)
    assert value == expected


def test_an_fte_text_that_is_no_number_warns_and_keeps_the_text() -> None:
    value, issues = parse_fte("veel")
    assert value == {"tekst": "veel", "status": "ontbreekt"}
    assert [i.code for i in issues] == ["fte_unparsed"]


@pytest.mark.parametrize(
    ("text", "flag"), [("ja", True), ("Nee", False), ("yes", True), ("X", True), ("misschien", None)]
)
def test_booleans(text: str, flag: bool | None) -> None:
    assert parse_bool(text) is flag


def test_lists_split_on_line_breaks_semicolons_and_the_export_separator(schema: Schema) -> None:
    f = schema.kinds["project"].field("betrokken_organisaties")
    assert f is not None
    value, issues = convert(f, "GGD; Huisartsen\r\nGemeente | MEE West Brabant\n", schema)
    assert value == ["GGD", "Huisartsen", "Gemeente", "MEE West Brabant"]
    assert issues == []


def test_number_bool_and_enum_fields(schema: Schema) -> None:
    initiative = schema.kinds["initiative"]
    ketenaanpak = initiative.field("ketenaanpak")
    assert ketenaanpak is not None
    assert convert(ketenaanpak, "ja", schema) == (True, [])
    assert convert(ketenaanpak, True, schema) == (True, [])
    value, issues = convert(ketenaanpak, "soms", schema)
    assert value is EMPTY and [i.code for i in issues] == ["not_a_bool"]
    level = schema.kinds["project"].field("level")
    assert level is not None and level.choices
    assert convert(level, level.choices[0].upper(), schema) == (level.choices[0], [])
    value, issues = convert(level, "onzin", schema)
    assert [i.code for i in issues] == ["enum"] and issues[0].level == "error"


def test_fte_field_from_an_excel_number(schema: Schema) -> None:
    f = schema.kinds["initiative"].field("impact_fte")
    assert f is not None
    assert convert(f, 9.5, schema) == ({"tekst": "9.5", "status": "number", "waarde": 9.5}, [])


def test_empty_cells_give_no_value(schema: Schema) -> None:
    f = schema.kinds["project"].field("title")
    assert f is not None
    assert convert(f, None, schema) == (EMPTY, [])
    assert convert(f, "   ", schema) == (EMPTY, [])


def test_cell_text_of_excel_values() -> None:
    assert cell_text(12.0) == "12"
    assert cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text("'=1+1") == "=1+1"  # the CSV export's formula guard comes off
    assert cell_text("a\r\nb") == "a\nb"


def test_kind_by_name_or_title(schema: Schema) -> None:
    assert kind_name(schema, "project") == "project"
    assert kind_name(schema, "Project of programma (WBW)") == "project"
    assert kind_name(schema, "initiatief") == "initiative"
    assert kind_name(schema, "niets") is None


def test_column_letters_as_excel_names_them() -> None:
    from tui.core.importing.sheet import column_letter

    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
