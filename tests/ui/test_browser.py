"""The main screen: loading, tree filtering, search ranking, card view, help and palette."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.ui.conftest import app_for, settle, wait_loaded
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView
from tui.widgets.theme_tree import ThemeTree


async def test_loads_every_card_and_fills_the_tree(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert len(app.browser.query_one(CardList).rows) == 295
        tree = app.browser.query_one(ThemeTree)
        labels = [str(n.label) for n in tree.root.children]
        assert labels == ["Noord- en Midden-Limburg (NML) (253)", "West-Brabant West (WBW) (42)"]


async def test_selecting_a_theme_filters_the_list(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        wbw = tree.root.children[1]
        mental = next(n for n in wbw.children if "Mentale gezondheid" in str(n.label))
        tree.select_node(mental)
        await settle(app, pilot)
        rows = app.browser.query_one(CardList).rows
        assert len(rows) == 3
        assert all(app.library.cards[r.card_id].theme == "Mentale gezondheid" for r in rows)


async def test_typing_a_misspelled_query_finds_welzijn_op_recept(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"welzin recpt")
        await settle(app, pilot)
        first = app.browser.query_one(CardList).rows[0]
        assert app.library.cards[first.card_id].title == "Welzijn op Recept"
        assert "Welzijn op Recept" in app.browser.query_one(CardView).last_text
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.browser.query_one("#search", Input).value == ""
        assert len(app.browser.query_one(CardList).rows) == 295


async def test_accents_are_forgiven_and_filters_narrow(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "coordinatie regio:NML"
        await settle(app, pilot, 0.1)
        rows = app.browser.query_one(CardList).rows
        assert rows and all(app.library.cards[r.card_id].region == "NML" for r in rows)
        assert any("oördinatie" in app.library.cards[r.card_id].title for r in rows[:5])


async def test_unknown_filter_gets_a_gentle_hint(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "kleur:rood welzijn"
        await settle(app, pilot, 0.1)
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
        await settle(app, pilot, 0.1)
        assert app.browser.query_one(CardView).last_text


async def test_palette_goes_to_a_card_by_title(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Reablement")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot, 0.1)
        current = app.browser.current_card_id()
        assert current is not None and "Reablement" in app.library.cards[current].title
