"""No control character from a card, file name, commit message or git output reaches the terminal.

Every screen and dialog is opened on a repository with a hostile card, and every segment it
renders is checked (RELIABILITY 21, 22, 45): both what each widget draws itself and what the
compositor sends to the terminal. The editor must also *keep* the characters it shows visibly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, TextArea
from textual.widgets._toast import Toast

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, settle, wait_loaded
from tests.ui.rendered import raw_segments, screen_text
from tui.app import KaartenbakApp
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.drafts import Draft
from tui.core.workspace import Workspace
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.commit import CommitDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.error import ErrorDialog
from tui.dialogs.recover import RecoverDraftDialog
from tui.screens.blame import BlameScreen
from tui.screens.conflict import CombineDialog, ConflictScreen
from tui.screens.editor import EditorScreen
from tui.screens.history import HistoryScreen

HOSTILE = (
    "\x1b]0;PWNED\x07 \x1b[2J \x9b6n \x9d0;OSC\x07 \x1b]52;c;SGFjaw==\x1b\\"  # title, clear, CSI, OSC, clipboard
    " [@click=app.quit]x[/] \u202eTXT\u2066\u200b\x7f"  # markup, bidi override and isolate, zero width, DEL
)
TITLE = "Titel " + HOSTILE
CARD_ID = "WBW/T1/1.4"
CARD = "cards/wbw/wbw-t1-1.4.toml"
CONFLICT_ID = "WBW/T1/1.1"
CONFLICT_CARD = "cards/wbw/wbw-t1-1.1.toml"


def _save(repo: Path, rel: str, change: dict[str, object]) -> None:
    card = load_file(repo / rel)
    assert isinstance(card, Card)
    Workspace(repo).store.save(card, {**card.to_dict(), **change})


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    """A card with escapes everywhere, committed by a hostile author with a hostile message, and
    changed again (so the commit dialog lists it); a second card with a hostile conflict; a broken
    card file with a hostile name."""
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "wbw-t1-1.1"])
    _save(repo, CARD, {"title": TITLE, "theme": HOSTILE, "notes": HOSTILE, "betrokken_organisaties": [HOSTILE]})
    git(repo, "-c", f"user.name=Eve {HOSTILE}", "commit", "-qam", f"Kaart {HOSTILE} bijgewerkt\n\n{HOSTILE}")
    _save(repo, CARD, {"notes": HOSTILE + "\nnog een regel " + HOSTILE})
    conflict = {"field": "notes", "label": HOSTILE, "base": "oud", "ours": HOSTILE, "theirs": "theirs " + HOSTILE}
    _save(repo, CONFLICT_CARD, {"notes": HOSTILE, "conflict": [conflict]})
    # an unreadable card whose file name is itself hostile (shown in toasts, lists and dialogs)
    (repo / "cards" / "wbw" / "kapot \x1b]0;PWNED\x07 \x9b.toml").write_text("title = [\n", encoding="utf-8")
    return repo


async def until(app: KaartenbakApp, pilot, done: Callable[[], bool], seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Let workers and messages run until ``done()`` (fails after ``seconds``)."""
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "timed out"
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)


async def _back_to_browser(app: KaartenbakApp, pilot) -> None:  # type: ignore[no-untyped-def]
    while app.screen is not app.browser:
        app.pop_screen()
        await pilot.pause()


async def test_every_screen_and_dialog_renders_hostile_text_without_control_characters(hostile_repo: Path) -> None:
    app = app_for(hostile_repo)
    dirty: dict[str, list[str]] = {}

    async def check(name: str) -> None:
        await settle(app, pilot)
        dirty[name] = raw_segments(app)

    async with app.run_test(size=(150, 45), notifications=True) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await settle(app, pilot)
        await check("browser")
        assert "<U+001B>]0;PWNED<U+0007>" in screen_text(app)

        await pilot.press("enter")
        await until(app, pilot, lambda: type(app.screen).__name__ == "CardScreen")
        await check("card view")
        await pilot.press("b")
        await until(app, pilot, lambda: isinstance(app.screen, BlameScreen))
        await check("blame")
        await _back_to_browser(app, pilot)

        await pilot.press("h")
        await until(app, pilot, lambda: isinstance(app.screen, HistoryScreen) and bool(app.screen.revisions))
        await check("history")
        await _back_to_browser(app, pilot)

        await pilot.press("o")
        await until(app, pilot, lambda: type(app.screen).__name__ == "OverviewScreen")
        await check("overview")
        await _back_to_browser(app, pilot)

        await pilot.press("f1")
        await until(app, pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await check("help")
        await _back_to_browser(app, pilot)

        await pilot.press("c")
        await until(app, pilot, lambda: isinstance(app.screen, CommitDialog))
        await check("commit dialog")
        await _back_to_browser(app, pilot)

        app.push_screen(ConflictScreen(app.library, CONFLICT_ID))
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen.loaded)
        await check("conflict")
        app.push_screen(CombineDialog(HOSTILE, TITLE, HOSTILE))
        await check("combine dialog")
        await _back_to_browser(app, pilot)

        for name, dialog in (
            ("confirm dialog", ConfirmDialog(TITLE, HOSTILE)),
            ("choice dialog", ChoiceDialog(TITLE, HOSTILE, [("a", "A", "primary")], "a")),
            ("error dialog", ErrorDialog(TITLE, HOSTILE)),
        ):
            app.push_screen(dialog)
            await check(name)
            await _back_to_browser(app, pilot)

        card = app.library.cards[CARD_ID]
        draft_data = {**card.to_dict(), "notes": "concept " + HOSTILE}
        app.push_screen(RecoverDraftDialog(app.library, Draft(CARD_ID, CARD, "", draft_data, time.time(), Path("x"))))
        await check("recover dialog")
        await _back_to_browser(app, pilot)

        await pilot.press("n")
        await until(app, pilot, lambda: type(app.screen).__name__ == "NewCardDialog")
        app.screen.query_one("#new-title", Input).value = TITLE
        await check("new-card dialog")
        await _back_to_browser(app, pilot)

        app.action_command_palette()
        await until(app, pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"PWNED")
        await until(app, pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
        await check("command palette")
        await _back_to_browser(app, pilot)

        app.notify(TITLE, title=HOSTILE)
        await until(app, pilot, lambda: bool(app.screen.query(Toast)))
        await check("toast")
        toast_text = screen_text(app)

        await pilot.press("e")
        await until(app, pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.built)
        # The form is mounted once built, but painted a refresh later: check what is on screen then.
        await until(app, pilot, lambda: "␛]0;PWNED␇" in screen_text(app))
        await check("editor")
        editor_text = screen_text(app)

    bad = {name: found for name, found in dirty.items() if found}
    assert not bad, f"raw control characters on: {sorted(bad)}\n{bad}"
    assert len(dirty) == 17  # every screen above was reached and checked
    assert "Titel <U+001B>]0;PWNED<U+0007>" in toast_text
    assert "␛]0;PWNED␇" in editor_text  # the editor's inputs show the escape visibly, one cell each


async def test_the_editor_shows_and_keeps_hostile_characters(hostile_repo: Path) -> None:
    app = app_for(hostile_repo)
    async with app.run_test(size=(150, 45)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD_ID)
        await settle(app, pilot)
        await pilot.press("e")
        await until(app, pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.built)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        title = editor.editors["title"].query_one(Input)
        assert title.value == TITLE  # shown visibly, stored exactly
        notes = editor.editors["notes"].query_one(TextArea)
        assert notes.text == HOSTILE + "\nnog een regel " + HOSTILE
        # cursor arithmetic is done on what is shown (one cell per character here, plus the cell
        # after the end), so the terminal cursor sits where the typed character appears
        title.focus()
        title.cursor_position = len(TITLE)
        await pilot.press("!")
        assert title.value == TITLE + "!"
        assert title.cursor_screen_offset.x == title.content_region.x + len(TITLE + "!") + 1 - title.scroll_offset.x
        title.cursor_position = TITLE.index("PWNED")
        await pilot.press("delete")
        assert title.value == TITLE.replace("PWNED", "WNED", 1) + "!"
        collected = editor.collect()
        assert collected["title"] == title.value and collected["notes"] == notes.text
        assert collected["betrokken_organisaties"] == [HOSTILE]
        assert raw_segments(app) == []


async def test_combining_in_a_conflict_keeps_the_characters_of_the_card(tmp_path: Path) -> None:
    """The combine dialog used to load ``visible(mine)`` and so wrote ``<U+001B>`` into the card."""
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4"])
    app = app_for(repo)
    answers: list[str | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.push_screen(CombineDialog("Notities", HOSTILE, "theirs"), answers.append)
        await settle(app, pilot)
        assert raw_segments(app) == []
        area = app.screen.query_one(TextArea)
        area.move_cursor(area.document.end)
        await pilot.press("!")
        app.screen.action_accept()  # type: ignore[attr-defined]
        await settle(app, pilot)
    assert answers == [HOSTILE + "!"]
