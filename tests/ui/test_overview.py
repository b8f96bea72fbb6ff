"""The overview (o): every theme of both regions with counts, bars, FTE totals, invalid cards and commits."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from textual.widgets import Input, Static

from tests.conftest import CARDS, git, make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.core.cards.fte import fte_totals
from tui.screens.browser import BrowserScreen
from tui.screens.overview import Meter, OverviewScreen, ThemeBlock, bar_text, fte_text


N_NML = len(list((CARDS / "nml").glob("*.toml")))  # the golden repository
N_WBW = len(list((CARDS / "wbw").glob("*.toml")))


def text_of(widget: Static) -> str:
    return str(widget.render())


def block_text(block: ThemeBlock) -> str:
    return "\n".join(text_of(s) for s in block.query(Static))


async def open_overview(app, pilot) -> OverviewScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    await pilot.press("o")
    await settle(app, pilot)
    assert isinstance(app.screen, OverviewScreen)
    return app.screen


async def test_every_theme_of_both_regions_with_its_card_count(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        vocab = app.library.workspace.vocab
        counts = Counter((c.region, c.theme) for c in app.library.cards.values())
        blocks = list(screen.query(ThemeBlock))
        shown = {(b.row.region, b.row.theme): b for b in blocks}
        for code, region in vocab.regions.items():
            for theme in region.themes:
                block = shown[(code, theme.name)]
                assert theme.name in block_text(block)
                count = counts[(code, theme.name)]
                assert (f"{count} kaarten" if count else "nog geen kaarten") in block_text(block)
        assert any(not b.row.cards for b in blocks) and any(b.row.cards for b in blocks)  # both shapes shown
        assert sum(b.row.cards for b in blocks) == len(app.library.cards) == N_NML + N_WBW
        assert {code for code, _ in shown} == {"NML", "WBW"}
        headings = " ".join(text_of(s) for s in screen.query(".ov-region"))
        assert f"Noord- en Midden-Limburg (NML)   {N_NML} kaarten" in headings
        assert f"West-Brabant West (WBW)   {N_WBW} kaarten" in headings


async def test_completeness_is_drawn_as_bars(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        with_cards = [b for b in screen.query(ThemeBlock) if b.row.cards and b.row.completeness is not None]
        assert with_cards
        for block in with_cards:
            meter = block.query(Meter).first()
            assert meter.has_class("-complete")
            drawn = str(meter.render())
            assert drawn.startswith("█") and len(drawn) <= meter.size.width
            assert f"{round(block.row.completeness * 100)}%" in block_text(block)


async def test_fte_totals_of_the_nml_themes_are_those_of_fte_totals(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        nml = [c for c in app.library.cards.values() if c.region == "NML"]
        expected = fte_totals(nml)
        blocks = {b.row.theme: b for b in screen.query(ThemeBlock) if b.row.region == "NML" and b.row.fte is not None}
        assert set(blocks) == {th for th in expected if th != "(geen thema)"}
        largest = max(total.high for total in expected.values())
        for theme, block in blocks.items():
            assert block.row.fte == expected[theme]
            assert fte_text(expected[theme]) in block_text(block)
            fte_bar = block.query(Meter).last()
            assert fte_bar.has_class("-fte") and fte_bar.upper == expected[theme].high / largest
        assert all(b.row.fte is None for b in screen.query(ThemeBlock) if b.row.region == "WBW")
        assert "samen " in " ".join(text_of(s) for s in screen.query(".ov-region"))


def test_bars_show_ranges_shaded_and_never_overflow() -> None:
    assert str(bar_text(0.5, None, 10)) == "█████"
    assert str(bar_text(0.5, 0.8, 10)) == "█████░░░"
    assert str(bar_text(1.0, None, 10)) == "█" * 10
    assert str(bar_text(0.0, None, 10)) == ""
    assert str(bar_text(0.0625, None, 10)) == "▋"  # five eighths of one cell
    assert len(str(bar_text(1.7, 3.0, 12))) == 12


async def test_the_latest_commits_are_listed_literally_and_escape_returns(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "nml-b01.1"])
    for i in range(11):
        (repo / "notities.txt").write_text(f"{i}\n", encoding="utf-8")
        git(repo, "add", "notities.txt")
        git(repo, "commit", "-q", "-m", f"Stap {i} [bold]niet vet[/] [@click=app.quit]x[/]")
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        commits = text_of(screen.query_one("#overview-commits", Static))
        assert "Stap 10 [bold]niet vet[/] [@click=app.quit]x[/]" in commits
        assert "Stap 1 [bold]" in commits and "Stap 0 " not in commits  # the latest ten only
        assert "Eerste kaarten" not in commits
        assert "Test Gebruiker" in commits
        assert screen.commits is not None and len(screen.commits) == 10
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("o")
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen) and app.is_running


async def test_a_folder_without_git_says_so(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    shutil.rmtree(repo / ".git")
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        assert text_of(screen.query_one("#overview-commits", Static)) == "geen git-repository"


async def test_invalid_cards_are_counted_per_theme(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "wbw-t1-1.4", "nml-b01.1"])
    card = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    lines = card.read_text(encoding="utf-8").splitlines(keepends=True)
    card.write_text(lines[0] + "onbekend_veld = 1\n" + "".join(lines[1:]), encoding="utf-8")
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        block = next(b for b in screen.query(ThemeBlock) if b.row.theme == "Kwetsbare ouderen nu en in de toekomst")
        assert block.row.invalid == 1 and block.row.cards == 2
        assert "✗ 1 ongeldig" in block_text(block)
        assert "1 ongeldig" in " ".join(text_of(s) for s in screen.query(".ov-region"))


async def test_fits_80_by_24_by_scrolling_and_uses_two_columns_at_200(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_overview(app, pilot)
        body = screen.query_one("#overview-body")
        assert body.max_scroll_y > 0 and app.focused is body
        await pilot.press("end")
        await wait_for(pilot, lambda: body.scroll_y == body.max_scroll_y, what="the scroll to the end")
        commits = screen.query_one("#overview-commits")
        assert screen.region.contains_region(commits.region) and commits.region.height >= 2
        assert all(m.size.width >= 10 for m in screen.query(Meter))
    app = app_for(full_repo)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await open_overview(app, pilot)
        assert screen.has_class("-wide")
        themes, commits = screen.query_one("#overview-themes"), screen.query_one("#overview-git")
        assert commits.region.x > themes.region.right - 1 and commits.region.y < 10


async def test_o_in_the_search_box_is_just_a_letter(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("slash", "o")
        assert isinstance(app.screen, BrowserScreen)
        assert app.browser.query_one("#search", Input).value == "o"


async def test_an_empty_card_box_explains_the_first_card(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "leeg", cards=[], commit=False)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_overview(app, pilot)
        note = text_of(screen.query_one(".-empty-repo", Static))
        assert "nog leeg" in note and " n " in note
        assert all(b.row.cards == 0 for b in screen.query(ThemeBlock))
        assert text_of(screen.query_one("#overview-commits", Static)) == "nog geen vastleggingen"
