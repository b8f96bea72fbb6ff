"""Timing helpers and the result rows: median and p95 of repeated runs, floor, ratio, target."""

from __future__ import annotations

import gc
import math
import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any
from collections.abc import Callable


@dataclass(frozen=True)
class Target:
    """What a row should reach: ``ratio`` (median ≤ value × floor median), ``median`` or ``p95`` (absolute)."""

    kind: str
    value: float
    text: str

    def met(self, row: Row) -> bool | None:
        if self.kind == "ratio":
            return None if row.ratio is None else row.ratio <= self.value
        if self.kind == "median":
            return row.median <= self.value
        if self.kind == "p95":
            return row.p95 <= self.value
        raise ValueError(self.kind)


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    variant: str
    n: int | str
    median: float
    p95: float
    unit: str  # "s" or "B"
    runs: int
    floor_name: str = ""
    floor: float | None = None
    floor_p95: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    s = sorted(samples)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def row(
    figure: str,
    variant: str,
    n: int | str,
    samples: list[float],
    floor: list[float] | None = None,
    floor_name: str = "",
    unit: str = "s",
    target: Target | None = None,
    **extra: Any,
) -> Row:
    """A row from raw samples (and the floor's samples measured in the same run)."""
    r = Row(figure, variant, n, statistics.median(samples), p95(samples), unit, len(samples), floor_name, extra=extra)
    if floor:
        r.floor = statistics.median(floor)
        r.floor_p95 = p95(floor)
        r.ratio = r.median / r.floor if r.floor > 0 else None
    if target is not None:
        r.target = target.text
        r.met = target.met(r)
    return r


def timed(fn: Callable[[], Any], reps: int, warmup: int = 1, setup: Callable[[], Any] | None = None) -> list[float]:
    """Wall-clock seconds of ``fn()`` over ``reps`` runs (after ``warmup`` untimed ones).

    ``setup`` runs untimed before each.
    """
    out = []
    for i in range(warmup + reps):
        if setup is not None:
            setup()
        gc.collect()
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        if i >= warmup:
            out.append(dt)
    return out


def interleaved(
    fns: dict[str, Callable[[], Any]], reps: int, warmup: int = 1, setups: dict[str, Callable[[], Any]] | None = None
) -> dict[str, list[float]]:
    """Like :func:`timed` for several functions, alternating them run by run so drift hits all alike."""
    out: dict[str, list[float]] = {k: [] for k in fns}
    setups = setups or {}
    for i in range(warmup + reps):
        for name, fn in fns.items():
            if name in setups:
                setups[name]()
            gc.collect()
            t = time.perf_counter()
            fn()
            dt = time.perf_counter() - t
            if i >= warmup:
                out[name].append(dt)
    return out


def fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:  # None or NaN
        return "n/a"
    if unit == "B":
        return f"{value / 2**20:.1f} MB"
    if unit == "share":
        return f"{value:.3f}"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def table(rows: list[Row]) -> str:
    """The results as a plain-text table."""
    head = ("figure", "variant", "N", "median", "p95", "floor", "floor median", "ratio", "target", "met?")
    lines = [head]
    for r in rows:
        met = "" if r.met is None and not r.target else ("yes" if r.met else ("NO" if r.met is False else "?"))
        lines.append(
            (
                r.figure,
                r.variant,
                str(r.n),
                fmt(r.median, r.unit),
                fmt(r.p95, r.unit),
                r.floor_name or "-",
                fmt(r.floor, r.unit) if r.floor is not None else "-",
                f"{r.ratio:.2f}×" if r.ratio is not None else "-",
                r.target or "-",
                met or "-",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)
