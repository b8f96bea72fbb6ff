"""Printing for the CLI: user text made safe for the terminal."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from tui.core.cache import cache_file, load_cards
from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.cards.card import Card
from tui.core.cards.lookup import Found, find_card
from tui.core.cards.text import visible
from tui.core.git.gitrepo import GitError
from tui.core.workspace import NoCardsFolder, Workspace
from tui.i18n import t


def out(text: str = "") -> None:
    """Print to stdout with control characters shown as visible escapes."""
    sys.stdout.write(visible(text) + "\n")


def err(text: str) -> None:
    """Print a message to stderr, made safe the same way."""
    sys.stderr.write(visible(text) + "\n")


def open_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace for ``--repo`` or the current folder; says on stderr when it falls back to the bundled cards."""
    repo = getattr(args, "repo", None)
    if repo is not None and not Path(repo).expanduser().is_dir():
        raise NoCardsFolder(t("cli.cards.no_folder", path=Path(repo).expanduser().resolve()))
    ws = Workspace.find(repo)
    if ws.fallback:
        err(t("workspace.bundled", cwd=str(Path.cwd()), path=str(ws.root)))
    return ws


def workspace_cards(ws: Workspace) -> list[Card]:
    """Every readable card of the workspace, from the parse cache where fresh (as the app reads them)."""
    cards, _ = load_cards(ws.store.discover(), cache_file(ws.root))
    return cards


def card_ref(ws: Workspace, ref: str, *, missing_ok: bool = False) -> Found:
    """The card a command-line argument names: id, path, file name or stem (``tui.core.cards.lookup``)."""
    return find_card(ws.store, ref, cards=lambda: workspace_cards(ws), missing_ok=missing_ok)


Handler = Callable[[argparse.Namespace], int]


def guarded(handler: Handler) -> Handler:
    """Git problems and refusals become a message in the user's language and exit code 2, never a traceback."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except GitError as exc:
            err(f"kaartenbak: {exc.message}")
            if exc.advice:
                err(exc.advice)
            return 2

    return run


def deliver(command: str, target: Path | None, text: str) -> bool:
    """A report to standard output, or atomically to ``target``; False (the error said) when the file
    cannot be written."""
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    try:
        write_atomic(target, text.encode("utf-8"))
    except WriteError as exc:
        err(f"kaartenbak {command}: {exc}")
        return False
    return True
