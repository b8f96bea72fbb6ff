"""The app's sync flow as one worker: a merge the app leaves half-done is finished with the CLI,
and the progress panel closes only after its worker has returned (no worker closes its own screen)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.worker import WorkerState

from tests.conftest import ROOT, git, seed_remote
from tests.core.test_sync import clone, edit
from tests.ui.conftest import app_for, wait_loaded
from tests.ui.test_sync_ui import click_when_shown, idle, notes, until
from tui.cli import main
from tui.core.sync.flow import SyncOutcome
from tui.core.sync.sync import sync
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.sync_progress import SyncProgress
from tui.screens.conflict import ConflictScreen

CARD = "cards/wbw/wbw-t1-1.1.toml"


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    return remote, clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")


def data(repo: Path) -> dict:
    return tomllib.loads((repo / CARD).read_text(encoding="utf-8"))


async def test_cli_sync_finishes_a_merge_the_app_resolved_but_did_not_record(
    shared: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    remote, a, b = shared
    edit(a, CARD, doelstelling="Doel volgens A")
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel volgens B")
    app = app_for(b)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen.loaded)
        await pilot.press("2")  # theirs
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await click_when_shown(app, pilot, "#choice-save")
        await until(app, pilot, lambda: isinstance(app.screen, ChoiceDialog) and app.screen.query("#choice-later"))
        await click_when_shown(app, pilot, "#choice-later")  # the person quits before recording the merge
        await until(app, pilot, lambda: app.screen is app.browser)
        await idle(app)
    assert (b / ".git" / "MERGE_HEAD").exists() and "conflict" not in data(b)
    capsys.readouterr()
    assert main(["--repo", str(b), "sync"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Samenvoeging vastgelegd (") and "verstuurd" in out
    assert not (b / ".git" / "MERGE_HEAD").exists()
    assert git(remote, "rev-parse", "main") == git(b, "rev-parse", "HEAD")
    assert data(b)["doelstelling"] == "Doel volgens A"


async def test_cli_resolves_what_the_app_postponed(
    shared: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    remote, a, b = shared
    edit(a, CARD, doelstelling="Doel volgens A")
    assert sync(a).ok
    edit(b, CARD, doelstelling="Doel volgens B")
    app = app_for(b)
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("s")
        await until(app, pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen.loaded)
        await pilot.press("escape")  # nothing chosen: postponed
        await until(app, pilot, lambda: app.screen is app.browser and "⚠" in notes(app))
    capsys.readouterr()
    assert main(["--repo", str(b), "sync"]) == 1  # explained, not started again
    assert main(["--repo", str(b), "conflicts", "resolve", "WBW/T1/1.1", "doelstelling", "--mine"]) == 0
    assert main(["--repo", str(b), "sync"]) == 0
    assert git(remote, "rev-parse", "main") == git(b, "rev-parse", "HEAD")
    assert data(b)["doelstelling"] == "Doel volgens B"


class ProbedProgress(SyncProgress):
    """Records, when the panel closes, in which state its sync worker is."""

    states: list[WorkerState]

    def dismiss(self, result=None):  # type: ignore[no-untyped-def]
        self.states = [w.state for w in self.app.workers if w.node is self and w.name == "sync-run"]
        return super().dismiss(result)


async def test_the_progress_panel_closes_after_its_worker_returned(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    edit(a, CARD, title="Titel van A")
    assert sync(a).ok
    app = app_for(b)
    got: list[SyncOutcome | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        panel = ProbedProgress(b)
        app.push_screen(panel, got.append)
        await until(app, pilot, lambda: bool(got))
        assert panel.states == [WorkerState.SUCCESS]
        [outcome] = got
        assert outcome is not None and outcome.result.code == "done" and outcome.result.received == 1
        assert [p for p, _ in outcome.reloaded] == [b / CARD]
        assert panel.lines and "ontvangen" in panel.lines[-1]
