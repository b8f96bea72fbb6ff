"""``kaartenbak views`` / ``view add|remove`` / ``minutes``: saved views (agendas) and meeting minutes."""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

from tui.core.git.gitrepo import GitRepo
from tui.core.meetings.minutes import FORMATS, minutes, render
from tui.core.meetings.views import SORTS, View, ViewsError, cards_for, delete_view, find_view, load_views, save_view
from tui.core.search.query import args_query, parse_query
from tui.i18n import t

from .output import Handler, deliver, err, guarded, open_workspace, out, workspace_cards
from .review_changes import SUFFIXES, _check_target
from .search import unknown_hint


def _views_guard(name: str, handler: Handler) -> Handler:
    """A problem with views.toml or a view becomes its message and exit code 2."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ViewsError as exc:
            err(f"kaartenbak {name}: " + t(f"core.{exc.code}", **exc.params))
            return 2

    return guarded(run)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "views",
        help="toon de opgeslagen zoekopdrachten (agenda's): naam, zoekvraag, aantal kaarten",
        description=(
            "Toon de opgeslagen zoekopdrachten uit views.toml (in de hoofdmap van de kaartenbak, gedeeld via git):"
            " per agenda de naam, de zoekvraag, de volgorde en hoeveel kaarten ze nu vindt."
        ),
    )
    p.set_defaults(handler=_views_guard("views", cmd_views))

    p = sub.add_parser(
        "view",
        help="voeg een opgeslagen zoekopdracht (agenda) toe of verwijder er een",
        description="Bewaar een zoekopdracht onder een naam in views.toml, of verwijder er een.",
    )
    actions = p.add_subparsers(dest="view_action", metavar="ACTIE", required=True)
    add = actions.add_parser(
        "add",
        help="bewaar een zoekopdracht onder een naam",
        description=(
            'Bewaar ZOEKVRAAG (woorden en filters zoals in de app: programma:2, thema:"Gezond vooruit")'
            " onder NAAM in views.toml. Een bestaande naam (hoofdletters maken niet uit) wordt geweigerd,"
            " behalve met --replace."
        ),
    )
    add.add_argument("name", metavar="NAAM", help="naam van de agenda, bijvoorbeeld 'Programma 2'")
    add.add_argument("query", nargs="+", metavar="ZOEKVRAAG", help="woorden en filters, bijvoorbeeld programma:2")
    add.add_argument(
        "--sort", choices=SORTS, default="title", help="volgorde: title, number of changed (standaard title)"
    )
    add.add_argument("--description", dest="about", metavar="TEKST", default="", help="korte toelichting bij de agenda")
    add.add_argument("--replace", action="store_true", help="vervang een agenda met dezelfde naam")
    add.set_defaults(handler=_views_guard("view add", cmd_view_add))
    remove = actions.add_parser(
        "remove", help="verwijder een opgeslagen zoekopdracht", description="Verwijder de agenda NAAM uit views.toml."
    )
    remove.add_argument("name", metavar="NAAM", help="naam van de agenda")
    remove.set_defaults(handler=_views_guard("view remove", cmd_view_remove))

    p = sub.add_parser(
        "minutes",
        help="notulen van een agenda: per kaart de besluiten en wat er veranderde sinds een snapshot",
        description=(
            "Notulen van de agenda AGENDA (een opgeslagen zoekopdracht), per kaart in de volgorde van de agenda:"
            " de besluiten vanaf de datum van het beginpunt en de velden die sindsdien veranderden."
            " --since is een snapshot, commit of datum (standaard de laatste snapshot; zonder snapshot: alle"
            " besluiten en geen veldwijzigingen). Geen kaart verandert."
        ),
    )
    p.add_argument("view", metavar="AGENDA", help="naam van de agenda (zie 'kaartenbak views')")
    p.add_argument(
        "--since", metavar="VAN", help="beginpunt: snapshot, commit of datum (standaard: de laatste snapshot)"
    )
    p.add_argument("-f", "--format", choices=FORMATS, help="text, md of html (standaard: afgeleid van -o, anders text)")
    p.add_argument("-o", "--output", metavar="BESTAND", help="schrijf naar dit bestand (standaard: standaarduitvoer)")
    p.set_defaults(handler=_views_guard("minutes", cmd_minutes))


def _cards_word(n: int) -> str:
    return t("views.cli.cards", count=n)


def cmd_views(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    views = load_views(ws.root)
    if not views:
        out(t("views.cli.none"))
        return 0
    cards = workspace_cards(ws)
    width = max(len(v.name) for v in views)
    for v in views:
        count = len(cards_for(v, cards, ws.schema))
        sort = "" if v.sort == "title" else f"  [{v.sort}]"
        out(f"{v.name:<{width}}  {v.query or '*'}{sort}  ({_cards_word(count)})")
        if v.description:
            out(f"{'':<{width}}  {v.description}")
    return 0


def cmd_view_add(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    query = args_query(args.query)
    parsed = parse_query(query)
    if parsed.unknown:
        err(unknown_hint(parsed.unknown))
    view = View(args.name, query, args.sort, args.about)
    path = save_view(ws.root, view, replace=args.replace)
    saved = find_view(ws.root, args.name)
    count = len(cards_for(saved, workspace_cards(ws), ws.schema))
    out(t("views.cli.saved", name=saved.name, path=path.name, cards=_cards_word(count)))
    return 0


def cmd_view_remove(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    gone = delete_view(ws.root, args.name)
    out(t("views.cli.removed", name=gone.name))
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    fmt = args.format or (SUFFIXES.get(Path(args.output).suffix.lower(), "text") if args.output else "text")
    if fmt not in FORMATS:
        fmt = "text"
    target = Path(args.output) if args.output else None
    if target is not None and (why := _check_target(target, ws.root)):
        err(f"kaartenbak minutes: {why}")
        return 2
    view = find_view(ws.root, args.view)
    with GitRepo.open(ws.root) as repo:
        result = minutes(repo, workspace_cards(ws), ws.schema, view, args.since)
    if result.since is None:
        err(t("views.cli.no_snapshot"))
    if not deliver("minutes", target, render(result, fmt)):
        return 2
    if target is None:
        return 0
    err(t("views.cli.written", path=str(target), format=fmt, cards=_cards_word(len(result.items))))
    return 0
