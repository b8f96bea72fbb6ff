"""Printing for the CLI: user text made safe for the terminal."""

from __future__ import annotations

import sys

from tui.core.cards.text import visible


def out(text: str = "") -> None:
    """Print to stdout with control characters shown as visible escapes."""
    sys.stdout.write(visible(text) + "\n")


def err(text: str) -> None:
    """Print a message to stderr, made safe the same way."""
    sys.stderr.write(visible(text) + "\n")
