"""A cache of parsed cards so later starts skip parsing.

Stored outside ``cards/`` in the user's cache folder, one file per repository, written with
``marshal`` (plain data only, nothing executable). An entry is used only while the file's size,
mtime, ctime and inode are unchanged; a stale, corrupt or foreign-version cache is ignored and
rebuilt. Deleting the cache is always safe.

The search index is kept beside it (``.index``, see ``SearchIndex.snapshot``): a start whose
cards did not change restores it instead of building it; a changed card is re-indexed alone.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterable

from tui.core.cards.atomic import write_atomic
from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import load_file

if TYPE_CHECKING:
    from tui.core.search.search import SearchIndex

VERSION = 2
Progress = Callable[[int, int], None]


def cache_file(root: Path) -> Path:
    """Where the cache of the repository at ``root`` lives."""
    from platformdirs import user_cache_dir

    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(user_cache_dir("kaartenbak")) / f"cards-{digest}.marshal"


def index_file(root: Path) -> Path:
    """Where the persisted search index of the repository at ``root`` lives (beside its card cache)."""
    return cache_file(root).with_suffix(".index")


def read_index(path: Path) -> Any:
    """The plain data of a persisted search index, or None when missing or unreadable.

    Whether the data is usable (version, shape) is ``SearchIndex.restore``'s to judge.
    """
    try:
        return marshal.loads(path.read_bytes())
    except Exception:  # missing, truncated, garbage: built afresh
        return None


def save_index(path: Path, index: SearchIndex) -> None:
    """Keep ``index`` for the next start (a failure only costs speed next time)."""
    try:
        data = marshal.dumps(index.snapshot())
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    except Exception:
        pass


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def read_cache(path: Path) -> dict[str, Any]:
    """The cached entries by file path, or an empty dict when missing/corrupt/old."""
    try:
        raw = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != VERSION or not isinstance(raw.get("entries"), dict):
        return {}
    return raw["entries"]


def load_cards(
    paths: Iterable[Path], cache_path: Path | None, progress: Progress | None = None
) -> tuple[list[Card], list[LoadError]]:
    """Load cards, from the cache where it is fresh, parsing only what changed; refresh the cache."""
    paths = list(paths)
    entries = read_cache(cache_path) if cache_path else {}
    fresh: dict[str, Any] = {}
    cards: list[Card] = []
    errors: list[LoadError] = []
    total = len(paths)
    for i, path in enumerate(paths, 1):
        key = str(path)
        try:
            stamp = _stamp(path.stat())
        except OSError:
            stamp = None
        hit = entries.get(key)
        if stamp is not None and isinstance(hit, tuple) and len(hit) == 5 and tuple(hit[0]) == stamp:
            _, data, blob, bom, crlf = hit
            cards.append(Card.build_cached(path, data, blob, bom=bom, crlf=crlf, mtime_ns=stamp[1]))
            fresh[key] = hit
        else:
            loaded = load_file(path)
            if isinstance(loaded, LoadError):
                errors.append(loaded)
            else:
                cards.append(loaded)
                if stamp is not None:
                    fresh[key] = (stamp, dict(loaded.data), loaded.blob, loaded.bom, loaded.crlf)
        if progress and (i % 200 == 0 or i == total):
            progress(i, total)
    if cache_path is not None and fresh != entries:
        try:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache_path, marshal.dumps({"version": VERSION, "entries": fresh}))
        except Exception:  # a cache that cannot be written only costs speed next time
            pass
    return cards, errors
