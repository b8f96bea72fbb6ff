"""``kaartenbak review``: sign-off per field (todo, approve, question, show), over ``tui.core.review.signoff``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.git.gitrepo import GitError
from tui.core.library import Library
from tui.core.review import signoff
from tui.core.review.signoff import ReviewError, ReviewItem
from tui.core.cards.atomic import WriteError
from tui.core.workspace import Workspace
from ..i18n import t
from .output import err, open_workspace, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="velden beoordelen: akkoord of vraag per gewijzigd veld",
        description=(
            "Beoordeel kaarten per veld. Een veld is te beoordelen als de vastgelegde waarde afwijkt van de "
            "laatst goedgekeurde (of, nooit beoordeeld, gewijzigd is sinds de laatste momentopname). "
            "Beoordelingen staan in reviews/ en worden vastgelegd en gesynchroniseerd zoals kaarten."
        ),
    )
    rsub = p.add_subparsers(dest="review_command", metavar="ACTIE", required=True)
    q = rsub.add_parser(
        "todo",
        help="toon de velden die op beoordeling wachten",
        description="Toon de rij te beoordelen velden en open vragen.",
    )
    q.add_argument("--json", action="store_true", help="als JSON, met oude en nieuwe waarde")
    q.set_defaults(handler=cmd_todo)
    for name, helptext in (
        ("approve", "keur een veld goed (akkoord)"),
        ("question", "stel een vraag over een veld (vraag, met notitie)"),
    ):
        a = rsub.add_parser(name, help=helptext, description=helptext[0].upper() + helptext[1:] + " en leg het vast.")
        a.add_argument("card", metavar="KAART", help="kaart-id, pad, bestandsnaam of naam zonder .toml")
        a.add_argument("field", metavar="VELD", help="veldpad (randvoorwaarden.bekostiging) of het label")
        a.add_argument(
            "-m",
            "--message",
            metavar="TEKST",
            required=name == "question",
            default="",
            help="notitie bij de beoordeling" if name == "approve" else "de vraag (verplicht)",
        )
        a.set_defaults(handler=cmd_approve if name == "approve" else cmd_question)
    s = rsub.add_parser(
        "show",
        help="toon de beoordeling van elk veld van een kaart",
        description="Toon per veld van een kaart de stand van de beoordeling.",
    )
    s.add_argument("card", metavar="KAART", help="kaart-id, pad, bestandsnaam of naam zonder .toml")
    s.set_defaults(handler=cmd_show)


def _library(args: argparse.Namespace) -> tuple[Workspace, Library]:
    ws = open_workspace(args)
    library = Library(ws)
    library.read()
    return ws, library


def find_card(ws: Workspace, library: Library, ref: str) -> Card | None:
    """The card named by id, path, file name or file stem."""
    cards = sorted(library.cards.values(), key=lambda c: str(c.path))
    for match in (
        lambda c: c.id == ref,
        lambda c: c.path.resolve() == Path(ref).expanduser().resolve(),
        lambda c: c.path.resolve() == (ws.root / ref).resolve(),
        lambda c: c.path.name == ref or c.path.stem == ref,
        lambda c: c.id.casefold() == ref.casefold(),
    ):
        found = [c for c in cards if match(c)]
        if found:
            return found[0]
    return None


def _status(status: str) -> str:
    return t(f"review.status.{status}")


def cmd_todo(args: argparse.Namespace) -> int:
    ws, library = _library(args)
    try:
        items = signoff.todo(ws.root, library)
    except GitError as exc:
        err(f"kaartenbak: {exc}")
        return 1
    if args.json:
        print(json.dumps([_item_json(ws, i) for i in items], ensure_ascii=False, indent=2, default=str))
        return 0
    if not items:
        out(t("review.cli.nothing"))
        return 0
    for item in items:
        out(f"{item.card_id}  {item.field}  {item.label}  [{_status(item.status)}]")
        if item.note:
            out(f"    {t('review.cli.note')}: {' '.join(item.note.split())} ({item.reviewer})")
    out(t("review.cli.count", n=len(items), plural=len(items)))
    return 0


def _item_json(ws: Workspace, item: ReviewItem) -> dict[str, Any]:
    return {
        "card": item.card_id,
        "path": item.card_path.relative_to(ws.root).as_posix()
        if item.card_path.is_relative_to(ws.root)
        else str(item.card_path),
        "title": item.title,
        "field": item.field,
        "label": item.label,
        "status": item.status,
        "old": item.old,
        "new": item.new,
        "note": item.note,
        "reviewer": item.reviewer,
        "since": item.since,
    }


def _record(args: argparse.Namespace, verdict: str) -> int:
    ws, library = _library(args)
    card = find_card(ws, library, args.card)
    if card is None:
        err(t("review.cli.unknown_card", ref=args.card))
        return 2
    try:
        if verdict == "akkoord":
            signoff.approve(ws.root, library, card, args.field, args.message)
        else:
            signoff.question(ws.root, library, card, args.field, args.message)
    except ReviewError as exc:
        err(f"kaartenbak: {exc}")
        return 1 if exc.code == "review.nothing_to_review" else 2
    except (GitError, WriteError) as exc:
        err(f"kaartenbak: {exc}")
        return 1
    out(t(f"review.cli.recorded_{verdict}", card=card.id, field=args.field))
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    return _record(args, "akkoord")


def cmd_question(args: argparse.Namespace) -> int:
    if not args.message.strip():
        err(f"kaartenbak: {ReviewError('note_required')}")
        return 2
    return _record(args, "vraag")


def cmd_show(args: argparse.Namespace) -> int:
    ws, library = _library(args)
    card = find_card(ws, library, args.card)
    if card is None:
        err(t("review.cli.unknown_card", ref=args.card))
        return 2
    try:
        state = signoff.review_state(ws.root, library).get(card.id, {})
    except GitError as exc:
        err(f"kaartenbak: {exc}")
        return 1
    out(f"{card.id} — {card.title}")
    if not state:
        out(t("review.cli.nothing_card"))
        return 0
    for key, fr in state.items():
        line = f"{signoff.MARKERS[fr.status]} {fr.label} ({key}): {_status(fr.status)}"
        if fr.verdict is not None and fr.status != signoff.TE_BEOORDELEN:
            line += f" — {fr.verdict.reviewer}, {fr.verdict.date}"
        out(line)
        if fr.verdict is not None and fr.verdict.note and fr.status == signoff.VRAAG:
            out(f"    {t('review.cli.note')}: {' '.join(fr.verdict.note.split())}")
    counts = signoff.count({card.id: state})
    out(t("review.cli.summary", todo=counts.te_beoordelen, ok=counts.akkoord, asked=counts.vraag))
    return 0
