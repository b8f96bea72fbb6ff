"""``python -m bench``: generate the data (once), run the figures, print the table, write JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .data import ROOT, default_data_dir, prepare
from .figures import FIGURES, Ctx
from .stats import table

FULL_SIZES = [337, 2000, 10_000]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="only N = 337 and 200-commit histories (under a minute)")
    ap.add_argument("--only", action="append", choices=sorted(FIGURES), help="run only this figure (repeatable)")
    ap.add_argument(
        "--data", type=Path, default=None, help=f"where generated repositories live (default {default_data_dir()})"
    )
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated cards and histories")
    ap.add_argument(
        "--sizes", type=int, nargs="+", default=None, help="card counts (default 337 2000 10000; --quick: 337)"
    )
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every repetition count")
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/<time>.json)")
    args = ap.parse_args(argv)

    sizes = args.sizes or ([337] if args.quick else FULL_SIZES)
    hist_commits, hot_commits = (200, 100) if args.quick else (10_000, 2_000)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    ds = prepare(args.data, sizes, args.seed, hist_commits, hot_commits, log=log)
    log(f"data ready in {time.perf_counter() - t0:.1f} s: {ds.root}")
    names = args.only or list(FIGURES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kaartenbak-bench-") as tmp:
        ctx = Ctx(ds, sizes, Path(tmp), quick=args.quick, scale=args.scale, log=log)
        for name in names:
            log(f"{name} ...")
            t = time.perf_counter()
            rows += FIGURES[name](ctx)
            log(f"{name} done in {time.perf_counter() - t:.1f} s")
    print(table(rows))
    out = args.out or ROOT / "bench" / "results" / time.strftime("%Y%m%d-%H%M%S.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "argv": sys.argv[1:],
        "sizes": sizes,
        "seed": args.seed,
        "history": {"commits": hist_commits, "on_one_card": hot_commits},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
        "data": str(ds.root),
        "seconds": round(time.perf_counter() - t0, 1),
        "n337": "the 295 real cards plus 42 generated ones",
    }
    try:
        import textual

        meta["textual"] = textual.__version__
    except Exception:
        pass
    out.write_text(
        json.dumps({"meta": meta, "rows": [r.as_dict() for r in rows]}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    log(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
