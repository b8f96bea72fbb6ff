"""``kaartenbak import FILE``: cards from a spreadsheet (.xlsx, .csv), new ones and changes to existing ones."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from tui.core.cards.atomic import WriteError
from tui.core.cards.store import ChangedOnDisk
from tui.core.git.commit import commit
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.importing.mapping import SKIP, candidate_fields, load_map, propose, write_map
from tui.core.importing.plan import CHANGED, NEW, UNCHANGED, ImportPlan, apply_plan, choose_kinds, commit_message
from tui.core.importing.plan import plan_import
from tui.core.importing.sheet import ImportFailure, read_sheet
from tui.core.language import phrase

from .output import err, open_workspace, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="lees kaarten in uit een spreadsheet (.xlsx, .csv)",
        description=(
            "Lees een regioplan in uit Excel (.xlsx) of CSV (puntkomma of komma). De kolommen worden aan "
            "velden gekoppeld op hun kop (Nederlands of Engels); bewaar die koppeling met --write-map, pas haar "
            "aan en gebruik haar met --map. Bestaande kaarten (zelfde id, of nummer + regio) krijgen alleen de "
            "velden die verschillen. Er wordt niets geschreven zolang er fouten zijn, of waarschuwingen zonder "
            "--allow-warnings. Exit 0 gelukt, 1 problemen (niets geschreven), 2 onbruikbare invoer."
        ),
    )
    p.add_argument("file", metavar="BESTAND", help="het spreadsheet (.xlsx of .csv)")
    p.add_argument("--kind", metavar="SOORT", help="soort kaart voor rijen zonder kolom Soort kaart (bijv. project)")
    p.add_argument("--map", metavar="KOPPELING", help="koppelingsbestand (TOML) kolom -> veld")
    p.add_argument(
        "--write-map", metavar="KOPPELING", help="schrijf de voorgestelde koppeling naar dit bestand en stop"
    )
    p.add_argument("--dry-run", action="store_true", help="laat alleen zien wat er zou gebeuren; schrijf niets")
    p.add_argument(
        "--allow-warnings", action="store_true", help="schrijf ook als er waarschuwingen zijn (nooit bij fouten)"
    )
    p.add_argument("--commit", action="store_true", help="bewaar de geschreven kaarten meteen in één commit")
    p.set_defaults(handler=cmd_import)


def _failure(exc: ImportFailure) -> int:
    err(f"kaartenbak import: {phrase('import.' + exc.code, exc.params)}")
    return 2


def _where(row: int | None, column: str, header: str) -> str:
    if row is None:
        return "blad"
    return f"rij {row}, kolom {column} ({header})" if column else f"rij {row}"


def print_report(plan: ImportPlan) -> None:
    """Per card new / changed fields / unchanged, then every problem with its row and column."""
    for cp in plan.cards:
        if cp.status == NEW:
            out(f"  nieuw        {cp.card_id}  {cp.title}  -> {cp.path.name}")
        elif cp.status == CHANGED:
            out(f"  gewijzigd    {cp.card_id}: {', '.join(cp.changed)}")
    unchanged = plan.count(UNCHANGED)
    if unchanged:
        out(f"  ongewijzigd  {unchanged} {'kaart' if unchanged == 1 else 'kaarten'}")
    if plan.issues:
        out("Problemen:")
    for i in sorted(plan.issues, key=lambda i: (i.row or 0, i.column.rjust(3), not i.is_error)):
        level = "fout" if i.is_error else "waarschuwing"
        out(f"  {_where(i.row, i.column, i.header)}: {level}: {i.message}")
    e, w = len(plan.errors), len(plan.warnings)
    out(
        f"{plan.count(NEW)} nieuw, {plan.count(CHANGED)} gewijzigd, {unchanged} ongewijzigd; "
        f"{e} {'fout' if e == 1 else 'fouten'}, {w} {'waarschuwing' if w == 1 else 'waarschuwingen'}."
    )


def cmd_import(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    path = Path(args.file)
    try:
        sheet = read_sheet(path)
        kinds = choose_kinds(ws.schema, args.kind)
        fields = candidate_fields(ws.schema, kinds if args.kind else [])
        mapping = load_map(Path(args.map), sheet.header, fields) if args.map else propose(sheet.header, fields)
        if args.kind:
            mapping.kind = kinds[0].name
        if args.write_map:
            write_map(Path(args.write_map), mapping, fields)
            out(f"Koppeling geschreven naar {args.write_map}; pas haar aan en gebruik: --map {args.write_map}")
            return 0
        out(f"Import uit {path.name} (blad '{sheet.name}', {len(sheet.rows)} rijen):")
        for h in sheet.header:
            if h:
                key = mapping.field_of(h)
                out(f"  {h} -> {key}" if key != SKIP else f"  {h} -> (niet geïmporteerd)")
        loaded = ws.store.load_all()
        for e in loaded.errors:
            err(f"overgeslagen: {e}")
        plan = plan_import(ws, sheet, mapping, mapping.kind, loaded.cards, ws.vocab)
    except ImportFailure as exc:
        return _failure(exc)
    print_report(plan)
    if args.dry_run:
        return 1 if plan.blocked(args.allow_warnings) else 0
    if plan.blocked(args.allow_warnings):
        if plan.errors:
            err("Er is niets geschreven: los eerst de fouten op.")
        else:
            err("Er is niets geschreven: er zijn waarschuwingen. Los ze op, of schrijf toch met --allow-warnings.")
        return 1
    if not plan.to_write:
        out("Niets te schrijven: alle kaarten zijn al zo.")
        return 0
    try:
        written = apply_plan(ws, plan, allow_warnings=args.allow_warnings)
    except ChangedOnDisk as exc:
        err(f"kaartenbak import: {exc.path} is gewijzigd terwijl de import liep; importeer opnieuw.")
        return 1
    except (WriteError, OSError) as exc:
        err(f"kaartenbak import: schrijven mislukt: {exc}")
        return 2
    message = commit_message(plan)
    rels = [p.relative_to(ws.root).as_posix() if p.is_relative_to(ws.root) else str(p) for p in written]
    out(f"{len(written)} {'kaart' if len(written) == 1 else 'kaarten'} geschreven.")
    if not args.commit:
        out("Bewaar ze in git met:")
        out(f"  git add -- {' '.join(shlex.quote(r) for r in rels)}")
        out(f"  git commit -m {shlex.quote(message.splitlines()[0])}")
        out("of importeer opnieuw met --commit.")
        return 0
    try:
        with GitRepo.open(ws.root) as repo:
            sha = commit(repo, written, message)
    except GitError as exc:
        err(f"kaartenbak import: de kaarten zijn geschreven, maar niet bewaard in git: {exc}")
        return 1
    out(f"Bewaard in commit {sha[:10]}: {message.splitlines()[0]}")
    return 0
