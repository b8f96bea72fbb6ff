"""Git inside the app: commit dialog, identity prompt, history with field diffs and restore, blame."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, SelectionList, TextArea

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, heard, settle, wait_for, wait_loaded
from tui.app import KaartenbakApp
from tui.dialogs.commit import CommitDialog
from tui.dialogs.error import ErrorDialog
from tui.dialogs.identity import IdentityDialog
from tui.screens import history as history_screen
from tui.screens.blame import BlameScreen
from tui.screens.editor import EditorScreen
from tui.screens.history import FieldPicker, HistoryScreen

WOR = "cards/wbw/wbw-t1-1.1.toml"  # Welzijn op Recept (project)
WOR_ID = "WBW/T1/1.1"
KANS = "cards/nml/nml-c1.toml"  # Ketenaanpak kansrijke start
HOSTILE = " [bold]x[/] [@click=app.quit]y[/]"
OLD_GOAL = "Welzijn op Recept is ingericht bij iedere huisarts"
NEW_GOAL = "Welzijn op Recept is ingericht bij elke huisarts in de regio"


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_level(repo: Path) -> None:
    edit(repo, WOR, 'level = "project"', 'level = "programme"')


def change_title(repo: Path) -> None:
    edit(repo, KANS, 'title = "Ketenaanpak kansrijke start"', f'title = "Ketenaanpak kansrijke start{HOSTILE}"')


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def notifications(app: KaartenbakApp) -> list[str]:
    return list(heard(app))


async def open_commit(app: KaartenbakApp, pilot) -> CommitDialog:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, CommitDialog)
    return app.screen


async def test_commit_dialog_lists_the_changed_cards_with_their_fields(repo: Path) -> None:
    change_level(repo)
    change_title(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_commit(app, pilot)
        assert sorted(c.path for c in dialog.changes) == [KANS, WOR]
        options = dialog.query_one(SelectionList)
        prompts = {
            options.get_option_at_index(i).value: options.get_option_at_index(i).prompt.plain
            for i in range(options.option_count)
        }
        assert "Niveau" in prompts[WOR] and "Welzijn op Recept" in prompts[WOR]
        assert "Titel" in prompts[KANS] and HOSTILE.strip() in prompts[KANS]  # literal, not markup
        assert sorted(options.selected) == [KANS, WOR]
        message = dialog.query_one(TextArea).text
        assert message.splitlines()[0] == "2 kaarten bijgewerkt"
        assert "- Welzijn op Recept: niveau" in message
        assert f"- Ketenaanpak kansrijke start{HOSTILE}: titel" in message


async def test_deselecting_a_card_commits_only_the_other(repo: Path) -> None:
    change_level(repo)
    change_title(repo)
    before = head(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_commit(app, pilot)
        options = dialog.query_one(SelectionList)
        options.focus()
        options.highlighted = [options.get_option_at_index(i).value for i in range(options.option_count)].index(KANS)
        await pilot.press("space")
        await pilot.pause()
        assert options.selected == [WOR]
        assert dialog.query_one(TextArea).text == "Welzijn op Recept: niveau"  # suggestion follows the selection
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CommitDialog)
        assert any("Vastgelegd als versie" in n for n in notifications(app))
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    log = git(repo, "log", "-1", "--name-only", "--format=%s").split()
    assert log[-1] == WOR and KANS not in log
    assert git(repo, "log", "-1", "--format=%s").strip() == "Welzijn op Recept: niveau"
    assert git(repo, "status", "--porcelain").strip() == f"M {KANS}"


async def test_an_edited_message_is_kept_when_the_selection_changes(repo: Path) -> None:
    change_level(repo)
    change_title(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_commit(app, pilot)
        area = dialog.query_one(TextArea)
        area.load_text("Mijn eigen beschrijving")
        dialog.query_one(SelectionList).deselect(KANS)
        await pilot.pause()
        assert area.text == "Mijn eigen beschrijving"


async def test_empty_message_is_explained_inline(repo: Path) -> None:
    change_level(repo)
    before = head(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_commit(app, pilot)
        dialog.query_one(TextArea).load_text("  \n ")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # no error dialog, still writing
        problem = dialog.query_one("#commit-problem")
        assert problem.display and "Schrijf eerst" in str(problem.render())
        assert app.focused is dialog.query_one(TextArea)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommitDialog)
    assert head(repo) == before


async def test_nothing_to_commit_says_so_without_a_dialog(repo: Path) -> None:
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.screen is app.browser
        assert any("niets vast te leggen" in n for n in notifications(app))


async def test_identity_is_asked_validated_stored_and_used(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "anoniem", cards=["wbw-t1-1.1", "nml-c1"], identity=False, commit=False)
    git(repo, "-c", "user.name=Opzet", "-c", "user.email=opzet@example.org", "add", "-A")
    git(repo, "-c", "user.name=Opzet", "-c", "user.email=opzet@example.org", "commit", "-qm", "Begin")
    change_level(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_commit(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, IdentityDialog)
        ask = app.screen
        await pilot.press(*"Anna de Vries")
        await pilot.press("tab")
        await pilot.press(*"anna-at-voorbeeld")
        await pilot.pause()
        problem = ask.query_one("#identity-email-problem")
        assert problem.display and "lijkt geen e-mailadres" in str(problem.render())
        await pilot.press("enter")  # refused: still asking, nothing stored
        await settle(app, pilot)
        assert app.screen is ask
        assert "email" not in (repo / ".git" / "config").read_text()
        email = ask.query_one("#identity-email", Input)
        email.value = "anna@voorbeeld.nl"
        await pilot.pause()
        assert not problem.display
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert not isinstance(app.screen, (IdentityDialog, CommitDialog))
    config = (repo / ".git" / "config").read_text()
    assert "name = Anna de Vries" in config and "email = anna@voorbeeld.nl" in config
    assert (
        git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip()
        == "Anna de Vries <anna@voorbeeld.nl>|Anna de Vries <anna@voorbeeld.nl>"
    )
    assert git(repo, "status", "--porcelain").strip() == ""


def history_repo(tmp_path: Path) -> Path:
    """Welzijn op Recept in three versions: first, goal sharpened, level changed (by someone else)."""
    repo = make_repo(tmp_path / "hist", cards=["wbw-t1-1.1", "nml-c1"])
    edit(repo, WOR, OLD_GOAL, NEW_GOAL)
    git(repo, "commit", "-qam", "Doelstelling aangescherpt")
    change_level(repo)
    git(
        repo,
        "-c",
        "user.name=Ander Persoon",
        "-c",
        "user.email=ander@example.org",
        "commit",
        "-qam",
        "Niveau naar programma",
    )
    return repo


def version_shown(history: HistoryScreen) -> bool:
    """The highlighted version's field diff is loaded and on the right-hand pane."""
    chosen = history.selected
    return chosen is not None and chosen.sha in history.versions and not history.query_one("#history-busy").display


async def open_history(app: KaartenbakApp, pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    app.browser.goto(WOR_ID)
    await pilot.press("h")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded and version_shown(app.screen),
        what="the history with the newest version shown",
    )
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


async def test_history_lists_versions_and_shows_the_field_diff(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        history = await open_history(app, pilot)
        assert [r.subject for r in history.revisions] == [
            "Niveau naar programma",
            "Doelstelling aangescherpt",
            "Eerste kaarten",
        ]
        assert history.query_one(OptionList).option_count == 3
        assert "Niveau" in history.pane_text and "Ander Persoon" in history.pane_text
        assert "Doelstelling" not in history.pane_text
        await pilot.press("down")
        await wait_for(pilot, lambda: "Doelstelling aangescherpt" in history.pane_text, what="the second version")
        text = history.pane_text
        assert "Doelstelling aangescherpt" in text and "Doelstelling\n" in text and "Niveau" not in text
        assert "iedere" in text and "elke" in text  # word-level: both the deleted and the inserted words
        await pilot.press("down")
        await wait_for(pilot, lambda: "alle velden zijn nieuw" in history.pane_text, what="the first version")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.browser


async def test_committing_from_the_history_shows_the_new_version(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    edit(repo, WOR, 'level = "programme"', 'level = "project"')
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: (
                history.selected is not None
                and history.selected.subject == "Doelstelling aangescherpt"
                and version_shown(history)
            ),
        )
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CommitDialog)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen is history
        assert [r.subject for r in history.revisions][:2] == ["Welzijn op Recept: niveau", "Niveau naar programma"]
        assert history.selected is not None and history.selected.subject == "Doelstelling aangescherpt"  # kept


async def test_restoring_one_field_from_an_older_version(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    first = tomllib.loads(git(repo, "show", f"HEAD~2:{WOR}"))
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("down", "down")
        await wait_for(
            pilot,
            lambda: (
                history.selected is not None and history.selected.subject == "Eerste kaarten" and version_shown(history)
            ),
        )
        await pilot.press("f")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, FieldPicker)
        keys = [key for key, _, _ in picker.choices]
        assert "doelstelling" in keys and "level" in keys
        picker.query_one(OptionList).highlighted = keys.index("doelstelling")
        await pilot.press("enter")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert editor.editors["doelstelling"].value == first["doelstelling"]
        assert OLD_GOAL in editor.editors["doelstelling"].value
        assert editor.editors["level"].value == "programme"  # the rest is the current card
        assert editor.dirty
        assert editor.collect()["doelstelling"] == first["doelstelling"]
    assert NEW_GOAL in (repo / WOR).read_text()  # nothing saved until the user saves


async def test_restoring_the_whole_card_opens_it_in_the_editor(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        history = await open_history(app, pilot)
        await pilot.press("down", "down")
        await wait_for(
            pilot,
            lambda: (
                history.selected is not None and history.selected.subject == "Eerste kaarten" and version_shown(history)
            ),
        )
        await pilot.press("enter")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert OLD_GOAL in editor.editors["doelstelling"].value
        assert editor.editors["level"].value == "project"
        assert history.card_id == WOR_ID


async def test_history_pages_and_loads_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_screen, "PAGE", 3)  # the real page is 50; the logic is the same
    repo = make_repo(tmp_path / "lang", cards=["wbw-t1-1.1"])
    for i in range(4):
        edit(repo, WOR, '\ntitle = "', '\ntitle = "x')
        git(repo, "commit", "-qam", f"Titel {i}")
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        history = await open_history(app, pilot)
        assert [r.subject for r in history.revisions] == ["Titel 3", "Titel 2", "Titel 1"] and history.has_more
        await pilot.press("m")
        await wait_for(pilot, lambda: len(history.revisions) == 5 and not history.loading_page, what="the next page")
        assert [r.subject for r in history.revisions][3:] == ["Titel 0", "Eerste kaarten"] and not history.has_more
        assert history.query_one(OptionList).option_count == 5
        history.query_one(OptionList).highlighted = 4
        await wait_for(pilot, lambda: "alle velden zijn nieuw" in history.pane_text, what="the oldest version")


async def test_blame_lists_the_author_per_field(tmp_path: Path) -> None:
    repo = history_repo(tmp_path)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(WOR_ID)
        await pilot.press("enter")  # full card screen, where b is bound
        await pilot.pause()
        await pilot.press("b")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BlameScreen)
        table = screen.query_one(DataTable)
        by_field = {str(k.value): [c.plain for c in table.get_row(k)] for k in table.rows}
        assert by_field["level"][:2] == ["Niveau", "Ander Persoon"]
        assert by_field["level"][4] == "Niveau naar programma"
        assert by_field["doelstelling"][:2] == ["Doelstelling", "Test Gebruiker"]
        assert by_field["doelstelling"][4] == "Doelstelling aangescherpt"
        assert by_field["title"][1] == "Test Gebruiker" and by_field["title"][4] == "Eerste kaarten"
        labels = [row[0] for row in by_field.values()]
        assert labels.index("Titel") < labels.index("Niveau") < labels.index("Doelstelling")  # schema order
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BlameScreen)


def start_merge(repo: Path) -> None:
    """A real merge left unfinished (``--no-commit``): MERGE_HEAD present, changes staged."""
    git(repo, "switch", "-qc", "ander")
    change_title(repo)
    git(repo, "commit", "-qam", "Titel")
    git(repo, "switch", "-q", "main")
    change_level(repo)
    git(repo, "commit", "-qam", "Niveau")
    git(repo, "merge", "--no-commit", "--no-ff", "-q", "ander")


async def test_a_merge_in_progress_refuses_to_commit_with_an_explanation(repo: Path) -> None:
    start_merge(repo)
    before = head(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        error = app.screen
        assert isinstance(error, ErrorDialog)  # refused before a message is written
        assert "samenvoeging (merge) bezig" in error.message and "git merge --abort" in error.message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.browser
    assert head(repo) == before and (repo / ".git" / "MERGE_HEAD").exists()


async def test_a_merge_started_while_the_dialog_is_open_is_refused_at_commit(repo: Path) -> None:
    change_title(repo)
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_commit(app, pilot)
        git(repo, "stash", "-q")
        start_merge(repo)  # someone runs git in another terminal meanwhile
        before = head(repo)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = app.screen
        assert isinstance(error, ErrorDialog)
        assert "samenvoeging (merge) bezig" in error.message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog and not dialog.busy  # back in the dialog, nothing lost
    assert head(repo) == before and (repo / ".git" / "MERGE_HEAD").exists()
