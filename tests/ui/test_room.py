"""Room for what matters: rows use the width (title first, a kind mark), the tree fits its labels,
the footer keeps help and quit, notices stay off dialogs, the welcome counts the cards, and counts
read right in the singular and the plural."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.style import Style
from textual.widgets import Static
from textual.widgets._toast import Toast, ToastRack

from tests.conftest import make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.app import KaartenbakApp
from tui.i18n import catalogue, language, set_language, t
from tui.screens.help import HelpScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.card_list import CardList, Row, fit
from tui.widgets.key_footer import KeyFooter
from tui.widgets.theme_tree import ThemeTree


def row_text(lst: CardList, row: Row, width: int) -> str:
    plain = Style()
    return "".join(seg.text for seg in lst.row_segments(row, width, plain, plain, plain, plain, plain))


@pytest.fixture(autouse=True)
def dutch_again() -> object:
    before = language()
    yield
    set_language(before)


# -- rows -------------------------------------------------------------------------------------
def test_fit_cuts_with_an_ellipsis_and_counts_cells() -> None:
    assert fit("Welzijn op Recept", 20) == "Welzijn op Recept"
    assert fit("Welzijn op Recept", 8) == "Welzijn…"
    assert fit("日本語の題名", 5) == "日本…"  # wide characters count two cells
    assert fit("x", 0) == ""


async def test_a_project_and_a_good_practice_with_the_same_number_differ_by_their_mark(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        lst = app.browser.query_one(CardList)
        by_id = {r.card_id: r for r in lst.rows}
        project, practice = by_id["WBW/T1/1.1"], by_id["WBW/T1/GP1"]
        assert (project.mark, practice.mark) == ("P", "GP")
        width = lst.scrollable_content_region.width
        a, b = row_text(lst, project, width), row_text(lst, practice, width)
        assert "Welzijn op Recept" in a and "Welzijn op Recept" in b
        assert re.search(r"\bP +1\.1 ", a) and re.search(r"\bGP +1\.1 ", b) and a != b
        assert len(a) <= width


async def test_the_title_takes_the_width_there_is(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_loaded(app, pilot)
        lst = app.browser.query_one(CardList)
        width = lst.scrollable_content_region.width
        longest = max(lst.rows, key=lambda r: len(r.title))
        assert len(longest.title) > 40
        assert longest.title in row_text(lst, longest, width)  # whole at 200 columns
        cut = row_text(lst, longest, 40)
        assert len(cut) <= 40 and "…" in cut and cut.index(longest.title[:10]) < 15  # title right after number
        theme = next(r for r in lst.rows if r.subtitle and len(r.title) < 20)
        assert theme.subtitle in row_text(lst, theme, width)  # the theme follows when there is room


# -- tree -----------------------------------------------------------------------------------
async def test_the_tree_fits_its_labels_within_limits_and_widens_with_a_key(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        wanted = tree.wanted_width()
        await pilot.pause()
        assert tree.outer_size.width == min(wanted, 50) and tree.outer_size.width > 30
        before = tree.outer_size.width
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert tree.outer_size.width == before - 4
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert tree.outer_size.width == before + 4
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert app.browser.query_one(ThemeTree).outer_size.width == 30  # a quarter of 120 at most


# -- footer ---------------------------------------------------------------------------------
async def footer_keys(app: KaartenbakApp) -> list[tuple[str, int]]:
    footer = app.screen.query_one(KeyFooter)
    return [(w.key, w.region.right) for w in footer.children if hasattr(w, "key")]


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_the_footer_keeps_help_and_quit_at_80_columns(full_repo: Path, lang: str) -> None:
    app = app_for(full_repo, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(app, pilot)
        keys = await footer_keys(app)
        assert [k for k, _ in keys[:2]] == ["question_mark", "q"]
        assert all(0 < right <= 80 for _, right in keys[:2])
        await pilot.press("enter")  # the card over the whole screen has the same footer
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardScreen", what="the card screen")
        await pilot.pause()
        keys = await footer_keys(app)
        assert [k for k, _ in keys[:2]] == ["question_mark", "q"] and all(r <= 80 for _, r in keys[:2])


# -- notices --------------------------------------------------------------------------------
async def test_a_notice_waits_while_a_dialog_is_up_and_sits_at_the_top(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        app.browser.tell("Een bericht voor straks")

        def shown() -> bool:
            return any("Een bericht voor straks" in str(toast.render()) for toast in app.screen.query(Toast))

        await pilot.pause()
        assert not shown() and app.browser._held
        await pilot.press("escape")
        await wait_for(pilot, shown, what="the notice, once the dialog is gone")
        assert app.screen.query_one(ToastRack).styles.dock == "top"


# -- welcome --------------------------------------------------------------------------------
def welcome_text(app: KaartenbakApp) -> str:
    return str(app.screen.query_one("#welcome-text", Static).render())


async def test_the_welcome_counts_the_cards_of_the_repository(repo: Path) -> None:
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_welcome()
        await wait_loaded(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        count = len(app.library.cards)
        await wait_for(pilot, lambda: f"{count} kaarten in {repo}" in welcome_text(app), what="the count")
        assert "leeg" not in welcome_text(app)


async def test_the_welcome_of_an_empty_repository_says_so(tmp_path: Path) -> None:
    empty = make_repo(tmp_path / "leeg", cards=[])
    app = app_for(empty)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.show_welcome()
        await pilot.pause()
        text = welcome_text(app)
        assert f"Deze kaartenbak ({empty}) is nog leeg" in text and "Druk op n" in text


# -- singular and plural ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "key", "one", "two"),
    [
        ("nl", "list.count", "1 kaart", "2 kaarten"),
        ("en", "list.count", "1 card", "2 cards"),
        ("nl", "load.invalid", "1 kaart heeft fouten", "2 kaarten hebben fouten"),
        ("en", "editor.warnings", "1 warning", "2 warnings"),
        ("nl", "export.title", "1 kaart exporteren", "2 kaarten exporteren"),
        ("nl", "files.header", "✗ 1 bestand met", "✗ 2 bestanden met"),
    ],
)
def test_counts_are_singular_for_one_and_plural_otherwise(lang: str, key: str, one: str, two: str) -> None:
    set_language(lang)
    assert t(key, count=1).startswith(one)
    assert t(key, count=2).startswith(two)
    assert t(key, count=0).startswith(two.replace("2", "0"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_catalogue_text_hedges_with_en_or_s(lang: str) -> None:
    catalogue.cache_clear()
    hedged = {k: v for k, v in catalogue(lang).items() if re.search(r"\w\((en|s)\)", v)}
    assert hedged == {}


async def test_the_list_heading_says_1_kaart(tmp_path: Path) -> None:
    one = make_repo(tmp_path / "een", cards=["wbw-t1-1.1"])
    app = app_for(one)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await settle(app, pilot)
        hint = str(app.browser.query_one("#hint", Static).render())
        assert hint.startswith("1 kaart ·")


def test_a_count_with_another_name_chooses_the_form_with_plural() -> None:
    set_language("nl")
    assert t("list.count", count=3, plural=1) == "3 kaart"  # the form follows plural=, the text count=
    assert t("view.gone", id="X", plural=1) == "Kaart X bestaat niet (meer)."  # no plural: unchanged
