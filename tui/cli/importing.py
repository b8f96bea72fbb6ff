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
from tui.i18n import t

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
    p.add_argument(
        "--region",
        metavar="REGIO",
        help="regio (code) voor rijen zonder kolom Regio; standaard de enige regio van de repository",
    )
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


def _count(key: str, n: int) -> str:
    return t(f"import.{key}", count=n)


def _where(row: int | None, column: str, header: str) -> str:
    if row is None:
        return t("import.where_sheet")
    if column:
        return t("import.where_cell", row=row, column=column, header=header)
    return t("import.where_row", row=row)


def print_report(plan: ImportPlan) -> None:
    """Per card new / changed fields / unchanged, then every problem with its row and column."""
    new, changed = t("import.card_new"), t("import.card_changed")
    width = max(len(new), len(changed)) + 2
    for cp in plan.cards:
        if cp.status == NEW:
            out(f"  {new.ljust(width)} {cp.card_id}  {cp.title}  -> {cp.path.name}")
        elif cp.status == CHANGED:
            out(f"  {changed.ljust(width)} {cp.card_id}: {', '.join(cp.changed)}")
    unchanged = plan.count(UNCHANGED)
    if unchanged:
        out(f"  {_count('unchanged', unchanged)}")
    if plan.issues:
        out(t("import.problems") + ":")
    for i in sorted(plan.issues, key=lambda i: (i.row or 0, i.column.rjust(3), not i.is_error)):
        level = t("import.error") if i.is_error else t("import.warning")
        out(f"  {_where(i.row, i.column, i.header)}: {level}: {i.message}")
    out(
        t(
            "import.summary",
            new=plan.count(NEW),
            changed=plan.count(CHANGED),
            unchanged=unchanged,
            errors=_count("errors", len(plan.errors)),
            warnings=_count("warnings", len(plan.warnings)),
        )
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
            out(t("import.cli_map_written", path=args.write_map))
            return 0
        out(t("import.cli_reading", name=path.name, sheet=sheet.name, rows=_count("rows", len(sheet.rows))))
        for h in sheet.header:
            if h:
                key = mapping.field_of(h)
                out(f"  {h} -> {key if key != SKIP else t('import.not_imported')}")
        loaded = ws.store.load_all()
        for e in loaded.errors:
            err(t("import.cli_skipped", error=str(e)))
        plan = plan_import(ws, sheet, mapping, mapping.kind, loaded.cards, ws.vocab, region=args.region)
    except ImportFailure as exc:
        return _failure(exc)
    except WriteError as exc:  # --write-map to an impossible place
        err(t("import.cli_write_failed", reason=str(exc)))
        return 2
    print_report(plan)
    if args.dry_run:
        return 1 if plan.blocked(args.allow_warnings) else 0
    if plan.blocked(args.allow_warnings):
        err(t("import.cli_blocked_errors" if plan.errors else "import.cli_blocked_warnings"))
        return 1
    if not plan.to_write:
        out(t("import.cli_nothing"))
        return 0
    try:
        written = apply_plan(ws, plan, allow_warnings=args.allow_warnings)
    except ChangedOnDisk as exc:
        err(t("import.cli_changed_on_disk", path=str(exc.path)))
        return 1
    except (WriteError, OSError) as exc:
        err(t("import.cli_write_failed", reason=str(exc)))
        return 2
    message = commit_message(plan)
    rels = [p.relative_to(ws.root).as_posix() if p.is_relative_to(ws.root) else str(p) for p in written]
    out(_count("written", len(written)))
    if not args.commit:
        out(t("import.cli_commit_hint"))
        out(f"  git add -- {' '.join(shlex.quote(r) for r in rels)}")
        out(f"  git commit -m {shlex.quote(message.splitlines()[0])}")
        out(t("import.cli_commit_option"))
        return 0
    try:
        with GitRepo.open(ws.root) as repo:
            sha = commit(repo, written, message)
    except GitError as exc:
        err(t("import.cli_commit_failed", reason=str(exc)))
        return 1
    out(t("import.cli_committed", sha=sha[:10], message=message.splitlines()[0]))
    return 0
