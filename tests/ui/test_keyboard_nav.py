"""The browser by keyboard alone: tab cycles the panels, ↓ leaves the search box, the tree works,
and the widget that has the keys shows it."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input

from tests.ui.conftest import app_for, wait_for, wait_loaded
from tui.app import KaartenbakApp
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView
from tui.widgets.theme_tree import ThemeTree


def focused_id(app: KaartenbakApp) -> str:
    return app.focused.id or type(app.focused).__name__ if app.focused is not None else "nothing"


async def test_tab_and_shift_tab_cycle_tree_search_list_and_card_view(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert focused_id(app) == "list"
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(focused_id(app))
        # the first card has no links, so the view is one stop
        assert seen == ["view", "tree", "search", "list"]
        back = []
        for _ in range(4):
            await pilot.press("shift+tab")
            back.append(focused_id(app))
        assert back == ["search", "tree", "view", "list"]


async def test_down_and_enter_in_the_search_box_go_to_the_first_hit(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        lst = app.browser.query_one(CardList)
        await pilot.press("end")  # the cursor far from the top
        assert lst.cursor > 0
        await pilot.press("slash", *"kansrijke")
        search = app.browser.query_one("#search", Input)
        await wait_for(pilot, lambda: lst.rows and "Kansrijke" in lst.rows[0].title, what="the search results")
        lst.cursor = len(lst.rows) - 1  # even when the cursor was moved: ↓ lands on the best hit
        await pilot.press("down")
        assert app.focused is lst and lst.cursor == 0
        await pilot.press("e")  # a key now works on the list, it is not typed into the query
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EditorScreen", what="the editor")
        assert search.value == "kansrijke"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.browser, what="back in the browser")
        await pilot.press("slash", "enter")
        assert app.focused is lst and lst.cursor == 0


async def test_the_theme_tree_by_keyboard(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        lst = app.browser.query_one(CardList)
        everything = len(lst.rows)
        await pilot.press("t")  # the key that goes to the tree
        assert app.focused is tree and tree.cursor_node is not None
        await pilot.press("down")  # the first region (NML)
        region = tree.cursor_node
        assert region is not None and region.is_expanded
        await pilot.press("left")  # closes it
        assert not region.is_expanded
        await pilot.press("right")  # opens it
        assert region.is_expanded
        await pilot.press("right")  # to its first theme
        theme = tree.cursor_node
        assert theme is not None and theme.parent is region
        await pilot.press("enter")  # filter on it
        await wait_for(pilot, lambda: len(lst.rows) < everything, what="the filter")
        chosen = theme.data
        assert chosen is not None and all(chosen.matches(app.library.cards[r.card_id]) for r in lst.rows)
        await pilot.press("left")  # to the parent region
        assert tree.cursor_node is region
        await pilot.press("escape")  # back to the list, the filter stays
        assert app.focused is lst and len(lst.rows) < everything


async def test_t_shows_the_hidden_tree_in_a_narrow_terminal_and_hides_it_again(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        assert not tree.has_class("-shown")
        await pilot.press("t")
        assert tree.has_class("-shown") and app.focused is tree
        await pilot.press("t")  # in the tree: hide it, back to the list
        assert not tree.has_class("-shown") and app.focused is app.browser.query_one(CardList)


def _focus_look(widget: Widget) -> tuple[object, ...]:
    s = widget.styles
    return (s.border_left, s.border_right, s.border_top, s.background_tint, s.background)


async def test_every_panel_looks_different_with_focus_in_dark_and_light(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            for selector in ("#tree", "#search", "#list", "#view"):
                widget = app.browser.query_one(selector)
                app.set_focus(None)
                await pilot.pause()
                blurred = _focus_look(widget)
                widget.focus()
                await pilot.pause()
                assert _focus_look(widget) != blurred, f"{selector} shows no focus in {theme}"
            hint = app.browser.query_one("#hint")
            app.browser.query_one(CardView).focus()
            await pilot.pause()
            away = hint.styles.background
            app.browser.query_one(CardList).focus()
            await pilot.pause()
            assert hint.styles.background != away  # the list's heading line lights up with it
