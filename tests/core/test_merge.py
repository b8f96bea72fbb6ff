"""Field-level merge of cards (RELIABILITY 34, 35): one-sided changes always survive, the same
field changed twice becomes a recorded conflict, and the conflict record is plain valid TOML."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CARDS, SCHEMA
from tui.core.cards import tomlfmt
from tui.core.sync.merge import FieldConflict, conflicts_of, dotted, merge_cards, parse_path, resolve, with_conflicts
from tui.core.cards.parse import load_file
from tui.core.cards.schema import Schema
from tui.core.cards.validate import validate_data
from tui.core.cards.vocab import Vocabulary

SCH = Schema(SCHEMA)
PROJECT = SCH.kind("project")


def _card() -> dict[str, Any]:
    loaded = load_file(CARDS / "wbw" / "wbw-t1-1.1.toml")
    assert not hasattr(loaded, "message"), loaded
    return loaded.to_dict()  # type: ignore[union-attr]


def test_one_sided_changes_are_taken_from_either_side() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["doelstelling"] = "Nieuw doel"
    theirs["aanpak"] = "Nieuwe aanpak"
    theirs["randvoorwaarden"]["overig"] = "anders"
    del theirs["notes"]
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.clean
    assert got.data["doelstelling"] == "Nieuw doel" and got.data["aanpak"] == "Nieuwe aanpak"
    assert got.data["randvoorwaarden"]["overig"] == "anders"
    assert got.data["randvoorwaarden"]["bekostiging"] == base["randvoorwaarden"]["bekostiging"]
    assert "notes" not in got.data


def test_identical_change_on_both_sides_is_no_conflict() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["title"] = theirs["title"] = "Welzijn op Recept 2.0"
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.clean and got.data["title"] == "Welzijn op Recept 2.0"


def test_same_field_changed_differently_is_a_conflict_keeping_ours() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["doelstelling"], theirs["doelstelling"] = "Ons doel", "Hun doel"
    ours["randvoorwaarden"]["bekostiging"], theirs["randvoorwaarden"]["bekostiging"] = "A", "B"
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.data["doelstelling"] == "Ons doel"
    by_path = {c.path: c for c in got.conflicts}
    assert set(by_path) == {("doelstelling",), ("randvoorwaarden", "bekostiging")}
    c = by_path[("doelstelling",)]
    assert (c.base, c.ours, c.theirs) == (base["doelstelling"], "Ons doel", "Hun doel")
    assert c.label == "Doelstelling" and c.field == "doelstelling"
    assert by_path[("randvoorwaarden", "bekostiging")].field == "randvoorwaarden.bekostiging"


def test_field_deleted_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    base = {"id": "X", "kind": "project", "notes": "oud"}
    got = merge_cards(base, {"id": "X", "kind": "project"}, {**base, "notes": "nieuw"}, PROJECT)
    assert got.conflicts == [FieldConflict(("notes",), "Notities", "oud", None, "nieuw")]
    assert "notes" not in got.data


def test_string_lists_keep_both_additions_and_honour_removals() -> None:
    base = {"l": ["a", "b", "c", "d"]}
    ours = {"l": ["a", "b", "o", "c", "d"]}  # added o after b
    theirs = {"l": ["t0", "a", "c", "d", "t"]}  # added t0 first and t last, removed b
    got = merge_cards(base, ours, theirs, None)
    assert got.clean
    assert got.data["l"] == ["t0", "a", "o", "c", "d", "t"]


def test_string_list_both_added_the_same_item_once() -> None:
    got = merge_cards({"l": ["a"]}, {"l": ["a", "x"]}, {"l": ["x", "a"]}, None)
    assert got.clean and sorted(got.data["l"]) == ["a", "x"]


def test_milestones_merge_per_item() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["mijlpalen"].append({"periode": "2029", "omschrijving": "ons"})
    theirs["mijlpalen"].insert(0, {"periode": "2021", "omschrijving": "hun"})
    theirs["mijlpalen"][3]["omschrijving"] = "hun wijziging"  # base item 2
    del theirs["mijlpalen"][5]  # base item 4
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.clean
    periods = [m["periode"] for m in got.data["mijlpalen"]]
    assert periods == ["2021", "2022", "2023", "2023", "2023", "2025-2028", "2029"]
    assert got.data["mijlpalen"][3]["omschrijving"] == "hun wijziging"


def test_same_milestone_changed_differently_conflicts_on_that_item() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["mijlpalen"][1]["omschrijving"] = "ons"
    theirs["mijlpalen"][1]["omschrijving"] = "hun"
    theirs["mijlpalen"][1]["periode"] = "2024"
    got = merge_cards(base, ours, theirs, PROJECT)
    assert [c.path for c in got.conflicts] == [("mijlpalen", 1, "omschrijving")]
    assert got.data["mijlpalen"][1] == {"periode": "2024", "omschrijving": "ons"}


def test_milestone_changed_on_one_side_and_deleted_on_the_other_conflicts_on_the_list() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["mijlpalen"][1]["omschrijving"] = "ons"
    del theirs["mijlpalen"][1]
    got = merge_cards(base, ours, theirs, PROJECT)
    assert [c.path for c in got.conflicts] == [("mijlpalen",)]
    assert got.data["mijlpalen"] == ours["mijlpalen"] and got.conflicts[0].theirs == theirs["mijlpalen"]


def test_deleted_card_against_changed_card_is_a_whole_card_conflict() -> None:
    base = _card()
    theirs = {**copy.deepcopy(base), "title": "Nieuw"}
    got = merge_cards(base, None, theirs, PROJECT)
    assert [c.path for c in got.conflicts] == [()] and got.conflicts[0].ours is None
    assert got.data == theirs
    assert merge_cards(base, None, copy.deepcopy(base), PROJECT).data == {}  # unchanged side: deletion wins


def test_conflicts_are_recorded_as_valid_toml_and_read_back() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["doelstelling"], theirs["doelstelling"] = 'Ons """doel"""\nregel 2', "Hun doel"
    ours["randvoorwaarden"] = {"overig": "ons"}
    theirs["randvoorwaarden"] = {"bekostiging": "hun"}
    ours["mijlpalen"][0]["omschrijving"] = "x"
    del theirs["mijlpalen"][0]
    got = merge_cards(base, ours, theirs, PROJECT)
    data = with_conflicts(got.data, got.conflicts)
    text = tomlfmt.render(data, PROJECT.keys)
    assert "<<<<<<<" not in text and "[[conflict]]" in text
    back = tomllib.loads(text)
    assert back == data
    assert conflicts_of(back) == got.conflicts
    problems = validate_data(back, SCH, Vocabulary(SCHEMA))
    assert [p.message for p in problems if p.is_error] == [
        "heeft onopgeloste conflicten; kies per veld in het conflictscherm"
    ]


def test_resolve_sets_the_field_and_removes_only_that_conflict() -> None:
    base = _card()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours["doelstelling"], theirs["doelstelling"] = "ons", "hun"
    ours["notes"], theirs["notes"] = "n1", "n2"
    got = merge_cards(base, ours, theirs, PROJECT)
    data = with_conflicts(got.data, got.conflicts)
    one = resolve(data, ("doelstelling",), "hun")
    assert one["doelstelling"] == "hun" and [c.path for c in conflicts_of(one)] == [("notes",)]
    both = resolve(one, ("notes",), None)
    assert "notes" not in both and "conflict" not in both
    assert not [p for p in validate_data(both, SCH) if p.is_error]
    with pytest.raises(KeyError):
        resolve(both, ("title",), "x")


def test_card_that_merges_on_top_of_an_old_conflict_keeps_it() -> None:
    base = {"id": "X", "kind": "project", "a": "1", "b": "1"}
    first = merge_cards(base, {**base, "a": "2"}, {**base, "a": "3"}, None)
    ours = with_conflicts(first.data, first.conflicts)
    got = merge_cards(ours, {**ours, "b": "o"}, {**ours, "b": "t"}, None)
    data = with_conflicts(got.data, got.conflicts)
    assert [c.field for c in conflicts_of(data)] == ["a", "b"]


@pytest.mark.parametrize("path", [(), ("a",), ("mijlpalen", 2, "omschrijving"), ("a.b", "12", 'q"x', "é")])
def test_dotted_paths_round_trip(path: tuple[str | int, ...]) -> None:
    assert parse_path(dotted(path)) == path


def test_merge_module_is_ui_free() -> None:
    source = (Path(__file__).resolve().parents[2] / "tui" / "core" / "sync" / "merge.py").read_text(encoding="utf-8")
    assert "textual" not in source and "rich" not in source.replace("enrich", "")


# Property: two sides editing distinct fields never lose a one-sided change.
KEYS = [f"k{i}" for i in range(8)]
VALUE = st.one_of(st.text(max_size=20), st.integers(-5, 5), st.booleans(), st.lists(st.text(max_size=5), max_size=4))
CARD = st.dictionaries(
    st.sampled_from(KEYS),
    st.one_of(VALUE, st.dictionaries(st.sampled_from(["x", "y", "z"]), VALUE, max_size=3)),
    max_size=8,
)
EDIT = st.one_of(st.just(None), VALUE, st.dictionaries(st.sampled_from(["x", "y"]), VALUE, max_size=2))  # None: delete


@settings(max_examples=300, deadline=None)
@given(
    base=CARD,
    edits=st.dictionaries(
        st.sampled_from(KEYS + [f"new{i}" for i in range(3)]), st.tuples(st.booleans(), EDIT), max_size=10
    ),
)
def test_distinct_field_edits_by_two_sides_are_never_lost(
    base: dict[str, Any], edits: dict[str, tuple[bool, Any]]
) -> None:
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for key, (mine, value) in edits.items():
        side = ours if mine else theirs
        if value is None:
            side.pop(key, None)
        else:
            side[key] = value
    got = merge_cards(base, ours, theirs, None)
    assert got.clean
    for key, (mine, _value) in edits.items():
        side = ours if mine else theirs
        if key in side:
            assert got.data[key] == side[key]
        else:
            assert key not in got.data
    for key in set(base) - set(edits):
        assert got.data[key] == base[key]


@settings(max_examples=200, deadline=None)
@given(
    base=st.lists(st.text(alphabet="abcdef", min_size=1, max_size=3), unique=True, max_size=8),
    data=st.data(),
)
def test_string_list_additions_and_removals_of_both_sides_all_survive(base: list[str], data: st.DataObject) -> None:
    def edit(tag: str) -> tuple[list[str], set[str], set[str]]:
        removed = set(data.draw(st.lists(st.sampled_from(base), unique=True) if base else st.just([])))
        side = [x for x in base if x not in removed]
        added = {f"{tag}{i}" for i in range(data.draw(st.integers(0, 3)))}
        for item in sorted(added):
            side.insert(data.draw(st.integers(0, len(side))), item)
        return side, removed, added

    ours, o_removed, o_added = edit("O")
    theirs, t_removed, t_added = edit("T")
    got = merge_cards({"l": base}, {"l": ours}, {"l": theirs}, None)
    assert got.clean
    merged = got.data.get("l", [])
    assert sorted(merged) == sorted((set(base) - o_removed - t_removed) | o_added | t_added)
    assert [x for x in merged if x in ours] == [x for x in ours if x in merged]  # ours' order kept
