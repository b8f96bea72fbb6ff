"""Parsing many card versions at once: each distinct blob once, on every core when there are many.

A build from scratch reads every version of every card (20,000 blobs for 10,000 cards with
10,000 commits) and nearly all of its time is ``tomllib``. ``parse_all`` hands chunks of blobs to
worker processes (``ProcessPoolExecutor``) and gets back each card as the JSON text the database
stores; small inputs (an incremental run) are parsed in this process, where starting workers would
cost more than it saves. Both ways run the same function, so the results are the same.

Workers return only data, never words for users: a blob that cannot be read comes back as
``None`` and the caller parses it again in its own process for the reason (phrased in the
display language, which a worker process may not share).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tui.core.cards.card import Card
from tui.core.cards.parse import parse_bytes
from tui.core.national import fields as F

PARALLEL_MIN = 400  # fewer blobs than this: parse here (starting workers costs more than it saves)
CHUNK = 200  # blobs per task handed to a worker

Item = tuple[str, str, bytes]  # (blob id, a path it was found at, its bytes)


def card_json(path: str, raw: bytes) -> str | None:
    """The card in ``raw`` as the JSON text the database keeps (``fields.to_json``), or None when it cannot be read."""
    loaded = parse_bytes(Path(path), raw)
    return F.to_json(dict(loaded.data)) if isinstance(loaded, Card) else None


def _parse_chunk(items: list[Item]) -> list[tuple[str, str | None]]:
    """What a worker does with one chunk."""
    return [(blob, card_json(path, raw)) for blob, path, raw in items]


def _here(items: list[Item]) -> dict[str, str | None]:
    """The same, in this process (small inputs, one core, or no worker processes to be had)."""
    return dict(_parse_chunk(items))


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def _chunks(items: list[Item], size: int) -> Iterator[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` while this process runs one thread (quickest, and nothing can be holding a lock);
    with more threads (a TUI worker) ``forkserver`` or ``spawn``, which start clean."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class Parser:
    """Blobs handed over in batches (``add``) are parsed while the caller goes on; ``results()`` collects.

    ``workers``: None chooses (every core for a batch of ``PARALLEL_MIN`` blobs or more, small
    batches in this process); 1 parses everything in this process; more forces that many worker
    processes. When workers cannot be started (or die) the blobs are parsed here.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers
        self.n = cores() if workers is None else max(1, workers)
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[list[tuple[str, str | None]]]] = []
        self.sent: list[Item] = []  # what the workers have, to parse here should they fail
        self.here: list[Item] = []

    def add(self, items: list[Item]) -> None:
        if not items:
            return
        small = self.workers is None and len(items) < PARALLEL_MIN
        if self.n <= 1 or (small and self.pool is None):
            self.here.extend(items)
            return
        try:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.n, mp_context=_context())
            size = min(CHUNK, max(1, -(-len(items) // self.n)))
            for chunk in _chunks(items, size):
                self.futures.append(self.pool.submit(_parse_chunk, chunk))
            self.sent.extend(items)
        except (BrokenProcessPool, OSError, RuntimeError):  # no processes to be had (sandbox, limits)
            self.here.extend(items)

    def results(self) -> dict[str, str | None]:
        """``blob id → card JSON`` (None: cannot be read) of every blob added."""
        out = _here(self.here) if self.here else {}  # while the workers work
        try:
            for future in self.futures:
                out.update(future.result())
        except (BrokenProcessPool, OSError):  # a worker died: do its part here
            out.update(_here([i for i in self.sent if i[0] not in out]))
        finally:
            self.close()
        return out

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def parse_all(blobs: Mapping[str, tuple[str, bytes]], workers: int | None = None) -> dict[str, str | None]:
    """``blob id → card JSON`` (None: cannot be read) for ``blobs`` (``blob id → (path, bytes)``), see ``Parser``."""
    parser = Parser(workers)
    try:
        parser.add([(blob, path, raw) for blob, (path, raw) in blobs.items()])
        return parser.results()
    finally:
        parser.close()
