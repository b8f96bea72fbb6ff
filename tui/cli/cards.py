"""Card commands: validate, show, fmt, stats and schema export."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.cards import writer
from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.cards.card import Card, LoadError
from tui.core.cards.fte import fte_totals
from tui.core.cards.parse import load_file
from tui.core.cards.render_text import card_text
from tui.core.cards.validate import validate_cards
from tui.core.workspace import NoCardsFolder, Workspace
from .. import i18n
from ..i18n import phrase_error, t
from .output import err, open_workspace, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="controleer kaarten tegen het schema",
        description=(
            "Controleer kaarten tegen het schema. "
            "Exit 1 bij fouten, 0 bij alleen waarschuwingen, 2 als er niets te controleren is."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PAD", help="kaartbestanden of mappen (standaard: cards/)")
    p.add_argument("-q", "--quiet", action="store_true", help="toon geen waarschuwingen, alleen fouten")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "show",
        help="toon één kaart leesbaar",
        description="Toon één kaart leesbaar, met de Nederlandse labels uit het schema.",
    )
    p.add_argument("card", metavar="KAART", help="kaart-id (WBW/T1/1.1) of pad naar het bestand")
    p.add_argument("--all", action="store_true", help="toon ook lege velden")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "fmt",
        help="schrijf kaarten in de vaste opmaak",
        description=(
            "Herschrijf kaarten in de vaste opmaak van Kaartenbak (sleutels in schemavolgorde, "
            'lange tekst als """-blok). Met --check wordt niets geschreven. Exit 1 als een kaart anders '
            "zou worden (--check) of een bestand niet te openen, op te maken of te schrijven is."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PAD", help="kaartbestanden of mappen (standaard: cards/)")
    p.add_argument("--check", action="store_true", help="alleen controleren; exit 1 als een kaart anders zou worden")
    p.set_defaults(handler=cmd_fmt)

    p = sub.add_parser(
        "stats",
        help="tellingen per regio, thema en soort, en FTE per thema",
        description="Tel kaarten per regio, thema en soort en tel de FTE-impact per NML-thema op.",
    )
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("schema", help="het schema exporteren", description="Werk met het kaartschema.")
    ssub = p.add_subparsers(dest="schema_command", metavar="ACTIE", required=True)
    e = ssub.add_parser(
        "export",
        help="schrijf de JSON Schema-bestanden",
        description="Schrijf per kaartsoort een zelfstandig JSON Schema (2020-12) voor editors (taplo) en CI.",
    )
    e.add_argument("dir", nargs="?", metavar="MAP", help="doelmap (standaard: schema/json)")
    e.set_defaults(handler=cmd_schema_export)


def _workspace(args: argparse.Namespace) -> Workspace:
    return open_workspace(args)


def _collect(args: argparse.Namespace) -> tuple[Workspace, list[Path]]:
    if not args.paths:
        ws = _workspace(args)
        found = ws.store.discover()
        if not found:
            raise NoCardsFolder(t("cli.cards.none_in", folder=ws.store.cards_dir))
        return ws, found
    files: list[Path] = []
    for raw in args.paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.toml") if not q.name.startswith(".")))
        elif p.is_file():
            files.append(p)
        else:
            raise NoCardsFolder(t("cli.cards.no_path", path=raw))
    if not files:
        raise NoCardsFolder(t("cli.cards.no_toml", paths=", ".join(args.paths)))
    ws = Workspace(Path(args.repo).resolve()) if getattr(args, "repo", None) else Workspace.for_path(files[0])
    return ws, files


def cmd_validate(args: argparse.Namespace) -> int:
    ws, files = _collect(args)
    result = ws.store.load_all(files)
    for e in result.errors:
        err(str(e))
    problems = validate_cards(result.cards, ws.schema, ws.vocab)
    n_err = len(result.errors)
    n_warn = 0
    for path, found in problems.items():
        for pr in found:
            if pr.is_error:
                n_err += 1
            else:
                n_warn += 1
                if args.quiet:
                    continue
            level = t("cli.validate.error" if pr.is_error else "cli.validate.warning")
            out(f"{path}: {pr.label or t('cli.validate.whole_card')}: {pr.message} [{level}]")
    total = len(result.cards) + len(result.errors)
    out(t("cli.validate.summary", total=total, errors=n_err, warnings=n_warn))
    return 1 if n_err else 0


def _find_card(ws: Workspace, ref: str) -> Card:
    p = Path(ref)
    if p.suffix == ".toml" and p.is_file():
        loaded = load_file(p)
        if isinstance(loaded, LoadError):
            raise NoCardsFolder(str(loaded))
        return loaded
    result = ws.store.load_all()
    for c in result.cards:
        if c.id == ref or c.path.stem == ref:
            return c
    lowered = ref.casefold()
    matches = [c for c in result.cards if c.title.casefold() == lowered]
    if len(matches) == 1:
        return matches[0]
    raise NoCardsFolder(t("cli.cards.not_found", ref=ref, folder=ws.store.cards_dir))


def cmd_show(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    card = _find_card(ws, args.card)
    out(card_text(card.data, ws.schema.kind(card.kind), show_empty=args.all))
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    """Rewrite (or with --check, only judge) cards in the canonical layout.

    Exit 1 when a card would change (--check) or a file cannot be opened, formatted or written;
    such files are named on stderr and left as they are, and the others are still done.
    """
    ws, files = _collect(args)
    changed = 0
    failed = 0
    for path in files:
        loaded = load_file(path)
        if isinstance(loaded, LoadError):
            err(str(loaded))
            failed += 1
            continue
        data = dict(loaded.data)
        try:
            raw = ws.store.render_new(path, data).encode("utf-8")
            writer.check(raw.decode("utf-8"), data)
        except RecursionError:
            err(f"{path}: te diep geneste tabellen om op te maken; het bestand blijft zoals het is")
            failed += 1
            continue
        except (ValueError, TypeError, writer.WriteCheckError) as exc:
            err(f"{path}: kan niet in de vaste opmaak worden geschreven ({exc}); het bestand blijft zoals het is")
            failed += 1
            continue
        try:
            before = path.read_bytes()
        except OSError as exc:
            err(f"{path}: kan niet lezen: {exc.strerror or exc}")
            failed += 1
            continue
        if before != raw:
            if args.check:
                changed += 1
                out(f"{path}: niet in de vaste opmaak")
                continue
            try:
                write_atomic(path, raw)
            except WriteError as exc:
                read_only = exc.code == "error.write.card_read_only"
                err(f"{path}: alleen-lezen; niet herschreven" if read_only else phrase_error(exc))
                failed += 1
                continue
            changed += 1
            out(f"{path}: opnieuw opgemaakt")
    summary = f"{len(files)} kaarten, {changed} {'anders' if args.check else 'herschreven'}"
    out(summary + (f", {failed} niet te openen of op te maken." if failed else "."))
    return 1 if failed or (args.check and changed) else 0


def cmd_stats(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    result = ws.store.load_all()
    if not result.cards:
        raise NoCardsFolder(i18n.t("cli.cards.none_in", folder=ws.store.cards_dir))
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for c in result.cards:
        counts.setdefault((c.region, c.theme or "(geen thema)"), {}).setdefault(c.kind, 0)
        counts[(c.region, c.theme or "(geen thema)")][c.kind] += 1
    out(f"{len(result.cards)} kaarten" + (f", {len(result.errors)} onleesbaar" if result.errors else ""))
    for region in sorted({r for r, _ in counts}):
        n = sum(sum(v.values()) for (r, _), v in counts.items() if r == region)
        out(f"\n{region}: {n} kaarten")
        for (r, theme), kinds in sorted(counts.items()):
            if r != region:
                continue
            detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
            out(f"  {sum(kinds.values()):>4}  {theme}  ({detail})")
    totals = fte_totals(result.cards)
    if totals:
        out("\nFTE-impact per thema (initiatieven, sectie B; bereik als min–max):")
        for theme, t in totals.items():
            rng = f"{t.low:g}" if t.low == t.high else f"{t.low:g}–{t.high:g}"
            out(f"  {rng:>12}  {theme}  ({t.counted} met getal, {t.not_possible} niet mogelijk, {t.missing} ontbreekt)")
    return 0


def cmd_schema_export(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    target = Path(args.dir) if args.dir else ws.schema.folder / "json"
    for path in ws.schema.export(target):
        out(str(path))
    return 0
