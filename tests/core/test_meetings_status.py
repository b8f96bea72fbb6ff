"""Card status (issue #16, part 1): the lifecycle vocabulary per region, validation per status,
the renamed Nieuw/Lopend field, round trips and ``status:`` in search."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHIPPED_CARDS, git
from tui.core import language
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.schema import Schema
from tui.core.cards.validate import validate_data
from tui.core.cards.vocab import Vocabulary
from tui.core.cards.status import (
    NO_STATUS,
    count_by_status,
    find_status,
    label_of,
    required_now,
    status_change,
    status_code,
)
from tui.core.paths import schema_dir
from tui.core.search.search import SearchIndex
from tui.core.workspace import Workspace

SCHEMA = Schema(schema_dir())
VOCAB = Vocabulary(schema_dir())
LINE = ["concept", "ter_bespreking", "vastgesteld", "in_uitvoering", "afgerond"]
NL = ["Concept", "Ter bespreking", "Vastgesteld", "In uitvoering", "Afgerond", "Gestopt"]
EN = ["Draft", "For discussion", "Adopted", "In progress", "Completed", "Stopped"]
PROJECT: dict[str, Any] = {
    "id": "WBW/T9/1",
    "kind": "project",
    "region": "WBW",
    "theme": "Mentale gezondheid",
    "title": "Proef",
    "doelstelling": "Minder wachttijd.",
    "aanpak": "Samen met de huisartsen.",
    "tijdslijn": "2026-2027",
}


def errors(data: dict[str, Any]) -> list[str]:
    return [str(p) for p in validate_data(data, SCHEMA, VOCAB) if p.is_error]


# -- vocabulary ------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["WBW", "NML"])
def test_both_regions_have_the_lifecycle_with_dutch_and_english_names(region: str) -> None:
    reg = VOCAB.regions[region]
    assert [s.code for s in reg.statuses] == [*LINE, "gestopt"]
    assert [s.label_nl for s in reg.statuses] == NL
    assert [s.label_en for s in reg.statuses] == EN
    assert [s.code for s in reg.line()] == LINE  # gestopt is off the line
    assert VOCAB.values("statuses", region) == [*LINE, "gestopt"]


def test_labels_follow_the_display_language_and_names_find_codes() -> None:
    reg = VOCAB.regions["WBW"]
    assert label_of(VOCAB, "WBW", "in_uitvoering") == "In uitvoering"
    language.set_current("en")
    try:
        assert label_of(VOCAB, "WBW", "in_uitvoering") == "In progress"
        assert reg.statuses[0].label == "Draft"
    finally:
        language.set_current("nl")
    assert label_of(VOCAB, "WBW", "") == ""
    assert label_of(VOCAB, "WBW", "onbekend") == "onbekend"
    for typed in ("vastgesteld", "VASTGESTELD", "Adopted", " vastgésteld "):
        found = find_status(VOCAB, "NML", typed)
        assert found is not None and found.code == "vastgesteld", typed
    assert find_status(VOCAB, None, "in uitvoering") == reg.status("in_uitvoering")
    assert find_status(VOCAB, "NML", "bogus") is None


def test_the_line_order_decides_what_reaches_a_step() -> None:
    reg = VOCAB.regions["NML"]
    assert [c for c in LINE if reg.reaches(c, "vastgesteld")] == ["vastgesteld", "in_uitvoering", "afgerond"]
    assert not reg.reaches("gestopt", "concept")
    assert not reg.reaches("bogus", "concept")


def test_every_kind_says_what_vastgesteld_requires() -> None:
    wanted = {
        "project": {"doelstelling", "aanpak", "tijdslijn"},
        "good_practice": {"verwachte_impact", "beschrijving", "looptijd"},
        "initiative": {"doel", "omschrijving"},
        "aanvullend_initiatief": {"korte_omschrijving", "idee", "start"},
        "ketenaanpak": {"kernboodschap", "plan"},
        "aanvullende_bron": {"omschrijving"},
    }
    for name, keys in wanted.items():
        kind = SCHEMA.kinds[name]
        region = VOCAB.regions[kind.regions[0]]
        assert {f.key for f, _ in required_now(kind, region, "vastgesteld")} == keys, name
        assert {f.key for f, _ in required_now(kind, region, "afgerond")} == keys, name
        assert required_now(kind, region, "ter_bespreking") == [], name
        assert required_now(kind, region, "gestopt") == [], name
    status = SCHEMA.envelope["properties"]["status"]
    assert status["x-vocab"] == "statuses" and "status" in SCHEMA.kinds["project"].keys


# -- validation -----------------------------------------------------------------------------------


def test_a_card_without_status_or_with_a_complete_plan_is_fine() -> None:
    assert errors(PROJECT) == []
    for code in [*LINE, "gestopt"]:
        assert errors({**PROJECT, "status": code}) == [], code


def test_an_unknown_status_is_an_error_listing_the_allowed_ones() -> None:
    (msg,) = errors({**PROJECT, "status": "klaar"})
    assert msg.startswith("Status: 'klaar' is geen status van deze regio")
    for code, label in zip([*LINE, "gestopt"], NL, strict=True):
        assert f"{code} ({label})" in msg
    (msg,) = errors({**PROJECT, "status": "Vastgesteld"})  # the name, not the code
    assert "schrijf de code 'vastgesteld'" in msg


@pytest.mark.parametrize("status", ["vastgesteld", "afgerond"])
@pytest.mark.parametrize(
    ("key", "label"),
    [("doelstelling", "Doelstelling"), ("aanpak", "Aanpak (op hoofdlijnen)"), ("tijdslijn", "Tijdslijn")],
)
def test_each_required_field_missing_is_an_error_naming_status_and_field(status: str, key: str, label: str) -> None:
    for empty in (None, "", "   "):
        data = {**PROJECT, "status": status}
        if empty is None:
            del data[key]
        else:
            data[key] = empty
        problems = [p for p in validate_data(data, SCHEMA, VOCAB) if p.is_error]
        code = "status_requires" if status == "vastgesteld" else "status_requires_later"
        assert [(p.field, p.code) for p in problems] == [(key, code)]
        tail = "." if status == "vastgesteld" else "; de kaart heeft status Afgerond."
        assert str(problems[0]) == f"{label}: moet ingevuld zijn vanaf status Vastgesteld{tail}"


def test_stopped_and_early_statuses_need_nothing_and_the_message_is_english_in_english() -> None:
    bare = {k: v for k, v in PROJECT.items() if k not in ("doelstelling", "aanpak", "tijdslijn")}
    for code in ("concept", "ter_bespreking", "gestopt"):
        assert errors({**bare, "status": code}) == [], code
    assert len(errors({**bare, "status": "in_uitvoering"})) == 3
    language.set_current("en")
    try:
        msgs = errors({**bare, "status": "vastgesteld"})
    finally:
        language.set_current("nl")
    assert "Timeline: must be filled in from status Adopted on." in msgs


def test_other_kinds_use_their_own_fields() -> None:
    gp = {"id": "WBW/GP/9", "kind": "good_practice", "region": "WBW", "theme": "Mentale gezondheid", "title": "GP"}
    assert [p.field for p in validate_data({**gp, "status": "vastgesteld"}, SCHEMA, VOCAB) if p.is_error] == [
        "beschrijving",
        "verwachte_impact",
        "looptijd",
    ]
    assert errors({**gp, "status": "gestopt"}) == []


# -- the renamed Nieuw/Lopend field ------------------------------------------------------------------


def _top_level_status(path: Path) -> object:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("status")


def test_no_shipped_card_has_an_invented_status_and_nieuw_of_lopend_is_valid() -> None:
    ws = Workspace(ROOT)
    cards = ws.store.load_all().cards
    assert cards and all(c.data.get("status") is None for c in cards)
    renamed = [c for c in cards if "nieuw_of_lopend" in c.data]
    assert len(renamed) == 12 and {c.data["nieuw_of_lopend"] for c in renamed} == {"Nieuw", "Lopend"}
    assert all(c.kind == "aanvullend_initiatief" for c in renamed)
    for c in renamed:
        assert [p for p in validate_data(c.data, ws.schema, ws.vocab) if p.is_error] == [], c.path


def test_the_rename_changed_one_line_of_each_of_the_12_cards_and_nothing_else() -> None:
    try:
        found = git(ROOT, "log", "--format=%H", "-S", 'nieuw_of_lopend = "', "--", "cards").split()
    except (subprocess.CalledProcessError, FileNotFoundError, OSError):
        pytest.skip("not a git checkout")
    if not found:
        pytest.skip("history of the rename not available (shallow clone)")
    rename = found[-1]  # the commit that introduced the key
    names = git(ROOT, "diff", "--name-only", f"{rename}^", rename, "--", "cards").split()
    assert len(names) == 12
    for name in names:
        old = git(ROOT, "show", f"{rename}^:{name}").split("\n")
        new = git(ROOT, "show", f"{rename}:{name}").split("\n")
        assert len(old) == len(new)
        diff = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        assert len(diff) == 1, name
        ((a, b),) = diff
        assert a.startswith('status = "') and b == "nieuw_of_lopend" + a[len("status") :]
        shipped = (ROOT / name).read_bytes()
        assert b"\nnieuw_of_lopend = " in shipped and _top_level_status(ROOT / name) is None
    assert all((SHIPPED_CARDS.parent / n).exists() for n in names)


def test_the_code_no_longer_reads_the_old_key_for_nieuw_of_lopend() -> None:
    kind = SCHEMA.kinds["aanvullend_initiatief"]
    f = kind.field("nieuw_of_lopend")
    assert f is not None and f.label_nl == "Nieuw of lopend" and f.choices == ("Nieuw", "Lopend")
    assert kind.field("status") is not None and kind.field("status").choices == ()  # type: ignore[union-attr]


# -- round trips ------------------------------------------------------------------------------------


def test_a_card_without_status_round_trips_byte_identical_and_setting_one_is_one_line(repo: Path) -> None:
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    card = load_file(path)
    assert isinstance(card, Card) and "status" not in card.data
    before = path.read_bytes()
    ws.store.save(card, dict(card.data))
    assert path.read_bytes() == before
    card = load_file(path)
    assert isinstance(card, Card)
    ws.store.save(card, {**card.to_dict(), "status": "concept"})
    diff = [
        line for line in git(repo, "diff", "-U0").splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == ['+status = "concept"']
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index('status = "concept"') - 1].startswith("title = ")  # near the top, after the title


# -- small helpers --------------------------------------------------------------------------------


def test_status_code_change_and_counts() -> None:
    assert status_code({"status": " vastgesteld "}) == "vastgesteld"
    assert status_code({"status": 3}) == NO_STATUS == status_code({})
    change = status_change({"status": "concept"}, {"status": "vastgesteld"})
    assert change is not None and (change.old, change.new) == ("concept", "vastgesteld")
    assert status_change({}, {}) is None and status_change({"status": "a"}, {"status": "a"}) is None
    assert status_change(None, {"status": "concept"}) is not None
    assert count_by_status([{"status": "concept"}, {}, {"status": "concept"}]) == {"concept": 2, NO_STATUS: 1}


# -- search -----------------------------------------------------------------------------------------


def _card(cid: str, title: str, **fields: object) -> Card:
    data = {"id": cid, "kind": "ketenaanpak", "region": "NML", "title": title, **fields}
    return Card.build(Path(f"{cid}.toml"), data, b"", bom=False, crlf=False)


CARDS = [
    _card("NML/1", "Een", status="vastgesteld"),
    _card("NML/2", "Twee", status="in_uitvoering"),
    _card("NML/3", "Drie"),
    _card("NML/4", "Vier", status="gestopt"),
    _card("NML/5", "Vijf", status="eigen_waarde"),
]


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("status:vastgesteld", ["NML/1"]),
        ("status:Vastgesteld", ["NML/1"]),
        ("status:adopted", ["NML/1"]),
        ('status:"in uitvoering"', ["NML/2"]),
        ("status:in_uitvoering", ["NML/2"]),
        ("status:IN_UITVOERING", ["NML/2"]),
        ("status:vastgésteld", ["NML/1"]),
        ("status:geen", ["NML/3"]),
        ("status:none", ["NML/3"]),
        ("status:gestopt", ["NML/4"]),
        ("status:eigen_waarde", ["NML/5"]),
        ("status:vast status:gestopt", ["NML/1", "NML/4"]),
        ("status:bestaatniet", []),
        ("status:vastgesteld een", ["NML/1"]),
        ("status:vastgesteld twee", []),
    ],
)
def test_search_status_filter(query: str, ids: list[str]) -> None:
    index = SearchIndex(CARDS, SCHEMA)
    assert sorted(index.find(query).ids) == ids


def test_search_offers_status_values_and_follows_edits() -> None:
    index = SearchIndex(CARDS, SCHEMA)
    offered = index.completions("status:")
    assert offered[:3] == ["status:concept", "status:ter_bespreking", "status:vastgesteld"]
    assert "status:geen" in offered and "status:eigen_waarde" in offered
    index.update(_card("NML/3", "Drie", status="vastgesteld"))
    assert sorted(index.find("status:vastgesteld").ids) == ["NML/1", "NML/3"]
    assert index.find("status:geen").ids == []
