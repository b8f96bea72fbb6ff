"""Printing for the CLI: user text made safe for the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.core.cards.text import visible
from tui.core.workspace import Workspace
from tui.i18n import t


def out(text: str = "") -> None:
    """Print to stdout with control characters shown as visible escapes."""
    sys.stdout.write(visible(text) + "\n")


def err(text: str) -> None:
    """Print a message to stderr, made safe the same way."""
    sys.stderr.write(visible(text) + "\n")


def open_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace for ``--repo`` or the current folder; says on stderr when it falls back to the bundled cards."""
    ws = Workspace.find(getattr(args, "repo", None))
    if ws.fallback:
        err(t("workspace.bundled", cwd=str(Path.cwd()), path=str(ws.root)))
    return ws


def tn(key: str, count: int, /, **values: object) -> str:
    """``t`` for a sentence about ``count`` things: ``key_one`` for exactly one, else ``key_many``."""
    return t(f"{key}_one" if count == 1 else f"{key}_many", count=count, **values)
