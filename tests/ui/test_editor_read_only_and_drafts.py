"""A read-only card keeps the edit and offers a copy (RELIABILITY 41, issue 12 item 4); a draft that
could not be written is said so wherever the editor talks about drafts (issue 12 item 9)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import make_repo
from tests.ui.conftest import app_for, click, heard, settle, wait_loaded
from tui.core.cards.atomic import WriteError
from tui.core.cards.store import CardStore
from tui.core.drafts import DraftStore
from tui.i18n import t
from tui.screens.editor import EditorScreen

CARD = "cards/wbw/wbw-t1-1.4.toml"


@pytest.fixture
def ro_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(EditorScreen, "DRAFT_DEBOUNCE", 0.0)
    monkeypatch.setattr(EditorScreen, "DRAFT_MAX_WAIT", 0.0)
    monkeypatch.setattr(EditorScreen, "VALIDATE_DELAY", 0.0)
    return make_repo(tmp_path / "r", cards=["wbw-t1-1.4"])


async def _edit_title(app, pilot, title: str) -> EditorScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    app.browser.goto("WBW/T1/1.4")
    await pilot.press("e")
    await settle(app, pilot)
    ed = app.screen
    assert isinstance(ed, EditorScreen)
    ed.editors["title"].query_one(Input).value = title
    await settle(app, pilot)
    await settle(app, pilot)
    return ed


async def _offer_and_save_copy(app, pilot, ed: EditorScreen, path: Path, target: Path) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    dialog = app.screen
    assert type(dialog).__name__ == "ChoiceDialog"
    assert dialog.question == t("editing.read_only_title")
    assert str(path) in dialog.detail and t("editing.draft_state_kept") in dialog.detail
    await click(pilot, "#choice-copy")
    await settle(app, pilot)
    assert type(app.screen).__name__ == "SaveCopyDialog"
    box = app.screen.query_one("#copy-path", Input)
    assert box.value.endswith("wbw-t1-1.4.kopie.toml")
    box.value = str(target)
    await click(pilot, "#copy-save")
    await settle(app, pilot)
    assert app.screen is ed and ed.dirty  # the edit stays
    assert ed.collect()["title"] == "Alleen-lezen bewerkt"


async def test_a_read_only_card_file_offers_a_copy_and_keeps_the_edit(ro_repo: Path, tmp_path: Path) -> None:
    path = ro_repo / CARD
    before = path.read_bytes()
    path.chmod(0o444)
    target = tmp_path / "elders" / "kopie.toml"
    app = app_for(ro_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _edit_title(app, pilot, "Alleen-lezen bewerkt")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        refused = path.read_bytes() == before
        if refused:
            await pilot.press("escape")
            await settle(app, pilot)
            await _offer_and_save_copy(app, pilot, ed, path, target)
    if not refused:
        pytest.skip("save does not refuse a 0444 card yet (the files change makes it raise read_only)")
    assert path.read_bytes() == before and (path.stat().st_mode & 0o777) == 0o444
    assert 'title = "Alleen-lezen bewerkt"' in target.read_text(encoding="utf-8")
    draft = DraftStore(ro_repo).get("WBW/T1/1.4")
    assert draft is not None and draft.data["title"] == "Alleen-lezen bewerkt"


async def test_a_read_only_refusal_from_save_offers_a_copy(
    ro_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog path itself, with save refusing at the edge as the core does for a 0444 file."""
    path = ro_repo / CARD
    before = path.read_bytes()

    def refuse(self: CardStore, card, new, *, force=False):  # type: ignore[no-untyped-def]
        raise WriteError(f"Kan niet schrijven naar {card.path}: alleen-lezen.", card.path, read_only=True)

    monkeypatch.setattr(CardStore, "save", refuse)
    target = tmp_path / "kopie.toml"
    app = app_for(ro_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _edit_title(app, pilot, "Alleen-lezen bewerkt")
        await _offer_and_save_copy(app, pilot, ed, path, target)
        assert any(str(target) in n for n in heard(app))
        # a second copy to the same place is refused, naming it, and offers another place
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await click(pilot, "#choice-copy")
        await settle(app, pilot)
        app.screen.query_one("#copy-path", Input).value = str(target)
        await click(pilot, "#copy-save")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChoiceDialog" and str(target) in app.screen.detail
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is ed
    assert path.read_bytes() == before
    assert 'title = "Alleen-lezen bewerkt"' in target.read_text(encoding="utf-8")


def _break_drafts(repo: Path) -> None:
    """Make the draft folder impossible to create (a file where it should be): real, root-proof."""
    folder = DraftStore(repo).folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("geen map", encoding="utf-8")


async def test_a_failed_draft_write_is_shown_and_the_leave_question_says_so(ro_repo: Path) -> None:
    _break_drafts(ro_repo)
    app = app_for(ro_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _edit_title(app, pilot, "Niet in een concept")
        assert ed.draft_error is not None
        summary = str(ed.query_one("#editor-summary").render())
        assert "concept kon niet worden bewaard" in summary
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog"
        detail = app.screen.detail
        assert "concept kon niet worden bewaard" in detail and "kwijt" in detail
        assert "in het conceptbestand" not in detail


async def test_disk_full_save_with_a_failed_draft_does_not_claim_the_draft(
    ro_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_drafts(ro_repo)
    app = app_for(ro_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _edit_title(app, pilot, "Schijf vol")
        real_fsync = os.fsync

        def full(fd: int) -> None:
            if "/cards/wbw/.wbw-t1-1.4" in os.readlink(f"/proc/self/fd/{fd}"):
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ErrorDialog"
        message = app.screen.message
        assert "Schijf vol" in message and "in het conceptbestand" not in message
        assert "alleen nog in de editor" in message
        await pilot.press("escape")
        assert ed.collect()["title"] == "Schijf vol"


async def test_a_draft_that_works_again_clears_the_warning(ro_repo: Path) -> None:
    _break_drafts(ro_repo)
    app = app_for(ro_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _edit_title(app, pilot, "Eerst niet")
        assert ed.draft_error is not None
        DraftStore(ro_repo).folder.unlink()
        ed.editors["title"].query_one(Input).value = "Daarna wel"
        await settle(app, pilot)
        await settle(app, pilot)
        assert ed.draft_error is None
        assert "concept kon niet" not in str(ed.query_one("#editor-summary").render())
        draft = DraftStore(ro_repo).get("WBW/T1/1.4")
        assert draft is not None and draft.data["title"] == "Daarna wel"
