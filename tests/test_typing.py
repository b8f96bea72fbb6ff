"""The UI-free core stays type-clean: mypy over tui/core reports no errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_mypy_is_clean_on_the_core(tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not _has_mypy():
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "tui/core", "--ignore-missing-imports", "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _has_mypy() -> bool:
    import importlib.util

    return importlib.util.find_spec("mypy") is not None
