"""Bulk edits in the app: space and * mark cards in the list, B opens the dialog, the preview lists
every affected card before anything is written, and confirming writes them and offers one commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static, TextArea

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, heard, settle, wait_for, wait_loaded
from tests.ui.rendered import screen_text
from tui.app import KaartenbakApp
from tui.dialogs.bulk import BulkDialog
from tui.dialogs.commit import CommitDialog
from tui.screens.bulk_preview import BulkPreviewScreen
from tui.widgets.card_list import PICK_MARK, CardList

CARDS = ["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t3-p1", "wbw-t3-p2", "wbw-t1-gp1", "nml-c1", "wbw-t8-h1"]
HOSTILE = "Markup [/] en [@click=app.quit]x[/] [bold]vet[/]"  # the title of wbw-t8-h1


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", cards=CARDS)


def hint(app: KaartenbakApp) -> str:
    return str(app.browser.query_one("#hint", Static).render())


async def search(app: KaartenbakApp, pilot, text: str, count: int) -> CardList:  # type: ignore[no-untyped-def]
    app.browser.query_one("#search", Input).value = text
    lst = app.browser.query_one(CardList)
    await wait_for(pilot, lambda: len(lst.rows) == count, what=f"{count} cards for {text}")
    lst.focus()
    await pilot.pause()
    return lst


async def test_space_marks_and_unmarks_the_card_under_the_cursor(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        lst = app.browser.query_one(CardList)
        lst.focus()
        first = lst.rows[0].card_id
        await pilot.press("space")
        assert lst.picked == {first}
        assert lst.cursor == 1  # on to the next card
        await wait_for(pilot, lambda: "1 gemarkeerd" in hint(app), what="the count in the hint")
        assert PICK_MARK.strip() in screen_text(app)
        await pilot.press("up", "space")
        assert lst.picked == set()
        await wait_for(pilot, lambda: "gemarkeerd" not in hint(app), what="the count gone")


async def test_star_marks_every_listed_card_and_again_unmarks_all(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        lst = await search(app, pilot, "thema:mentale", 2)
        await pilot.press("asterisk")
        assert lst.picked == {"WBW/T3/P1", "WBW/T3/P2"}
        await wait_for(pilot, lambda: "2 gemarkeerd" in hint(app), what="the count in the hint")
        assert "Alle 2 kaarten gemarkeerd" in heard(app)
        await pilot.press("asterisk")
        assert lst.picked == set()


async def test_b_previews_then_writes_the_marked_cards_and_offers_one_commit(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        await search(app, pilot, "thema:mentale", 2)
        await pilot.press("asterisk", "B")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkDialog), what="the bulk dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkDialog)
        dialog.query_one("#bulk-field", Select).value = "betrokken_organisaties"
        await wait_for(pilot, lambda: dialog.op == "append", what="append chosen for a list field")
        dialog.query_one("#bulk-value", Input).focus()
        await pilot.press(*"Gemeente Venlo")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkPreviewScreen), what="the preview")
        preview = app.screen
        assert isinstance(preview, BulkPreviewScreen)
        await wait_for(pilot, lambda: preview.plan is not None, what="the plan")
        text = str(preview.query_one("#bulk-preview-text", Static).render())
        assert text.count("+ Gemeente Venlo") == 2
        assert "WBW/T3/P1  Meer inzetten op collectieve preventie" in text
        assert "2 kaarten worden gewijzigd" in str(preview.query_one("#bulk-summary", Static).render())
        assert git(root, "status", "--porcelain") == ""  # nothing written before confirm
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CommitDialog), what="the commit dialog")
        commit = app.screen
        assert isinstance(commit, CommitDialog)
        assert sorted(c.path for c in commit.changes) == ["cards/wbw/wbw-t3-p1.toml", "cards/wbw/wbw-t3-p2.toml"]
        message = commit.query_one(TextArea).text
        assert message.splitlines()[0] == 'Bulk: betrokken_organisaties + "Gemeente Venlo" op 2 kaarten (thema:mentale)'
        assert app.browser.query_one(CardList).picked == set()  # unmarked once written
        assert "Gemeente Venlo" in app.library.cards["WBW/T3/P1"].data["betrokken_organisaties"]  # the app knows
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommitDialog), what="the commit")
        await settle(app, pilot)
    assert git(root, "show", "--numstat", "--format=", "HEAD").split() == [
        "1",
        "0",
        "cards/wbw/wbw-t3-p1.toml",
        "1",
        "0",
        "cards/wbw/wbw-t3-p2.toml",
    ]


async def test_refused_cards_are_listed_with_their_reason_and_nothing_is_written(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        await search(app, pilot, "thema:mentale", 2)
        await pilot.press("asterisk", "B")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkDialog), what="the bulk dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkDialog)
        dialog.query_one("#bulk-field", Select).value = "level"
        await pilot.pause()
        dialog.query_one("#bulk-value", Input).value = "portefeuille"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkPreviewScreen), what="the preview")
        preview = app.screen
        assert isinstance(preview, BulkPreviewScreen)
        await wait_for(pilot, lambda: preview.plan is not None, what="the plan")
        text = str(preview.query_one("#bulk-preview-text", Static).render())
        assert "'portefeuille' mag niet; kies uit: project, programme" in text
        assert preview.query_one("#bulk-write", Button).disabled
        await pilot.press("escape")  # back to the dialog, as it was, to adjust the value
        await wait_for(pilot, lambda: isinstance(app.screen, BulkDialog), what="the dialog again")
        again = app.screen
        assert isinstance(again, BulkDialog)
        await pilot.pause()
        assert again.field_key == "level" and again.op == "set"
        assert again.query_one("#bulk-value", Input).value == "portefeuille"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.browser, what="back in the browser")
    assert git(root, "status", "--porcelain") == ""


async def test_b_without_marks_works_on_the_cursor_card(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one(CardList).focus()
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkDialog), what="the bulk dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkDialog)
        assert len(dialog.cards) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.browser, what="back in the browser")


async def test_b_with_nothing_listed_says_what_to_do(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await search(app, pilot, "zzzqqqxxx", 0)
        await pilot.press("B")
        await pilot.pause()
        assert app.screen is app.browser
        assert any("markeer kaarten met spatie" in h for h in heard(app))


async def test_card_text_in_the_preview_is_shown_literally(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one(CardList).focus()
        await pilot.press("asterisk", "B")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkDialog), what="the bulk dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkDialog)
        assert len(dialog.cards) == len(CARDS)
        dialog.query_one("#bulk-field", Select).value = "betrokken_organisaties"
        await wait_for(pilot, lambda: dialog.op == "append", what="append chosen for a list field")
        dialog.query_one("#bulk-value", Input).value = "[bold]Gemeente[/] Venlo"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkPreviewScreen), what="the preview")
        preview = app.screen
        assert isinstance(preview, BulkPreviewScreen)
        await wait_for(pilot, lambda: preview.plan is not None, what="the plan")
        await pilot.pause()
        shown = screen_text(app)
        assert HOSTILE in shown  # skipped (a good practice has no such field), its title literal
        assert "+ [bold]Gemeente[/] Venlo" in shown
        assert app.is_running


async def test_the_operation_follows_the_kind_of_field(root: Path) -> None:
    app = app_for(root)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        await search(app, pilot, "thema:mentale", 2)
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BulkDialog), what="the bulk dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkDialog)
        labels = [str(prompt) for prompt, _ in dialog.query_one("#bulk-field", Select)._options]
        assert "Betrokken organisaties (betrokken_organisaties)" in labels  # schema labels with the key
        dialog.query_one("#bulk-field", Select).value = "betrokken_organisaties"
        await wait_for(pilot, lambda: dialog.op == "append", what="a list field: add")
        dialog.query_one("#bulk-field", Select).value = "title"
        await wait_for(pilot, lambda: dialog.op == "set", what="a text field: set again")
        dialog.query_one("#bulk-value", Input).value = ""
        dialog.query_one("#bulk-op", Select).value = "remove"
        await pilot.pause()
        dialog.query_one("#bulk-field", Select).value = "betrokken_organisaties"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BulkDialog)  # nothing to remove given: the dialog says so
        assert "geef een waarde" in str(dialog.query_one("#bulk-problem", Static).render())
