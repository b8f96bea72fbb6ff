"""``kaartenbak snapshot`` / ``snapshots`` / ``changes``: named points in history and what changed since."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui.core.cards.atomic import WriteError
from tui.core.git.gitrepo import GitRepo
from tui.core.review.changes import changes
from tui.core.review.changes_report import FORMATS, render
from tui.core.review.forge_ci import CiExists, write_workflow
from tui.core.review.snapshots import create_snapshot, list_snapshots
from tui.i18n import t

from .output import deliver, err, guarded, open_workspace, out

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".txt": "text"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "snapshot",
        help="leg de vastgelegde stand vast onder een naam (bijvoorbeeld een stuurgroep)",
        description=(
            "Maak een snapshot van de vastgelegde kaarten: een git-tag snapshot/<naam> met jouw naam en de datum, "
            "bijvoorbeeld 'kaartenbak snapshot \"Stuurgroep december 2026\"' (tag snapshot/2026-12-stuurgroep). "
            "'kaartenbak sync' deelt hem met de anderen. Weigert bij niet-vastgelegde kaarten, een bestaande naam, "
            "zonder git-identiteit of zonder enige versie (exit 2)."
        ),
    )
    p.add_argument("name", metavar="NAAM", help="naam van de snapshot, bijvoorbeeld 'Stuurgroep december 2026'")
    p.add_argument("-m", "--message", metavar="TEKST", default="", help="toelichting bij de snapshot")
    p.set_defaults(handler=guarded(cmd_snapshot))

    p = sub.add_parser(
        "snapshots",
        help="toon de snapshots (naam, datum, wie, aantal kaarten)",
        description="Toon alle snapshots, oudste eerst: naam, datum, wie hem maakte en hoeveel kaarten erin zitten.",
    )
    p.set_defaults(handler=guarded(cmd_snapshots))

    p = sub.add_parser(
        "changes",
        help="wat er veranderde sinds een snapshot, commit of datum, per kaart en per veld",
        description=(
            "Toon per kaart wat er veranderde (nieuw, verwijderd, hernoemd, gewijzigd) en per veld de oude en nieuwe "
            "waarde, met wie het veranderde en in welke commits. VAN is een snapshot, tag, commit, tak of datum "
            "(2026-11-01: de laatste commit van vóór die dag); standaard de laatste snapshot. TOT is een versie; "
            "standaard de werkmap (niet-vastgelegde wijzigingen worden gemarkeerd). Geen kaart verandert."
        ),
    )
    p.add_argument("since", nargs="?", metavar="VAN", help="beginpunt (standaard: de laatste snapshot)")
    p.add_argument("until", nargs="?", metavar="TOT", help="eindpunt (standaard: de werkmap)")
    p.add_argument(
        "-f", "--format", choices=FORMATS, help="text, md, html of json (standaard: afgeleid van -o, anders text)"
    )
    p.add_argument("-o", "--output", metavar="BESTAND", help="schrijf naar dit bestand (standaard: standaarduitvoer)")
    p.add_argument(
        "--color", choices=["auto", "always", "never"], default="auto", help="kleur (standaard: alleen in een terminal)"
    )
    p.set_defaults(handler=guarded(cmd_changes))


def cmd_snapshot(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    with GitRepo.open(ws.root) as repo:
        snap = create_snapshot(repo, args.name, args.message)
    out(t("snapshot.made", name=snap.name, tag=snap.tag, commit=snap.commit[:7], cards=_cards(snap.cards)))
    out(t("snapshot.share"))
    return 0


def _cards(n: int) -> str:
    return t("snapshot.cards", count=n)


def cmd_snapshots(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    with GitRepo.open(ws.root) as repo:
        snaps = list_snapshots(repo)
    if not snaps:
        out(t("snapshot.none"))
        return 0
    for s in snaps:
        out(f"{s.date:%Y-%m-%d %H:%M}  {s.name}  ({s.tag})  {s.author}  {_cards(s.cards)}")
    return 0


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return SUFFIXES.get(Path(args.output).suffix.lower(), "text")
    return "text"


def _check_target(target: Path, root: Path) -> str | None:
    """Why the report cannot go to ``target`` (never into cards/), or None."""
    full = target.resolve()
    if full.is_dir():
        return t("changes.target_dir", path=str(target))
    if not full.parent.is_dir():
        return t("changes.target_no_folder", path=str(full.parent))
    if full.is_relative_to((root / "cards").resolve()) or full.is_relative_to((root / "schema").resolve()):
        return t("changes.target_cards", path=str(target))
    return None


def cmd_changes(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    fmt = _format(args)
    target = Path(args.output) if args.output else None
    if target is not None and (why := _check_target(target, ws.root)):
        err(f"kaartenbak changes: {why}")
        return 2
    with GitRepo.open(ws.root) as repo:
        result = changes(repo, args.since, args.until)
    color = args.color == "always" or (
        args.color == "auto" and target is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    if not deliver("changes", target, render(result, fmt, color=color and fmt == "text")):
        return 2
    if target is None:
        return 0
    err(t("changes.written", path=str(target), format=fmt, cards=len(result.cards)))
    return 0


def init_ci(root: Path, forge: str) -> int:
    """``kaartenbak init --ci FORGE``: write the workflow and say so; 2 when a different file is there."""
    try:
        done = write_workflow(root, forge)
    except CiExists as exc:
        err("kaartenbak init: " + t(exc.code, **exc.params))
        return 2
    except WriteError as exc:
        err(f"kaartenbak init: {exc}")
        return 2
    key = "changes.ci_written" if done.changed else "changes.ci_same"
    out(t(key, path=done.path.relative_to(root).as_posix(), forge=forge))
    return 0
