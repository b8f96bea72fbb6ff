"""``kaartenbak clone URL [MAP]``: join a region: clone its cards repository, set it up, open the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.core.git.clone import CloneError, clone_repo
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.identity import store_identity
from tui.core.language import phrase
from tui.i18n import t

from .output import err, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "clone",
        help="doe mee met een regio: kloon de kaartenbak en open de app",
        description=(
            "Kloon de kaartenbak van een regio (git clone), stel samenvoegen per veld in zoals 'kaartenbak init' "
            "doet, vraag eenmalig je naam en e-mailadres als git die niet kent, en open de app. "
            "Exit 2 bij een onbruikbaar adres, een niet-lege MAP of geen verbinding."
        ),
    )
    p.add_argument("url", metavar="ADRES", help="adres van de repository (https://..., git@..., of een pad)")
    p.add_argument("path", nargs="?", metavar="MAP", help="nieuwe map voor de kloon (standaard: naam uit het adres)")
    p.add_argument("--no-open", action="store_true", help="open de app daarna niet")
    p.add_argument("--name", metavar="NAAM", help="je naam voor git (als git die nog niet kent)")
    p.add_argument("--email", metavar="EMAIL", help="je e-mailadres voor git (als git dat nog niet kent)")
    p.set_defaults(handler=cmd_clone)


def _ask_identity(args: argparse.Namespace, root: Path) -> bool:
    """Store the identity from the options or a prompt; False when it stays unknown."""
    name, email = args.name, args.email
    if not (name and email) and sys.stdin.isatty():
        out(t("clone.ask_identity"))
        try:
            name = name or input(t("clone.ask_name")).strip()
            email = email or input(t("clone.ask_email")).strip()
        except EOFError:
            name = email = None
    if not (name and email):
        err(t("clone.no_identity", root=str(root)))
        return False
    try:
        with GitRepo.open(root) as repo:
            identity = store_identity(repo, name, email)
    except GitError as exc:
        err(f"kaartenbak clone: {exc}")
        return False
    out(t("clone.identity_stored", name=identity.name, email=identity.email))
    return True


def cmd_clone(args: argparse.Namespace) -> int:
    try:
        report = clone_repo(args.url, Path(args.path) if args.path else None)
    except CloneError as exc:
        err(f"kaartenbak clone: {phrase('clone.' + exc.code, exc.params)}")
        if exc.detail:
            err(f"  git: {exc.detail.splitlines()[-1]}")
        return 2
    out(t("clone.done", path=str(report.root)))
    for line in report.done:
        out(f"  {line}")
    if not report.has_cards:
        err(t("clone.no_cards"))
    if report.identity is None:
        _ask_identity(args, report.root)
    if args.no_open:
        out(t("clone.open_hint", path=str(report.root)))
        return 0
    args.repo = str(report.root)
    args.open_app = True  # main() opens the app: the CLI reaches it only through tui/cli/__init__.py
    return 0
