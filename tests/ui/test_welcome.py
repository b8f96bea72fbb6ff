"""The first-run welcome: shown once in a real terminal, never by itself under tests."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static

from tests.ui.conftest import app_for, click, settle, wait_loaded
from tui.app import make_app
from tui.core.config import Config
from tui.i18n import language, set_language
from tui.screens.browser import BrowserScreen
from tui.screens.welcome import WelcomeScreen, marker_path, should_welcome


def welcome_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#welcome-text", Static).render())


async def test_not_shown_by_itself_in_a_headless_run(repo: Path) -> None:
    assert should_welcome(Config(path=repo / "no-config.toml"))  # a first start as far as files go
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert isinstance(app.screen, BrowserScreen)
    assert not marker_path().exists()


async def test_lists_the_panels_the_five_keys_and_help_and_escape_writes_the_marker(repo: Path) -> None:
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.show_welcome()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        text = welcome_text(app)
        for line in (
            "  /         zoeken",
            "  enter     de gekozen kaart",
            "  e         de kaart bewerken",
            "  c         je wijzigingen vastleggen",
            "  s         vastleggingen delen",
        ):
            assert line in text
        assert "Links: regio's en thema's" in text and "Midden: de kaarten" in text and "Rechts: de kaart" in text
        assert "?, f1 toont alle toetsen" in text and "ctrl+p" in text
        count = len(app.library.cards)  # the welcome speaks to the repository it opened
        assert f"{count} kaarten in {app.library.workspace.root}" in text and "eerste kaart" not in text
        assert not marker_path().exists()
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, BrowserScreen)
    assert marker_path().is_file()
    assert not should_welcome(Config(path=repo / "no-config.toml"))


async def test_enter_and_the_button_close_it(repo: Path) -> None:
    app = app_for(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        app.show_welcome()
        await pilot.pause()
        assert isinstance(app.focused, Button)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BrowserScreen)
        app.show_welcome()
        await pilot.pause()
        assert app.screen.query_one("#welcome-box").scroll_y == 0  # the title shows first, even at 24 lines
        app.screen.query_one("#welcome-start").scroll_visible(animate=False)
        await pilot.pause()
        await click(pilot, "#welcome-start")
        await settle(app, pilot)
        assert isinstance(app.screen, BrowserScreen)


async def test_the_keys_shown_follow_the_users_keymap(repo: Path) -> None:
    config = Config(path=repo / "config.toml", keymap={"search": "f3", "edit-card": "ctrl+e"}, exists=True)
    app = make_app(repo=repo, lang="nl", config=config, use_cache=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.show_welcome()
        await pilot.pause()
        text = welcome_text(app)
        assert "  f3        zoeken" in text and "  ctrl+e    de kaart bewerken" in text


def test_someone_with_a_config_file_is_no_first_timer(tmp_path: Path) -> None:
    assert should_welcome(Config(path=tmp_path / "c.toml"))
    assert not should_welcome(Config(path=tmp_path / "c.toml", exists=True))


async def test_english_welcome(repo: Path) -> None:
    before = language()
    try:
        app = app_for(repo, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_loaded(app, pilot)
            app.show_welcome()
            await pilot.pause()
            text = welcome_text(app)
            assert "Welcome to Kaartenbak" in text and f"cards in {app.library.workspace.root}" in text
    finally:
        set_language(before)
