"""Saved views and meeting mode in the real app: V saves, the tree lists and applies, m walks the agenda."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from tests.conftest import make_repo
from tests.ui.conftest import app_for, click, heard, settle, wait_for, wait_loaded
from tests.ui.rendered import screen_text
from tui.core.meetings.views import View, load_views, save_view, view_cards
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.save_view import SaveViewDialog
from tui.screens.editor import EditorScreen
from tui.screens.meeting import MeetingScreen
from tui.widgets.card_view import CardView
from tui.core.meetings.decisions import card_decisions
from tui.dialogs.decision import DecisionDialog
from tui.widgets.card_list import CardList
from tui.widgets.theme_tree import ThemeTree, ViewNode

CARDS = ["nml-b01.1", "nml-e1.1", "nml-h2", "wbw-t1-1.1", "wbw-t1-1.4", "nml-c1"]
GEZOND = 'thema:"Gezond vooruit"'
BY_NUMBER = ["NML/B01.1", "NML/E1.1", "NML/H2"]


def repo_with_view(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "r", cards=CARDS)
    save_view(repo, View("Gezond", GEZOND, "number"))
    return repo


def view_nodes(tree: ThemeTree) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if isinstance(node.data, ViewNode):
            found.append(node.data.view_name)
        for child in node.children:
            walk(child)

    walk(tree.root)
    return found


async def test_v_saves_the_search_as_a_view(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=CARDS)
    save_view(repo, View("Bestaand", "regio:wbw"))
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = GEZOND
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: len(lst.rows) == 3, what="the search")
        lst.focus()
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveViewDialog), what="the dialog")
        dialog = app.screen
        assert isinstance(dialog, SaveViewDialog)
        name = dialog.query_one("#save-view-name", Input)
        assert name.value == "Gezond vooruit"  # prefilled from the query
        assert 'Zoekvraag: thema:"Gezond vooruit"' in screen_text(app)
        name.value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog and "Geef de agenda een naam" in dialog.error
        name.value = "bestaand"
        await pilot.pause()
        assert "al een agenda 'Bestaand'" in dialog.error
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog and [v.name for v in load_views(repo)] == ["Bestaand"]
        name.value = "Gezond vooruit"
        await click(pilot, "#save-view-save")
        await wait_for(pilot, lambda: app.screen is app.browser, what="the dialog to close")
        await settle(app, pilot)
        assert load_views(repo)[-1] == View("Gezond vooruit", GEZOND)
        assert "Agenda 'Gezond vooruit' opgeslagen in views.toml." in heard(app)
        tree = app.browser.query_one(ThemeTree)
        await wait_for(pilot, lambda: view_nodes(tree) == ["Bestaand", "Gezond vooruit"], what="the tree")
        assert app.browser.current_view is not None and app.browser.current_view.name == "Gezond vooruit"


async def test_choosing_a_view_in_the_tree_applies_its_query_and_order(tmp_path: Path) -> None:
    app = app_for(repo_with_view(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        await wait_for(pilot, lambda: view_nodes(tree) == ["Gezond"], what="the view in the tree")
        assert "Agenda's (1)" in screen_text(app)
        tree.focus()
        node = next(n for n in tree._tree_nodes.values() if isinstance(n.data, ViewNode))
        tree.move_cursor(node)
        await pilot.press("enter")
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == BY_NUMBER, what="the view's cards by number")
        assert app.browser.query_one("#search", Input).value == GEZOND
        assert "op nummer" in str(app.browser.query_one("#hint").render())
        assert any("Agenda 'Gezond': 3 kaarten" in h for h in heard(app))
        await pilot.press("delete")  # on the view in the tree: asks to remove the view, not a card
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "Agenda 'Gezond' verwijderen?" in screen_text(app)
        await click(pilot, "#yes")
        await wait_for(pilot, lambda: view_nodes(tree) == [], what="the view gone from the tree")
        assert load_views(app.library.workspace.root) == []
        assert len(app.library.cards) == len(CARDS)


async def test_palette_offers_the_views(tmp_path: Path) -> None:
    app = app_for(repo_with_view(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Agenda: Gez")
        await wait_for(pilot, lambda: "Agenda: Gezond" in screen_text(app), what="the palette entry")
        await pilot.press("enter")
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == BY_NUMBER, what="the view opened")


async def test_meeting_walks_the_view_and_comes_back(tmp_path: Path) -> None:
    app = app_for(repo_with_view(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        await wait_for(pilot, lambda: app.browser.views, what="the views")
        app.browser.open_view("gezond")
        await settle(app, pilot)
        app.browser.query_one(CardList).focus()
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), what="meeting mode")
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen) and meeting.card_ids == BY_NUMBER
        assert "Vergadering · Gezond · 1 van 3" in screen_text(app)
        assert "Mentale gezondheidsnetwerken" in screen_text(app)
        await pilot.press("right")
        assert meeting.card_id == "NML/E1.1" and "2 van 3" in screen_text(app)
        await pilot.press("pagedown")
        assert meeting.card_id == "NML/H2" and "3 van 3" in screen_text(app)
        await pilot.press("right")  # the last one: stays, says so
        assert meeting.card_id == "NML/H2" and any("laatste kaart" in h for h in heard(app))
        await pilot.press("left", "pageup")
        assert meeting.card_id == "NML/B01.1"
        await pilot.press("right")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.editors["title"].query_one(Input).value = "Laurentius ZH: pijler preventie (herzien)"
        await wait_for(pilot, lambda: editor.dirty, what="the change")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is meeting, what="back in the meeting")
        await settle(app, pilot)
        assert meeting.card_id == "NML/E1.1" and "2 van 3" in screen_text(app)
        await wait_for(pilot, lambda: "pijler preventie (herzien)" in screen_text(app), what="the card re-read")
        await pilot.press("D")  # a decision on the card under discussion
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionDialog), what="the decision dialog")
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog)
        dialog.query_one("#decision-besluit", TextArea).text = "Akkoord met de aanpak."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: card_decisions(app.library.cards["NML/E1.1"]), what="the decision saved")
        await wait_for(pilot, lambda: app.screen is meeting, what="back in the meeting")
        assert meeting.card_id == "NML/E1.1" and "2 van 3" in screen_text(app)
        view = meeting.query_one(CardView)
        await wait_for(pilot, lambda: "Akkoord met de aanpak." in view.last_text, what="the decision shown")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.browser, what="back in the browser")
        await settle(app, pilot)
        assert app.browser.current_card_id() == "NML/E1.1"


async def test_meeting_without_a_view_walks_the_listed_cards(tmp_path: Path) -> None:
    app = app_for(make_repo(tmp_path / "r", cards=CARDS), lang="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        listed = app.browser.listed_card_ids()
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), what="meeting mode")
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen) and meeting.card_ids == listed
        assert f"Meeting · the cards listed · 1 of {len(listed)}" in screen_text(app)
        await pilot.press("end")  # the card view's own keys still scroll
        await pilot.press("right", "right")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.browser, what="back")
        await settle(app, pilot)
        assert app.browser.current_card_id() == listed[2]


async def test_hostile_view_names_stay_text_and_an_empty_agenda_says_so(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=CARDS)
    (repo / "views.toml").write_text(
        '[[view]]\nname = "[bold]vet[/] \\u001b[31mrood"\nquery = "regio:nergens"\n', encoding="utf-8"
    )
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        await wait_for(pilot, lambda: len(view_nodes(tree)) == 1, what="the view in the tree")
        assert "[bold]vet[/] <U+001B>[31mrood" in screen_text(app)  # shown as typed, the ESC made visible
        app.browser.open_view(view_nodes(tree)[0])
        await settle(app, pilot)
        app.browser.query_one(CardList).focus()
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), what="meeting mode")
        text = screen_text(app)
        assert "· 0 van 0" in text and "Geen kaarten om te bespreken" in text and "[bold]vet[/]" in text
        await pilot.press("right", "e")  # nothing to step to or edit: said, nothing breaks
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.browser, what="back")


async def test_r_reorders_the_agenda_for_the_meeting(tmp_path: Path) -> None:
    app = app_for(repo_with_view(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        await wait_for(pilot, lambda: app.browser.views, what="the views")
        app.browser.open_view("Gezond")
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == BY_NUMBER, what="by number")
        lst.focus()
        await pilot.press("r", "r")  # number → changed → title
        by_title = ["NML/E1.1", "NML/B01.1", "NML/H2"]  # Laurentius, Mentale, Regeleinden
        await wait_for(pilot, lambda: [r.card_id for r in lst.rows] == by_title, what="by title")
        assert "op titel" in str(app.browser.query_one("#hint").render())
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), what="meeting mode")
        assert app.screen.card_ids == by_title and "Vergadering · Gezond · 1 van 3" in screen_text(app)  # type: ignore[attr-defined]
    assert load_views(app.library.workspace.root)[0].sort == "number"  # the saved view is unchanged


async def test_the_trees_choice_is_saved_as_filters(tmp_path: Path) -> None:
    app = app_for(make_repo(tmp_path / "r", cards=CARDS))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        tree = app.browser.query_one(ThemeTree)
        node = next(n for n in tree._tree_nodes.values() if n.data is not None and n.data.theme == "Gezond vooruit")
        tree.focus()
        tree.move_cursor(node)
        await pilot.press("enter")
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: len(lst.rows) == 3, what="the theme chosen")
        app.browser.query_one("#search", Input).value = "mentale"
        await wait_for(pilot, lambda: len(lst.rows) == 1, what="the search within it")
        lst.focus()
        await pilot.press("V")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveViewDialog), what="the dialog")
        assert app.screen.view_query == 'mentale regio:NML thema:"Gezond vooruit"'  # type: ignore[attr-defined]
        await click(pilot, "#save-view-save")
        await wait_for(pilot, lambda: app.screen is app.browser, what="saved")
        saved = load_views(app.library.workspace.root)
        assert [v.name for v in saved] == ["Mentale NML Gezond vooruit"]
        assert [c.id for c in view_cards(saved[0], app.library)] == ["NML/B01.1"]


async def test_meeting_names_the_status_in_the_ui_language(tmp_path: Path) -> None:
    repo = repo_with_view(tmp_path)
    card = repo / "cards" / "nml" / "nml-b01.1.toml"
    text = card.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    card.write_text(text.replace(title, f'{title}\nstatus = "ter_bespreking"', 1), encoding="utf-8")
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        await wait_for(pilot, lambda: app.browser.views, what="the views")
        app.browser.open_view("gezond")
        await settle(app, pilot)
        app.browser.query_one(CardList).focus()
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), what="meeting mode")
        await settle(app, pilot)
        assert "Status: Ter bespreking" in screen_text(app)
        assert "Status: ter_bespreking" not in screen_text(app)
