"""The exported JSON Schema is standard, current, and accepts every golden card (tests/data checks the shipped ones)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import CARDS, ROOT, SCHEMA
from tui.core.paths import schema_dir
from tui.core.cards.schema import Schema

EXPORTED = ROOT / "schema" / "json"


def test_committed_export_is_up_to_date(tmp_path: Path) -> None:
    Schema(schema_dir()).export(tmp_path)
    for fresh in tmp_path.glob("*.json"):
        assert (EXPORTED / fresh.name).read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), fresh.name


def test_export_is_valid_draft_2020_12() -> None:
    files = sorted(EXPORTED.glob("*.schema.json"))
    assert len(files) == 6
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(doc)


def test_every_field_has_label_help_and_widget() -> None:
    schema = Schema(schema_dir())
    for kind in schema.kinds.values():
        for f in kind.fields:
            assert (
                f.label and f.help and f.widget in {"line", "text", "list", "enum", "number", "bool", "table", "tables"}
            ), (kind.name, f.key)


@pytest.mark.parametrize("path", sorted(CARDS.rglob("*.toml")), ids=lambda p: p.stem)
def test_independent_validator_accepts_every_card(path: Path) -> None:
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")  # the BOM card: stripped, as the app does
    first = text.splitlines()[0]
    assert first.startswith("#:schema ../../schema/")
    schema_file = SCHEMA / first.split(" ", 1)[1].removeprefix("../../schema/")  # as in a repository
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validate(tomllib.loads(text), schema, cls=jsonschema.Draft202012Validator)
