"""``kaartenbak init [MAP]``: make a new cards repository, or switch on field-level merging in one."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.git.init_repo import InitError, init_repo
from tui.core.sync.flow import driver_program
from .output import err, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="maak een nieuwe kaartenbak, of stel samenvoegen per veld in",
        description=(
            "Zonder MAP of met de map van een bestaande repository: registreer de merge-driver van Kaartenbak "
            "in .git/config en vul .gitattributes aan (nodig in elke kloon; veilig om te herhalen). "
            "Met een nieuwe of lege MAP: maak een git-repository met schema/, cards/, .gitattributes en een README "
            "voor de werkgroep, en een eerste commit als je git-identiteit is ingesteld. Exit 2 als MAP een niet-lege "
            "map zonder git is."
        ),
    )
    p.add_argument("path", nargs="?", metavar="MAP", help="de map (standaard: --repo of de huidige map)")
    p.add_argument(
        "--with-regions",
        action="store_true",
        help="neem de meegeleverde regio's (WBW, NML) over in plaats van een leeg voorbeeld",
    )
    p.set_defaults(handler=cmd_init)


def _program() -> tuple[str, str]:
    """How git should start Kaartenbak: the console script when it is on PATH, else this Python."""
    program = driver_program()
    if program == "kaartenbak":
        return program, ""
    return program, f"'kaartenbak' staat niet op PATH; git start de drivers met: {program}"


def _has_textconv() -> bool:
    """Whether this version has ``kaartenbak textconv``: registering a missing textconv would break ``git diff``."""
    from . import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return "textconv" in sub.choices


def cmd_init(args: argparse.Namespace) -> int:
    target = args.path or getattr(args, "repo", None)
    program, note = _program()
    textconv = _has_textconv()
    try:
        report = init_repo(
            Path(target) if target else None, program=program, with_regions=args.with_regions, textconv=textconv
        )
    except InitError as exc:
        err(f"kaartenbak: {exc}")
        return 2
    out(f"{'Nieuwe kaartenbak' if report.created else 'Kaartenbak'}: {report.root}")
    for line in report.done or ["alles was al ingesteld; niets veranderd"]:
        out(f"  {line}")
    if note:
        out(note)
    if not textconv:
        out("diff-driver niet geregistreerd: deze versie heeft nog geen 'kaartenbak textconv' (git diff werkt gewoon).")
    if report.hint:
        out(report.hint)
    return 0
