"""A keyboard-first, dense editor (issue 14): go to a field by name, jump by section, the editor's
own palette, undo and redo in every text input, ctrl+home/ctrl+end, F1 help, and many more fields
per screen than the old five-row layout showed."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from tests.conftest import make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.dialogs.field_help import FieldHelpDialog
from tui.dialogs.goto_field import GotoFieldDialog, rank
from tui.i18n import t
from tui.screens.editor import EditorScreen
from tui.screens.editor_palette import EditorCommands
from tui.widgets.field_editors import FieldEditor

# Fully visible fields at 120x42 on WBW/T1/1.4 with the old layout (label, help line and a three-row
# bordered input per field, id and region as read-only fields): measured with ``visible_fields``
# before the change — id, region, theme, programme, number, title.
FIELDS_BEFORE = 6


@pytest.fixture
def nav_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", cards=["wbw-t1-1.4", "nml-b22.1"])


async def _open(app, pilot, card_id: str = "WBW/T1/1.4") -> EditorScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    app.browser.goto(card_id)
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.built, what="the editor")
    await settle(app, pilot)
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def _in_form(ed: EditorScreen, widget: Any) -> bool:
    """Whether ``widget`` is laid out and wholly inside the visible part of the form."""
    form = ed.query_one("#form")
    return widget.region.area > 0 and form.region.contains_region(widget.region)


def visible_fields(ed: EditorScreen) -> list[str]:
    """The top-level fields wholly on screen."""
    return [key for key, w in ed.editors.items() if _in_form(ed, w)]


def focused_field(ed: EditorScreen) -> FieldEditor | None:
    node: Any = ed.focused
    while node is not None and not isinstance(node, FieldEditor):
        node = node.parent
    return node


async def _label_in_view(pilot, ed: EditorScreen, key: str) -> None:  # type: ignore[no-untyped-def]
    editor = ed.editors[key]
    label = editor.query_one(".field-label")
    await wait_for(pilot, lambda: _in_form(ed, label) and _in_form(ed, editor), what=f"{key} in view with its label")


def test_rank_finds_labels_by_a_few_letters_without_accents() -> None:
    fields = [("a", "Betrokkenheid burgers"), ("b", "Betrokken organisaties"), ("c", "Coördinatie"), ("d", "Titel")]
    assert rank("betrok org", fields)[0] == ("b", "Betrokken organisaties")
    assert rank("coordinatie", fields)[0] == ("c", "Coördinatie")
    assert rank("", fields) == fields
    assert ("d", "Titel") not in rank("betrok", fields)


async def test_ctrl_g_goes_to_betrokken_organisaties_in_a_few_keys(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot)
        target = ed.editors["betrokken_organisaties"]
        assert not _in_form(ed, target)  # far down the form
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GotoFieldDialog), what="the field picker")
        await pilot.press(*"betrok", "enter")  # 8 keys instead of 33 tabs
        await wait_for(pilot, lambda: app.screen is ed, what="back in the editor")
        assert focused_field(ed) is target
        await _label_in_view(pilot, ed, "betrokken_organisaties")
        # escape in the picker goes nowhere
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, GotoFieldDialog), what="the field picker")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is ed, what="back in the editor")
        assert focused_field(ed) is target


async def test_section_jumps_move_by_group(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot)
        assert focused_field(ed) is ed.editors["title"]
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: focused_field(ed) is ed.editors["probleemstelling"], what="the Plan section")
        await pilot.press("ctrl+down")
        await wait_for(pilot, lambda: focused_field(ed) is ed.editors["impact"], what="the Impact section")
        await _label_in_view(pilot, ed, "impact")
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: focused_field(ed) is ed.editors["probleemstelling"], what="back to Plan")
        ed.focus_field("doelgroep")  # in the middle of a section, ctrl+up goes to its start first
        await pilot.pause()
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: focused_field(ed) is ed.editors["probleemstelling"], what="the start of Plan")
        await _label_in_view(pilot, ed, "probleemstelling")


async def test_the_palette_in_the_editor_offers_the_editor_actions(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot)
        provider = EditorCommands(ed)
        offered = {hit.text async for hit in provider.discover()}
        for key in ("save", "commit", "goto", "revert", "leave", "field_help"):
            assert t(f"editor.palette_{key}") in offered
        # the browser's actions are not offered in the editor (the real palette, every provider)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app), what="the palette")
        palette = app.screen
        await wait_for(pilot, lambda: _palette_texts(palette), what="the palette's entries")
        texts = _palette_texts(palette)
        assert any(t("editor.palette_save") in s for s in texts)
        assert not any(t(k) in s for s in texts for k in ("palette.edit", "palette.sync", "palette.overview")), texts
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is ed, what="the editor again")
        # typing a field's name in the palette goes there
        hits = [hit async for hit in provider.search("betrokken org")]
        goto = next(h for h in hits if h.text == t("editor.palette_goto_field", label="Betrokken organisaties"))
        result = goto.command()
        if inspect.isawaitable(result):
            await result
        await wait_for(
            pilot, lambda: focused_field(ed) is ed.editors["betrokken_organisaties"], what="the field from the palette"
        )


def _palette_texts(palette: Any) -> list[str]:
    from textual.command import CommandList

    found = palette.query(CommandList)
    if not found:
        return []
    options = found.first()
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_undo_and_redo_in_a_one_line_input(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot)
        title = ed.editors["title"].query_one(Input)
        assert app.focused is title
        await pilot.press("end", *" in de wijk")
        assert title.value == "Reablement in de wijk"
        await pilot.press("ctrl+z")
        assert title.value == "Reablement in de"  # typing is undone a word at a time
        await pilot.press("ctrl+z", "ctrl+z")
        assert title.value == "Reablement"
        await settle(app, pilot)
        assert not ed.dirty  # undone to the file's value: nothing to write
        await pilot.press("ctrl+y")
        assert title.value == "Reablement in"
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y")
        assert title.value == "Reablement in de wijk"
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")  # one more than there is
        assert title.value == "Reablement"


async def test_undo_in_an_item_input_of_a_sub_form(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot, "NML/B22.1")
        box = ed.editors["impact_fte"].query(Input).first()
        box.focus()
        await pilot.pause()
        before = box.value
        await pilot.press("end", *"12")
        assert box.value == before + "12"
        await pilot.press("ctrl+z")
        assert box.value == before


async def test_undo_redo_and_ctrl_end_in_a_text_area(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot)
        area = ed.editors["doelstelling"].query_one(TextArea)
        original = area.text
        assert "\n" in original or len(original) > 100
        ed.focus_field("doelstelling")
        await pilot.pause()
        await pilot.press("ctrl+end")
        assert area.cursor_location == area.document.end
        await pilot.press("!")
        assert area.text == original + "!"
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+z")
        assert area.text == original
        await pilot.press("ctrl+y")
        assert area.text == original + "!"


async def test_f1_shows_the_whole_help_of_the_focused_field(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(app, pilot)
        ed.focus_field("doelstelling")
        await pilot.pause()
        field = ed.editors["doelstelling"].field
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldHelpDialog), what="the help dialog")
        assert isinstance(app.screen, FieldHelpDialog)
        assert app.screen.help_text == field.help and app.screen.label == field.label
        assert t("editor.help_undo") in app.screen.rules  # the keys of a text box are explained too
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is ed, what="the editor again")


async def test_twice_as_many_fields_per_screen_with_the_envelope_in_the_header(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(120, 42)) as pilot:
        ed = await _open(app, pilot)
        await pilot.pause()
        shown = visible_fields(ed)
        assert len(shown) >= 2 * FIELDS_BEFORE, shown
        assert ed.has_class("-wide")
        # id and region are no fields any more; the header names them and the kind
        assert "id" not in ed.editors and "region" not in ed.editors
        envelope = str(ed.query_one("#editor-envelope").render())
        assert "WBW/T1/1.4" in envelope and "WBW" in envelope and ed.kind is not None and ed.kind.title in envelope
        # ... and they are kept exactly when the card is saved
        assert ed.collect()["id"] == "WBW/T1/1.4" and ed.collect()["region"] == "WBW" and not ed.dirty


async def test_narrow_terminal_keeps_label_and_value_stacked_and_in_view(nav_repo: Path) -> None:
    app = app_for(nav_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        ed = await _open(app, pilot)
        assert not ed.has_class("-wide")
        for key in ("notes", "betrokken_organisaties", "title", "impact_categorie"):
            assert ed.focus_field(key)
            await _label_in_view(pilot, ed, key)
        # tabbing on keeps each focused field in view with its label
        ed.focus_field("title")
        for _ in range(12):
            await pilot.press("tab")
            await pilot.pause()
            field = focused_field(ed)
            if field is not None:
                label = field.query_one(".field-label")
                await wait_for(pilot, lambda label=label: _in_form(ed, label), what=f"{field.field.key}'s label")


def test_input_history_groups_typing_per_word_and_forgets_on_load() -> None:
    from tui.widgets.safe import InputHistory

    history = InputHistory("ab")
    for value in ("abc", "abcd", "abcd ", "abcd e", "abcd ef"):  # typed one character at a time
        history.changed(value)
    history.changed("abcd")  # a cut: its own step
    assert history.step(back=True) == ("abcd ef", 7)
    assert history.step(back=True) == ("abcd", 4)  # " ef" was one step
    assert history.step(back=True) == ("ab", 2)  # "cd" was one step
    assert history.step(back=True) is None
    assert history.step(back=False) == ("abcd", 4)
    history.changed("xabcd")  # a change after undo drops the redo steps
    assert history.step(back=False) is None
    history.clear("loaded")
    assert history.step(back=True) is None and history.current == "loaded"
