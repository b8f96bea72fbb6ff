"""A second Kaartenbak does not offer a live editor's draft as crashed work (issue 12 item 6)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import make_repo
from tests.ui.conftest import app_for, wait_loaded
from tui.core.drafts import DraftStore
from tui.core.locks import EditLocks


def _draft_with_lock(repo: Path, pid: int) -> None:
    DraftStore(repo).write(
        "WBW/T1/1.4", repo / "cards/wbw/wbw-t1-1.4.toml", "x", {"id": "WBW/T1/1.4", "title": "Wordt nu bewerkt"}
    )
    locks = EditLocks(repo)
    locks.folder.mkdir(parents=True, exist_ok=True)
    (locks.folder / "wbw-t1-1.4.lock").write_text(json.dumps({"pid": pid, "host": socket.gethostname()}))


async def _offered(repo: Path) -> bool:
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        for _ in range(20):  # the offer comes after the list's first refresh (bounded wait)
            if type(app.screen).__name__ == "RecoverDraftDialog":
                return True
            await pilot.pause(0.1)
        return False


async def test_a_live_editors_draft_is_not_offered_a_dead_ones_is(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4"])
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _draft_with_lock(repo, live.pid)
        assert not await _offered(repo)
        assert DraftStore(repo).get("WBW/T1/1.4") is not None  # left alone, not discarded
    finally:
        live.kill()
        live.wait()
    assert await _offered(repo)  # its editor is gone now: crashed work
