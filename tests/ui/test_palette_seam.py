"""The palette runs card actions on the screen that owns the selection, and goes to cards."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from tests.conftest import make_repo
from tests.ui.conftest import app_for, settle, wait_loaded
from tui.commands.cards import CardCommands
from tui.i18n import t
from tui.screens.editor import EditorScreen
from tui.screens.history import HistoryScreen


async def test_palette_actions_follow_the_screen(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"])
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        provider = CardCommands(app.screen)
        found = {hit.text: hit for hit in [h async for h in provider.discover()]}
        assert t("palette.edit") in found and t("palette.history") in found
        hits = [h async for h in provider.search("Reablement")]
        goto = next(h for h in hits if h.text == "Reablement")
        await _run(goto.command)
        await settle(app, pilot)
        assert app.browser.current_card_id() == "WBW/T1/1.4"
        await _run(found[t("palette.edit")].command)
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen) and app.screen.card.id == "WBW/T1/1.4"
        on_editor = {hit.text async for hit in CardCommands(app.screen).discover()}
        assert t("palette.edit") not in on_editor  # the editor owns no selection to act on
        await pilot.press("escape")
        await settle(app, pilot)
        await _run(found[t("palette.history")].command)
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)


async def _run(command: Callable[[], object]) -> None:
    """Run a palette command as the palette does (it may be a coroutine)."""
    result = command()
    if inspect.isawaitable(result):
        await result
