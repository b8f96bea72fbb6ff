"""``kaartenbak conflicts``: list a merge's conflicts per card and field, resolve them, record the merge.

The same core steps as the app's conflict screen (``tui.core.sync.conflicts``), so a reviewer
without the app can finish a merge: ``conflicts`` lists, ``conflicts resolve CARD FIELD --mine |
--theirs | --value TEXT`` settles one field (checked against the schema, written, and ``git add``-ed
once the card has no conflict left), ``conflicts commit`` (or ``kaartenbak sync``) records the merge.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.lookup import CardNotFound
from tui.core.cards.parse import load_file
from tui.core.cards.render_text import plain_value
from tui.core.git.gitrepo import GitError
from tui.core.sync.conflicts import (
    MINE,
    OWN,
    THEIRS,
    CardConflicts,
    ConflictSet,
    choice_value,
    conflict_set,
    record_merge,
    resolve_card,
)
from tui.core.workspace import NoCardsFolder, Workspace
from tui.i18n import t
from tui.sync_words import record_text, resolution_problems

from .output import card_ref, err, out
from .sync import use_language


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "conflicts",
        help="conflicten van een samenvoeging tonen, per veld oplossen en de samenvoeging vastleggen",
        description="Zonder opdracht: toon per kaart en veld wat aan beide kanten anders is gewijzigd (origineel, mijn "
        "versie, hun versie, en wie wat wijzigde). 'resolve KAART VELD --mine|--theirs|--value TEKST' kiest per veld; "
        "'commit' legt de samenvoeging vast (of gebruik 'kaartenbak sync'). Exit 0: niets meer open; 1: nog "
        "conflicten; 2: fout.",
    )
    p.set_defaults(handler=cmd_list)
    actions = p.add_subparsers(dest="conflicts_command", metavar="OPDRACHT")
    listing = actions.add_parser("list", help="toon de conflicten (standaard)")
    listing.set_defaults(handler=cmd_list)
    res = actions.add_parser("resolve", help="kies voor één veld van een kaart: mijn versie, hun versie of eigen tekst")
    res.add_argument("card", metavar="KAART", help="kaart-id (WBW/T1/1.4) of pad van het kaartbestand")
    res.add_argument("field", metavar="VELD", help="het veld zoals 'conflicts' het toont (bijvoorbeeld aanpak)")
    how = res.add_mutually_exclusive_group(required=True)
    how.add_argument("--mine", dest="how", action="store_const", const=MINE, help="houd mijn versie")
    how.add_argument("--theirs", dest="how", action="store_const", const=THEIRS, help="neem de versie van de ander")
    how.add_argument("--value", metavar="TEKST", help="eigen tekst (bij een lijst: één onderdeel per regel)")
    res.set_defaults(handler=cmd_resolve)
    commit = actions.add_parser("commit", help="leg de samenvoeging vast als alles is opgelost")
    commit.set_defaults(handler=cmd_commit)
    for action in (listing, res, commit):
        action.add_argument("--repo", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _root(args: argparse.Namespace) -> Path:
    repo = getattr(args, "repo", None)
    return (Path(repo) if repo else Path.cwd()).expanduser().resolve()


def _shown(value: Any) -> str:
    if value is None:
        return t("conflicts_cli.absent")
    return plain_value(value).replace("\n", "\n                 ")


def _print_card(card: CardConflicts) -> None:
    out(t("conflicts_cli.card", id=card.card_id, title=card.title, path=card.rel))
    for c in card.conflicts:
        out(t("conflicts_cli.field", field=c.field or '""', label=c.label or c.field))
        for side in ("base", MINE, THEIRS):
            out(t(f"conflicts_cli.{side}", value=_shown(getattr(c, side))))
            who = card.who.get((side, c.field))
            if who is not None:
                date = f"{who.date:%Y-%m-%d %H:%M}"
                out(t("conflicts_cli.who", author=who.author, date=date, subject=who.subject))


def _load(args: argparse.Namespace, who: bool) -> ConflictSet | None:
    try:
        return conflict_set(_root(args), who=who)
    except GitError as exc:
        err(f"kaartenbak: {exc.message}")
        if exc.advice:
            err(exc.advice)
        return None


def cmd_list(args: argparse.Namespace) -> int:
    use_language(args)
    found = _load(args, who=True)
    if found is None:
        return 2
    out(t("conflicts_cli.merging" if found.merging else "conflicts_cli.not_merging"))
    if not found.cards and not found.others:
        out(t("conflicts_cli.ready") if found.merging else t("conflicts_cli.none"))
        return 0
    if found.cards:
        out(t("conflicts_cli.cards", count=len(found.cards)))
        for card in found.cards:
            _print_card(card)
    if found.others:
        out(t("conflicts_cli.others"))
        for path in found.others:
            out(f"  {path}")
    out(t("conflicts_cli.how"))
    return 1


def _by_reference(found: ConflictSet, args: argparse.Namespace) -> CardConflicts | None:
    """The conflicted card ``args.card`` names in any spelling the other commands take (``tui.core.cards.lookup``)."""
    try:
        at = card_ref(Workspace(_root(args).resolve()), args.card).path.resolve()
    except (CardNotFound, NoCardsFolder, OSError):
        return None
    return next((c for c in found.cards if c.path.resolve() == at), None)


def cmd_resolve(args: argparse.Namespace) -> int:
    use_language(args)
    found = _load(args, who=False)
    if found is None:
        return 2
    card = found.card(args.card) or _by_reference(found, args)
    if card is None:
        err(f"kaartenbak: {t('conflicts_cli.no_card', card=args.card)}")
        return 2
    conflict = card.find(args.field)
    if conflict is None:
        fields = ", ".join(c.field or '""' for c in card.conflicts)
        err(f"kaartenbak: {t('conflicts_cli.no_field', id=card.card_id, field=args.field, fields=fields)}")
        return 2
    how = args.how or OWN
    try:
        value = choice_value(conflict, how, args.value)
    except TypeError:
        err(f"kaartenbak: {t('conflicts_cli.not_editable', field=conflict.field)}")
        return 2
    loaded = load_file(card.path)
    if not isinstance(loaded, Card):
        err(f"kaartenbak: {loaded}")
        return 2
    done = resolve_card(Workspace(_root(args)), loaded, {conflict.field: value})
    if done.code == "invalid":
        err(f"kaartenbak: {t('conflicts_cli.invalid')}")
        for line in resolution_problems(done):
            err(line)
        return 2
    if done.code == "failed":
        err(f"kaartenbak: {t('conflicts_cli.failed', message=done.message, advice=done.advice)}")
        return 2
    out(t(f"conflicts_cli.{done.code}", id=card.card_id, field=conflict.field, left=", ".join(done.left)))
    if done.merging and not done.unmerged and done.code != "saved":
        after = conflict_set(_root(args))
        if after.ready:
            out(t("conflicts_cli.ready"))
    return 0


def cmd_commit(args: argparse.Namespace) -> int:
    use_language(args)
    record = record_merge(_root(args))
    message, advice = record_text(record)
    if record.code == "recorded":
        out(message)
        return 0
    err(f"kaartenbak: {message}")
    if advice:
        err(advice)
    return 1 if record.code in ("unresolved", "no_merge") else 2
