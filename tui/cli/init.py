"""``kaartenbak init [MAP]``: make a new cards repository, or switch on field-level merging in one."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.git.init_repo import InitError, init_repo
from tui.core.review.forge_ci import FORGES

from ..i18n import t
from .output import err, out
from .review_changes import init_ci


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="maak een nieuwe kaartenbak, of stel samenvoegen per veld in",
        description=(
            "Zonder MAP of met de map van een bestaande repository: registreer de merge- en diff-driver van "
            "Kaartenbak in .git/config en .git/info/attributes van deze kloon (nodig in elke kloon; veilig om te "
            "herhalen; geen gedeeld bestand verandert). "
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
    p.add_argument(
        "--ci",
        choices=FORGES,
        help="schrijf ook een CI-workflow voor deze forge: kaarten controleren en de wijzigingen van een verzoek tonen",
    )
    p.set_defaults(handler=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    """Set up the folder and say what was done, where, and which command git will start."""
    target = args.path or getattr(args, "repo", None)
    try:
        report = init_repo(Path(target) if target else None, with_regions=args.with_regions)
    except InitError as exc:
        err(f"kaartenbak: {exc}")
        return 2
    out(t("cli.init.created" if report.created else "cli.init.existing", root=report.root))
    for line in report.done or [t("cli.init.nothing")]:
        out(f"  {line}")
    if report.done and not report.created:
        out(t("cli.init.merging_on"))
    if not report.on_path:
        out(t("cli.init.not_on_path", program=report.program))
    if report.hint:
        out(report.hint)
    return init_ci(report.root, args.ci) if args.ci else 0
