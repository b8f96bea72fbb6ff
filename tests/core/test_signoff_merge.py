"""Review files merge per field through the real merge driver and the real ``sync``: two clones,
a bare remote and two identities. Different fields never conflict; the same field judged
differently on both sides is settled by the latest date (a tie goes to ``vraag``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import DRIVER_PROGRAM, ROOT, clone_with_driver, git, make_repo, seed_remote
from tui.core.git.init_repo import ATTRIBUTE_LINES, attributes_path, init_repo
from tui.core.library import Library
from tui.core.review import signoff
from tui.core.review.signoff_file import ReviewFile, Verdict, parse_review, render_review
from tui.core.review.signoff_merge import merge_review_bytes, merge_verdicts
from tui.core.sync.flow import plan_sync, register_driver
from tui.core.sync.sync import sync
from tui.core.workspace import Workspace

CARD = "cards/nml/nml-b01.1.toml"
CARD_ID = "NML/B01.1"
REVIEW = "reviews/nml/nml-b01.1.toml"


def at(minute: int) -> signoff.Clock:
    return lambda: datetime(2026, 12, 2, 10, minute, tzinfo=UTC)


def library(root: Path) -> Library:
    lib = Library(Workspace(root), use_cache=False)
    lib.read()
    return lib


def review(root: Path, verdict: str, field: str, minute: int, note: str = "") -> None:
    lib = library(root)
    card = lib.cards[CARD_ID]
    if verdict == "akkoord":
        signoff.approve(root, lib, card, field, note, clock=at(minute))
    else:
        signoff.question(root, lib, card, field, note, clock=at(minute))


def cards_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "cards").rglob("*")) if p.is_file()}


@pytest.fixture
def clones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Clones a and b (users "Gebruiker a" / "Gebruiker b") of a remote without snapshot: all fields to review."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    clone_with_driver(remote, a)
    clone_with_driver(remote, b)
    return a, b


def test_two_reviewers_on_different_fields_merge_without_conflict(clones: tuple[Path, Path]) -> None:
    a, b = clones
    review(a, "akkoord", "title", 1)
    review(b, "vraag", "omschrijving", 2, "Welke huisartsen?")
    review(b, "akkoord", "impact_fte.waarde", 3)
    before_a, before_b = cards_bytes(a), cards_bytes(b)
    assert sync(a).ok
    result = sync(b)  # both created reviews/nml/nml-b01.1.toml: an add/add merged per field
    assert result.ok and result.conflicts == () and result.other_conflicts == ()
    assert sync(a).ok
    assert (a / REVIEW).read_bytes() == (b / REVIEW).read_bytes()
    merged = parse_review((a / REVIEW).read_bytes())
    assert set(merged.verdicts) == {"title", "omschrijving", "impact_fte.waarde"}
    assert merged.verdicts["title"].reviewer == "Gebruiker a <a@example.org>"
    assert merged.verdicts["omschrijving"].reviewer == "Gebruiker b <b@example.org>"
    assert "<<<<<<<" not in (a / REVIEW).read_text(encoding="utf-8")
    assert cards_bytes(a) == before_a and cards_bytes(b) == before_b
    state = signoff.review_state(a, library(a))[CARD_ID]
    assert (state["title"].status, state["omschrijving"].status, state["impact_fte.waarde"].status) == (
        "akkoord",
        "vraag",
        "akkoord",
    )


@pytest.mark.parametrize("a_minute, b_minute", [(5, 4), (4, 5)])
def test_same_field_judged_differently_latest_date_wins_on_both_sides(
    clones: tuple[Path, Path], a_minute: int, b_minute: int
) -> None:
    a, b = clones
    review(a, "akkoord", "omschrijving", 1)  # shared first: the file exists on both sides
    assert sync(a).ok and sync(b).ok
    review(a, "akkoord", "title", a_minute, "prima")
    review(b, "vraag", "title", b_minute, "Is dit de definitieve titel?")
    assert sync(a).ok
    result = sync(b)
    assert result.ok and result.conflicts == () and result.other_conflicts == ()
    assert sync(a).ok
    winner = ("akkoord", "prima", "Gebruiker a <a@example.org>")
    if b_minute > a_minute:
        winner = ("vraag", "Is dit de definitieve titel?", "Gebruiker b <b@example.org>")
    for clone in (a, b):
        got = parse_review((clone / REVIEW).read_bytes()).verdicts
        assert (got["title"].verdict, got["title"].note, got["title"].reviewer) == winner
        assert got["omschrijving"].verdict == "akkoord"
        assert signoff.review_state(clone, library(clone))[CARD_ID]["title"].status == winner[0]
    assert git(b, "status", "--porcelain").strip() == ""


def entry(verdict: str, date: str, note: str = "") -> Verdict:
    return Verdict(hash="sha256:x", verdict=verdict, reviewer="R <r@example.org>", date=date, note=note)


def test_merge_rules() -> None:
    base = entry("akkoord", "2026-12-01T10:00:00+00:00")
    late = entry("akkoord", "2026-12-02T10:00:00+00:00", "later")
    early = entry("vraag", "2026-12-01T11:00:00+00:00", "eerder")
    assert merge_verdicts(base, base, late) == late and merge_verdicts(base, late, base) == late
    assert merge_verdicts(base, early, late) == late and merge_verdicts(base, late, early) == late
    tie_ok, tie_q = entry("akkoord", "2026-12-03T10:00:00+00:00"), entry("vraag", "2026-12-03T10:00:00+00:00", "?")
    assert merge_verdicts(None, tie_ok, tie_q) == tie_q == merge_verdicts(None, tie_q, tie_ok)
    assert merge_verdicts(base, None, late) == late  # judged again beats removed
    assert merge_verdicts(base, None, base) is None


def test_unreadable_side_falls_back_to_text_merge() -> None:
    good = render_review(ReviewFile("X", {"title": entry("akkoord", "2026-12-01")}), CARD)
    assert merge_review_bytes(b"", good, b"[fields\n", CARD) is None
    assert merge_review_bytes(b"", good, good, CARD) == good


def test_existing_clones_get_the_review_attribute_on_the_next_setup(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "old", cards=["nml-c1"])
    git(root, "remote", "add", "origin", str(tmp_path / "nergens.git"))
    init_repo(root, program=DRIVER_PROGRAM, textconv=False)
    path = attributes_path(root)
    old = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("reviews/")]
    path.write_text("\n".join(old) + "\n", encoding="utf-8")  # as an older Kaartenbak left it
    assert plan_sync(root).code == "no_driver"
    assert register_driver(root, textconv=False).code == "registered"
    assert all(line in path.read_text(encoding="utf-8").splitlines() for line in ATTRIBUTE_LINES)
    assert plan_sync(root).code != "no_driver"
    assert "reviews/**/*.toml merge=kaartenbak" in ATTRIBUTE_LINES
