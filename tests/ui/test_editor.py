"""The editor: field editors, validation as you type, saving, dialogs, new cards, nothing lost."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from textual.widgets import Button, Input, TextArea

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, click, heard, settle, wait_for, wait_loaded
from tui.core.drafts import DraftStore
from tui.screens.editor import EditorScreen

CARDS = ["wbw-t1-1.1", "wbw-t1-1.4", "nml-b22.1", "nml-f1.1"]


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", cards=CARDS)


async def open_editor(app, pilot, card_id: str) -> EditorScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    app.browser.goto(card_id)
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def numstat(repo: Path) -> list[str]:
    return git(repo, "diff", "--numstat").splitlines()


async def test_edit_sentence_and_add_organisation_gives_exactly_two_line_changes(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.1")
        orgs = ed.editors["betrokken_organisaties"].query_one(TextArea)
        orgs.focus()
        orgs.cursor_location = orgs.document.end
        await pilot.press("enter", *"Zorgbelang Brabant")
        doel = ed.editors["doelstelling"].query_one(TextArea)
        doel.focus()
        doel.cursor_location = (0, len(doel.document.get_line(0)))
        await pilot.press(*" Ook in Moerdijk.")
        label = ed.editors["doelstelling"]._label
        await wait_for(pilot, lambda: "● gewijzigd" in str(label.render()), what="validation as you type")
        assert ed.dirty and "● gewijzigd" in str(ed.editors["doelstelling"]._label.render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not ed.dirty
    assert numstat(small_repo) == ["2\t1\tcards/wbw/wbw-t1-1.1.toml"]
    diff = git(small_repo, "diff", "-U0")
    assert '+  "Zorgbelang Brabant",' in diff and "Ook in Moerdijk." in diff


async def test_errors_block_saving_and_are_shown_at_the_field(small_repo: Path) -> None:
    app = app_for(small_repo)
    before = (small_repo / "cards/wbw/wbw-t1-1.4.toml").read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        title = ed.editors["title"].query_one(Input)
        title.value = ""
        shown = ed.editors["title"]._problems
        await wait_for(pilot, lambda: "mag niet leeg zijn" in str(shown.render()), what="the problem at the field")
        problems = str(ed.editors["title"]._problems.render())
        assert "Titel: mag niet leeg zijn" in problems
        assert "fout" in str(ed.query_one("#editor-summary").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert (small_repo / "cards/wbw/wbw-t1-1.4.toml").read_bytes() == before


async def test_escape_with_changes_asks_and_discard_leaves_file_alone(small_repo: Path) -> None:
    app = app_for(small_repo)
    before = (small_repo / "cards/wbw/wbw-t1-1.4.toml").read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        ed.editors["title"].query_one(Input).value = "Reablement anders"
        await wait_for(pilot, lambda: DraftStore(small_repo).get("WBW/T1/1.4") is not None, what="the draft")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog"
        await click(pilot, "#choice-discard")
        await settle(app, pilot)
        assert app.screen is app.browser
    assert (small_repo / "cards/wbw/wbw-t1-1.4.toml").read_bytes() == before
    assert DraftStore(small_repo).get("WBW/T1/1.4") is None


async def test_escape_then_save_writes_and_leaves(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        ed.editors["title"].query_one(Input).value = "Reablement (nieuw)"
        await wait_for(pilot, lambda: ed.dirty, what="the change")
        await pilot.press("escape")
        await pilot.pause()
        await click(pilot, "#choice-save")
        await settle(app, pilot)
        assert app.screen is app.browser
        assert app.library.cards["WBW/T1/1.4"].title == "Reablement (nieuw)"
    assert numstat(small_repo) == ["1\t1\tcards/wbw/wbw-t1-1.4.toml"]


async def test_revert_field_restores_saved_value(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        title = ed.editors["title"].query_one(Input)
        title.value = "Iets anders"
        title.focus()
        await wait_for(pilot, lambda: ed.dirty, what="the change")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: title.value == "Reablement", what="the saved value back")
        assert title.value == "Reablement" and not ed.dirty


async def test_field_help_opens_on_f1(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        ed.editors["doelstelling"].query_one(TextArea).focus()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "FieldHelpDialog"  # its own dialog since issue 14
        assert "Wat het project wil bereiken" in app.screen.message


async def test_milestone_add_and_fte_subform(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 50)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        tables = ed.editors["mijlpalen"]
        count = len(ed.collect().get("mijlpalen", []))
        add = tables.query_one(".add-item", Button)
        add.scroll_visible()
        await pilot.pause()
        add.press()
        await settle(app, pilot)
        new = list(tables.query("TableEditor"))[-1]
        inputs = list(new.query(Input))
        inputs[0].value = "Q3 2025"
        new.query_one(TextArea).load_text("Evaluatie met alle gemeenten")
        await wait_for(pilot, lambda: ed.collect()["mijlpalen"][-1].get("omschrijving"), what="the new milestone")
        data = ed.collect()
        assert len(data["mijlpalen"]) == count + 1
        assert data["mijlpalen"][-1] == {"periode": "Q3 2025", "omschrijving": "Evaluatie met alle gemeenten"}

        # the unsaved milestone is a draft now (journaled by a worker); a second start would offer it first
        def journaled() -> bool:
            draft = DraftStore(small_repo).get("WBW/T1/1.4")
            return draft is not None and draft.data.get("mijlpalen") == data["mijlpalen"]

        await wait_for(pilot, journaled, what="the draft with the new milestone")
        await settle(app, pilot)
    DraftStore(small_repo).discard("WBW/T1/1.4")
    app = app_for(small_repo)
    async with app.run_test(size=(120, 50)) as pilot:
        ed = await open_editor(app, pilot, "NML/B22.1")
        fte = ed.editors["impact_fte"]
        assert fte.value["status"] == "number" and fte.value["waarde"] == 116


async def test_new_card_from_template(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 45)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("WBW/T1/1.4")
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCardDialog"
        await pilot.press(*"Valpreventie in de wijk")
        await pilot.pause()
        assert app.screen.query_one("#new-id", Input).value == "WBW/valpreventie-in-de-wijk"
        await click(pilot, "#create")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen) and ed.new
        ed.editors["doelstelling"].query_one(TextArea).load_text("Minder valincidenten")
        await wait_for(pilot, lambda: ed.collect().get("doelstelling") == "Minder valincidenten", what="the text")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "WBW/valpreventie-in-de-wijk" in app.library.cards
    path = small_repo / "cards" / "wbw" / "wbw-valpreventie-in-de-wijk.toml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#:schema ../../schema/json/project.schema.json\n")
    assert 'doelstelling = "Minder valincidenten"' in text
    assert 'probleemstelling = ""' in text  # template fields present and empty, in order
    assert text.index("probleemstelling") < text.index("doelstelling") < text.index("betrokkenheid_burgers")


async def test_changed_on_disk_is_never_overwritten_blindly(small_repo: Path) -> None:
    app = app_for(small_repo)
    path = small_repo / "cards/wbw/wbw-t1-1.4.toml"
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        ed.editors["title"].query_one(Input).value = "Mijn titel"
        await wait_for(pilot, lambda: ed.dirty, what="the change")
        path.write_text(
            path.read_text(encoding="utf-8").replace('level = "project"', 'level = "programme"', 1), encoding="utf-8"
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChoiceDialog"
        assert "Niveau" in app.screen.detail
        await click(pilot, "#choice-merge")
        await settle(app, pilot)
        merged = ed.collect()
        assert merged["title"] == "Mijn titel" and merged["level"] == "programme"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = path.read_text(encoding="utf-8")
    assert 'title = "Mijn titel"' in text and 'level = "programme"' in text


async def test_failed_save_keeps_form_and_draft(small_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(small_repo)
    before = (small_repo / "cards/wbw/wbw-t1-1.4.toml").read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        ed.editors["title"].query_one(Input).value = "Niet verloren"
        await wait_for(pilot, lambda: ed.dirty, what="the change")
        real_fsync = os.fsync

        def full(fd: int) -> None:
            if "/cards/wbw/.wbw-t1-1.4" in os.readlink(f"/proc/self/fd/{fd}"):
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ErrorDialog"
        assert "Schijf vol" in app.screen.message
        await pilot.press("escape")
        assert ed.collect()["title"] == "Niet verloren"
    assert (small_repo / "cards/wbw/wbw-t1-1.4.toml").read_bytes() == before
    draft = DraftStore(small_repo).get("WBW/T1/1.4")
    assert draft is not None and draft.data["title"] == "Niet verloren"


async def test_second_instance_sees_the_edit_lock(small_repo: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        from tui.core.locks import EditLocks

        locks = EditLocks(small_repo)
        locks.folder.mkdir(parents=True, exist_ok=True)
        import json
        import socket

        (locks.folder / "wbw-t1-1.4.lock").write_text(json.dumps({"pid": proc.pid, "host": socket.gethostname()}))
        app = app_for(small_repo)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_loaded(app, pilot)
            app.browser.goto("WBW/T1/1.4")
            await pilot.press("e")
            await pilot.pause()
            assert type(app.screen).__name__ == "ChoiceDialog"
            assert f"pid {proc.pid}" in app.screen.detail and "draait nog" in app.screen.detail
            await click(pilot, "#choice-read")
            await pilot.pause()
            assert type(app.screen).__name__ == "CardScreen"
    finally:
        proc.kill()
        proc.wait()


DRIVER = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from tui.app import make_app
    from tui.core.config import Config
    from tui.core.drafts import DraftStore
    from tui.screens.editor import EditorScreen
    from textual.widgets import TextArea

    TYPED = "Getypt vlak voor de stroomstoring. "

    async def until(done, seconds=60.0):
        deadline = time.monotonic() + seconds
        while not done():
            if time.monotonic() > deadline:
                print("TIMEOUT", flush=True)
                sys.exit(1)
            await asyncio.sleep(0.02)

    async def main():
        repo = Path(sys.argv[1])
        app = make_app(repo=repo, config=Config(path=repo / "none.toml"), use_cache=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.browser.goto("WBW/T1/1.4")
            await pilot.press("e")
            await until(lambda: isinstance(app.screen, EditorScreen))
            area = app.screen.editors["doelstelling"].query_one(TextArea)
            area.focus()
            area.cursor_location = (0, 0)
            await pilot.press(*TYPED)
            # READY only once the journal holds everything typed (a draft written half-way does not count)
            drafts = DraftStore(repo)
            def journaled():
                draft = drafts.get("WBW/T1/1.4")
                return draft is not None and str(draft.data.get("doelstelling", "")).startswith(TYPED)
            await until(journaled)
            print("READY", flush=True)
            await asyncio.Event().wait()  # until killed

    asyncio.run(main())
    """
)


async def test_killed_while_typing_then_restart_offers_the_text(small_repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(small_repo)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if line.strip() == "READY" or proc.poll() is not None:
                break
        assert line.strip() == "READY"
        os.kill(proc.pid, 9)
    finally:
        proc.kill()
        proc.wait()
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecoverDraftDialog", what="the recovery offer")
        await click(pilot, "#restore")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        assert ed.collect()["doelstelling"].startswith("Getypt vlak voor de stroomstoring. ")
        assert ed.dirty


async def test_draft_recovery_can_discard(small_repo: Path) -> None:
    card_path = small_repo / "cards/wbw/wbw-t1-1.4.toml"
    DraftStore(small_repo).write(
        "WBW/T1/1.4",
        card_path,
        "x",
        {
            "id": "WBW/T1/1.4",
            "kind": "project",
            "region": "WBW",
            "theme": "Kwetsbare ouderen nu en in de toekomst",
            "title": "Concepttitel",
        },
    )
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecoverDraftDialog", what="the recovery offer")
        await click(pilot, "#discard")
        await settle(app, pilot)
        assert app.screen is app.browser
    assert DraftStore(small_repo).all() == []


async def test_unexpected_error_shows_dialog_keeps_app_and_draft(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        ed.editors["title"].query_one(Input).value = "Bewaard na fout"

        def boom() -> None:
            raise RuntimeError("ingebouwde fout")

        ed.call_later(boom)
        # wait_for polls with asyncio.sleep: Pilot's idle-wait would watch the failed screen's stopped widgets
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorDialog", what="the error dialog")
        assert "ingebouwde fout" in app.screen.message
        draft = DraftStore(small_repo).get("WBW/T1/1.4")
        assert draft is not None and draft.data["title"] == "Bewaard na fout"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecoverDraftDialog", what="the recovery offer")
        await click(pilot, "#restore")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.collect()["title"] == "Bewaard na fout"
        assert app.is_running
    assert app.return_code == 1


async def test_first_keystroke_does_not_replace_the_focused_title(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await open_editor(app, pilot, "WBW/T1/1.4")
        assert app.focused is ed.editors["title"].query_one(Input)
        await pilot.press(*" (herzien)")
        await wait_for(pilot, lambda: ed.collect()["title"].endswith(")"), what="the typed text")
        assert ed.collect()["title"] == "Reablement (herzien)"


async def test_new_card_dialog_refuses_an_id_that_is_not_allowed(small_repo: Path) -> None:
    app = app_for(small_repo)
    async with app.run_test(size=(120, 45)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Test")
        await pilot.pause()
        id_input = app.screen.query_one("#new-id", Input)
        id_input.focus()
        id_input.value = "../../etc/passwd"
        await pilot.pause()
        await click(pilot, "#create")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewCardDialog"
        assert "Deze id kan niet" in heard(app)[-1]
