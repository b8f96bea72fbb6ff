"""SIGTERM and SIGHUP (terminal closed) end the real ``kaartenbak`` process with 128+signal, after
writing drafts (RELIABILITY 9; issue 12 item 8). The app runs in a pseudo-terminal, as a user has it."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_repo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pty")


def _read_until(fd: int, needle: bytes, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> bytes:
    """Read the terminal output until ``needle`` appears (bounded; no fixed sleeps)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if needle in seen:
                return seen
    raise AssertionError(f"{needle!r} never appeared; output ended with {seen[-300:]!r}")


def _drain(fd: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
    return proc.wait(timeout=5)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_exits_non_zero(tmp_path: Path, sig: signal.Signals) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"])
    # no welcome screen: its marker lives in the state folder of this isolated HOME
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "--repo", str(repo)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=repo,
        start_new_session=True,
    )
    os.close(slave)
    try:
        _read_until(master, b"Kaartenbak", proc)
        # the signal handlers are installed on mount; wait until the list has been drawn
        _read_until(master, b"Welzijn", proc)
        proc.send_signal(sig)
        code = _drain(master, proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert code == 128 + int(sig)
