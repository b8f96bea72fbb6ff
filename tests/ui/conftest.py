"""Helpers for Pilot tests: the real app on a real repository copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_repo
from tui.app import KaartenbakApp, make_app
from tui.core.config import Config


def app_for(repo: Path, lang: str = "nl") -> KaartenbakApp:
    """The app exactly as the console script builds it, without the user's config or cache.

    The disk poll's timer is off (a test that changes files outside the app calls
    ``app.check_disk()`` itself), so no test depends on when the timer fires.
    """
    return make_app(repo=repo, lang=lang, config=Config(path=repo / "no-config.toml"), use_cache=False, poll_interval=0)


async def wait_loaded(app: KaartenbakApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.browser is not None and app.browser.loaded


async def settle(app: KaartenbakApp, pilot, delay: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    """Let timers fire and workers finish."""
    if delay:
        await pilot.pause(delay)
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def full_repo(tmp_path: Path) -> Path:
    """A repository with every shipped card."""
    return make_repo(tmp_path / "alle")
