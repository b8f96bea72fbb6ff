"""``--repo`` works before and after the subcommand, as users type it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main


@pytest.mark.parametrize("order", ["before", "after"])
def test_repo_option_before_or_after_the_command(repo: Path, capsys: pytest.CaptureFixture[str], order: str) -> None:
    args = ["--repo", str(repo), "status"] if order == "before" else ["status", "--repo", str(repo)]
    assert main(args) == 0
    assert "main" in capsys.readouterr().out


def test_missing_repo_is_explained_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--repo", "/bestaat/niet"]) == 2
    assert "map bestaat niet" in capsys.readouterr().err
