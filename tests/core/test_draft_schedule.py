"""When drafts are written, and which drafts are crashed work (RELIABILITY 40, issue 12 item 2)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tui.core.drafts import DraftSchedule, DraftStore
from tui.core.locks import EditLocks, crashed_drafts


def test_a_pause_in_typing_writes_after_the_debounce() -> None:
    s = DraftSchedule(debounce=0.8, max_wait=2.0)
    assert s.changed(10.0) == 0.8


def test_steady_typing_still_writes_within_the_maximum_wait() -> None:
    """A key every 0.1 s for 10 s: the debounce alone would never fire; the maximum wait does."""
    s = DraftSchedule(debounce=0.8, max_wait=2.0)
    writes: list[float] = []
    now = 0.0
    while now < 10.0:
        due = now + s.changed(now)  # each key restarts the timer
        if due <= now + 0.1:  # it fires before the next key
            writes.append(due)
            s.written()
        now = round(now + 0.1, 6)
    gaps = [b - a for a, b in zip([0.0, *writes], writes, strict=False)]
    assert len(writes) >= 4 and max(gaps) <= 2.0 + 1e-6


def test_the_wait_restarts_after_a_draft_was_written() -> None:
    s = DraftSchedule(debounce=0.8, max_wait=2.0)
    s.changed(0.0)
    assert abs(s.changed(1.9) - 0.1) < 1e-9
    s.written()
    assert s.changed(2.0) == 0.8
    assert s.changed(3.5) == 0.5  # 2.0 + 2.0 - 3.5


def test_zero_delays_write_at_once() -> None:
    s = DraftSchedule(debounce=0.0, max_wait=0.0)
    assert s.changed(5.0) == 0.0


def _lock(repo: Path, name: str, pid: int) -> None:
    locks = EditLocks(repo)
    locks.folder.mkdir(parents=True, exist_ok=True)
    (locks.folder / name).write_text(json.dumps({"pid": pid, "host": socket.gethostname()}), encoding="utf-8")


def test_a_live_editors_draft_is_not_crashed_work_a_dead_ones_is(repo: Path) -> None:
    store = DraftStore(repo)
    for card_id, stem in (("WBW/T1/1.1", "wbw-t1-1.1"), ("WBW/T1/1.4", "wbw-t1-1.4"), ("NML/C1", "nml-c1")):
        store.write(card_id, repo / "cards" / f"{stem}.toml", "x", {"id": card_id, "title": "concept"})
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        _lock(repo, "wbw-t1-1.1.lock", live.pid)  # a second Kaartenbak is editing this one now
        _lock(repo, "wbw-t1-1.4.lock", dead.pid)  # this one's editor was killed
        found = crashed_drafts(store, EditLocks(repo))
        assert sorted(d.card_id for d in found) == ["NML/C1", "WBW/T1/1.4"]
        assert not (EditLocks(repo).folder / "wbw-t1-1.4.lock").exists()  # the dead lock is cleared
        assert (EditLocks(repo).folder / "wbw-t1-1.1.lock").exists()
    finally:
        live.kill()
        live.wait()
    assert sorted(d.card_id for d in crashed_drafts(store, EditLocks(repo))) == ["NML/C1", "WBW/T1/1.1", "WBW/T1/1.4"]


def test_this_process_own_lock_does_not_hide_its_drafts(repo: Path) -> None:
    store = DraftStore(repo)
    store.write("NML/C1", repo / "cards" / "nml-c1.toml", "x", {"id": "NML/C1"})
    _lock(repo, "nml-c1.lock", os.getpid())
    assert [d.card_id for d in crashed_drafts(store, EditLocks(repo))] == ["NML/C1"]
