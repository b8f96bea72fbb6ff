"""Typing steadily and then killed: the draft holds all but the last couple of seconds
(RELIABILITY 40, issue 12 item 2). A real child process types; the parent SIGKILLs it mid-stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import make_repo
from tests.ui.conftest import app_for, click, settle, wait_loaded
from tui.core.drafts import DraftStore
from tui.screens.editor import EditorScreen

TEXT = "".join(f"w{i:03d}." for i in range(600))  # a known sequence, far longer than will be typed
LAG = EditorScreen.DRAFT_MAX_WAIT + 1.5  # the promise (2 s) plus room for a busy test machine

CHILD = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from tui.app import make_app
    from tui.core.config import Config
    from textual.widgets import TextArea

    async def main():
        repo, text = Path(sys.argv[1]), sys.argv[2]
        app = make_app(repo=repo, config=Config(path=repo / "none.toml"), use_cache=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.browser.goto("WBW/T1/1.4")
            await pilot.press("e")
            await app.workers.wait_for_complete()
            await pilot.pause()
            area = app.screen.editors["doelstelling"].query_one(TextArea)
            area.focus()
            area.cursor_location = (0, 0)
            print("START", time.monotonic(), flush=True)
            for i, ch in enumerate(text, 1):
                await pilot.press(ch)
                await asyncio.sleep(0.03)  # the typist's rhythm: never a pause long enough to debounce
                print("TYPED", i, time.monotonic(), flush=True)
            print("DONE", flush=True)
            while True:
                await asyncio.sleep(1)

    asyncio.run(main())
    """
)


def _typed_prefix(draft_text: str) -> int:
    """How many characters of TEXT the draft holds (typed at the start of the field)."""
    n = 0
    while n < len(draft_text) and n < len(TEXT) and draft_text[n] == TEXT[n]:
        n += 1
    return n


def _draft_text(repo: Path) -> str | None:
    draft = DraftStore(repo).get("WBW/T1/1.4")
    return str(draft.data.get("doelstelling", "")) if draft is not None else None


@pytest.fixture
def typing_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", cards=["wbw-t1-1.4"])


async def test_steady_typing_killed_mid_stream_loses_at_most_the_last_seconds(typing_repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(typing_repo), TEXT], stdout=subprocess.PIPE, env=env, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()

    def typed() -> list[tuple[int, float]]:
        return [(int(p[1]), float(p[2])) for p in (ln.split() for ln in list(lines)) if p and p[0] == "TYPED"]

    try:
        deadline = time.monotonic() + 120
        drafts_seen: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            text = _draft_text(typing_repo)
            if text is not None:
                drafts_seen.add(_typed_prefix(text))
            keys = typed()
            # kill mid-stream: after several seconds of typing and more than one draft written
            if len(drafts_seen) >= 2 and keys and keys[-1][1] - keys[0][1] > 3 * EditorScreen.DRAFT_MAX_WAIT:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the typing process ended early"
        assert len(drafts_seen) >= 2, f"no drafts while typing steadily (seen: {sorted(drafts_seen)})"
        os.kill(proc.pid, 9)
        killed_at = time.monotonic()
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    reader.join(timeout=10)
    keys = typed()
    assert keys and "DONE" not in lines, "the kill came after the typing, not in the middle of it"
    must_have = max((i for i, at in keys if at <= killed_at - LAG), default=0)
    text = _draft_text(typing_repo)
    assert text is not None
    held = _typed_prefix(text)
    assert must_have > 0 and held >= must_have, (held, must_have, len(keys))
    assert text.startswith(TEXT[:held])  # nothing garbled: exactly what was typed, in order

    # the next start offers it back
    app = app_for(typing_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        for _ in range(50):
            if type(app.screen).__name__ == "RecoverDraftDialog":
                break
            await pilot.pause(0.1)
        assert type(app.screen).__name__ == "RecoverDraftDialog"
        await click(pilot, "#restore")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        assert ed.collect()["doelstelling"].startswith(TEXT[:held])


def test_the_draft_file_is_json_with_the_card_id(typing_repo: Path) -> None:
    """The recovery above reads the draft through DraftStore; the file itself is plain JSON."""
    target = DraftStore(typing_repo).write(
        "WBW/T1/1.4", typing_repo / "cards/wbw/wbw-t1-1.4.toml", "x", {"doelstelling": TEXT[:10]}
    )
    assert json.loads(target.read_text(encoding="utf-8"))["data"]["doelstelling"] == TEXT[:10]
