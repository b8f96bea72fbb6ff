"""8. The national SQLite database: ``kaartenbak export --format sqlite`` from scratch and incrementally.

Floor: plain ``git log`` over the same repository (what reading the history costs at the least).
Rows, for the history repository (the 337 cards with their whole history) and, when the run
includes N = 10,000, for the national repository (10,000 cards with 10,000 commits spread over
them, ``data.national_repo``): a build from scratch, a re-run with nothing new (incremental: reads
0 commits) and a re-run after one new commit (reads exactly 1). The from-scratch row keeps the
load average and the CPU seconds of a build (this process plus git and the parse workers), the
part a busy shared machine cannot inflate. Targets (issue #17) at 10,000: from scratch under a
minute, re-runs in seconds.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .data import _edit, national_repo
from .stats import Row, Target, interleaved, row

if TYPE_CHECKING:
    from .figures import Ctx

BIG = 10_000
SCRATCH_TARGET = Target("median", 60.0, "from scratch < 60 s")
RERUN_TARGET = Target("median", 5.0, "re-run ≤ 5 s")


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (git, parse workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _git(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=True)


def fig_national(ctx: Ctx) -> list[Row]:
    """tui.core.national.build over the history repository (and the national one), against ``git log``."""
    ds = ctx.ds
    rows = measure(ctx, ds.hist, f"{ds.hist_commits} commits", ctx.reps(5 if not ctx.quick else 3), "hist")
    if max(ctx.sizes) >= BIG:
        repo = national_repo(ds, BIG, ds.hist_commits, log=ctx.log)
        label = f"{BIG} cards, {ds.hist_commits} commits"
        rows += measure(ctx, repo, label, ctx.reps(3), "big", targets=True)
    return rows


def measure(ctx: Ctx, source: Path, n: str, reps: int, name: str, targets: bool = False) -> list[Row]:
    """The three national rows for one repository (copied first: the re-runs add commits to it)."""
    from tui.core.national.build import build

    ds = ctx.ds
    work: Path = ctx.work / f"national-{name}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    repo = work / "repo"
    shutil.copytree(source, repo, symlinks=True)
    env = ds.env
    _git(["status", "--porcelain"], repo, env)  # the copy changed every file's stat data: refresh the index once
    hot = (
        ds.hot
        if (repo / ds.hot).is_file()
        else sorted(p.relative_to(repo).as_posix() for p in repo.glob("cards/*/*.toml"))[0]
    )
    scratch, kept = work / "scratch.db", work / "kept.db"
    rng = random.Random(3)
    counter = iter(range(10**6))
    commits: list[int] = []
    loads: list[float] = []
    cpus: list[float] = []

    def from_scratch() -> None:
        scratch.unlink(missing_ok=True)
        before = _cpu()
        build(scratch, [repo])
        cpus.append(_cpu() - before)
        loads.append(os.getloadavg()[0])

    def nothing_new() -> None:
        report = build(kept, [repo])
        assert report.commits_read == 0

    def one_commit_setup() -> None:
        card = repo / hot
        card.write_text(_edit(rng, card.read_text(encoding="utf-8")), encoding="utf-8")
        _git(["commit", "-q", "-am", f"bench: nationaal {next(counter)}"], repo, env)

    def one_new() -> None:
        commits.append(build(kept, [repo]).commits_read)

    def floor() -> None:
        subprocess.run(["git", "log"], cwd=repo, env=env, capture_output=True, check=True)

    old = {k: os.environ.get(k) for k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")}
    os.environ.update(GIT_CONFIG_GLOBAL=env["GIT_CONFIG_GLOBAL"], GIT_CONFIG_NOSYSTEM="1")
    try:
        build(kept, [repo])
        ctx.log(f"  national: {n}, {reps} runs each")
        fns: dict[str, Callable[[], None]] = {"scratch": from_scratch, "none": nothing_new}
        s = interleaved({**fns, "floor": floor}, reps, warmup=1)
        s.update(interleaved({"one": one_new}, reps, warmup=0, setups={"one": one_commit_setup}))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert all(c == 1 for c in commits), commits  # each re-run after one commit read exactly that commit
    load = round(max(loads), 1) if loads else None
    cpu = round(statistics.median(cpus), 2) if cpus else None
    scratch_t, rerun_t = (SCRATCH_TARGET, RERUN_TARGET) if targets else (None, None)
    return [
        row(
            "national",
            "export sqlite from scratch (cards + history + FTS)",
            n,
            s["scratch"],
            s["floor"],
            "git log",
            target=scratch_t,
            load=load,
            cpu_seconds=cpu,
        ),
        row("national", "export sqlite re-run, nothing new", n, s["none"], s["floor"], "git log", target=rerun_t),
        row("national", "export sqlite re-run after one commit", n, s["one"], s["floor"], "git log", target=rerun_t),
    ]
