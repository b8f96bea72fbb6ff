"""The seam between app and screens is typed: no reaching into the app or another screen by name.

Change notices come from the library (``Library.subscribe``); card actions come from the
``CardActions`` controller; where a screen is asked for something, a ``Protocol`` says what.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {
    "getattr on the app": re.compile(r"getattr\(\s*(self\.)?app\b"),
    "class-name comparison": re.compile(r"__name__\s*==|==\s*\"\w+Screen\""),
    "query into the browser": re.compile(r"\bbrowser\.query(_one)?\("),
}

TYPED = [
    "tui/app.py",
    "tui/card_actions.py",
    "tui/messages.py",
    "tui/seam.py",
    "tui/commands/cards.py",
    "tui/core/library.py",
    "tui/core/overview.py",
    "tui/screens/browser.py",
    "tui/screens/browser_rows.py",
    "tui/screens/card_screen.py",
    "tui/screens/overview.py",
    "tui/widgets/card_list.py",
    "tui/widgets/file_problems.py",
    "tui/widgets/card_view.py",
    "tui/widgets/status_header.py",
    "tui/widgets/theme_tree.py",
]


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_no_reaching_across_the_seam(name: str) -> None:
    pattern = FORBIDDEN[name]
    found = [
        f"{path.relative_to(ROOT)}:{i}: {line.strip()}"
        for path in sorted((ROOT / "tui").rglob("*.py"))
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_the_seam_is_type_clean(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--disallow-untyped-defs",
            "--ignore-missing-imports",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            *TYPED,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
