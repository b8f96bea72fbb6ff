"""Drafts survive until saved or discarded; edit locks follow vim's swap-file rules (RELIABILITY 9, 10)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tui.core.drafts import DraftStore, drafts_dir
from tui.core.locks import EditLocks
from tui.core.workspace import Workspace


def test_draft_write_read_discard(repo: Path) -> None:
    store = DraftStore(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    target = store.write("WBW/T1/1.1", path, "abc", {"title": "Nieuw", "notes": "getypt"})
    assert target.parent == repo / ".git" / "kaartenbak" / "drafts"
    drafts = store.all()
    assert [(d.card_id, d.data["notes"], d.path) for d in drafts] == [
        ("WBW/T1/1.1", "getypt", "cards/wbw/wbw-t1-1.1.toml")
    ]
    assert store.absolute(drafts[0]) == path
    store.discard("WBW/T1/1.1")
    assert store.all() == []


def test_drafts_are_never_cards_and_never_committed(repo: Path) -> None:
    DraftStore(repo).write("WBW/T1/1.1", repo / "cards" / "x.toml", "", {"title": "x"})
    assert all(".git" not in str(p) for p in Workspace(repo).store.discover())
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    assert status == ""


def test_unreadable_draft_is_skipped_not_deleted(repo: Path) -> None:
    folder = drafts_dir(repo)
    folder.mkdir(parents=True)
    (folder / "kapot.json").write_text("{niet json", encoding="utf-8")
    assert DraftStore(repo).all() == []
    assert (folder / "kapot.json").exists()


def test_folder_without_git_keeps_drafts_in_state_dir(tmp_path: Path, isolated_env: Path) -> None:
    folder = drafts_dir(tmp_path)
    assert str(folder).startswith(str(isolated_env)) and ".git" not in str(folder)


def test_lock_of_a_running_process_is_reported(repo: Path) -> None:
    locks = EditLocks(repo)
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        locks.folder.mkdir(parents=True, exist_ok=True)
        (locks.folder / "wbw-t1-1.1.lock").write_text(json.dumps({"pid": proc.pid, "host": socket.gethostname()}))
        info = locks.holder("WBW/T1/1.1")
        assert info is not None and info.alive and info.pid == proc.pid
        assert info.describe() == f"Geopend door pid {proc.pid} op {socket.gethostname()} (draait nog)"
    finally:
        proc.kill()
        proc.wait()


def test_lock_of_a_dead_process_is_cleared(repo: Path) -> None:
    locks = EditLocks(repo)
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    locks.folder.mkdir(parents=True, exist_ok=True)
    lock = locks.folder / "wbw-t1-1.1.lock"
    lock.write_text(json.dumps({"pid": proc.pid, "host": socket.gethostname()}))
    assert locks.holder("WBW/T1/1.1") is None
    assert not lock.exists()


def test_own_lock_is_not_a_conflict_and_is_released(repo: Path) -> None:
    locks = EditLocks(repo)
    locks.acquire("WBW/T1/1.1")
    assert locks.holder("WBW/T1/1.1") is None
    locks.release("WBW/T1/1.1")
    assert not any(locks.folder.iterdir())


def test_lock_from_another_host_is_kept(repo: Path) -> None:
    locks = EditLocks(repo)
    locks.folder.mkdir(parents=True, exist_ok=True)
    (locks.folder / "wbw-t1-1.1.lock").write_text(json.dumps({"pid": os.getpid() + 99999, "host": "andere-laptop"}))
    info = locks.holder("WBW/T1/1.1")
    assert info is not None and info.host == "andere-laptop"
