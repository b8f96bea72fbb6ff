"""Decisions per card (issue #16): the ``[[besluiten]]`` schema, its validation, and adding one
as a pure append (only added lines in ``git diff``), also on CRLF and BOM cards."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CARDS, SCHEMA, git, make_repo
from tui.core.cards.parse import load_file
from tui.core.cards.schema import Schema
from tui.core.cards.validate import validate_data
from tui.core.drafts import DraftStore
from tui.core.meetings.decisions import Decision, DecisionError, add_decision, card_decisions, default_meeting
from tui.core.workspace import Workspace

SCH = Schema(SCHEMA)
GOOD = {"datum": "2026-12-02", "vergadering": "Stuurgroep december 2026", "besluit": "Aanpak goedgekeurd."}


def _data(name: str = "wbw/wbw-t1-1.1.toml") -> dict[str, Any]:
    loaded = load_file(CARDS / name)
    return loaded.to_dict()  # type: ignore[union-attr]


def _codes(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    return [(p.path, p.code) for p in validate_data(data, SCH) if p.is_error]


@pytest.mark.parametrize("kind", sorted(SCH.kinds))
def test_every_kind_has_the_optional_decisions_list(kind: str) -> None:
    k = SCH.kind(kind)
    assert k is not None
    f = k.field("besluiten")
    assert f is not None and f.widget == "tables" and not f.required
    assert [c.key for c in f.children] == ["datum", "vergadering", "besluit", "actiehouder", "deadline"]
    assert [c.key for c in f.children if c.required] == ["datum", "vergadering", "besluit"]
    assert (f.label_nl, f.label_en) == ("Besluiten", "Decisions")
    labels = {c.key: (c.label_nl, c.label_en) for c in f.children}
    assert labels["actiehouder"] == ("Actiehouder", "Action holder") and labels["vergadering"] == (
        "Vergadering",
        "Meeting",
    )


def test_exported_schema_files_are_up_to_date(tmp_path: Path) -> None:
    written = SCH.export(tmp_path)
    for path in written:
        assert path.read_text(encoding="utf-8") == (SCHEMA / "json" / path.name).read_text(encoding="utf-8")


def test_a_good_decision_is_valid_and_a_card_without_decisions_too() -> None:
    data = _data()
    assert not _codes(data)
    data["besluiten"] = [GOOD, {**GOOD, "actiehouder": "Gemeente Venlo", "deadline": "2027-01-31"}]
    assert not _codes(data)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({k: v for k, v in GOOD.items() if k != "besluit"}, (("besluiten", 0, "besluit"), "required")),
        ({k: v for k, v in GOOD.items() if k != "datum"}, (("besluiten", 0, "datum"), "required")),
        ({**GOOD, "datum": "2-12-2026"}, (("besluiten", 0, "datum"), "decisions.date_invalid")),
        ({**GOOD, "datum": "2026-02-30"}, (("besluiten", 0, "datum"), "decisions.date_invalid")),
        ({**GOOD, "deadline": "2026-13-01"}, (("besluiten", 0, "deadline"), "decisions.date_invalid")),
        ({**GOOD, "deadline": "2026-11-30"}, (("besluiten", 0, "deadline"), "decisions.deadline_before")),
        ({**GOOD, "wie": "x"}, (("besluiten", 0, "wie"), "unknown_field")),
    ],
)
def test_bad_decisions_are_errors_with_their_own_code(item: dict[str, str], expected: tuple[Any, str]) -> None:
    data = _data()
    data["besluiten"] = [item]
    assert _codes(data) == [expected]


def test_validation_messages_are_words_in_both_languages() -> None:
    from tui.core.language import set_current
    from tui.i18n import t

    data = _data()
    data["besluiten"] = [{**GOOD, "deadline": "2026-11-30"}, {**GOOD, "datum": "2026-02-30"}]
    try:
        for lang, word in (("nl", "deadline"), ("en", "deadline")):
            set_current(lang)
            msgs = [str(p) for p in validate_data(data, SCH) if p.is_error]
            assert any("2026-11-30" in m and word in m.lower() for m in msgs), msgs
            assert any("2026-02-30" in m for m in msgs), msgs
            assert all("decisions." not in m for m in msgs), msgs
        assert t("core.validate.decisions.date_invalid", value="x") != "core.validate.decisions.date_invalid"
    finally:
        set_current("nl")


def test_card_decisions_reads_items_and_tolerates_bad_ones() -> None:
    data = _data()
    data["besluiten"] = [GOOD, "nonsense", {"datum": 5, "besluit": "b"}, {**GOOD, "deadline": "2027-01-01"}]
    got = card_decisions(data)
    assert got[0] == Decision("2026-12-02", "Stuurgroep december 2026", "Aanpak goedgekeurd.")
    assert got[1] == Decision("5", "", "b")
    assert got[2].deadline == "2027-01-01" and got[2].actiehouder is None
    assert card_decisions(_data()) == []
    data["besluiten"] = "not a list"
    assert card_decisions(data) == []


def _numstat(repo: Path) -> str:
    return git(repo, "diff", "--numstat").strip()


@pytest.mark.parametrize("stem", ["wbw-t1-1.1", "nml-h2", "nml-h3"])
def test_add_decision_is_a_pure_append_in_git_diff(tmp_path: Path, stem: str) -> None:
    """Golden card, CRLF card (nml-h2) and BOM card (nml-h3): only added lines, old bytes untouched."""
    repo = make_repo(tmp_path / "r", cards=[stem])
    ws = Workspace(repo)
    card = ws.store.load_all().cards[0]
    before = card.path.read_bytes()
    first = Decision(
        "2026-12-02", "Stuurgroep december 2026", "Aanpak goedgekeurd;\ntijdslijn aanvullen.", "Gemeente Venlo"
    )
    saved = add_decision(ws.store, card, first)
    after = saved.path.read_bytes()
    assert after.startswith(before), "the old bytes must stay exactly as they were"
    added = after[len(before) :]
    assert b"[[besluiten]]" in added
    if b"\r\n" in before:
        assert added.count(b"\n") == added.count(b"\r\n"), "a CRLF card gets CRLF lines"
    n_added, n_deleted, _ = _numstat(repo).split("\t")
    assert n_deleted == "0" and int(n_added) >= 5
    assert card_decisions(saved) == [first]
    git(repo, "commit", "-qam", "besluit 1")
    second = Decision("2027-01-15", "Stuurgroep januari 2027", "Tijdslijn akkoord.", deadline="2027-03-01")
    again = add_decision(ws.store, saved, second)
    assert again.path.read_bytes().startswith(after)
    assert _numstat(repo).split("\t")[1] == "0"
    assert card_decisions(again) == [first, second]
    assert tomllib.loads(again.path.read_bytes().decode("utf-8-sig"))["besluiten"][1]["deadline"] == "2027-03-01"
    assert not [p for p in validate_data(again.data, ws.schema) if p.is_error and p.field == "besluiten"]


def test_add_decision_refuses_invalid_changed_and_drafted_cards(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    ws = Workspace(repo)
    card = ws.store.load_all().cards[0]
    before = card.path.read_bytes()
    with pytest.raises(DecisionError) as bad:
        add_decision(ws.store, card, Decision("2026-12-02", "Stuurgroep", "ok", deadline="2026-01-01"))
    assert bad.value.code == "decisions.invalid" and bad.value.params["field"] == "deadline"
    with pytest.raises(DecisionError) as empty:
        add_decision(ws.store, card, Decision("2026-12-02", "Stuurgroep", "  "))
    assert empty.value.params == {"field": "besluit", "problem": "missing"}
    # an unsaved draft in the editor: refused, and the draft is still there afterwards
    drafts = DraftStore(repo)
    draft_data = copy.deepcopy(card.to_dict())
    draft_data["doelstelling"] = "half getypt"
    drafts.write(card.id, card.path, card.blob, draft_data)
    with pytest.raises(DecisionError) as drafted:
        add_decision(ws.store, card, Decision(**GOOD))
    assert drafted.value.code == "decisions.draft_open"
    kept = drafts.get(card.id)
    assert kept is not None and kept.data["doelstelling"] == "half getypt"
    drafts.discard(card.id)
    # changed on disk since it was read: refused like the editor does
    card.path.write_bytes(before + b"\n# iemand anders\n")
    with pytest.raises(DecisionError) as changed:
        add_decision(ws.store, card, Decision(**GOOD))
    assert changed.value.code == "decisions.changed_on_disk"
    assert card.path.read_bytes() == before + b"\n# iemand anders\n"


def test_add_decision_through_the_library_tells_its_listeners(tmp_path: Path) -> None:
    from tui.core.library import Library

    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    lib = Library(Workspace(repo), use_cache=False)
    lib.load()
    heard: list[Any] = []
    lib.subscribe(heard.append)
    card = next(iter(lib.cards.values()))
    add_decision(lib, card, Decision(**GOOD))
    assert card_decisions(lib.cards[card.id]) == [Decision(**GOOD)]
    assert heard and heard[-1].touches(card.id)


def test_default_meeting_is_the_latest_snapshot_or_the_date(tmp_path: Path) -> None:
    from tui.core.git.gitrepo import GitRepo
    from tui.core.review.snapshots import create_snapshot

    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    assert default_meeting(repo, "2026-12-02") == "Vergadering 2026-12-02"
    assert default_meeting(tmp_path, "2026-12-02") == "Vergadering 2026-12-02"  # no git at all
    create_snapshot(GitRepo.open(repo), "Stuurgroep december 2026")
    assert default_meeting(repo, "2026-12-02") == "Stuurgroep december 2026"


def test_add_decision_refuses_a_hand_made_besluiten_that_is_no_list_of_tables(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    ws = Workspace(repo)
    card = ws.store.load_all().cards[0]
    for odd in ('besluiten = "ja"\n', 'besluiten = ["ja"]\n'):
        text = card.path.read_text(encoding="utf-8").replace('id = "WBW/T1/1.1"\n', f'id = "WBW/T1/1.1"\n{odd}')
        card.path.write_text(text, encoding="utf-8")
        odd_card = ws.store.load_all().cards[0]
        with pytest.raises(DecisionError) as refused:
            add_decision(ws.store, odd_card, Decision(**GOOD))
        assert refused.value.code == "decisions.not_a_list"
        assert card.path.read_text(encoding="utf-8") == text
        git(repo, "checkout", "--", ".")
