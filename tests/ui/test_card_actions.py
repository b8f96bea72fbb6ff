"""Duplicate and delete a card from the main screen."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, click, settle, wait_for, wait_loaded
from tui.widgets.card_list import CardList
from tui.screens.editor import EditorScreen


async def test_duplicate_opens_a_new_card_under_a_new_id(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"])
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("WBW/T1/1.4")
        await pilot.press("d")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen) and ed.new
        data = ed.collect()
        assert data["title"] == "Reablement (kopie)" and data["id"] == "WBW/reablement-kopie"
        assert data["doelstelling"] == app.library.cards["WBW/T1/1.4"].data["doelstelling"]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "WBW/reablement-kopie" in app.library.cards
    assert (repo / "cards" / "wbw" / "wbw-reablement-kopie.toml").is_file()
    assert (repo / "cards" / "wbw" / "wbw-t1-1.4.toml").is_file()


async def test_delete_asks_explains_and_removes(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"])
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("WBW/T1/1.4")
        await pilot.press("delete")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "git restore -- cards/wbw/wbw-t1-1.4.toml" in app.screen.detail
        await pilot.press("escape")
        await pilot.pause()
        assert (repo / "cards/wbw/wbw-t1-1.4.toml").is_file()
        await pilot.press("delete")
        await pilot.pause()
        await click(pilot, "#yes")
        await settle(app, pilot)
        assert "WBW/T1/1.4" not in app.library.cards
        assert [r.card_id for r in app.browser.query_one("#list").rows] == ["WBW/T1/1.1"]
    assert not (repo / "cards/wbw/wbw-t1-1.4.toml").exists()
    git(repo, "restore", "--", "cards/wbw/wbw-t1-1.4.toml")
    assert (repo / "cards/wbw/wbw-t1-1.4.toml").is_file()


async def test_export_from_the_app_writes_the_listed_cards(tmp_path: Path, isolated_env: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1", "nml-b22.1"])
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search").value = "regio:WBW"
        rows = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: len(rows.rows) == 2, what="the WBW cards only")
        await app.screen.run_action("export")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog" and "2 kaarten exporteren" in app.screen.question
        await click(pilot, "#choice-html")
        await settle(app, pilot)
    files = list(isolated_env.rglob("kaarten-*.html"))
    assert len(files) == 1
    html = files[0].read_text(encoding="utf-8")
    assert "Reablement" in html and "Welzijn op Recept" in html and "KETENAANPAK" not in html
