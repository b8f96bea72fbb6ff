"""The README stays the user's manual: its commands are the ones CI runs, and it documents every command."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tui.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_after(marker: str) -> str:
    lines = README.splitlines()
    i = lines.index(f"<!-- {marker} -->")
    assert lines[i + 1].startswith("```")
    return lines[i + 2]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    cmd = _command_after("test-command")
    assert "pytest" in cmd and cmd.startswith("python3 -m venv .venv")
    assert cmd in ci_lines


def test_run_command_sets_up_and_opens_the_app() -> None:
    cmd = _command_after("run-command")
    assert cmd.startswith("python3 -m venv .venv") and cmd.endswith("kaartenbak")


def test_readme_documents_every_subcommand() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert re.search(rf"kaartenbak {re.escape(name)}\b", README), f"README does not document 'kaartenbak {name}'"


_COLLECT = """
import importlib, inspect, json, pkgutil
import tui.screens, tui.dialogs, tui.widgets
from textual.binding import Binding
from tui.app import KaartenbakApp
found = [(KaartenbakApp.__name__, b) for b in KaartenbakApp.BINDINGS if isinstance(b, Binding)]
for pkg in (tui.screens, tui.dialogs, tui.widgets):
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found.extend((cls.__name__, b) for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding))
print(json.dumps([(o, b.key, b.description, b.id) for o, b in found]))
"""


def _own_bindings() -> list[tuple[str, str, str, str | None]]:
    """Every binding of the app's own classes, in Dutch (a fresh process: labels are read at import)."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "KAARTENBAK_LANG"}
    out = subprocess.run(
        [sys.executable, "-c", _COLLECT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return [tuple(row) for row in json.loads(out)]  # type: ignore[misc]


def test_readme_documents_every_key() -> None:
    bindings = _own_bindings()
    assert len(bindings) > 30
    missing = [f"{owner}: {key} = {label}" for owner, key, label, _ in bindings if label and label not in README]
    assert missing == []


def test_every_binding_has_an_id_for_remapping() -> None:
    assert [f"{owner}: {key}" for owner, key, _, binding_id in _own_bindings() if not binding_id] == []
