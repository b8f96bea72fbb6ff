"""Column headers to fields: Dutch and English labels and keys, accents and case ignored, fuzzy; map files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SCHEMA
from tui.core.cards.schema import Schema
from tui.core.importing.mapping import SKIP, candidate_fields, load_map, map_text, propose, write_map
from tui.core.importing.sheet import ImportFailure


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema(SCHEMA)


def test_a_proposal_matches_labels_keys_and_english(schema: Schema) -> None:
    fields = candidate_fields(schema, [schema.kinds["project"]])
    header = ["Kaart-id", "TITEL", "Thema", "Region", "probleemstelling", "Doelgroep", "Opmerkingen van Jan"]
    got = propose(header, fields).columns
    assert got == {
        "Kaart-id": "id",
        "TITEL": "title",
        "Thema": "theme",
        "Region": "region",
        "probleemstelling": "probleemstelling",
        "Doelgroep": "doelgroep",
        "Opmerkingen van Jan": SKIP,
    }


def test_accents_and_small_typos_still_match(schema: Schema) -> None:
    fields = candidate_fields(schema, [schema.kinds["project"]])
    got = propose(["Doelstéling", "Betrokken organisatie", "Tijdlijn"], fields).columns
    assert got == {
        "Doelstéling": "doelstelling",
        "Betrokken organisatie": "betrokken_organisaties",
        "Tijdlijn": "tijdslijn",
    }


def test_each_field_is_used_once_and_derived_fte_columns_are_skipped(schema: Schema) -> None:
    fields = candidate_fields(schema, [schema.kinds["initiative"]])
    header = ["Titel", "Titel", "Impact kwantificering (FTE)", "Impact kwantificering (FTE) (fte laag)"]
    got = propose(header, fields)
    assert list(got.mapped()) == ["title", "impact_fte"]
    assert got.field_of("Impact kwantificering (FTE) (fte laag)") == SKIP


def test_a_written_map_reads_back_and_can_be_edited(schema: Schema, tmp_path: Path) -> None:
    fields = candidate_fields(schema, [schema.kinds["project"]])
    header = ["Kaart-id", "Naam", "Thema"]
    mapping = propose(header, fields)
    mapping.kind = "project"
    path = tmp_path / "map.toml"
    write_map(path, mapping, fields)
    text = path.read_text(encoding="utf-8")
    assert 'Kaart-id = "id"' in text and 'kind = "project"' in text
    path.write_text(text.replace('Naam = ""', 'Naam = "title"'), encoding="utf-8")
    again = load_map(path, header, fields)
    assert again.columns == {"Kaart-id": "id", "Naam": "title", "Thema": "theme"}
    assert again.kind == "project"
    assert map_text(again, fields).count("=") >= 4


def test_a_map_naming_an_unknown_field_is_refused(schema: Schema, tmp_path: Path) -> None:
    fields = candidate_fields(schema, [schema.kinds["project"]])
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"A" = "geen_veld"\n', encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        load_map(path, ["A"], fields)
    assert info.value.code == "map_unknown_field"
    path.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(ImportFailure) as info:
        load_map(path, ["A"], fields)
    assert info.value.code == "map_unreadable"
    with pytest.raises(ImportFailure) as info:
        load_map(tmp_path / "nope.toml", ["A"], fields)
    assert info.value.code == "map_missing"
