"""Edit locks, like vim's swap files: one editor per card, and a crashed editor's lock is cleared.

A lock file in ``.git/kaartenbak/locks/`` (or the drafts' fallback folder) holds the pid and
host of the editing process. A second instance sees "Opened by pid N on host H (still
running)" and may open the card read-only or anyway; a lock whose process is gone on this same
host is removed automatically.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from tui.core.drafts import Draft, DraftStore, drafts_dir
from tui.core.cards.slug import slugify
import contextlib


@dataclass(frozen=True)
class LockInfo:
    """Who holds a card's edit lock."""

    pid: int
    host: str
    alive: bool

    def describe(self) -> str:
        state = "draait nog" if self.alive else "draait niet meer"
        return f"Geopend door pid {self.pid} op {self.host} ({state})"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EditLocks:
    """Take, inspect and release edit locks of the cards of one repository."""

    def __init__(self, root: Path) -> None:
        self.folder = drafts_dir(root).parent / "locks"

    def _file(self, card_id: str) -> Path:
        return self.folder / f"{slugify(card_id)}.lock"

    def holder(self, card_id: str) -> LockInfo | None:
        """The other process holding the lock, or None (a dead local holder's lock is removed)."""
        path = self._file(card_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            pid, host = int(raw["pid"]), str(raw["host"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self._remove(path)
            return None
        if pid == os.getpid() and host == socket.gethostname():
            return None
        if host == socket.gethostname():
            if not _pid_alive(pid):
                self._remove(path)
                return None
            return LockInfo(pid, host, True)
        return LockInfo(pid, host, True)

    def acquire(self, card_id: str) -> None:
        """Mark the card as being edited by this process."""
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
        self._file(card_id).write_text(payload, encoding="utf-8")

    def release(self, card_id: str) -> None:
        """Give the card back (only our own lock is removed)."""
        path = self._file(card_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if int(raw.get("pid", -1)) == os.getpid():
                self._remove(path)
        except (OSError, ValueError, TypeError):
            pass

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


def crashed_drafts(drafts: DraftStore, locks: EditLocks) -> list[Draft]:
    """The drafts that are left-over work of an editor that is gone, oldest first.

    A draft whose card is still locked by another live process (a second Kaartenbak editing it
    now, here or on another host) is that process's work in progress, not crashed work; a dead
    local holder's lock is cleared on the way (``EditLocks.holder``). Drafts of this process's
    own open editors are for the caller to leave out.
    """
    return [d for d in drafts.all() if locks.holder(d.card_id) is None]
