"""Decisions merge as list items (issue #16): added in two clones they are two items after the
merge, never a conflict; the same decision added twice is one; an item edited differently on both
sides is the normal field conflict. Unit level (merge_cards) and with two clones and a bare remote."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CARDS, ROOT, SCHEMA, clone_with_driver, git, seed_remote
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.schema import Schema
from tui.core.meetings.decisions import Decision, add_decision, card_decisions
from tui.core.sync.merge import merge_cards
from tui.core.sync.sync import sync
from tui.core.workspace import Workspace

PROJECT = Schema(SCHEMA).kind("project")
CARD = "cards/wbw/wbw-t1-1.1.toml"
OLD = {"datum": "2026-10-01", "vergadering": "Stuurgroep oktober 2026", "besluit": "Start akkoord."}
A = {"datum": "2026-12-02", "vergadering": "Stuurgroep december 2026", "besluit": "Besluit van A."}
B = {"datum": "2026-11-20", "vergadering": "Werkgroep november 2026", "besluit": "Besluit van B.", "actiehouder": "GGD"}


def _card(decisions: list[dict[str, str]]) -> dict[str, Any]:
    loaded = load_file(CARDS / "wbw" / "wbw-t1-1.1.toml")
    data = loaded.to_dict()  # type: ignore[union-attr]
    if decisions:
        data["besluiten"] = copy.deepcopy(decisions)
    return data


@pytest.mark.parametrize("base_items", [[], [OLD]])
def test_decisions_added_on_both_sides_are_both_kept_by_date(base_items: list[dict[str, str]]) -> None:
    base = _card(base_items)
    ours, theirs = _card([*base_items, A]), _card([*base_items, B])
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.clean
    assert got.data["besluiten"] == [*base_items, B, A]  # by date: B (20 Nov) before A (2 Dec)


def test_same_date_keeps_the_order_found_and_the_same_decision_once() -> None:
    base = _card([OLD])
    a2 = {**A, "besluit": "Tweede besluit van A."}
    b_same_day = {**A, "besluit": "Besluit van B, zelfde dag."}
    ours, theirs = _card([OLD, A, a2]), _card([OLD, A, b_same_day])
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.clean
    assert got.data["besluiten"] == [OLD, A, a2, b_same_day]


def test_an_item_edited_differently_on_both_sides_is_a_field_conflict() -> None:
    base = _card([OLD])
    ours, theirs = _card([{**OLD, "besluit": "Start akkoord (A)."}]), _card([{**OLD, "besluit": "Start akkoord (B)."}])
    got = merge_cards(base, ours, theirs, PROJECT)
    [conflict] = got.conflicts
    assert conflict.field == "besluiten.0.besluit"
    assert (conflict.ours, conflict.theirs) == ("Start akkoord (A).", "Start akkoord (B).")


def test_edited_on_one_side_and_added_on_the_other_merges() -> None:
    base = _card([OLD])
    ours = _card([{**OLD, "actiehouder": "GGD"}])
    theirs = _card([OLD, A])
    got = merge_cards(base, ours, theirs, PROJECT)
    assert got.clean and got.data["besluiten"] == [{**OLD, "actiehouder": "GGD"}, A]


def _clone(remote: Path, dest: Path) -> Path:
    clone_with_driver(remote, dest)
    return dest


def _add(repo: Path, decision: Decision) -> None:
    ws = Workspace(repo)
    card = load_file(repo / CARD)
    assert isinstance(card, Card)
    add_decision(ws.store, card, decision)
    git(repo, "commit", "-qam", f"besluit: {decision.besluit}")


def test_two_clones_each_add_a_decision_and_sync_without_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the merge driver runs as `python -m tui` in a clone
    remote = seed_remote(tmp_path)
    a, b = _clone(remote, tmp_path / "a"), _clone(remote, tmp_path / "b")
    _add(a, Decision(**A))
    _add(b, Decision(**B))
    both = Decision("2026-12-03", "Stuurgroep december 2026", "Door beide genoteerd.")
    _add(a, both)
    _add(b, both)
    assert sync(a).ok
    result = sync(b)
    assert result.ok and not result.conflicts
    back = sync(a)
    assert back.ok and back.received >= 1
    for clone_ in (a, b):
        data = tomllib.loads((clone_ / CARD).read_text(encoding="utf-8"))
        assert "conflict" not in data
        got = card_decisions(data)
        assert [d.besluit for d in got] == ["Besluit van B.", "Besluit van A.", "Door beide genoteerd."]
    assert (a / CARD).read_bytes() == (b / CARD).read_bytes()
