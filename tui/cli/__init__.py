"""Command-line interface: thin commands over ``tui.core``; no subcommand opens the app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui.core.cards.lookup import CardNotFound
from tui.core.cards.schema import SchemaError
from tui.core.workspace import NoCardsFolder
from ..i18n import set_language
from . import (
    bulk,
    cards,
    clone,
    config,
    conflicts,
    export,
    git,
    importing,
    init,
    meetings,
    merge,
    review,
    review_changes,
    search,
    sync,
)
from .lang import argparse_words, choose_language, translate_parser

Registrar = Callable[[argparse._SubParsersAction], None]
REGISTRARS: list[Registrar] = [
    cards.register,
    git.register,
    export.register,
    merge.register,
    init.register,
    config.register,
    search.register,
    sync.register,
    conflicts.register,
    review.register,
    review_changes.register,
    importing.register,
    clone.register,
    meetings.register,
    bulk.register,
]


def version() -> str:
    """The installed version of Kaartenbak (package metadata), or "onbekend"/"unknown" when not installed."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("kaartenbak")
    except PackageNotFoundError:
        from ..i18n import t

        return t("cli.version_unknown")


def build_parser() -> argparse.ArgumentParser:
    """The ``kaartenbak`` argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kaartenbak",
        description="Kaartenbak: projectkaarten van een regioplan, bewaard in git. Zonder opdracht opent de app.",
    )
    parser.add_argument(
        "--repo", help="map van de kaartenbak (standaard: huidige map met cards/, anders de meegeleverde kaarten)"
    )
    parser.add_argument("--lang", choices=["nl", "en"], help="taal van de app (standaard nl)")
    parser.add_argument("--version", action="version", version=f"kaartenbak {version()}")
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    for register in REGISTRARS:
        register(sub)
    for command in sub.choices.values():  # `kaartenbak log CARD --repo PATH` works too
        if not any("--repo" in a.option_strings for a in command._actions):
            command.add_argument("--repo", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kaartenbak`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = choose_language(argv)
    set_language(lang)
    with argparse_words(lang):
        parser = build_parser()
        translate_parser(parser, lang)
        args = parser.parse_args(argv)
    try:
        if args.command is None:
            from ..app_main import run_app

            return run_app(args)
        handler: Callable[[argparse.Namespace], int] = args.handler
        code = handler(args)
        if code == 0 and getattr(args, "open_app", False):  # e.g. `kaartenbak clone` without --no-open
            from ..app_main import run_app

            return run_app(args)
        return code
    except (NoCardsFolder, SchemaError, CardNotFound) as exc:
        print(f"kaartenbak: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
