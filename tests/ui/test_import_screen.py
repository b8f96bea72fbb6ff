"""The import screen in the real app: from the palette, the mapping per column, problems per row, write, commit."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, click, settle, wait_for, wait_loaded
from tests.ui.test_palette_seam import _run
from tui.commands.cards import CardCommands
from tui.dialogs.commit import CommitDialog
from tui.i18n import t
from tui.screens.import_screen import NOT_IMPORTED, ImportScreen

THEME = "Kwetsbare ouderen nu en in de toekomst"


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def report(screen: ImportScreen) -> str:
    return str(screen.query_one("#import-report", Static).render())


async def open_import(app, pilot) -> ImportScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    found = {hit.text: hit async for hit in CardCommands(app.screen).discover()}
    await _run(found[t("import.palette")].command)
    await settle(app, pilot)
    assert isinstance(app.screen, ImportScreen)
    return app.screen


async def read(app, pilot, screen: ImportScreen, path: Path) -> None:  # type: ignore[no-untyped-def]
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.click("#import-read")
    await wait_for(
        pilot, lambda: screen.sheet is not None and report(screen).strip() != "", timeout=30, what="the plan"
    )


async def test_import_from_the_palette_maps_checks_writes_and_offers_the_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    xlsx = _sheet(
        tmp_path / "plan.xlsx",
        [
            ["Regio", "Thema", "Naam", "Opmerking"],
            ["WBW", THEME, "Eerste project", "x"],
            ["WBW", THEME, "Tweede project", "y"],
        ],
    )
    app = app_for(repo)
    async with app.run_test(size=(140, 50)) as pilot:
        screen = await open_import(app, pilot)
        screen.query_one("#import-kind", Select).value = "project"
        await settle(app, pilot)
        await read(app, pilot, screen, xlsx)
        # "Naam" is not recognised: no title column, so the write button stays off
        assert screen.query_one("#map-2", Select).value == NOT_IMPORTED
        assert "geen kolom voor id, titel of nummer" in report(screen)
        assert screen.query_one("#import-write", Button).disabled
        screen.query_one("#map-2", Select).value = "title"
        await wait_for(pilot, lambda: "2 nieuw" in report(screen), timeout=30, what="the plan with titles")
        assert screen.plan is not None and not screen.plan.errors, report(screen)
        if screen.plan.warnings:
            screen.query_one("#import-allow", Checkbox).value = True
            await settle(app, pilot)
        assert not screen.query_one("#import-write", Button).disabled
        await pilot.click("#import-write")
        await wait_for(pilot, lambda: isinstance(app.screen, CommitDialog), timeout=30, what="the commit dialog")
        assert (repo / "cards" / "wbw" / "wbw-eerste-project.toml").is_file()
        assert (repo / "cards" / "wbw" / "wbw-tweede-project.toml").is_file()
        assert "??" in git(repo, "status", "--porcelain")
        dialog = app.screen
        await wait_for(pilot, lambda: isinstance(dialog.focused, TextArea), timeout=30, what="the dialog mounted")
        await click(pilot, "#commit-ok", timeout=30)
        await wait_for(pilot, lambda: git(repo, "status", "--porcelain") == "", timeout=30, what="the commit")
        await settle(app, pilot)
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"  # the first commit and the import
    assert "wbw-tweede-project.toml" in git(repo, "show", "--stat", "HEAD")


async def test_problems_are_listed_per_row_and_column_and_block_writing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    xlsx = tmp_path / "fout.csv"  # a CSV: Excel (and openpyxl) refuse control characters in a cell
    xlsx.write_text(
        "Kaart-id;Regio;Thema;Titel;Niveau\r\n"
        f"WBW/N1;WBW;{THEME};Een \x1b[31mrood\x1b[0m project;onzin\r\n"
        f"WBW/N1;WBW;{THEME};Nog een;project\r\n",
        encoding="utf-8",
    )
    app = app_for(repo)
    async with app.run_test(size=(140, 50)) as pilot:
        screen = await open_import(app, pilot)
        screen.query_one("#import-kind", Select).value = "project"
        await settle(app, pilot)
        await read(app, pilot, screen, xlsx)
        text = report(screen)
        assert "rij 2, kolom E (Niveau)" in text
        assert "rij 3, kolom A (Kaart-id)" in text
        assert "\x1b" not in text and "<U+001B>" in text
        screen.query_one("#import-allow", Checkbox).value = True
        await settle(app, pilot)
        assert screen.query_one("#import-write", Button).disabled  # errors always block
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    assert git(repo, "status", "--porcelain") == ""


async def test_a_missing_file_is_said_on_the_screen(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    app = app_for(repo)
    async with app.run_test(size=(140, 50)) as pilot:
        screen = await open_import(app, pilot)
        screen.query_one("#import-path", Input).value = str(tmp_path / "weg.xlsx")
        await pilot.click("#import-read")
        status = screen.query_one("#import-status", Static)
        await wait_for(pilot, lambda: "bestaat niet" in str(status.render()), timeout=30, what="the failure")
        assert screen.query_one("#import-write", Button).disabled
