"""``kaartenbak bulk set|append|remove|replace``: one change to one field of every card a search finds.

The preview (per card the field diff, the count, the skipped cards with their reasons) is printed
first; ``--dry-run`` stops there, otherwise the cards are written one by one through the card
writer and, with ``--commit``, recorded in one commit (``tui.core.meetings.bulk``).
"""

from __future__ import annotations

import argparse
import shlex
import sys

from tui.core.cards.text import visible
from tui.core.git.commit import commit
from tui.core.git.fielddiff import format_diff
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.meetings.bulk import APPEND, REMOVE, REPLACE, SET, BulkEdit, BulkError, BulkPlan, Skip
from tui.core.meetings.bulk import apply_bulk, plan_bulk, select_cards
from tui.core.search.query import args_query
from tui.core.workspace import NoCardsFolder
from tui.i18n import t

from .output import err, open_workspace, out

EXIT_DONE, EXIT_NOTHING, EXIT_BAD_INPUT = 0, 1, 2

_COMMON_HELP = (
    "ZOEKTERM is de zoekvraag van de app (woorden en filters: thema:, regio:, soort:, org:, programma:, status:)."
    " Eerst komt het voorbeeld: per kaart wat er in het veld verandert, het aantal, en de kaarten die worden"
    " overgeslagen met de reden. Met --dry-run blijft het daarbij. Kaarten met een niet-bewaarde versie"
    " (concept) of die open staan in een editor worden niet gewijzigd. Exit 0 geschreven, 1 niets te wijzigen"
    " of kaarten geweigerd, 2 onbruikbare invoer."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bulk",
        help="één veld van veel kaarten tegelijk wijzigen, met voorbeeld",
        description=(
            "Wijzig één veld van alle kaarten die een zoekvraag vindt: set (vervangen), append (onderdeel aan een"
            " lijst toevoegen), remove (onderdeel uit een lijst halen) of replace (tekst vervangen). " + _COMMON_HELP
        ),
    )
    p.set_defaults(handler=_no_operation, bulk_parser=p)
    ops = p.add_subparsers(dest="bulk_op", metavar="ACTIE")
    specs = [
        (SET, "zet het veld op WAARDE (een lijst: onderdelen gescheiden door ; of regels)", ("value",)),
        (APPEND, "voeg WAARDE toe aan een lijstveld (als ze er nog niet in staat)", ("value",)),
        (REMOVE, "haal WAARDE uit een lijstveld", ("value",)),
        (REPLACE, "vervang de tekst OUD door NIEUW in het veld (ook in elk onderdeel van een lijst)", ("old", "new")),
    ]
    metavars = {"value": "WAARDE", "old": "OUD", "new": "NIEUW"}
    helps = {
        "value": "de waarde, zoals je haar in de editor zou typen",
        "old": "de tekst die vervangen wordt (hoofdlettergevoelig)",
        "new": "de nieuwe tekst (leeg: weghalen)",
    }
    for op, text, values in specs:
        q = ops.add_parser(op, help=text, description=text[0].upper() + text[1:] + ". " + _COMMON_HELP)
        q.add_argument(
            "field", metavar="VELD", help="sleutel van het veld (betrokken_organisaties, level, randvoorwaarden.x)"
        )
        for name in values:
            q.add_argument(name, metavar=metavars[name], help=helps[name])
        q.add_argument("query", nargs="+", metavar="ZOEKTERM", help="welke kaarten, bijvoorbeeld: thema:3 regio:wbw")
        q.add_argument("--dry-run", action="store_true", help="toon alleen het voorbeeld; schrijf niets")
        q.add_argument("--commit", action="store_true", help="bewaar de gewijzigde kaarten meteen in één commit")
        q.add_argument(
            "-y", "--yes", action="store_true", help="schrijf zonder te vragen (in een terminal vraagt bulk eerst)"
        )
        q.add_argument("-m", "--message", metavar="TEKST", help="beschrijving van de commit (standaard voorgesteld)")
        q.add_argument("--repo", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        q.set_defaults(handler=cmd_bulk)


def _no_operation(args: argparse.Namespace) -> int:
    args.bulk_parser.print_help()
    return EXIT_BAD_INPUT


def reason(skip: Skip) -> str:
    """Why a card is left alone, in the user's language."""
    return t(f"bulk.reason.{skip.code}", **skip.values)


def error_text(exc: BulkError) -> str:
    return t(f"bulk.error.{exc.code}", **{k: str(v) for k, v in exc.params.items()})


def print_preview(plan: BulkPlan) -> None:
    """Per card the field diff, then the skipped cards with their reasons, then the count."""
    out(t("bulk.cli.heading", edit=plan.edit.describe(), label=plan.label))
    for change in plan.changes:
        out(f"  {change.card.id}  {' '.join(change.card.title.split())}")
        out("\n".join("    " + line for line in format_diff(change.diffs).splitlines()))
    if plan.skipped:
        out(t("bulk.cli.skipped_heading", count=len(plan.skipped)))
        for skip in plan.skipped:
            out(f"  {skip.card.id}  {' '.join(skip.card.title.split())}: {reason(skip)}")
    out(t("bulk.cli.summary", count=plan.count, skipped=t("bulk.cli.skipped", count=len(plan.skipped))))


def _confirmed(count: int) -> bool:
    """In a terminal, ask before writing: a search finds typos too, so the preview may hold more cards
    than meant. Scripts (no terminal on stdin) are not asked; ``--yes`` skips the question."""
    if not sys.stdin.isatty():
        return True
    try:
        answer = input(t("bulk.cli.confirm", count=count))
    except (EOFError, KeyboardInterrupt):
        out("")
        return False
    return answer.strip().casefold() in ("j", "ja", "y", "yes")


def cmd_bulk(args: argparse.Namespace) -> int:
    edit = BulkEdit(
        args.bulk_op,
        args.field,
        value=getattr(args, "value", "") or "",
        old=getattr(args, "old", "") or "",
        new=getattr(args, "new", "") or "",
    )
    query = args_query(args.query)
    ws = open_workspace(args)
    loaded = ws.store.load_all()
    if not loaded.cards:
        raise NoCardsFolder(t("bulk.cli.no_cards", path=str(ws.store.cards_dir)))
    if loaded.errors:
        err(t("bulk.cli.unreadable", count=len(loaded.errors)))
    try:
        chosen = select_cards(ws, loaded.cards, query)
        if not chosen:
            raise BulkError("empty_selection")
        plan = plan_bulk(ws, edit, chosen, scope=query)
    except BulkError as exc:
        err(f"kaartenbak bulk: {error_text(exc)}")
        return EXIT_BAD_INPUT
    print_preview(plan)
    if args.dry_run:
        out(t("bulk.cli.dry_run"))
        return EXIT_DONE if plan.changes else EXIT_NOTHING
    if not plan.changes:
        out(t("bulk.cli.nothing"))
        return EXIT_NOTHING
    if not args.yes and not _confirmed(len(plan.changes)):
        out(t("bulk.cli.not_confirmed"))
        return EXIT_NOTHING
    result = apply_bulk(ws, plan)
    out(t("bulk.cli.written", count=len(result.saved)))
    for skip in result.refused:
        err(f"kaartenbak bulk: {skip.card.id}: {reason(skip)}")
    if not result.saved:
        return EXIT_NOTHING
    message = args.message or result.message
    if not args.commit:
        out(t("bulk.cli.commit_hint"))
        out(f"  git add -- {' '.join(shlex.quote(p) for p in result.paths)}")
        out(f"  git commit -m {shlex.quote(message.splitlines()[0])}")
        out(t("bulk.cli.commit_option"))
        return EXIT_NOTHING if result.refused else EXIT_DONE
    try:
        with GitRepo.open(ws.root) as repo:
            sha = commit(repo, result.paths, message)
    except GitError as exc:
        err(t("bulk.cli.commit_failed", reason=visible(exc.message)))
        return EXIT_NOTHING
    out(t("bulk.cli.committed", sha=sha[:10], message=message.splitlines()[0]))
    return EXIT_NOTHING if result.refused else EXIT_DONE
