"""Safe keys and a loading state in the editor (RELIABILITY 44, issue 12 item 5): no letter leaves
the editor or the app with unsaved edits, and keys typed while the form is built go nowhere."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static, Switch
from textual.widgets._footer import FooterKey

from tests.conftest import make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.i18n import t
from tui.screens.editor import EditorScreen


@pytest.fixture
def keys_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "nml-b22.1"])


async def _open(app, pilot, card_id: str) -> EditorScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    app.browser.goto(card_id)
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, EditorScreen) and app.screen.built
    return app.screen


@pytest.mark.parametrize(
    ("card_id", "field", "widget"),
    [
        ("NML/B22.1", "ketenaanpak", Switch),
        ("WBW/T1/1.4", "level", Select),
        ("WBW/T1/1.4", "mijlpalen", Button),
    ],
)
async def test_q_with_focus_on_a_control_does_nothing_with_unsaved_edits(
    keys_repo: Path, card_id: str, field: str, widget: type
) -> None:
    app = app_for(keys_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot, card_id)
        ed.editors["title"].query_one(Input).value = "Ongeopslagen titel"
        await settle(app, pilot)
        assert ed.dirty
        control = ed.editors[field].query(widget).first()
        control.scroll_visible()
        control.focus()
        await pilot.pause()
        assert app.focused is control
        await pilot.press("q")
        await settle(app, pilot)
        assert app.is_running and app.screen is ed
        assert ed.collect()["title"] == "Ongeopslagen titel"
        await pilot.press("escape")  # escape still asks
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog"


async def test_q_in_a_text_field_is_just_a_letter(keys_repo: Path) -> None:
    app = app_for(keys_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot, "WBW/T1/1.4")
        assert app.focused is ed.editors["title"].query_one(Input)
        await pilot.press("end", "space", "q")
        await settle(app, pilot)
        assert app.is_running and app.screen is ed
        assert ed.collect()["title"] == "Reablement q"


async def test_the_footer_does_not_offer_quit_in_the_editor(keys_repo: Path) -> None:
    app = app_for(keys_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert any(k.description == t("keys.quit") for k in app.screen.query(FooterKey))  # the list has it
        ed = await _open(app, pilot, "NML/B22.1")
        ed.editors["ketenaanpak"].query_one(Switch).focus()
        await pilot.pause()
        # the footer recomposes its keys after a focus change: wait until it has them again
        await wait_for(pilot, lambda: bool(ed.query(FooterKey)), what="the footer's keys")
        shown = [(k.key, k.description) for k in ed.query(FooterKey)]
        assert shown and not any(key == "q" or desc == t("keys.quit") for key, desc in shown), shown


class HeldEditor(EditorScreen):
    """An editor whose build waits for the test (a card that takes seconds to build)."""

    gate: asyncio.Event

    async def _ready_to_build(self) -> None:
        await super()._ready_to_build()
        await self.gate.wait()


async def test_the_editor_shows_loading_and_drops_keys_until_built(keys_repo: Path) -> None:
    app = app_for(keys_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        card = app.library.cards["WBW/T1/1.4"]
        ed = HeldEditor(app.library, card)
        ed.gate = asyncio.Event()
        app.push_screen(ed)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is ed and not ed.built
        loading = ed.query_one("#editor-loading", Static)
        assert loading.display and t("editing.loading") in str(loading.render())
        assert not ed.query_one("#form").display
        await pilot.press(*"xyz", "q", "space", "tab", "x")
        await pilot.pause()
        assert app.is_running and app.screen is ed and not ed.dirty
        ed.gate.set()
        await settle(app, pilot)
        assert ed.built and not loading.display and ed.query_one("#form").display
        title = ed.editors["title"].query_one(Input)
        assert title.value == "Reablement" and app.focused is title
        assert not ed.dirty
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.browser
