"""Helpers for Pilot tests: the real app on a real repository copy, and bounded waits.

No Pilot test pauses a fixed time. A test that needs a timer, a worker or a message to have run
waits for the *state* it expects with ``wait_for(pilot, lambda: ...)``, which polls with a
deadline and fails with a clear message. Product delays (the card view's debounce, the overview's
poll) are class attributes that the autouse ``instant_delays`` fixture sets to (next to) zero here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import make_repo
from tui.app import KaartenbakApp, make_app
from tui.core.config import Config
from tui.screens.browser import BrowserScreen
from tui.screens.editor import EditorScreen
from tui.screens.overview import OverviewScreen

POLL = 0.01  # seconds between two looks at the condition (a poll interval, never a wait for a timer)
INSTANT = 0.001  # a product delay in tests: as good as zero (Textual's timers divide by their delay)


def app_for(repo: Path, lang: str = "nl") -> KaartenbakApp:
    """The app exactly as the console script builds it, without the user's config or cache.

    The disk poll's timer is off (a test that changes files outside the app calls
    ``app.check_disk()`` itself), so no test depends on when the timer fires.
    """
    return make_app(repo=repo, lang=lang, config=Config(path=repo / "no-config.toml"), use_cache=False, poll_interval=0)


def heard(app: KaartenbakApp) -> list[str]:
    """Every toast message the app has shown, including ones that have already timed out.

    ``app._notifications`` drops a toast once its timeout passes; on a loaded machine a test can
    look a few seconds late, so tests that ask "was the user told?" read this instead.
    """
    return app.__dict__.setdefault("_heard_in_test", [])


@pytest.fixture(autouse=True)
def record_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a record of each ``notify`` for :func:`heard`, then show the toast as usual."""
    original = KaartenbakApp.notify

    def notify(self: KaartenbakApp, message: str, *args: object, **kwargs: object) -> None:
        heard(self).append(str(message))
        original(self, message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(KaartenbakApp, "notify", notify)


async def wait_for(
    pilot: Pilot,  # type: ignore[type-arg]
    predicate: Callable[[], object],
    timeout: float = 10.0,
    what: str = "",
) -> None:
    """Let the app run (timers, workers, messages) until ``predicate()`` is true; fail after ``timeout`` s.

    Polls on the event loop with ``asyncio.sleep`` only, so it also works while a screen is failing
    (Pilot's own idle-wait would watch that screen's stopped widgets).
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            screen = type(pilot.app.screen).__name__ if pilot.app.is_running else "app stopped"
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or predicate} (screen: {screen})")
        await asyncio.sleep(POLL)


def on_screen(app: KaartenbakApp, selector: str) -> bool:
    """Whether ``selector`` names a widget of the current screen that is laid out and visible."""
    found = app.screen.query(selector)
    return bool(found) and found.first().region.area > 0 and found.first().visible


async def click(pilot: Pilot, selector: str, timeout: float = 10.0) -> None:  # type: ignore[type-arg]
    """Click ``selector`` once it is on screen (a click on a widget not yet laid out lands nowhere)."""
    await wait_for(pilot, lambda: on_screen(pilot.app, selector), timeout, f"{selector} on screen")  # type: ignore[arg-type]
    await pilot.click(selector)


async def wait_loaded(app: KaartenbakApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the browser has loaded every card and the background work has finished."""
    await wait_for(pilot, lambda: app.browser is not None and app.browser.loaded, what="the cards to load")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def settle(app: KaartenbakApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the workers that are running now finish and the messages they posted be handled.

    Not a wait for a timer: where a test needs a debounce to have fired, it waits for the state.
    """
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(autouse=True)
def instant_delays(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Product delays to ~0: every numeric ``*_DELAY`` class attribute of the screens, and the overview's poll."""
    for cls in (BrowserScreen, EditorScreen, OverviewScreen):
        for name in dir(cls):
            if name.isupper() and name.endswith("_DELAY") and isinstance(getattr(cls, name), (int, float)):
                monkeypatch.setattr(cls, name, INSTANT)
    monkeypatch.setattr(OverviewScreen, "VALIDATION_POLL", POLL)
    yield


@pytest.fixture
def full_repo(tmp_path: Path) -> Path:
    """A repository with every golden card (both regions, every kind, the hostile ones)."""
    return make_repo(tmp_path / "alle")
