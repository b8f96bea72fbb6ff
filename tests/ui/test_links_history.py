"""Related cards are links (id and title, enter or click opens them); back and forward go through
the cards visited. The history itself is plain Python and is tested without Textual first."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.app import KaartenbakApp
from tui.core.visits import Visits
from tui.screens.card_screen import CardScreen
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardLink, CardView

GP = "WBW/T1/GP1"  # good practice "Welzijn op Recept", related to the project below
PROJECT = "WBW/T1/1.1"  # project "Welzijn op Recept", related to the good practice


# -- the history, without Textual ------------------------------------------------------------
def test_back_and_forward_walk_the_visits() -> None:
    v = Visits("A")
    v.visit("B")
    v.visit("C")
    assert v.back() == "B" and v.back() == "A" and v.back() is None
    assert v.current == "A"
    assert v.forward() == "B" and v.forward() == "C" and v.forward() is None


def test_a_new_visit_drops_what_lay_ahead() -> None:
    v = Visits("A")
    v.visit("B")
    v.back()
    v.visit("C")
    assert v.ids == ("A", "C") and not v.can_forward()


def test_back_first_records_the_card_the_user_wandered_to() -> None:
    v = Visits("A")
    v.visit("B")
    assert v.back(shown="X") == "B"  # X (reached with the list cursor) is recorded first
    assert v.forward() == "X"


def test_the_same_card_twice_is_one_visit_and_deleted_cards_are_skipped() -> None:
    v = Visits("A")
    v.visit("B")
    v.visit("B")
    v.visit("C")
    assert v.ids == ("A", "B", "C")
    assert v.back(exists=lambda cid: cid != "B") == "A"
    assert v.forward(exists=lambda cid: cid != "B") == "C"


def test_the_history_is_bounded() -> None:
    v = Visits(limit=3)
    for cid in "ABCDE":
        v.visit(cid)
    assert v.ids == ("C", "D", "E") and v.back() == "D"


# -- in the app ---------------------------------------------------------------------------
def links(app: KaartenbakApp) -> list[CardLink]:
    return app.screen.query_one(CardView).links


async def show(app: KaartenbakApp, pilot, card_id: str) -> None:  # type: ignore[no-untyped-def]
    app.browser.goto(card_id)
    await wait_for(pilot, lambda: bool(links(app)) and app.browser.current_card_id() == card_id, what=card_id)


async def test_related_cards_show_id_and_title_and_enter_opens_one_and_back_returns(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await show(app, pilot, GP)
        (link,) = links(app)
        assert link.card_id == PROJECT
        text = str(link.render())
        assert PROJECT in text and "Welzijn op Recept" in text
        await pilot.press("tab")  # list → card view
        await pilot.press("tab")  # → its first link
        assert app.focused is link
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.browser.current_card_id() == PROJECT, what="the related card")
        view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: "Projectplan" in view.last_text or PROJECT in view.last_text, what="its view")
        assert app.focused is view  # the link is gone with the old card; the view keeps the keys
        await pilot.press("alt+left")
        await wait_for(pilot, lambda: app.browser.current_card_id() == GP, what="back to the good practice")
        await pilot.press("alt+right")
        await wait_for(pilot, lambda: app.browser.current_card_id() == PROJECT, what="forward again")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.browser.current_card_id() == GP, what="back with [")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.browser.current_card_id() == PROJECT, what="forward with ]")


async def test_a_click_on_a_link_opens_it_from_search_results(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("slash", *"kansrijke start")
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: any(r.card_id == "WBW/T4/1c" for r in lst.rows), what="the search")
        lst.move_to("WBW/T4/1c")
        view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: bool(links(app)) and "WBW/T4/1c" in view.last_text, what="the link")
        await pilot.pause()

        def link_in_view() -> bool:  # scrolled again each look: a late redraw of the card starts at its top
            link = links(app)[0]
            view.scroll_to_widget(link, animate=False, immediate=True)
            return view.region.contains_region(link.region)

        await wait_for(pilot, link_in_view, what="the link in view")
        await pilot.click(CardLink)
        await wait_for(pilot, lambda: app.browser.current_card_id() == "WBW/T4/P", what="the linked card")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.browser.current_card_id() == "WBW/T4/1c", what="back")


async def test_an_unknown_related_id_is_shown_as_such_and_is_no_link(full_repo: Path) -> None:
    card = full_repo / "cards" / "wbw" / "wbw-t1-gp1.toml"
    card.write_text(
        card.read_text(encoding="utf-8").replace('related = ["WBW/T1/1.1"]', 'related = ["WBW/T1/1.1", "WBW/T9/weg"]'),
        encoding="utf-8",
    )
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await show(app, pilot, GP)
        view = app.browser.query_one(CardView)
        assert "WBW/T9/weg  onbekende kaart" in view.last_text
        assert [link.card_id for link in links(app)] == [PROJECT]


async def test_links_and_history_on_the_full_screen_card(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await show(app, pilot, GP)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CardScreen), what="the card screen")
        screen = app.screen
        assert isinstance(screen, CardScreen)
        await wait_for(pilot, lambda: bool(links(app)), what="the link")
        await pilot.press("tab")
        assert isinstance(app.focused, CardLink)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.card_id == PROJECT, what="the related card")
        await settle(app, pilot)
        assert PROJECT in screen.query_one(CardView).last_text
        await pilot.press("left_square_bracket")
        assert screen.card_id == GP
        await pilot.press("alt+right")
        assert screen.card_id == PROJECT
        await pilot.press("alt+left")
        assert screen.card_id == GP
        await pilot.press("escape")
        assert app.screen is app.browser
