"""8. The national SQLite database: ``kaartenbak export --format sqlite`` of the 337 cards with their history.

Floor: plain ``git log`` over the same repository (what reading the history costs at the least).
Rows: a build from scratch, a re-run with nothing new (incremental: reads 0 commits) and a re-run
after one new commit. The 10,000-card / 10,000-commit target comes later; these rows show the ratio.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .data import _edit
from .stats import Row, interleaved, row

if TYPE_CHECKING:
    from .figures import Ctx


def _git(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=True)


def fig_national(ctx: Ctx) -> list[Row]:
    """tui.core.national.build over the history repository, against ``git log`` over it."""
    from tui.core.national.build import build

    ds = ctx.ds
    work: Path = ctx.work / "national"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    repo = work / "repo"
    shutil.copytree(ds.hist, repo, symlinks=True)
    env = ds.env
    _git(["status", "--porcelain"], repo, env)  # the copy changed every file's stat data: refresh the index once
    scratch, kept = work / "scratch.db", work / "kept.db"
    rng = random.Random(3)
    counter = iter(range(10**6))
    commits: list[int] = []

    def from_scratch() -> None:
        scratch.unlink(missing_ok=True)
        build(scratch, [repo])

    def nothing_new() -> None:
        report = build(kept, [repo])
        assert report.commits_read == 0

    def one_commit_setup() -> None:
        card = repo / ds.hot
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
        reps = ctx.reps(5 if not ctx.quick else 3)
        ctx.log(f"  national: {ds.hist_commits} commits, {reps} runs each")
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
    n = f"{ds.hist_commits} commits"
    return [
        row("national", "export sqlite from scratch (cards + history + FTS)", n, s["scratch"], s["floor"], "git log"),
        row("national", "export sqlite re-run, nothing new", n, s["none"], s["floor"], "git log"),
        row("national", "export sqlite re-run after one commit", n, s["one"], s["floor"], "git log"),
    ]
