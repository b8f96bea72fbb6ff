"""Sync and conflicts inside the app, with real git: a bare repository as the shared remote and
two clones with the card merge driver (as in tests/core/test_sync.py). Every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, make_repo, seed_remote
from tests.core.test_sync import clone, edit
from tests.ui.conftest import app_for, heard, settle, wait_loaded
from tui.app import KaartenbakApp
from tui.core.sync.sync import sync
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.sync_progress import SyncProgress
from tui.screens.conflict import ConflictScreen
from tui.sync_flow import FLOW_GROUP
from tui.widgets.card_list import CardList
from textual.worker import Worker, WorkerCancelled

CARD = "cards/wbw/wbw-t1-1.4.toml"  # Reablement
CARD_ID = "WBW/T1/1.4"


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(bare remote, clone a, clone b) with two real cards and field-level merging."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # git runs the merge driver as `python -m tui`
    remote = seed_remote(tmp_path, ("wbw-t1-1.1", "wbw-t1-1.4"))
    return remote, clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")


def notes(app: KaartenbakApp) -> str:
    return "\n".join(heard(app))


async def until(app: KaartenbakApp, pilot, done: Callable[[], bool], seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Let workers and messages run until ``done()`` (fails after ``seconds``)."""
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "timed out"
        await idle(app)
        await pilot.pause(0.05)


async def click_when_shown(app: KaartenbakApp, pilot, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Click a button once it is laid out on the current screen (a click before that lands nowhere)."""

    def shown() -> bool:
        found = app.screen.query(selector)
        return bool(found) and found.first().region.area > 0

    await until(app, pilot, shown)
    await pilot.click(selector)


async def idle(app: KaartenbakApp, seconds: float = 30.0) -> None:
    """Wait (bounded) for the app's workers, except a sync or conflict flow waiting for the person's answer."""
    busy = [w for w in app.workers if w.group != FLOW_GROUP]
    if not busy:  # wait_for_complete([]) would wait for every worker, the waiting flow too
        return

    async def finished(worker: Worker) -> None:
        with contextlib.suppress(WorkerCancelled):  # a worker the app cancelled is done as well
            await worker.wait()

    try:
        await asyncio.wait_for(asyncio.gather(*(finished(w) for w in busy)), seconds)
    except TimeoutError:
        pytest.fail(f"workers still running after {seconds} s: {[(w.name, w.state.name) for w in busy]}")


def data(repo: Path) -> dict:
    return tomllib.loads((repo / CARD).read_text(encoding="utf-8"))


async def test_sync_brings_in_a_clean_remote_change(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    edit(a, CARD, title="Reablement en preablement")
    assert sync(a).sent == 1
    app = app_for(b)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: "ontvangen" in notes(app))
        assert "1 wijziging ontvangen" in notes(app)
        assert not isinstance(app.screen, SyncProgress)
        assert app.library.cards[CARD_ID].title == "Reablement en preablement"
        await settle(app, pilot)
        rows = {r.card_id: r.title for r in app.browser.query_one(CardList).rows}
        assert rows[CARD_ID] == "Reablement en preablement"
        assert "✗" not in app.browser.badges(CARD_ID) and "⚠" not in app.browser.badges(CARD_ID)


async def test_offline_is_said_quickly_and_the_app_keeps_working(
    shared: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, b = shared
    git(b, "remote", "set-url", "origin", str(tmp_path / "bestaat-niet.git"))
    edit(b, CARD, title="Lokaal gewijzigd")
    app = app_for(b)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        started = time.monotonic()
        await pilot.press("s")
        await until(app, pilot, lambda: "offline" in notes(app), seconds=10)
        assert time.monotonic() - started < 10
        assert "je wijzigingen blijven bewaard" in notes(app)
        assert app.screen is app.browser
        await pilot.press("slash", "r", "e", "a")  # still responsive: search works
        await settle(app, pilot)
        assert CARD_ID in {r.card_id for r in app.browser.query_one(CardList).rows}


async def test_same_field_conflict_is_resolved_in_the_conflict_screen(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    base = data(a)
    edit(a, CARD, doelstelling="Doel volgens A", aanpak="Aanpak volgens A")
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel volgens B", aanpak="Aanpak volgens B", notes="notitie van B")
    app = app_for(b)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        assert [c.field for c in screen.conflicts] == ["doelstelling", "aanpak"]
        assert (b / ".git" / "MERGE_HEAD").exists()
        shown = str(screen.query_one("#conflict-field").render())
        assert "Doelstelling" in shown
        assert "Gebruiker a" in str(screen.query_one("#conflict-theirs .conflict-who").render())  # who changed theirs
        assert data(b)["conflict"]  # nothing written yet
        await pilot.press("2")  # doelstelling: theirs
        await pilot.press("1")  # aanpak: mine
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "conflict" in data(b)  # still nothing written before the user says so
        await click_when_shown(app, pilot, "#choice-save")
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog) and app.screen.query("#choice-commit"))
        got = data(b)
        assert "conflict" not in got
        assert (got["doelstelling"], got["aanpak"], got["notes"]) == (
            "Doel volgens A",
            "Aanpak volgens B",
            "notitie van B",
        )
        assert got["doelgroep"] == base["doelgroep"]
        assert git(b, "diff", "--name-only", "--diff-filter=U").strip() == ""
        await click_when_shown(app, pilot, "#choice-commit")
        await until(app, pilot, lambda: "Samenvoeging vastgelegd" in notes(app))
        assert git(b, "status", "--porcelain").strip() == ""
        assert len(git(b, "rev-list", "--parents", "-n1", "HEAD").split()) == 3  # a merge commit
        assert not (b / ".git" / "MERGE_HEAD").exists()
        assert app.library.cards[CARD_ID].data["doelstelling"] == "Doel volgens A"
        await settle(app, pilot)
        assert "⚠" not in app.browser.badges(CARD_ID)


HOSTILE = "Doel [bold]A[/] [@click=app.quit]x[/] \x1b[31m"


async def test_a_conflicted_card_shows_the_badge_and_x_opens_it(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    edit(a, CARD, doelstelling=HOSTILE)
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel volgens B")
    assert sync(b).conflicts == (CARD,)
    app = app_for(b)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert "⚠" in app.browser.badges(CARD_ID)
        assert "⚠" not in app.browser.badges("WBW/T1/1.1")
        app.browser.goto(CARD_ID)
        await pilot.press("x")
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen.loaded)
        theirs = str(app.screen.query_one("#conflict-theirs .conflict-body").render())
        assert "Doel [bold]A[/] [@click=app.quit]x[/] <U+001B>[31m" in theirs  # literal, escape made visible
        await pilot.press("escape")  # nothing chosen: back without a question, nothing changed
        await settle(app, pilot)
        assert app.screen is app.browser and "conflict" in data(b)


async def test_sync_in_an_unfinished_merge_goes_to_the_conflicts_not_to_git(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    edit(a, CARD, doelstelling="Doel volgens A")
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel volgens B")
    assert sync(b).conflicts == (CARD,)
    app = app_for(b)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen.loaded)


async def test_no_remote_is_explained(tmp_path: Path) -> None:
    lone = make_repo(tmp_path / "lone", cards=["wbw-t1-1.4"])
    app = app_for(lone)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "kaartenbak remote ADRES" in app.screen.detail
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.browser


async def test_missing_merge_driver_is_offered_first(shared: tuple[Path, Path, Path], tmp_path: Path) -> None:
    remote, a, _ = shared
    edit(a, CARD, title="Titel van A")
    assert sync(a).ok
    c = tmp_path / "c"
    git(tmp_path, "clone", "-q", str(remote), "c")
    git(c, "config", "user.name", "Gebruiker c")
    git(c, "config", "user.email", "c@example.org")
    app = app_for(c)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert "kaartenbak init" in app.screen.detail
        await click_when_shown(app, pilot, "#choice-init")
        await until(app, pilot, lambda: "Alles was al gedeeld" in notes(app))
        assert "merge-driver" in git(c, "config", "--get", "merge.kaartenbak.driver")


async def test_conflicts_outside_cards_are_listed_with_the_commands(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    (a / "afspraken.txt").write_text("Overleg op maandag\n", encoding="utf-8")
    git(a, "add", "afspraken.txt")
    git(a, "commit", "-q", "-m", "afspraken van A")
    assert sync(a).ok
    (b / "afspraken.txt").write_text("Overleg op dinsdag\n", encoding="utf-8")
    git(b, "add", "afspraken.txt")
    git(b, "commit", "-q", "-m", "afspraken van B")
    app = app_for(b)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog) and "afspraken.txt" in app.screen.detail)
        detail = app.screen.detail
        assert "git status" in detail and "git add -- " in detail and "git merge --abort" in detail
        await pilot.press("escape")
        await settle(app, pilot)
        assert (b / ".git" / "MERGE_HEAD").exists() and "<<<<<<<" in (b / "afspraken.txt").read_text(encoding="utf-8")
