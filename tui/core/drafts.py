"""The draft journal: typed but unsaved card text, kept outside ``cards/`` until saved or discarded.

Drafts live in the repository's ``.git/kaartenbak/drafts/`` (never committed, never seen as
cards) or, for a folder without git, in the user's state folder. Each draft is one JSON file
written atomically a moment after a change and, while the user keeps typing, at least every
couple of seconds (``DraftSchedule``), so a crash, a kill or a closed terminal loses at most the
last couple of seconds of typing.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.cards.atomic import write_atomic
from tui.core.cards.slug import slugify
import contextlib


@dataclass(frozen=True)
class Draft:
    """An unsaved edit of one card (or of a new card when ``path`` does not exist yet)."""

    card_id: str
    path: str
    base_blob: str
    data: dict[str, Any]
    saved_at: float
    file: Path


class DraftSchedule:
    """When to write the next draft: ``debounce`` seconds after the last change, but never later
    than ``max_wait`` seconds after the first change not yet in a draft, so steady typing still
    reaches the disk. Times come from the caller's clock (tests drive it)."""

    def __init__(self, debounce: float = 0.8, max_wait: float = 2.0) -> None:
        self.debounce = debounce
        self.max_wait = max_wait
        self.pending_since: float | None = None

    def changed(self, now: float) -> float:
        """A change at ``now``: the delay, in seconds, after which the draft should be written."""
        if self.pending_since is None:
            self.pending_since = now
        return max(0.0, min(self.debounce, self.pending_since + self.max_wait - now))

    def written(self) -> None:
        """The draft now holds every change so far."""
        self.pending_since = None


def drafts_dir(root: Path) -> Path:
    """Where drafts of the repository at ``root`` are kept."""
    git = root / ".git"
    if git.is_dir():
        return git / "kaartenbak" / "drafts"
    from platformdirs import user_state_dir

    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(user_state_dir("kaartenbak")) / "drafts" / digest


class DraftStore:
    """Write, list and discard drafts for one repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = drafts_dir(root)

    def _file(self, card_id: str) -> Path:
        digest = hashlib.sha1(card_id.encode()).hexdigest()[:8]
        return self.folder / f"{slugify(card_id)}-{digest}.json"

    def write(self, card_id: str, path: Path, base_blob: str, data: dict[str, Any]) -> Path:
        """Journal the form's current data (atomically; raises WriteError like any save)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        rel = str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
        payload = {
            "card_id": card_id,
            "path": rel,
            "base_blob": base_blob,
            "data": data,
            "saved_at": time.time(),
            "version": 1,
        }
        target = self._file(card_id)
        write_atomic(target, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
        return target

    def discard(self, card_id: str) -> None:
        """Forget the draft of a card (after a save, or when the user says so)."""
        with contextlib.suppress(FileNotFoundError):
            self._file(card_id).unlink()

    def get(self, card_id: str) -> Draft | None:
        """The draft of one card, if any."""
        return self._read(self._file(card_id))

    def all(self) -> list[Draft]:
        """Every readable draft, oldest first; unreadable ones are skipped, never deleted."""
        if not self.folder.is_dir():
            return []
        drafts = [d for d in (self._read(f) for f in sorted(self.folder.glob("*.json"))) if d is not None]
        return sorted(drafts, key=lambda d: d.saved_at)

    def _read(self, file: Path) -> Draft | None:
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
            return Draft(
                str(raw["card_id"]),
                str(raw["path"]),
                str(raw.get("base_blob", "")),
                dict(raw["data"]),
                float(raw.get("saved_at", 0)),
                file,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def absolute(self, draft: Draft) -> Path:
        p = Path(draft.path)
        return p if p.is_absolute() else self.root / p
