"""The running app notices what changes outside it, and keeps broken files in sight.

The disk poll's timer is off in these tests (``poll_interval=0``): each test calls
``app.check_disk()`` itself and waits for the worker, so nothing depends on timing.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.conftest import git, make_repo, seed_remote
from tests.ui.conftest import click, heard, settle, wait_loaded
from tui.app import KaartenbakApp, make_app
from tui.core.config import Config
from tui.dialogs.choice import ChoiceDialog
from tui.screens.card_screen import CardScreen
from tui.screens.editor import EditorScreen
from tui.screens.overview import OverviewScreen
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView
from tui.widgets.status_header import StatusHeader

CARD_ID = "WBW/T1/1.4"
CARD = "cards/wbw/wbw-t1-1.4.toml"


def _app(repo: Path) -> KaartenbakApp:
    return make_app(repo=repo, lang="nl", config=Config(path=repo / "no-config.toml"), use_cache=False, poll_interval=0)


def _aged(repo: Path) -> Path:
    """Card files with an old mtime, as in a clone that was not just written."""
    old = time.time_ns() - 3600 * 1_000_000_000
    for p in (repo / "cards").rglob("*.toml"):
        os.utime(p, ns=(old, old))
    return repo


async def _poll(app: KaartenbakApp, pilot: Pilot[Any]) -> None:
    worker = app.check_disk()
    assert worker is not None
    await worker.wait()
    await settle(app, pilot)
    await settle(app, pilot)


def _rows(app: KaartenbakApp) -> list[Any]:
    return app.browser.query_one(CardList).rows


def _view(app: KaartenbakApp) -> str:
    return app.screen.query_one(CardView).last_text


def _retitle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f'title = "{old}"' in text
    path.write_text(text.replace(f'title = "{old}"', f'title = "{new}"'), encoding="utf-8")


async def test_git_pull_shows_up_in_list_and_view(tmp_path: Path) -> None:
    remote = seed_remote(tmp_path)
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    for clone in (mine, theirs):
        git(tmp_path, "clone", "-q", str(remote), clone.name)
        git(clone, "config", "user.name", f"Iemand {clone.name}")
        git(clone, "config", "user.email", f"{clone.name}@example.org")
    _aged(mine)
    app = _app(mine)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        target = next((theirs / "cards").rglob("wbw-t1-1.1.toml"))
        card = next(c for c in app.library.cards.values() if c.path.name == target.name)
        app.browser.goto(card.id)
        await settle(app, pilot)
        assert card.title in _view(app)
        _retitle(target, card.title, "Binnengehaald met git pull")
        git(theirs, "commit", "-qam", "Nieuwe titel")
        git(theirs, "push", "-q")
        git(mine, "pull", "-q")
        await _poll(app, pilot)
        assert "Binnengehaald met git pull" in [r.title for r in _rows(app)]
        assert "Binnengehaald met git pull" in _view(app)
        assert app.browser.current_card_id() == card.id


async def test_edit_with_mtime_put_back_is_shown_and_a_touch_is_not(tmp_path: Path) -> None:
    repo = _aged(make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"]))
    app = _app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await settle(app, pilot)
        view = app.browser.query_one(CardView)
        before = list(view.children)
        os.utime(repo / CARD)  # touch: same content
        await _poll(app, pilot)
        assert list(view.children) == before, "a touch re-rendered the card"
        path = repo / CARD
        st = path.stat()
        _retitle(path, "Reablement", "Reablemenx")  # same size
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        await _poll(app, pilot)
        assert "Reablemenx" in _view(app)


async def test_open_card_screen_follows_the_disk(tmp_path: Path) -> None:
    repo = _aged(make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"]))
    app = _app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CardScreen)
        _retitle(repo / CARD, "Reablement", "Van buiten")
        await _poll(app, pilot)
        assert "Van buiten" in _view(app)
        (repo / CARD).unlink()
        await _poll(app, pilot)
        assert isinstance(app.screen, CardScreen)
        assert "buiten Kaartenbak verwijderd" in _view(app)


async def test_editor_untouched_takes_the_new_version_and_says_so(tmp_path: Path) -> None:
    repo = _aged(make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"]))
    app = _app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        _retitle(repo / CARD, "Reablement", "Van buiten")
        await _poll(app, pilot)
        assert app.screen is editor
        assert editor.collect()["title"] == "Van buiten" and not editor.dirty
        assert any("buiten Kaartenbak gewijzigd" in n for n in heard(app))


async def test_editor_with_typed_text_offers_mine_theirs_merge_at_once(tmp_path: Path) -> None:
    repo = _aged(make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"]))
    app = _app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.editors["title"].set_value("Mijn titel")
        await settle(app, pilot)
        assert editor.dirty
        _retitle(repo / CARD, "Reablement", "Van buiten")
        await _poll(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert {"mine", "theirs", "merge"} <= {c[0] for c in dialog.choices}
        await click(pilot, "#choice-theirs")
        await settle(app, pilot)
        assert app.screen is editor and editor.collect()["title"] == "Van buiten"


async def test_broken_and_duplicate_files_stay_visible_until_fixed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"])
    broken = repo / "cards" / "wbw" / "kapot.toml"
    broken.write_text('id = "WBW/kapot"\ntitle = "open\n', encoding="utf-8")
    source = (repo / CARD).read_text(encoding="utf-8")
    (repo / "cards" / "wbw" / "zz-kopie.toml").write_text(source.replace("Reablement", "Kopie"), encoding="utf-8")
    app = _app(_aged(repo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await settle(app, pilot)
        rows = _rows(app)
        problems = [r for r in rows if r.problem]
        assert [r.title for r in problems] == ["cards/wbw/kapot.toml", "cards/wbw/zz-kopie.toml"]
        assert all(r.badges == "✗" for r in problems)
        header = app.browser.query_one(StatusHeader)
        assert "2 bestanden met een probleem" in str(header.render())
        app.browser.query_one(CardList).cursor = 0
        await settle(app, pilot)
        text = _view(app)
        assert "cards/wbw/kapot.toml" in text and "Regel 2, kolom" in text and "Reden:" in text
        assert app.browser.current_card_id() is None  # nothing to edit on a broken file
        app.browser.query_one(CardList).cursor = 1
        await settle(app, pilot)
        assert "WBW/T1/1.4" in _view(app) and "cards/wbw/wbw-t1-1.4.toml" in _view(app)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        overview = " ".join(str(s.render()) for s in app.screen.query(".ov-note, .ov-region"))
        assert "2 bestanden kunnen niet als kaart worden getoond: 1 onleesbaar, 1 met een dubbele id" in overview
        invalid = re.search(r"(\d+) ongeldig", overview)
        assert invalid is not None and int(invalid.group(1)) >= 2  # never "0 ongeldig" with broken files
        await pilot.press("escape")
        await settle(app, pilot)
        broken.write_text(source.replace(CARD_ID, "WBW/T1/9.9"), encoding="utf-8")  # repaired
        await _poll(app, pilot)
        assert [r.title for r in _rows(app) if r.problem] == ["cards/wbw/zz-kopie.toml"]
        assert "1 bestand met een probleem" in str(header.render())
        assert "WBW/T1/9.9" in [r.card_id for r in _rows(app)]


async def test_editor_hears_at_once_when_its_file_is_deleted(tmp_path: Path) -> None:
    repo = _aged(make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"]))
    app = _app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        (repo / CARD).unlink()
        await _poll(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert {c[0] for c in dialog.choices} == {"recreate", "keep"}
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is editor and editor.collect()["title"] == "Reablement"  # the edit is kept
