"""Bulk edits (tui.core.meetings.bulk): planned per card with its field diff or a skip reason,
written one card at a time so each card changes only in the touched field's lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.core.cards.card import Card
from tui.core.drafts import DraftStore
from tui.core.git.commit import commit
from tui.core.git.gitrepo import GitRepo
from tui.core.meetings.bulk import (
    APPEND,
    REMOVE,
    REPLACE,
    SET,
    BulkEdit,
    BulkError,
    apply_bulk,
    bulk_fields,
    plan_bulk,
    select_cards,
    suggestions,
)
from tui.core.workspace import Workspace

CARDS = ["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t3-p1", "wbw-t3-p2", "wbw-t1-gp1", "nml-e1.1"]
PROJECTS = ["WBW/T1/1.1", "WBW/T1/1.4", "WBW/T3/P1", "WBW/T3/P2"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(make_repo(tmp_path / "repo", cards=CARDS)).opened()


def _cards(ws: Workspace, ids: list[str] | None = None) -> list[Card]:
    cards = {c.id: c for c in ws.store.load_all().cards}
    return [cards[i] for i in ids] if ids is not None else list(cards.values())


def _numstat(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for line in git(root, "diff", "--numstat").splitlines():
        added, removed, path = line.split("\t")
        out[path] = (int(added), int(removed))
    return out


def _reasons(plan: object) -> dict[str, str]:
    return {s.card.id: s.code for s in plan.skipped}  # type: ignore[attr-defined]


def test_append_plans_every_project_and_skips_other_kinds_with_a_reason(ws: Workspace) -> None:
    edit = BulkEdit(APPEND, "betrokken_organisaties", "Gemeente Venlo")
    plan = plan_bulk(ws, edit, _cards(ws), scope="thema 3")
    assert sorted(c.card.id for c in plan.changes) == sorted(PROJECTS)
    assert _reasons(plan) == {"WBW/T1/GP1": "not_in_kind", "NML/E1.1": "not_in_kind"}
    for change in plan.changes:
        assert [d.key for d in change.diffs] == ["betrokken_organisaties"]
        assert change.diffs[0].added_items == ("Gemeente Venlo",)
    assert plan.label == "Betrokken organisaties"
    assert git(ws.root, "status", "--porcelain") == ""  # planning writes nothing


def test_apply_append_adds_one_line_per_card_and_proposes_one_commit(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(APPEND, "betrokken_organisaties", "Gemeente Venlo"), _cards(ws), scope="thema 3")
    result = apply_bulk(ws, plan)
    assert len(result.saved) == 4 and not result.refused
    stats = _numstat(ws.root)
    assert sorted(stats) == sorted(result.paths)
    assert set(stats.values()) == {(1, 0)}
    assert result.message.splitlines()[0] == 'Bulk: betrokken_organisaties + "Gemeente Venlo" op 4 kaarten (thema 3)'
    assert "- WBW/T3/P1: Meer inzetten op collectieve preventie" in result.message
    with GitRepo.open(ws.root) as repo:
        commit(repo, result.paths, result.message)
    assert git(ws.root, "status", "--porcelain") == ""
    assert git(ws.root, "log", "-1", "--format=%s").strip().startswith("Bulk: betrokken_organisaties +")


def test_append_of_an_item_already_there_is_skipped(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(APPEND, "betrokken_organisaties", "ziekenhuizen"), _cards(ws, PROJECTS))
    assert _reasons(plan)["WBW/T1/1.4"] == "already"  # "Ziekenhuizen": case does not matter
    assert "WBW/T1/1.1" in {c.card.id for c in plan.changes}


def test_remove_drops_one_line_and_skips_cards_without_the_item(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(REMOVE, "betrokken_organisaties", "Ziekenhuizen"), _cards(ws, PROJECTS))
    assert [c.card.id for c in plan.changes] == ["WBW/T1/1.4"]
    assert {_reasons(plan)[i] for i in ("WBW/T3/P1", "WBW/T3/P2")} == {"absent"}
    result = apply_bulk(ws, plan)
    assert list(_numstat(ws.root).values()) == [(0, 1)]
    assert result.message.startswith('Bulk: betrokken_organisaties - "Ziekenhuizen" op 1 kaart\n')


def test_set_enum_converts_case_and_refuses_a_value_not_allowed(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(SET, "level", "Programme"), _cards(ws, PROJECTS))
    assert {c.card.id for c in plan.changes} == {"WBW/T1/1.1", "WBW/T1/1.4"}
    assert all(c.data["level"] == "programme" for c in plan.changes)
    assert _reasons(plan)["WBW/T3/P1"] == "same"  # already a programme
    apply_bulk(ws, plan)
    assert set(_numstat(ws.root).values()) == {(1, 1)}

    bad = plan_bulk(ws, BulkEdit(SET, "level", "portefeuille"), _cards(ws, PROJECTS))
    assert not bad.changes
    assert {s.code for s in bad.skipped} == {"not_allowed"}
    assert "project, programme" in bad.skipped[0].values["choices"]


def test_a_validation_error_in_the_result_is_refused_with_its_reason(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(SET, "title", ""), _cards(ws, ["WBW/T1/1.1"]))  # title is required
    assert not plan.changes
    skip = plan.skipped[0]
    assert skip.code == "invalid"
    assert "Titel" in skip.values["problem"]


def test_replace_in_text_and_in_list_items(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(REPLACE, "betrokken_organisaties", old="Gemeenten", new="Gemeente"), _cards(ws))
    changed = {c.card.id for c in plan.changes}
    assert "WBW/T3/P1" in changed
    assert _reasons(plan)["WBW/T1/1.4"] == "no_match"
    title = plan_bulk(ws, BulkEdit(REPLACE, "title", old="Recept", new="recept"), _cards(ws, ["WBW/T1/1.1"]))
    assert title.changes[0].data["title"] == "Welzijn op recept"
    apply_bulk(ws, title)
    assert list(_numstat(ws.root).values()) == [(1, 1)]


def test_list_operations_on_a_text_field_are_refused(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(APPEND, "title", "x"), _cards(ws, ["WBW/T1/1.1"]))
    assert _reasons(plan) == {"WBW/T1/1.1": "not_a_list"}


def test_a_card_changed_on_disk_since_the_plan_is_refused_and_listed(ws: Workspace) -> None:
    cards = _cards(ws, PROJECTS)
    plan = plan_bulk(ws, BulkEdit(APPEND, "betrokken_organisaties", "Gemeente Venlo"), cards)
    other = cards[1].path
    other.write_text(other.read_text(encoding="utf-8").replace("Reablement", "Reablement!"), encoding="utf-8")
    result = apply_bulk(ws, plan)
    assert [s.card.id for s in result.refused] == ["WBW/T1/1.4"]
    assert result.refused[0].code == "changed_on_disk"
    assert len(result.saved) == 3
    assert "Reablement!" in other.read_text(encoding="utf-8")  # their change kept, ours not written
    assert "Gemeente Venlo" not in other.read_text(encoding="utf-8")
    assert "op 3 kaarten" in result.message


def test_a_card_with_a_draft_is_refused(ws: Workspace) -> None:
    cards = _cards(ws, PROJECTS)
    DraftStore(ws.root).write(cards[0].id, cards[0].path, cards[0].blob, cards[0].to_dict())
    plan = plan_bulk(ws, BulkEdit(APPEND, "betrokken_organisaties", "Gemeente Venlo"), cards)
    assert _reasons(plan) == {"WBW/T1/1.1": "draft"}
    # a draft made between plan and apply is refused too
    DraftStore(ws.root).write(cards[2].id, cards[2].path, cards[2].blob, cards[2].to_dict())
    result = apply_bulk(ws, plan)
    assert [s.card.id for s in result.refused] == ["WBW/T3/P1"]
    assert result.refused[0].code == "draft"
    assert len(result.saved) == 2


def test_unknown_field_empty_selection_and_unknown_filter_are_errors(ws: Workspace) -> None:
    with pytest.raises(BulkError) as exc:
        plan_bulk(ws, BulkEdit(SET, "organisatie", "x"), _cards(ws))
    assert exc.value.code == "unknown_field"
    assert "betrokken_organisaties" in str(exc.value.params["known"])
    with pytest.raises(BulkError) as exc:
        plan_bulk(ws, BulkEdit(SET, "title", "x"), [])
    assert exc.value.code == "empty_selection"
    with pytest.raises(BulkError) as exc:
        plan_bulk(ws, BulkEdit(SET, "id", "x"), _cards(ws))
    assert exc.value.code == "not_bulk"
    with pytest.raises(BulkError) as exc:
        select_cards(ws, _cards(ws), "themaa:3")
    assert exc.value.code == "unknown_filter"


def test_select_cards_uses_the_search_syntax(ws: Workspace) -> None:
    chosen = select_cards(ws, _cards(ws), 'thema:"Mentale gezondheid"')
    assert sorted(c.id for c in chosen) == ["WBW/T3/P1", "WBW/T3/P2"]


def test_fields_and_suggestions_for_the_dialog(ws: Workspace) -> None:
    fields = dict(bulk_fields(ws.schema, ["project"]))
    assert fields["betrokken_organisaties"] == "Betrokken organisaties"
    assert "id" not in fields and "kind" not in fields
    assert any(k.startswith("randvoorwaarden.") for k in fields)
    assert "programme" in suggestions(ws, "level", _cards(ws, PROJECTS))
    assert "Ziekenhuizen" in suggestions(ws, "betrokken_organisaties", _cards(ws, PROJECTS))


def test_a_value_outside_the_vocabulary_is_refused(ws: Workspace) -> None:
    plan = plan_bulk(ws, BulkEdit(SET, "theme", "Een thema dat niet bestaat"), _cards(ws, ["WBW/T1/1.1"]))
    assert not plan.changes
    assert plan.skipped[0].code == "vocabulary"
    assert plan.skipped[0].values["problem"]


def test_a_card_open_in_another_editor_is_refused(ws: Workspace) -> None:
    import json
    import os
    import socket

    from tui.core.locks import EditLocks

    cards = _cards(ws, ["WBW/T1/1.1", "WBW/T1/1.4"])
    locks = EditLocks(ws.root)
    locks.folder.mkdir(parents=True, exist_ok=True)
    holder = {"pid": os.getppid(), "host": socket.gethostname()}  # a live process that is not us
    locks._file(cards[0].id).write_text(json.dumps(holder), encoding="utf-8")
    plan = plan_bulk(ws, BulkEdit(APPEND, "betrokken_organisaties", "Gemeente Venlo"), cards)
    assert _reasons(plan) == {"WBW/T1/1.1": "locked"}
    assert [c.card.id for c in plan.changes] == ["WBW/T1/1.4"]


def test_hostile_cards_keep_their_bom_and_line_endings_and_change_by_one_line(tmp_path: Path) -> None:
    ws = Workspace(make_repo(tmp_path / "golden")).opened()
    cards = _cards(ws)
    before = {c.path: c.path.read_bytes() for c in cards}
    plan = plan_bulk(ws, BulkEdit(APPEND, "alt_titles", "Besproken in de stuurgroep"), cards)
    result = apply_bulk(ws, plan)
    assert len(result.saved) >= len(cards) - 3  # a card with a conflict or an invalid one may be refused
    assert all(s.code == "invalid" for s in plan.skipped + result.refused)
    stats = _numstat(ws.root)
    assert sorted(stats) == sorted(result.paths)
    for path, (added, removed) in stats.items():
        if removed == 0:
            assert added == 1, path  # one new item line, or the new key in one line
    changed = [
        line[1:]
        for line in git(ws.root, "diff", "-U0").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed and all(line.startswith(("alt_titles", "  ", "]")) for line in changed)  # that field only
    for card in result.saved:
        old, new = before[card.path], card.path.read_bytes()
        assert old.startswith(b"\xef\xbb\xbf") == new.startswith(b"\xef\xbb\xbf")
        assert (b"\r\n" in old) == (b"\r\n" in new)
