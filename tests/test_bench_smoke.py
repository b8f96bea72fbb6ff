"""The benchmark still runs: tiny data, a few figures, the result structure. Never asserts times."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.data import REAL, card_set, prepare
from bench.figures import Ctx, fig_history, fig_load, fig_save, fig_search, keystrokes
from bench.stats import table


@pytest.fixture()
def ctx(tmp_path: Path) -> Ctx:
    ds = prepare(tmp_path / "data", [40], seed=7, hist_commits=20, hot_commits=5, log=lambda _: None)
    work = tmp_path / "work"
    work.mkdir()
    return Ctx(ds, [40], work, quick=True, scale=0.01, log=lambda _: None)


def test_generated_cards_are_valid_toml_and_reproducible() -> None:
    a, b = card_set(REAL + 3, seed=7), card_set(REAL + 3, seed=7)
    assert a == b and len(a) == REAL + 3
    generated = [rel for rel in a if "-g0" in rel]
    assert len(generated) == 3
    for rel in generated:
        data = tomllib.loads(a[rel].decode("utf-8"))
        assert data["id"].split("/")[-1].startswith("G") and data["title"]


def test_data_has_the_wanted_histories(ctx: Ctx) -> None:
    import subprocess

    def count(repo: Path, *path: str) -> int:
        return int(
            subprocess.run(
                ["git", "rev-list", "--count", "HEAD", "--", *path],
                cwd=repo,
                env=ctx.ds.env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

    assert len(list((ctx.ds.cards[40] / "cards").rglob("*.toml"))) == 40
    assert count(ctx.ds.hist) == 21 and count(ctx.ds.hist, ctx.ds.hot) == 6 and count(ctx.ds.hist, ctx.ds.cold) == 1
    assert count(ctx.ds.hot_only, ctx.ds.hot) == 6


def test_figures_report_rows_with_positive_floors(ctx: Ctx) -> None:
    rows = fig_load(ctx) + fig_search(ctx) + fig_save(ctx) + fig_history(ctx)
    figures = {r.figure for r in rows}
    assert figures == {"load", "search", "save", "history"}
    for r in rows:
        if r.runs == 0:  # a peer that is not installed (fzf)
            assert math.isnan(r.median)
            continue
        assert r.median > 0 and r.p95 >= r.median
        if r.floor_name:
            assert r.floor is not None and r.floor > 0 and r.ratio is not None and r.ratio > 0
    assert any(r.target for r in rows if r.figure == "save")
    assert "figure" in table(rows).splitlines()[0]
    assert "ketenaanpak welzijn" in keystrokes() and "k" in keystrokes()


def test_national_figure_reads_the_history_once_then_only_new_commits(ctx: Ctx) -> None:
    from bench.national import fig_national

    rows = fig_national(ctx)  # asserts inside that each re-run after one commit read exactly one
    assert [r.figure for r in rows] == ["national"] * 3
    assert all(r.floor_name == "git log" and r.ratio is not None and r.ratio > 0 for r in rows)


def test_national_repository_spreads_its_commits_and_gets_target_rows(ctx: Ctx) -> None:
    import subprocess

    from bench.data import national_repo
    from bench.national import measure

    repo = national_repo(ctx.ds, 60, 30, log=lambda _: None)
    assert national_repo(ctx.ds, 60, 30, log=lambda _: None) == repo  # made once, then reused
    assert len(list((repo / "cards").rglob("*.toml"))) == 60
    log = subprocess.run(
        ["git", "log", "--format=", "--name-only", "HEAD~30..HEAD"],
        cwd=repo,
        env=ctx.ds.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(log) == 30 and len(set(log)) > 10  # one card per commit, spread over many cards
    rows = measure(ctx, repo, "60 cards, 30 commits", 1, "small", targets=True)
    assert [r.target for r in rows] == ["from scratch < 60 s", "re-run ≤ 5 s", "re-run ≤ 5 s"]
    assert all(r.met is not None for r in rows) and rows[0].extra["load"] is not None
    assert rows[0].extra["cpu_seconds"] > 0


def test_cli_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert (
        main(
            [
                "--data",
                str(tmp_path / "data"),
                "--sizes",
                "40",
                "--only",
                "save",
                "--scale",
                "0.01",
                "--quick",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["meta"]["sizes"] == [40] and [r["figure"] for r in result["rows"]] == ["save"]
    assert "save" in capsys.readouterr().out


def test_changes_figure_reports_rows(ctx: Ctx) -> None:
    from bench.figures import fig_changes

    rows = fig_changes(ctx)
    assert [r.figure for r in rows] == ["changes", "changes", "changes"]
    assert all(r.floor and r.floor > 0 and r.ratio and r.ratio > 0 for r in rows)
    assert "whole history" in rows[-1].variant and rows[-1].met is not None  # judged against its 1 s target
