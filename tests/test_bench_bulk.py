"""The bulk figure still runs on tiny data and reports its two rows with floors. Never asserts times."""

from __future__ import annotations

from pathlib import Path

from bench.bulk import fig_bulk
from bench.data import prepare
from bench.figures import FIGURES, Ctx


def test_bulk_figure_reports_plan_and_apply_with_floors(tmp_path: Path) -> None:
    ds = prepare(tmp_path / "data", [40], seed=7, hist_commits=20, hot_commits=5, log=lambda _: None)
    work = tmp_path / "work"
    work.mkdir()
    ctx = Ctx(ds, [40], work, quick=True, scale=0.01, log=lambda _: None)
    rows = fig_bulk(ctx)
    assert FIGURES["bulk"] is fig_bulk
    assert [r.figure for r in rows] == ["bulk", "bulk"]
    assert rows[0].extra["cards"] == 40 and rows[1].extra["changed"] > 0
    for r in rows:
        assert r.floor is not None and r.floor > 0 and r.median > 0 and r.target
