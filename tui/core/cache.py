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
from collections.abc import Callable, Iterable, Iterator

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


PARALLEL_MIN = 1000  # files to parse before other processes pay for their start (measured: bench "load")
CHUNK = 250  # files per task handed to a worker process
Own = tuple  # one card's own problems as plain data (``Problem.plain()`` each), as the problem cache keeps them


def load_cards(
    paths: Iterable[Path], cache_path: Path | None, progress: Progress | None = None
) -> tuple[list[Card], list[LoadError]]:
    """Load cards, from the cache where it is fresh, parsing only what changed; refresh the cache."""
    cards, errors, _ = load_checked(paths, cache_path, progress, parallel=False)
    return cards, errors


def load_checked(
    paths: Iterable[Path],
    cache_path: Path | None,
    progress: Progress | None = None,
    *,
    schema_folder: Path | None = None,
    parallel: bool | None = None,
    stats: dict[str, os.stat_result] | None = None,
) -> tuple[list[Card], list[LoadError], dict[str, Own]]:
    """``load_cards``, and with ``schema_folder`` each parsed card's own problems (by blob id) in the same pass.

    Every file not fresh in the cache is read and parsed once; when there are many
    (``PARALLEL_MIN``) and ``parallel`` is not False, worker processes parse (and check) chunks of
    them on the other cores. The cards are the same, in the same order, either way; when
    processes cannot start the files are read here. Own problems come only from worker processes
    (the caller checks the rest, e.g. through the problem cache). ``stats`` (by path) are the
    caller's own ``stat`` of the files, so each file is looked at once.
    """
    paths = list(paths)
    entries = read_cache(cache_path) if cache_path else {}
    fresh: dict[str, Any] = {}
    loaded: list[Card | LoadError | None] = []
    misses: dict[int, tuple[int, int, int, int] | None] = {}  # slot -> the file's stamp
    total = len(paths)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)

    build = Card.build_cached
    for i, path in enumerate(paths):  # the warm path: kept as light as the plain loop it replaced
        key = str(path)
        known = stats.get(key) if stats is not None else None
        try:
            stamp: tuple[int, int, int, int] | None = _stamp(known if known is not None else os.stat(key))
        except OSError:
            stamp = None
        hit = entries.get(key)
        if stamp is not None and isinstance(hit, tuple) and len(hit) == 5 and tuple(hit[0]) == stamp:
            _, data, blob, bom, crlf = hit
            loaded.append(build(path, data, blob, bom=bom, crlf=crlf, mtime_ns=stamp[1]))
            fresh[key] = hit
            done += 1
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
        else:
            loaded.append(None)
            misses[i] = stamp
    own: dict[str, Own] = {}
    if misses and parallel is not False and (parallel or len(misses) >= PARALLEL_MIN) and (os.cpu_count() or 1) > 1:
        slots = list(misses)
        for i, card in _parse_in_processes([paths[i] for i in slots], slots, schema_folder, own):
            loaded[i] = card
            tick()
    for i, stamp in misses.items():
        got = loaded[i]
        if got is None:  # sequential, or what the processes could not do (errors are phrased here)
            got = loaded[i] = load_file(paths[i])
            tick()
        if isinstance(got, Card) and stamp is not None:
            fresh[str(got.path)] = (stamp, dict(got.data), got.blob, got.bom, got.crlf)
    if misses:
        cards = [c for c in loaded if isinstance(c, Card)]
        errors = [e for e in loaded if isinstance(e, LoadError)]
    else:
        cards, errors = loaded, []  # type: ignore[assignment]  # all cards: no copy
    if cache_path is not None and fresh != entries:
        try:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache_path, marshal.dumps({"version": VERSION, "entries": fresh}))
        except Exception:  # a cache that cannot be written only costs speed next time
            pass
    return cards, errors, own


def _parse_in_processes(
    paths: list[Path], slots: list[int], schema_folder: Path | None, own: dict[str, Own]
) -> Iterator[tuple[int, Card]]:
    """(slot, card) for every file that worker processes parsed; files that failed are left out.

    Nothing at all when processes cannot be started (the caller reads those files itself).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    chunks = [([str(p) for p in paths[k : k + CHUNK]], slots[k : k + CHUNK]) for k in range(0, len(paths), CHUNK)]
    folder = str(schema_folder) if schema_folder is not None else None
    try:
        # spawn, never fork: the app calls this from a worker thread of a threaded process
        with ProcessPoolExecutor(
            max_workers=min(len(chunks), os.cpu_count() or 2), mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            futures = {pool.submit(_parse_chunk, names, folder): chunk_slots for names, chunk_slots in chunks}
            for future in as_completed(futures):
                chunk_slots = futures[future]
                for slot, got in zip(chunk_slots, future.result(), strict=True):
                    if got is None:
                        continue
                    name, data, blob, bom, crlf, mtime_ns, problems = got
                    if problems is not None:
                        own[blob] = problems
                    yield slot, Card.build_cached(Path(name), data, blob, bom=bom, crlf=crlf, mtime_ns=mtime_ns)
    except Exception:  # no processes here (sandbox, no /dev/shm, a broken worker): read them in this one
        return


_CHECKER: tuple[str, Any, Any] | None = None  # (schema folder, Schema, Vocabulary) of this worker process


def _parse_chunk(names: list[str], schema_folder: str | None) -> list[tuple[Any, ...] | None]:
    """In a worker process: parse each file (and check its data); None for a file that cannot be opened."""
    global _CHECKER
    check: Callable[[Any], Own] | None = None
    if schema_folder is not None:
        from tui.core.cards.schema import Schema
        from tui.core.cards.validate import validate_data
        from tui.core.cards.vocab import Vocabulary

        if _CHECKER is None or _CHECKER[0] != schema_folder:
            folder = Path(schema_folder)
            _CHECKER = (schema_folder, Schema(folder), Vocabulary(folder))
        _, schema, vocab = _CHECKER

        def own(data: Any) -> Own:
            return tuple(p.plain() for p in validate_data(data, schema, vocab))

        check = own

    out: list[tuple[Any, ...] | None] = []
    for name in names:
        got = load_file(Path(name))
        if isinstance(got, LoadError):
            out.append(None)
            continue
        data = dict(got.data)
        out.append((name, data, got.blob, got.bom, got.crlf, got.mtime_ns, check(data) if check is not None else None))
    return out
