"""Card status in the app: the list column, the card view line, the tree grouped by status
(key g), the overview's theme × status line and the editor refusing an incomplete Vastgesteld."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, heard, settle, wait_for, wait_loaded
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.workspace import Workspace
from tui.screens.editor import EditorScreen
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView
from tui.widgets.theme_tree import NodeFilter, ThemeTree

NL_NAMES = ["Concept", "Ter bespreking", "Vastgesteld", "In uitvoering", "Afgerond", "Gestopt"]
CARDS = ["wbw-t1-1.1", "wbw-t1-1.4", "wbw-t3-p1", "nml-b22.1", "nml-f1.1"]


def _set(repo: Path, rel: str, **fields: Any) -> None:
    card = load_file(repo / rel)
    assert isinstance(card, Card)
    Workspace(repo).store.save(card, {**card.to_dict(), **fields})


@pytest.fixture
def status_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "r", cards=CARDS)
    _set(repo, "cards/wbw/wbw-t1-1.1.toml", status="vastgesteld")
    _set(repo, "cards/wbw/wbw-t3-p1.toml", status="concept")
    _set(repo, "cards/nml/nml-b22.1.toml", status="ter_bespreking")
    git(repo, "commit", "-qam", "statussen")
    return repo


async def test_the_list_shows_each_cards_status_and_the_card_view_near_the_top(status_repo: Path) -> None:
    app = app_for(status_repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        rows = {r.card_id: r for r in app.browser.query_one(CardList).rows}
        assert rows["WBW/T1/1.1"].status == "Vastgesteld"
        assert rows["WBW/T3/P1"].status == "Concept"
        assert rows["NML/B22.1"].status == "Ter bespreking"
        assert rows["WBW/T1/1.4"].status == ""
        lst = app.browser.query_one(CardList)
        line = "".join(
            s.text for s in lst.render_line(next(i for i, r in enumerate(lst.rows) if r.card_id == "WBW/T1/1.1"))
        )
        assert "Vastgesteld" in line and "Welzijn op Recept" in line
        app.browser.goto("WBW/T1/1.1")
        view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: "Status: Vastgesteld" in view.last_text, what="the status in the card view")
        head = view.last_text.split("\n")
        assert any("Status: Vastgesteld" in line for line in head[:4])  # near the top
        app.browser.goto("WBW/T1/1.4")
        await wait_for(pilot, lambda: "Status: (geen status)" in view.last_text, what="no status")


async def test_g_groups_the_tree_by_status_with_counts_and_a_status_node_filters(status_repo: Path) -> None:
    app = app_for(status_repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        app.browser.query_one(CardList).focus()
        await pilot.press("g")
        await settle(app, pilot)
        assert tree.by_status
        wbw = next(n for n in tree.root.children if "(WBW)" in str(n.label))
        assert [str(n.label) for n in wbw.children] == ["Concept (1)", "Vastgesteld (1)", "(geen status) (1)"]
        nml = next(n for n in tree.root.children if "(NML)" in str(n.label))
        assert [str(n.label) for n in nml.children] == ["Ter bespreking (1)", "(geen status) (1)"]
        tree.select_node(wbw.children[1])
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == ["WBW/T1/1.1"], what="the status filter")
        assert app.browser.node_filter == NodeFilter("WBW", status="vastgesteld")
        assert app.browser.selection_query() == "regio:WBW status:vastgesteld"
        tree.select_node(wbw.children[2])
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == ["WBW/T1/1.4"], what="no status")
        assert app.browser.selection_query() == "regio:WBW status:geen"
        lst.focus()
        await pilot.press("g")
        await settle(app, pilot)
        assert not tree.by_status and len(lst.rows) == len(CARDS)
        wbw = next(n for n in tree.root.children if "(WBW)" in str(n.label))
        assert any("Mentale gezondheid" in str(n.label) for n in wbw.children)  # themes again
        assert any("per regio de status" in m for m in heard(app))


async def test_search_status_filter_in_the_app(status_repo: Path) -> None:
    app = app_for(status_repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("slash", *"status:vastgesteld")
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == ["WBW/T1/1.1"], what="the search")


async def test_the_overview_counts_cards_per_theme_and_status(status_repo: Path) -> None:
    app = app_for(status_repo)
    async with app.run_test(size=(140, 50)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        texts = [str(w.render()) for w in app.screen.query(".ov-statuses")]
        assert "Vastgesteld 1 · (geen status) 1" in texts  # theme 1 of WBW: 1.1 vastgesteld, 1.4 none
        assert "Concept 1" in texts


async def test_the_editor_refuses_vastgesteld_without_tijdslijn_and_says_why(status_repo: Path) -> None:
    path = status_repo / "cards/wbw/wbw-t1-1.4.toml"
    before = path.read_bytes()
    app = app_for(status_repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("WBW/T1/1.4")
        await pilot.press("e")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        select = ed.editors["status"].query_one(Select)
        codes = ["concept", "ter_bespreking", "vastgesteld", "in_uitvoering", "afgerond", "gestopt"]
        offered = [(str(label), value) for label, value in select._options if value in codes]
        assert offered == list(zip(NL_NAMES, codes, strict=True))  # named in the UI language
        assert select.value == Select.NULL  # no status: nothing chosen for the user
        select.value = "vastgesteld"
        reason = "Tijdslijn: moet ingevuld zijn vanaf status Vastgesteld"
        problems = ed.editors["tijdslijn"]._problems
        await wait_for(pilot, lambda: "vanaf status Vastgesteld" in str(problems.render()), what="the reason")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen) and ed.dirty
        assert reason in str(ed.query_one("#editor-summary").render())
        assert any(m.startswith("Niet opgeslagen") for m in heard(app)), heard(app)
    assert path.read_bytes() == before


def test_the_changes_screen_names_a_status_transition_by_its_names() -> None:
    from tui.core.paths import schema_dir
    from tui.core.cards.vocab import Vocabulary
    from tui.core.review.changes import CHANGED, CardChange, FieldChange
    from tui.screens.changes import card_text

    field = FieldChange(("status",), "status", "Status", "changed", "concept", "vastgesteld")
    card = CardChange(CHANGED, "cards/wbw/x.toml", "cards/wbw/x.toml", "WBW/X", "X", "", "WBW", "project", (field,))
    moved = CardChange(**{**card.__dict__, "transition": ("concept", "vastgesteld")})
    text = card_text(moved, Vocabulary(schema_dir())).plain
    assert "Status: Concept → Vastgesteld" in text and "concept" not in text  # said once, by name
    started = CardChange(**{**card.__dict__, "fields": (), "transition": ("", "in_uitvoering")})
    assert "Status: (geen status) → In uitvoering" in card_text(started, Vocabulary(schema_dir())).plain
    plain = card_text(card).plain  # no transition known: only the field diff
    assert "Status:" not in plain and "concept → vastgesteld" in plain
