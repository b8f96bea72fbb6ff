"""Sign-off per field on real repositories: status from committed values, verdicts committed as
review files, and cards never touched (their bytes compared before and after)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.git.commit import CommitRefused
from tui.core.library import Library
from tui.core.review import signoff
from tui.core.review.signoff import AKKOORD, TE_BEOORDELEN, VRAAG, ReviewError
from tui.core.review.signoff_file import parse_review, render_review, review_path, value_hash
from tui.core.workspace import Workspace

CARD = "cards/nml/nml-b01.1.toml"
CARD_ID = "NML/B01.1"
REVIEW = "reviews/nml/nml-b01.1.toml"


def clock(minute: int) -> signoff.Clock:
    return lambda: datetime(2026, 12, 2, 10, minute, tzinfo=UTC)


def library(root: Path) -> Library:
    lib = Library(Workspace(root), use_cache=False)
    lib.read()
    return lib


def card_of(lib: Library, card_id: str = CARD_ID) -> Card:
    return lib.cards[card_id]


def replace_in(root: Path, rel: str, old: str, new: str, *, commit: bool = True) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if commit:
        git(root, "commit", "-qam", f"wijzig {rel}")


def cards_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "cards").rglob("*")) if p.is_file()}


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    """Two cards committed and a snapshot tag on that commit; then a title and a table sub-field changed."""
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1", "wbw-t1-1.1"])
    git(root, "tag", "-a", "-m", "Eerste versie", "snapshot/eerste-versie")
    replace_in(root, CARD, 'title = "Mentale gezondheidsnetwerken"', 'title = "Mentale netwerken"', commit=False)
    replace_in(root, CARD, 'bron_pagina = "A (1/19)"', 'bron_pagina = "A (2/19)"')
    return root


def test_without_snapshot_every_filled_field_is_to_review(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1"])
    state = signoff.review_state(root, library(root))[CARD_ID]
    assert {"id", "title", "omschrijving", "impact_fte.waarde", "kwantificering.aannames"} <= set(state)
    assert "impact_fte" not in state and "kwantificering" not in state  # tables go one level in
    assert {fr.status for fr in state.values()} == {TE_BEOORDELEN}
    assert state["impact_fte.waarde"].label.endswith("› Waarde")


def test_only_fields_changed_since_the_snapshot_are_to_review(snap: Path) -> None:
    lib = library(snap)
    state = signoff.review_state(snap, lib)
    assert set(state[CARD_ID]) == {"title", "kwantificering.bron_pagina"}
    assert state["WBW/T1/1.1"] == {}
    items = signoff.todo(snap, lib)
    assert [(i.field, i.old, i.new, i.status) for i in items] == [
        ("title", "Mentale gezondheidsnetwerken", "Mentale netwerken", TE_BEOORDELEN),
        ("kwantificering.bron_pagina", "A (1/19)", "A (2/19)", TE_BEOORDELEN),
    ]
    assert items[0].title == "Mentale netwerken" and items[0].label == "Titel" and items[0].since == "snapshot"


def test_uncommitted_edits_are_not_reviewed(snap: Path) -> None:
    replace_in(snap, CARD, 'ontvangen_van = "MetGGZ/ VIGO"', 'ontvangen_van = "Iemand anders"', commit=False)
    state = signoff.review_state(snap, library(snap))[CARD_ID]
    assert "ontvangen_van" not in state and set(state) == {"title", "kwantificering.bron_pagina"}


def test_approve_commits_only_the_review_file_and_never_a_card(snap: Path) -> None:
    replace_in(snap, "cards/wbw/wbw-t1-1.1.toml", "Welzijn op Recept", "Welzijn op Recept!", commit=False)
    git(snap, "add", "cards/wbw/wbw-t1-1.1.toml")  # staged card change: must stay out of the review commit
    before = cards_bytes(snap)
    head = git(snap, "rev-parse", "HEAD").strip()
    lib = library(snap)
    verdict = signoff.approve(snap, lib, card_of(lib), "title", clock=clock(1))
    assert cards_bytes(snap) == before
    assert git(snap, "log", "-1", "--format=%s").strip() == "Review: NML/B01.1 title akkoord"
    assert git(snap, "show", "--name-only", "--format=", "HEAD").split() == [REVIEW]
    assert git(snap, "diff", "--cached", "--name-only").split() == ["cards/wbw/wbw-t1-1.1.toml"]
    data = tomllib.loads((snap / REVIEW).read_text(encoding="utf-8"))
    assert data["card"] == CARD_ID
    entry = data["fields"]["title"]
    assert entry == {
        "verdict": "akkoord",
        "hash": value_hash("Mentale netwerken"),
        "commit": head,
        "note": "",
        "reviewer": "Test Gebruiker <test@example.org>",
        "date": "2026-12-02T10:01:00+00:00",
    }
    assert verdict.hash == entry["hash"]
    state = signoff.review_state(snap, library(snap))[CARD_ID]
    assert state["title"].status == AKKOORD and state["kwantificering.bron_pagina"].status == TE_BEOORDELEN
    assert [i.field for i in signoff.todo(snap, library(snap))] == ["kwantificering.bron_pagina"]


def test_editing_an_approved_field_makes_it_to_review_again_against_the_approved_value(snap: Path) -> None:
    lib = library(snap)
    signoff.approve(snap, lib, card_of(lib), "Titel", clock=clock(1))  # by label
    replace_in(snap, CARD, 'title = "Mentale netwerken"', 'title = "Netwerken"')
    lib = library(snap)
    [item] = [i for i in signoff.todo(snap, lib) if i.field == "title"]
    assert (item.old, item.new, item.status, item.since) == (
        "Mentale netwerken",
        "Netwerken",
        TE_BEOORDELEN,
        "approved",
    )
    replace_in(snap, CARD, 'title = "Netwerken"', 'title = "Mentale netwerken"')  # back to the approved value
    assert signoff.review_state(snap, library(snap))[CARD_ID]["title"].status == AKKOORD


def test_a_question_keeps_the_last_approved_value(snap: Path) -> None:
    lib = library(snap)
    signoff.approve(snap, lib, card_of(lib), "title", clock=clock(1))
    replace_in(snap, CARD, 'title = "Mentale netwerken"', 'title = "Netwerken"')
    lib = library(snap)
    signoff.question(snap, lib, card_of(lib), "title", "Waarom korter?\nEn wie besloot dat?", clock=clock(2))
    state = signoff.review_state(snap, library(snap))[CARD_ID]["title"]
    assert state.status == VRAAG and state.verdict is not None
    assert state.verdict.note == "Waarom korter?\nEn wie besloot dat?"
    [item] = [i for i in signoff.todo(snap, library(snap)) if i.field == "title"]
    assert (item.old, item.new, item.status, item.note) == ("Mentale netwerken", "Netwerken", VRAAG, state.verdict.note)
    replace_in(snap, CARD, 'title = "Netwerken"', 'title = "Kort"')
    [item] = [i for i in signoff.todo(snap, library(snap)) if i.field == "title"]
    assert (item.old, item.new, item.status) == ("Mentale netwerken", "Kort", TE_BEOORDELEN)
    lib = library(snap)
    signoff.approve(snap, lib, card_of(lib), "title", clock=clock(3))
    entry = parse_review((snap / REVIEW).read_bytes()).verdicts["title"]
    assert entry.verdict == AKKOORD and not entry.approved_hash  # a new approval drops the old pointer


def test_clear_coded_errors(snap: Path) -> None:
    lib = library(snap)
    card = card_of(lib)
    with pytest.raises(ReviewError) as unknown:
        signoff.approve(snap, lib, card, "bestaat.niet")
    assert unknown.value.code == "review.unknown_field" and unknown.value.params["field"] == "bestaat.niet"
    with pytest.raises(ReviewError) as unchanged:
        signoff.approve(snap, lib, card, "omschrijving")
    assert unchanged.value.code == "review.nothing_to_review"
    with pytest.raises(ReviewError) as empty:
        signoff.question(snap, lib, card, "title", "  ")
    assert empty.value.code == "review.note_required"
    signoff.approve(snap, lib, card, "title")
    with pytest.raises(ReviewError) as again:
        signoff.approve(snap, library(snap), card, "title")
    assert again.value.code == "review.nothing_to_review"
    assert "Titel" in str(again.value)  # phrased through tui/locale


def test_no_identity_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1"], identity=False, commit=False)
    git(root, "add", "-A")
    git(root, "-c", "user.name=Iemand", "-c", "user.email=i@example.org", "commit", "-qm", "eerste")
    lib = library(root)
    with pytest.raises(ReviewError) as refused:
        signoff.approve(root, lib, card_of(lib), "title")
    assert refused.value.code == "review.no_identity"
    assert not (root / "reviews").exists()


def test_a_refused_commit_leaves_no_review_file_behind(snap: Path) -> None:
    lib = library(snap)
    git(snap, "checkout", "-q", "--detach")
    with pytest.raises(CommitRefused):
        signoff.approve(snap, lib, card_of(lib), "title")
    assert not (snap / REVIEW).exists()
    assert git(snap, "status", "--porcelain").strip() == ""


def test_review_file_layout_is_stable_and_round_trips(snap: Path) -> None:
    lib = library(snap)
    signoff.approve(snap, lib, card_of(lib), "title", clock=clock(1))
    signoff.question(snap, library(snap), card_of(lib), "kwantificering.bron_pagina", 'Welke "pagina"?', clock=clock(2))
    raw = (snap / REVIEW).read_bytes()
    text = raw.decode("utf-8")
    assert text.index('[fields."kwantificering.bron_pagina"]') < text.index("[fields.title]")
    assert parse_review(raw).verdicts["kwantificering.bron_pagina"].note == 'Welke "pagina"?'
    assert render_review(parse_review(raw), CARD) == raw
    # the second verdict changed only its own table: the first commit's lines are all still there
    first = git(snap, "show", f"HEAD~1:{REVIEW}")
    assert all(line in text.splitlines() for line in first.splitlines())
    assert review_path(CARD) == REVIEW


def test_badge_and_markers(snap: Path) -> None:
    lib = library(snap)
    state = signoff.review_state(snap, lib)
    assert signoff.badge(state[CARD_ID]) == "◇" and signoff.badge(state["WBW/T1/1.1"]) == ""
    assert signoff.field_marker(state[CARD_ID], "kwantificering") == "◇"
    assert signoff.field_markers(state[CARD_ID]) == {"title": "◇", "kwantificering": "◇"}
    assert signoff.field_marker(state[CARD_ID], "omschrijving") == ""
    signoff.question(snap, lib, card_of(lib), "title", "?")
    state = signoff.review_state(snap, library(snap))
    assert signoff.badge(state[CARD_ID]) == "?" and signoff.field_marker(state[CARD_ID], "title") == "?"
    assert signoff.count(state) == signoff.ReviewCounts(te_beoordelen=1, akkoord=0, vraag=1)


def test_new_card_since_snapshot_is_to_review_field_by_field(snap: Path) -> None:
    src = load_file(snap / "cards/wbw/wbw-t1-1.1.toml")
    assert isinstance(src, Card)
    text = (snap / "cards/wbw/wbw-t1-1.1.toml").read_text(encoding="utf-8").replace("WBW/T1/1.1", "WBW/T1/9.9")
    (snap / "cards/wbw/wbw-t1-9.9.toml").write_text(text, encoding="utf-8")
    git(snap, "add", "-A")
    git(snap, "commit", "-qm", "nieuw")
    state = signoff.review_state(snap, library(snap))
    assert state["WBW/T1/9.9"]["title"].status == TE_BEOORDELEN
    assert set(state["WBW/T1/1.1"]) == set()


def test_list_badges_wait_until_reviewing_has_started(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1"])
    lib = library(root)
    assert signoff.review_state(root, lib)[CARD_ID] and signoff.list_state(root, lib) == {}
    git(root, "tag", "-a", "-m", "v1", "snapshot/v1")
    assert signoff.list_state(root, lib) == {CARD_ID: {}}


def test_an_unreadable_review_file_is_never_overwritten(snap: Path) -> None:
    (snap / "reviews/nml").mkdir(parents=True)
    broken = b'card = "NML/B01.1"\n<<<<<<< ours\n'
    (snap / REVIEW).write_bytes(broken)
    lib = library(snap)
    assert signoff.review_state(snap, lib)[CARD_ID]["title"].status == TE_BEOORDELEN
    with pytest.raises(ReviewError) as refused:
        signoff.approve(snap, lib, card_of(lib), "title")
    assert refused.value.code == "review.file_unreadable" and refused.value.params["path"] == REVIEW
    assert (snap / REVIEW).read_bytes() == broken


def test_hostile_cards_crlf_bom_and_markup(tmp_path: Path) -> None:
    from tests.conftest import HOSTILE_CARDS

    root = make_repo(tmp_path / "repo", cards=list(HOSTILE_CARDS))
    before = cards_bytes(root)
    lib = library(root)
    state = signoff.review_state(root, lib)
    assert set(state) == set(lib.cards) and all(fields for fields in state.values())
    for card in lib.cards.values():
        signoff.approve(root, library(root), card, "title")
        assert signoff.review_state(root, library(root))[card.id]["title"].status == AKKOORD
    assert cards_bytes(root) == before
    assert git(root, "status", "--porcelain").strip() == ""
