"""The sync and conflict workflows in the core, with two clones and a bare remote in tmp_path.

What the app's conflict screen and ``kaartenbak conflicts`` share: the plan before a sync, the
list of open conflicts with who changed each side, resolving each way (mine, theirs, typed
text, refused by the schema), and recording the merge commit. All answers are data (codes).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, make_repo, seed_remote
from tests.core.test_sync import clone, edit, head
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.sync.conflicts import (
    MINE,
    OWN,
    THEIRS,
    choice_value,
    conflict_set,
    record_merge,
    resolve_card,
)
from tui.core.sync.flow import changed_since, plan_sync, register_driver, run_sync
from tui.core.sync.sync import SyncStep, sync
from tui.core.workspace import Workspace

CARD = "cards/wbw/wbw-t1-1.1.toml"
CARD_ID = "WBW/T1/1.1"


@pytest.fixture
def conflicted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(remote, a, b): both changed doelstelling and aanpak differently; b's sync stopped in the merge."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    edit(a, CARD, doelstelling="Doel volgens A", aanpak="Aanpak volgens A")
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel volgens B", aanpak="Aanpak volgens B", notes="notitie van B")
    result = sync(b)
    assert result.code == "conflicts" and result.conflicts == (CARD,)
    return remote, a, b


def data(repo: Path) -> dict:
    return tomllib.loads((repo / CARD).read_text(encoding="utf-8"))


def card(repo: Path) -> Card:
    loaded = load_file(repo / CARD)
    assert isinstance(loaded, Card)
    return loaded


def test_plan_says_what_stands_in_the_way(tmp_path: Path, conflicted: tuple[Path, Path, Path]) -> None:
    remote, a, b = conflicted
    assert plan_sync(a).code == "ready"
    assert plan_sync(make_repo(tmp_path / "lone", cards=["nml-c1"])).code == "no_remote"
    plan = plan_sync(b)
    assert plan.code == "merging" and plan.unmerged == (CARD,)
    git(tmp_path, "clone", "-q", str(remote), "c")
    assert plan_sync(tmp_path / "c").code == "no_driver"
    registered = register_driver(tmp_path / "c")
    assert registered.code == "registered" and registered.changes
    assert plan_sync(tmp_path / "c").code == "ready"
    assert register_driver(tmp_path / "c").code == "already"
    missing = plan_sync(tmp_path / "bestaat-niet")
    assert missing.code == "git_error" and missing.params["message"]


def test_conflicts_are_listed_per_card_and_field_with_both_authors(conflicted: tuple[Path, Path, Path]) -> None:
    _, _, b = conflicted
    found = conflict_set(b, who=True)
    assert found.merging and not found.ready and found.others == ()
    [cc] = found.cards
    assert (cc.rel, cc.card_id) == (CARD, CARD_ID)
    assert [c.field for c in cc.conflicts] == ["doelstelling", "aanpak"]
    doel = cc.find("Doelstelling")  # by label as well as by field
    assert doel is not None and (doel.ours, doel.theirs) == ("Doel volgens B", "Doel volgens A")
    assert cc.who[(MINE, "doelstelling")].author == "Gebruiker b"
    assert cc.who[(THEIRS, "doelstelling")].author == "Gebruiker a"
    assert cc.who[(THEIRS, "aanpak")].subject.startswith("wijzig doelstelling")
    assert found.card(CARD_ID) is cc and found.card("wbw-t1-1.1") is cc and found.card(CARD) is cc
    assert conflict_set(b).cards[0].who == {}  # attribution only when asked (it reads history)


def test_resolve_each_way_then_record_the_merge(conflicted: tuple[Path, Path, Path]) -> None:
    _, a, b = conflicted
    cc = conflict_set(b).cards[0]
    doel, aanpak = cc.conflicts
    ws = Workspace(b)
    first = resolve_card(ws, card(b), {"doelstelling": choice_value(doel, THEIRS)})
    assert first.code == "saved" and first.left == ("aanpak",) and first.unmerged == (CARD,)
    assert data(b)["doelstelling"] == "Doel volgens A" and len(data(b)["conflict"]) == 1
    assert record_merge(b).code == "unresolved"  # nothing recorded while a field is open
    assert (b / ".git" / "MERGE_HEAD").exists()
    typed = choice_value(aanpak, OWN, "Aanpak van A en B samen")
    second = resolve_card(ws, card(b), {"aanpak": typed})
    assert second.code == "staged" and second.left == () and second.unmerged == () and second.merging
    got = data(b)
    assert "conflict" not in got
    assert (got["doelstelling"], got["aanpak"], got["notes"]) == (
        "Doel volgens A",
        "Aanpak van A en B samen",
        "notitie van B",
    )
    assert conflict_set(b).ready
    recorded = record_merge(b)
    assert recorded.code == "recorded" and recorded.sha == head(b)
    assert len(git(b, "rev-list", "--parents", "-n1", "HEAD").split()) == 3  # a real merge commit
    assert not (b / ".git" / "MERGE_HEAD").exists()
    assert record_merge(b).code == "no_merge"
    assert sync(b).ok and sync(a).received == 1 and data(a)["aanpak"] == "Aanpak van A en B samen"


def test_keeping_mine_everywhere(conflicted: tuple[Path, Path, Path]) -> None:
    _, _, b = conflicted
    cc = conflict_set(b).cards[0]
    values = {c.field: choice_value(c, MINE) for c in cc.conflicts}
    assert resolve_card(Workspace(b), card(b), values).code == "staged"
    assert (data(b)["doelstelling"], data(b)["aanpak"]) == ("Doel volgens B", "Aanpak volgens B")
    assert record_merge(b).code == "recorded"


def test_a_value_the_schema_refuses_writes_nothing(conflicted: tuple[Path, Path, Path]) -> None:
    _, _, b = conflicted
    before = (b / CARD).read_bytes()
    cc = conflict_set(b).cards[0]
    values = {c.field: 12 for c in cc.conflicts}  # a number where the schema wants text
    refused = resolve_card(Workspace(b), card(b), values)
    assert refused.code == "invalid" and refused.problems and not refused.ok
    assert (b / CARD).read_bytes() == before
    assert git(b, "diff", "--name-only", "--diff-filter=U").strip() == CARD


def test_typed_text_only_for_text_fields(conflicted: tuple[Path, Path, Path]) -> None:
    _, _, b = conflicted
    doel = conflict_set(b).cards[0].conflicts[0]
    assert choice_value(doel, OWN, "x") == "x"
    with pytest.raises(ValueError):
        choice_value(doel, "both")


def test_a_card_put_right_by_hand_is_staged_when_recording(conflicted: tuple[Path, Path, Path]) -> None:
    _, _, b = conflicted
    text = (b / CARD).read_text(encoding="utf-8")
    (b / CARD).write_text(text[: text.index("[[conflict]]")], encoding="utf-8")  # conflict tables removed by hand
    found = conflict_set(b)
    assert found.cards == () and found.others == () and found.ready
    assert record_merge(b).code == "recorded"


def test_files_with_text_markers_block_the_merge_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    for repo, day in ((a, "maandag"), (b, "dinsdag")):
        (repo / "afspraken.txt").write_text(f"Overleg op {day}\n", encoding="utf-8")
        git(repo, "add", "afspraken.txt")
        git(repo, "commit", "-q", "-m", f"afspraken {day}")
    assert sync(a).ok
    assert sync(b).other_conflicts == ("afspraken.txt",)
    found = conflict_set(b)
    assert found.others == ("afspraken.txt",) and not found.ready
    record = record_merge(b)
    assert record.code == "unresolved" and record.files == ("afspraken.txt",)


def test_no_identity_is_answered_not_invented(conflicted: tuple[Path, Path, Path]) -> None:
    _, _, b = conflicted
    cc = conflict_set(b).cards[0]
    resolve_card(Workspace(b), card(b), {c.field: choice_value(c, MINE) for c in cc.conflicts})
    git(b, "config", "--unset", "user.name")
    record = record_merge(b)
    assert (record.code, record.name, record.email) == ("no_identity", "", "b@example.org")
    assert (b / ".git" / "MERGE_HEAD").exists()


def test_run_sync_reads_back_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    before = head(b)
    edit(a, CARD, title="Titel van A")
    assert sync(a).ok
    steps: list[SyncStep] = []
    outcome = run_sync(b, steps.append, timeout=10)
    assert outcome.result.code == "done" and outcome.result.received == 1
    assert [step.code for step in steps] == ["fetching", "merging"]
    [(path, loaded)] = outcome.reloaded
    assert path == b / CARD and isinstance(loaded, Card) and loaded.title == "Titel van A"
    assert [p for p, _ in changed_since(b, before)] == [b / CARD]
    assert run_sync(b).reloaded == ()  # nothing new: nothing read again
