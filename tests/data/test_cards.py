"""The shipped cards: every project of both plans, each with its envelope, canonical and valid."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SHIPPED_CARDS
from tui.core.cards.validate import validate_cards
from tui.core.workspace import Workspace

WS = Workspace(ROOT)
RESULT = WS.store.load_all()
CARDS = RESULT.cards


def test_every_file_parses() -> None:
    assert RESULT.errors == []


def test_counts_per_region_and_kind_match_the_inventory() -> None:
    counts = Counter((c.region, c.kind) for c in CARDS)
    assert counts == {
        ("WBW", "project"): 33,
        ("WBW", "good_practice"): 9,
        ("NML", "initiative"): 195,
        ("NML", "ketenaanpak"): 5,
        ("NML", "aanvullend_initiatief"): 21,
        ("NML", "aanvullende_bron"): 32,
    }


def test_section_a_quantifications_are_folded_into_42_initiatives() -> None:
    quantified = [c for c in CARDS if "kwantificering" in c.data]
    assert len(quantified) == 42
    assert len({c.data["kwantificering"]["sleutel"] for c in quantified}) == 42


def test_every_card_has_its_envelope() -> None:
    for c in CARDS:
        assert c.id and c.kind and c.region and c.title, c.path
        src = c.data.get("source", {})
        assert src.get("document") in ("000_c88f781de0a37a8d.txt", "003_7dc62a7d7e96fca8.txt"), c.path
        if c.kind not in ("ketenaanpak", "aanvullende_bron"):
            assert c.theme, c.path
        assert c.path.parent.name == c.region.lower()
        assert c.path.stem == c.id.lower().replace("/", "-")


def test_ids_are_unique_and_links_resolve() -> None:
    problems = validate_cards(CARDS, WS.schema, WS.vocab)
    assert [p for ps in problems.values() for p in ps if p.is_error] == []
    dead = [(path, str(p)) for path, ps in problems.items() for p in ps if p.field == "related"]
    assert dead == []


def test_only_empty_template_fields_warn() -> None:
    problems = validate_cards(CARDS, WS.schema, WS.vocab)
    other = [(path, str(p)) for path, ps in problems.items() for p in ps if "is leeg" not in p.message]
    assert other == []


def test_cards_are_in_canonical_layout() -> None:
    for c in CARDS:
        assert c.path.read_text(encoding="utf-8") == WS.store.render_new(c.path, dict(c.data)), c.path


def test_fte_values_are_consistent_with_their_text() -> None:
    for c in CARDS:
        fte = c.data.get("impact_fte") or c.data.get("fte_raming")
        if not fte:
            continue
        if fte["status"] == "niet_mogelijk":
            assert fte["tekst"].startswith("Niet mogelijk"), c.path
        if fte["status"] == "number":
            assert str(fte["waarde"]) in fte["tekst"].replace(" ", ""), c.path
        if fte["status"] == "range":
            assert fte["min"] <= fte["max"], c.path


@pytest.mark.parametrize("path", sorted(SHIPPED_CARDS.rglob("*.toml")), ids=lambda p: p.stem)
def test_independent_validator_accepts_every_card(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("#:schema ")
    schema_file = (path.parent / first.split(" ", 1)[1]).resolve()
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validate(tomllib.loads(text), schema, cls=jsonschema.Draft202012Validator)
