"""The main screen: loading, tree filtering, search ranking, card view, help and palette."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.conftest import CARDS
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView
from tui.widgets.theme_tree import ThemeTree

N_NML = len(list((CARDS / "nml").glob("*.toml")))  # the golden repository: both regions, every kind
N_WBW = len(list((CARDS / "wbw").glob("*.toml")))
N_ALL = N_NML + N_WBW


async def test_loads_every_card_and_fills_the_tree(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert len(app.browser.query_one(CardList).rows) == N_ALL
        tree = app.browser.query_one(ThemeTree)
        labels = [str(n.label) for n in tree.root.children]
        assert labels == [f"Noord- en Midden-Limburg (NML) ({N_NML})", f"West-Brabant West (WBW) ({N_WBW})"]


async def test_selecting_a_theme_filters_the_list(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        wbw = tree.root.children[1]
        mental = next(n for n in wbw.children if "Mentale gezondheid" in str(n.label))
        tree.select_node(mental)
        await wait_for(pilot, lambda: len(app.browser.query_one(CardList).rows) < N_ALL, what="the filter")
        rows = app.browser.query_one(CardList).rows
        assert len(rows) == 2  # WBW/T3/P1 and WBW/T3/P2
        assert all(app.library.cards[r.card_id].theme == "Mentale gezondheid" for r in rows)


async def test_typing_a_misspelled_query_finds_welzijn_op_recept(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"welzin recpt")
        rows = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: len(rows.rows) < N_ALL, what="the search results")
        first = rows.rows[0]
        assert app.library.cards[first.card_id].title == "Welzijn op Recept"
        view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: "Welzijn op Recept" in view.last_text, what="the card view")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(rows.rows) == N_ALL, what="the whole list again")
        assert app.browser.query_one("#search", Input).value == ""


async def test_accents_are_forgiven_and_filters_narrow(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "coordinatie regio:NML"
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: 0 < len(lst.rows) < N_ALL, what="the search results")
        rows = lst.rows
        assert rows and all(app.library.cards[r.card_id].region == "NML" for r in rows)
        assert any("oördinatie" in app.library.cards[r.card_id].title for r in rows[:5])


async def test_unknown_filter_gets_a_gentle_hint(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "kleur:rood welzijn"
        await wait_for(pilot, lambda: "kleur" in str(app.browser.query_one("#hint").render()), what="the hint")
        hint = str(app.browser.query_one("#hint").render())
        assert "onbekend filter" in hint and "kleur" in hint
        assert app.browser.query_one(CardList).rows


async def test_enter_opens_the_card_full_screen_and_escape_returns(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("WBW/T1/1.1")
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CardScreen"
        text = app.screen.query_one(CardView).last_text
        assert "Doelgroep + omvang" in text and "Kwetsbare ouderen vanaf 60+" in text
        await pilot.press("escape")
        assert app.screen is app.browser


async def test_help_lists_every_browser_key(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        text = str(app.screen.query_one("Static").render())
        for binding in app.browser.BINDINGS:
            if binding.description:
                assert binding.description in text
        await pilot.press("escape")
        assert app.screen is app.browser


async def test_narrow_terminal_hides_the_tree_and_still_works(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        assert app.browser.has_class("-narrow")
        assert not app.browser.query_one(ThemeTree).display or app.browser.query_one(ThemeTree).styles.display == "none"
        await pilot.press("t")
        await pilot.pause()
        assert app.browser.query_one(ThemeTree).has_class("-shown")
        await pilot.press("down")
        await wait_for(pilot, lambda: app.browser.query_one(CardView).last_text, what="the card view")


async def test_palette_goes_to_a_card_by_title(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Reablement")
        palette = app.screen
        hits = palette.query_one("CommandList")
        await wait_for(pilot, lambda: hits.option_count and "Reablement" in str(hits.get_option_at_index(0).prompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.browser.current_card_id() == "WBW/T1/1.4", what="the card")
        current = app.browser.current_card_id()
        assert current is not None and "Reablement" in app.library.cards[current].title
