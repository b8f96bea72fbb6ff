"""Validation gives Dutch messages naming the field's label; errors block, warnings do not."""

from __future__ import annotations

from typing import Any

import pytest

from tui.core.paths import schema_dir
from tui.core.cards.schema import Schema
from tui.core.cards.validate import validate_data
from tui.core.cards.vocab import Vocabulary

SCHEMA = Schema(schema_dir())
VOCAB = Vocabulary(schema_dir())
BASE: dict[str, Any] = {
    "id": "WBW/T9/1",
    "kind": "project",
    "region": "WBW",
    "theme": "Mentale gezondheid",
    "title": "Proef",
}


def problems(**changes: Any) -> list[str]:
    data = {**BASE, **changes}
    for k, v in list(data.items()):
        if v is None:
            del data[k]
    return [f"{p.level}|{p}" for p in validate_data(data, SCHEMA, VOCAB)]


def errors(**changes: Any) -> list[str]:
    return [p for p in problems(**changes) if p.startswith("error|")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": None}, "error|Titel: ontbreekt; dit veld is verplicht. Vul het in."),
        ({"id": None}, "error|Kaart-id: ontbreekt"),
        ({"theme": None}, "error|Thema: ontbreekt"),
        ({"title": ""}, "error|Titel: mag niet leeg zijn"),
        ({"doelstelling": ["lijst"]}, "error|Doelstelling: moet tekst zijn"),
        ({"betrokken_organisaties": "A, B"}, "error|Betrokken organisaties: moet een lijst zijn"),
        ({"level": "wijk"}, "error|Niveau: 'wijk' is geen geldige keuze. Kies uit: project, programme."),
        ({"doelstelingg": "x"}, "error|doelstelingg: onbekend veld"),
        ({"randvoorwaarden": {"geld": "x"}}, "error|geld: onbekend veld"),
        ({"title": "x" * 301}, "error|Titel: is te lang (301 tekens; hoogstens 300)"),
        ({"id": "-rf /"}, "error|Kaart-id: bevat tekens die hier niet mogen"),
        ({"mijlpalen": [{"periode": "2024"}]}, "error|Mijlpalen 1 › Omschrijving: ontbreekt"),
        ({"kind": "onzin"}, "error|Soort kaart: onbekende soort 'onzin'. Kies uit: "),
    ],
)
def test_each_error_kind_has_a_dutch_message(changes: dict[str, Any], expected: str) -> None:
    found = errors(**changes)
    assert any(p.startswith(expected) for p in found), found


def test_fte_status_requires_its_values() -> None:
    data = {
        **BASE,
        "kind": "initiative",
        "region": "NML",
        "theme": "Gezond vooruit",
        "ontvangen_van": "LZR",
        "impact_fte": {"tekst": "0 - 1", "status": "range", "min": 0},
    }
    found = [str(p) for p in validate_data(data, SCHEMA, VOCAB) if p.is_error]
    assert any("Maximum" in p and "ontbreekt" in p for p in found), found


def test_empty_template_field_is_a_warning_not_an_error() -> None:
    found = problems()
    assert "warning|Doelstelling: is leeg; het sjabloon verwacht dit onderdeel." in found
    assert errors() == []


def test_theme_alias_gets_a_spelling_hint() -> None:
    found = problems(theme="Mentale Gezondheid ")
    assert any(p.startswith("warning|Thema:") and "'Mentale gezondheid'" in p for p in found), found


def test_unknown_theme_and_programme_are_warnings() -> None:
    found = problems(theme="Iets anders", programme="Onbekend programma")
    assert any(p.startswith("warning|Thema: 'Iets anders' staat niet in de lijst") for p in found)
    assert any(p.startswith("warning|Programma:") for p in found)
    assert errors(theme="Iets anders") == []


def test_bidi_override_in_title_is_flagged() -> None:
    found = problems(title="Proef \u202eTXT.exe")
    assert any("U+202E" in p and p.startswith("warning|Titel") for p in found), found
