"""The review screen (b, or the palette) under ``App.run_test`` on a real repository: the queue
field by field, akkoord and vraag committed from a worker, the card opened, cards untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.core.review.signoff_file import parse_review
from tui.dialogs.review_note import ReviewNoteDialog
from tui.screens.card_screen import CardScreen
from tui.screens.review import ReviewScreen, diff_text

CARD = "cards/nml/nml-b01.1.toml"
REVIEW = "reviews/nml/nml-b01.1.toml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A snapshot, then the title and the description changed (a hostile bit in the description)."""
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1", "wbw-t1-1.1"])
    git(root, "tag", "-a", "-m", "v1", "snapshot/v1")
    path = root / CARD
    text = path.read_text(encoding="utf-8")
    text = text.replace('title = "Mentale gezondheidsnetwerken"', 'title = "Mentale [b]netwerken[/b]"')
    text = text.replace("Een laagdrempelige toegang", "Een zeer laagdrempelige toegang")
    path.write_text(text, encoding="utf-8")
    git(root, "commit", "-qam", "twee velden")
    return root


def text_of(screen: ReviewScreen, part: str) -> str:
    return str(screen.query_one(f"#review-{part}", Static).render())


def cards_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "cards").rglob("*")) if p.is_file()}


async def open_review(app, pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    await pilot.press("b")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded, what="the queue")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_walk_approve_and_question(repo: Path) -> None:
    before = cards_bytes(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert [i.field for i in screen.items] == ["title", "omschrijving"]
        assert text_of(screen, "position") == "Veld 1 van 2"
        assert "Mentale [b]netwerken[/b]" in text_of(screen, "card")  # card text is never markup
        assert "Titel" in text_of(screen, "field") and "te beoordelen" in text_of(screen, "field")
        await pilot.press("n")
        assert text_of(screen, "position") == "Veld 2 van 2"
        diff = screen.query_one("#review-diff", Static).render()
        assert "zeer " in str(diff)
        await pilot.press("p")
        assert screen.index == 0
        await pilot.press("a")
        await wait_for(pilot, lambda: not screen.busy and len(screen.items) == 1, what="the approval")
        assert git(repo, "log", "-1", "--format=%s").strip() == "Review: NML/B01.1 title akkoord"
        assert screen.current is not None and screen.current.field == "omschrijving"
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewNoteDialog), what="the note dialog")
        await pilot.press("enter")  # empty: refused in place
        assert isinstance(app.screen, ReviewNoteDialog)
        box = app.screen.query_one("#review-note-box")
        assert box.outer_size.height < app.size.height // 2, "one line to type: a short dialog"
        app.screen.query_one("#review-note", Input).value = "Waarom 'zeer'?"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and not screen.busy and screen.items[0].status == "vraag")
        await settle(app, pilot)
        assert "Waarom 'zeer'?" in text_of(screen, "question")
    verdicts = parse_review((repo / REVIEW).read_bytes()).verdicts
    assert (verdicts["title"].verdict, verdicts["omschrijving"].verdict) == ("akkoord", "vraag")
    assert cards_bytes(repo) == before
    assert git(repo, "status", "--porcelain").strip() == ""


async def test_enter_opens_the_card_and_an_empty_queue_says_so(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", cards=["nml-b01.1"])
    git(root, "tag", "-a", "-m", "v1", "snapshot/v1")
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.items == [] and "Niets te beoordelen" in text_of(screen, "position")
        await pilot.press("a")  # nothing happens, nothing breaks
        await settle(app, pilot)
        assert not (root / "reviews").exists()
    path = root / CARD
    path.write_text(path.read_text(encoding="utf-8").replace("Mentale", "Lokale", 1), encoding="utf-8")
    git(root, "commit", "-qam", "titel")
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CardScreen), what="the card")
        assert app.screen.card_id == "NML/B01.1"  # type: ignore[attr-defined]
        from tui.widgets.card_view import CardView

        view = app.screen.query_one(CardView)
        await wait_for(pilot, lambda: "Lokale gezondheidsnetwerken ◇" in view.last_text, what="the title marker")


def test_diff_text_is_word_level_and_plain() -> None:
    text = diff_text("een twee drie", "een vier drie")
    assert text.plain == "een twee vier drie"
    styles = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styles == {"twee": "red strike", "vier": "green bold"}
    assert diff_text(None, 3).plain == "- (leeg)\n+ 3"


async def test_badge_in_the_list_marker_in_the_card_view_and_counts_in_the_overview(repo: Path) -> None:
    from tui.screens.browser import BrowserScreen
    from tui.screens.overview import OverviewScreen
    from tui.widgets.card_list import CardList
    from tui.widgets.card_view import CardView

    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        await wait_for(pilot, lambda: "NML/B01.1" in browser.review, what="the review state")
        rows = {r.card_id: r for r in browser.query_one(CardList).rows}
        assert rows["NML/B01.1"].badges.endswith("◇") and "◇" not in rows["WBW/T1/1.1"].badges
        app.browser.goto("NML/B01.1")
        await wait_for(pilot, lambda: "Omschrijving ◇" in browser.query_one(CardView).last_text, what="the marker")
        assert "Mentale [b]netwerken[/b] ◇" in browser.query_one(CardView).last_text
        assert "Ontvangen van ◇" not in browser.query_one(CardView).last_text
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.review is not None)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        assert str(overview.query_one("#overview-review", Static).render()) == (
            "Beoordeling: 2 te beoordelen · 0 akkoord · 0 vraag"
        )
        await pilot.press("escape")
        screen = await open_review(app, pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewNoteDialog))
        app.screen.query_one("#review-note", Input).value = "Klopt dit?"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and not screen.busy and screen.items[0].status == "vraag")
        await pilot.press("escape")
        await wait_for(pilot, lambda: browser.badges("NML/B01.1").endswith("?"), what="the question badge")


async def test_the_review_screen_speaks_english(repo: Path) -> None:
    app = app_for(repo, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert text_of(screen, "position") == "Field 1 of 2"
        assert "Field: Title" in text_of(screen, "field") and "[to review]" in text_of(screen, "field")
        assert text_of(screen, "since") == "Since the latest snapshot:"


async def test_blame_shows_each_fields_review_status(repo: Path) -> None:
    from textual.widgets import DataTable

    from tui.cli import main
    from tui.screens.blame import BlameScreen

    assert main(["--repo", str(repo), "review", "approve", "NML/B01.1", "title"]) == 0
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("NML/B01.1")
        await pilot.press("enter")  # the full card, where b is blame
        await wait_for(pilot, lambda: isinstance(app.screen, CardScreen), what="the card")
        await pilot.press("b")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, BlameScreen) and app.screen.query_one(DataTable).row_count > 0,
            what="the blame table",
        )
        table = app.screen.query_one(DataTable)
        cells = {str(k.value): [c.plain for c in table.get_row(k)] for k in table.rows}
        assert cells["title"][-1] == "✓ akkoord"
        assert cells["omschrijving"][-1] == "◇ te beoordelen"
        assert cells["theme"][-1] == ""  # not changed since the snapshot: nothing to review
