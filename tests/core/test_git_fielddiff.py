"""Field-level diffs of two card versions, and their terminal rendering."""

from __future__ import annotations

import copy
import tomllib

from tests.conftest import CARDS, SCHEMA
from hypothesis import given
from hypothesis import strategies as st

from tui.core.git.fielddiff import ADDED, CHANGED, REMOVED, diff_cards, format_diff, kind_for, word_diff
from tui.core.cards.schema import Schema

SCHEMA_OBJ = Schema(SCHEMA)
BASE = tomllib.loads((CARDS / "wbw" / "wbw-t1-1.1.toml").read_text(encoding="utf-8"))
KIND = SCHEMA_OBJ.kind("project")


def changed(**edits: object) -> dict:
    data = copy.deepcopy(BASE)
    data.update(edits)
    return data


def rebuild(segments, keep: str) -> str:
    return "".join(s.text for s in segments if s.op in ("equal", keep))


def test_equal_cards_have_no_diff() -> None:
    assert diff_cards(BASE, copy.deepcopy(BASE), KIND) == []


def test_long_text_gets_word_segments() -> None:
    new = changed(doelstelling=BASE["doelstelling"].replace("is ingericht", "is overal ingericht"))
    [d] = diff_cards(BASE, new, KIND)
    assert (d.path, d.label, d.change) == (("doelstelling",), "Doelstelling", CHANGED)
    assert [s.text for s in d.segments if s.op == "insert"] in (["overal "], [" overal"])
    assert not [s for s in d.segments if s.op == "delete"]
    assert rebuild(d.segments, "delete") == BASE["doelstelling"]
    assert rebuild(d.segments, "insert") == new["doelstelling"]


def test_short_scalar_shows_old_and_new() -> None:
    [d] = diff_cards(BASE, changed(title="Welzijn"), KIND)
    assert (d.label, d.old, d.new, d.segments) == ("Titel", "Welzijn op Recept", "Welzijn", ())
    text = format_diff([d])
    assert "- Welzijn op Recept" in text and "+ Welzijn" in text


def test_string_list_added_and_removed_items() -> None:
    orgs = [o for o in BASE["betrokken_organisaties"] if o != "GGD West-Brabant"] + ["Nieuwe partner"]
    [d] = diff_cards(BASE, changed(betrokken_organisaties=orgs), KIND)
    assert d.label == "Betrokken organisaties"
    assert (d.added_items, d.removed_items) == (("Nieuwe partner",), ("GGD West-Brabant",))


def test_reordered_list_is_changed_without_items() -> None:
    [d] = diff_cards(BASE, changed(betrokken_organisaties=list(reversed(BASE["betrokken_organisaties"]))), KIND)
    assert (d.added_items, d.removed_items) == ((), ())
    assert "volgorde gewijzigd" in format_diff([d])


def test_nested_tables_are_labelled_with_arrow() -> None:
    new = copy.deepcopy(BASE)
    new["randvoorwaarden"]["gegevensuitwisseling"] = "nieuwe afspraken"
    del new["randvoorwaarden"]["overig"]
    new["mijlpalen"][1]["omschrijving"] = "Anders"
    new["mijlpalen"].append({"periode": "2029", "omschrijving": "Klaar"})
    diffs = diff_cards(BASE, new, KIND)
    assert [(d.label, d.change) for d in diffs] == [
        ("Mijlpalen 2 › Omschrijving", CHANGED),
        ("Mijlpalen 7", ADDED),
        ("Benodigde randvoorwaarden › Gegevensuitwisseling", CHANGED),
        ("Benodigde randvoorwaarden › Overig", REMOVED),
    ]
    assert diffs[0].path == ("mijlpalen", 1, "omschrijving")


def test_added_and_deleted_card() -> None:
    added = diff_cards(None, BASE, KIND)
    assert {d.change for d in added} == {ADDED} and added[0].label == "Kaart-id" and added[0].new == "WBW/T1/1.1"
    assert len(added) == len(BASE)
    deleted = diff_cards(BASE, None, KIND)
    assert {d.change for d in deleted} == {REMOVED} and len(deleted) == len(BASE)


def test_kind_for_and_unknown_fields_without_schema() -> None:
    assert kind_for(SCHEMA_OBJ, None, BASE) is KIND
    [d] = diff_cards({"a": 1}, {"a": 2}, None)
    assert d.label == "a"


def test_format_diff_colour_only_when_asked_and_user_text_is_safe() -> None:
    evil = "Titel \x1b]0;pwned\x07 [bold]x[/]"
    diffs = diff_cards(BASE, changed(title=evil, doelstelling=BASE["doelstelling"] + " extra"), KIND)
    plain = format_diff(diffs, color=False)
    coloured = format_diff(diffs, color=True)
    assert "\x1b" not in plain and "{+" in plain
    assert "\x1b[32m" in coloured and "\x1b]0;" not in coloured
    assert "<U+001B>]0;pwned<U+0007> [bold]x[/]" in plain


@given(st.text(alphabet="ab \n.", max_size=60), st.text(alphabet="ab \n.", max_size=60))
def test_word_diff_rebuilds_both_sides(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert rebuild(segments, "delete") == old
    assert rebuild(segments, "insert") == new
