"""The Wijzigingen screen (w) and "Snapshot maken" in the real app on real repositories."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, OptionList, Static

from tests.conftest import git, make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tests.ui.rendered import screen_text
from tui.core.git.gitrepo import GitRepo
from tui.core.review.snapshots import create_snapshot, list_snapshots
from tui.screens.card_screen import CardScreen
from tui.screens.changes import ChangesScreen, SnapshotDialog
from tui.widgets.safe import SafeInput, SafeSelect

CARD = "cards/wbw/wbw-t1-1.1.toml"
HOSTILE = "[bold]vet[/] [@click=app.quit]klik[/]"


def _repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "wbw-t1-1.4", "nml-b01.1", "nml-c1"])
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep december 2026")
    path = repo / CARD
    path.write_text(path.read_text(encoding="utf-8").replace('title = "Welzijn op Recept"', f'title = "{HOSTILE}"'))
    git(repo, "commit", "-qam", "titel")
    git(repo, "rm", "-q", "cards/nml/nml-c1.toml")
    git(repo, "commit", "-qm", "weg")
    return repo


async def open_changes(app, pilot) -> ChangesScreen:  # type: ignore[no-untyped-def]
    await wait_loaded(app, pilot)
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen), what="the changes screen")
    screen = app.screen
    assert isinstance(screen, ChangesScreen)
    await wait_for(pilot, lambda: screen.done, what="the change set")
    await settle(app, pilot)
    return screen


async def test_changes_since_latest_snapshot_grouped_by_theme(tmp_path: Path) -> None:
    app = app_for(_repo(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_changes(app, pilot)
        assert screen.since == "snapshot/2026-12-stuurgroep"
        assert {c.path: c.status for c in screen.cards} == {CARD: "changed", "cards/nml/nml-c1.toml": "removed"}
        olist = screen.query_one("#changes-list", OptionList)
        heads = [str(olist.get_option_at_index(i).prompt) for i in range(olist.option_count)]
        assert any("Kwetsbare ouderen" in h for h in heads) and any("Zonder thema" in h for h in heads)
        text = screen_text(app)
        assert "2 kaarten veranderd" in text
        assert app.is_running  # the hostile title did not run [@click=app.quit]
        shown = screen.cards
        changed = next(i for i, c in enumerate(shown) if c.status == "changed")
        olist.highlighted = next(
            i for i in range(olist.option_count) if olist.get_option_at_index(i).id == str(changed)
        )
        await pilot.pause()
        diff = str(screen.query_one("#changes-diff", Static).render())
        assert HOSTILE in diff and "Welzijn op Recept" in diff and "Titel" in diff


async def test_enter_opens_the_card(tmp_path: Path) -> None:
    app = app_for(_repo(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_changes(app, pilot)
        olist = screen.query_one("#changes-list", OptionList)
        changed = next(i for i, c in enumerate(screen.cards) if c.status == "changed")
        olist.highlighted = next(
            i for i in range(olist.option_count) if olist.get_option_at_index(i).id == str(changed)
        )
        olist.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CardScreen), what="the card screen")
        assert app.screen.current_card_id() == "WBW/T1/1.1"


async def test_by_date_and_no_snapshot(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "nml-b01.1"])
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen), what="the changes screen")
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        date = screen.query_one("#changes-date", SafeInput)
        await wait_for(pilot, lambda: date.display, what="the date box")
        assert "Nog geen snapshots" in screen_text(app)
        date.value = "1999-01-01"
        date.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.done, what="the refusal")
        assert "vóór 1999-01-01" in screen.error
        date.value = "2099-01-01"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.done and not screen.error, what="the change set")
        assert screen.cards == []
        assert "Geen kaarten veranderd" in screen_text(app)


async def test_make_snapshot_from_the_palette_action(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "nml-b01.1"])
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.action_make_snapshot()
        await wait_for(pilot, lambda: isinstance(app.screen, SnapshotDialog), what="the dialog")
        dialog = app.screen
        assert isinstance(dialog, SnapshotDialog)
        await wait_for(pilot, lambda: bool(dialog.query("#snapshot-make")), what="the dialog's fields")
        dialog.query_one("#snapshot-name", SafeInput).value = "Stuurgroep december 2026"
        dialog.query_one("#snapshot-make", Button).press()
        await wait_for(pilot, lambda: not isinstance(app.screen, SnapshotDialog), what="the dialog to close")
        with GitRepo.open(repo) as r:
            assert [s.tag for s in list_snapshots(r)] == ["snapshot/2026-12-stuurgroep"]
        # the same name again: the coded refusal is shown in words, the dialog stays
        app.action_make_snapshot()
        await wait_for(pilot, lambda: isinstance(app.screen, SnapshotDialog), what="the dialog")
        dialog = app.screen
        assert isinstance(dialog, SnapshotDialog)
        await wait_for(pilot, lambda: bool(dialog.query("#snapshot-make")), what="the dialog's fields")
        dialog.query_one("#snapshot-name", SafeInput).value = "Stuurgroep december 2026"
        dialog.query_one("#snapshot-make", Button).press()
        await wait_for(pilot, lambda: bool(dialog.error), what="the refusal")
        assert "al een snapshot" in dialog.error and isinstance(app.screen, SnapshotDialog)
        assert not dialog.query_one("#snapshot-make", Button).disabled
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SnapshotDialog), what="escape closes")


async def test_uncommitted_cards_refuse_the_snapshot(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"])
    (repo / CARD).write_text((repo / CARD).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    app = app_for(repo, lang="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.action_make_snapshot()
        await wait_for(pilot, lambda: isinstance(app.screen, SnapshotDialog), what="the dialog")
        dialog = app.screen
        assert isinstance(dialog, SnapshotDialog)
        await wait_for(pilot, lambda: bool(dialog.query("#snapshot-make")), what="the dialog's fields")
        dialog.query_one("#snapshot-name", SafeInput).value = "X"
        dialog.query_one("#snapshot-make", Button).press()
        await wait_for(pilot, lambda: bool(dialog.error), what="the refusal")
        assert "not committed yet" in dialog.error


async def test_choosing_another_snapshot_recomputes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep januari 2027")
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_changes(app, pilot)
        assert screen.since == "snapshot/2027-01-stuurgroep" and screen.cards == []
        screen.query_one("#changes-from", SafeSelect).value = "snapshot/2026-12-stuurgroep"
        await wait_for(pilot, lambda: screen.since == "snapshot/2026-12-stuurgroep" and screen.done, what="again")
        assert len(screen.cards) == 2


async def test_changes_screen_in_english(tmp_path: Path) -> None:
    app = app_for(_repo(tmp_path), lang="en")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_changes(app, pilot)
        text = screen_text(app)
        assert "2 cards changed" in text and "Changes" in text and "No theme" in text
        assert "kaarten veranderd" not in text and "Zonder thema" not in text
        assert len(screen.cards) == 2
