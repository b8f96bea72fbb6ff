"""Card commands: validate, show, fmt, stats and schema export."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.core.cards import writer
from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.cards.card import Card, LoadError
from tui.core.cards.fte import fte_totals
from tui.core.cards.lookup import CardNotFound
from tui.core.cards.parse import load_file
from tui.core.cards.render_text import card_text
from tui.core.cards.validate import validate_cards
from tui.core.cards.vocab import Vocabulary
from tui.core.workspace import NoCardsFolder, Workspace
from ..i18n import phrase_error, t
from .output import card_ref, err, open_workspace, out, workspace_cards


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
    """The workspace and the card files named by ``args.paths``: folders, files, or any card reference
    (id, file name, stem; see ``tui.core.cards.lookup``); all cards of the workspace when none is named."""
    if not args.paths:
        whole = _workspace(args)
        found = whole.store.discover()
        if not found:
            raise NoCardsFolder(t("cli.cards.none_in", folder=whole.store.cards_dir))
        return whole, found
    repo = getattr(args, "repo", None)
    files: list[Path] = []
    ws: Workspace | None = _workspace(args) if repo else None
    for raw in args.paths:
        p = Path(raw).expanduser()
        if not p.exists() and ws is not None and not p.is_absolute() and (ws.root / p).exists():
            p = ws.root / p
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.toml") if not q.name.startswith(".")))
        elif p.is_file():
            files.append(p)
        else:
            ws = ws or _workspace(args)
            try:
                files.append(card_ref(ws, raw).path)
            except CardNotFound as exc:
                if exc.code == "lookup.not_found" and not exc.suggestions:
                    raise NoCardsFolder(t("cli.cards.no_path", path=raw)) from None
                raise
    if not files:
        raise NoCardsFolder(t("cli.cards.no_toml", paths=", ".join(args.paths)))
    return ws or Workspace.for_path(files[0]), files


def _in_repo(ws: Workspace, files: list[Path]) -> bool:
    """Whether every file lies in the workspace's cards folder (so the repository's other cards count)."""
    cards_dir = ws.store.cards_dir.resolve()
    return all(cards_dir in f.resolve().parents for f in files)


def cmd_validate(args: argparse.Namespace) -> int:
    ws, files = _collect(args)
    result = ws.store.load_all(files)
    for e in result.errors:
        err(str(e))
    known: set[str] = set()
    if args.paths and _in_repo(ws, files):  # single files: links to the rest of the repository are fine
        known = {c.id for c in workspace_cards(ws) if c.id}
    problems = validate_cards(result.cards, ws.schema, ws.vocab, known_ids=known)
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
    out(
        t(
            "cli.validate.summary",
            cards=t("cli.count.cards", count=total),
            errors=t("cli.count.errors", count=n_err),
            warnings=t("cli.count.warnings", count=n_warn),
        )
    )
    return 1 if n_err else 0


def _find_card(ws: Workspace, ref: str) -> Card:
    """The card ``ref`` names: id, path, file name or stem (``tui.core.cards.lookup``)."""
    found = card_ref(ws, ref).card
    assert found is not None  # without missing_ok there is always a card
    return found


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
            err(t("cli.fmt.too_deep", path=path))
            failed += 1
            continue
        except (ValueError, TypeError, writer.WriteCheckError) as exc:
            err(t("cli.fmt.cannot_format", path=path, error=exc))
            failed += 1
            continue
        try:
            before = path.read_bytes()
        except OSError as exc:
            err(t("cli.fmt.cannot_read", path=path, error=exc.strerror or exc))
            failed += 1
            continue
        if before != raw:
            if args.check:
                changed += 1
                out(t("cli.fmt.not_canonical", path=path))
                continue
            try:
                write_atomic(path, raw)
            except WriteError as exc:
                read_only = exc.code == "error.write.card_read_only"
                err(t("cli.fmt.read_only", path=path) if read_only else phrase_error(exc))
                failed += 1
                continue
            changed += 1
            out(t("cli.fmt.rewritten", path=path))
    cards = t("cli.count.cards", count=len(files))
    summary = t("cli.fmt.summary_check" if args.check else "cli.fmt.summary", cards=cards, changed=changed)
    out(summary + (t("cli.fmt.summary_failed", failed=failed) if failed else "."))
    return 1 if failed or (args.check and changed) else 0


def _theme_order(vocab: Vocabulary, region: str) -> dict[str, int]:
    """Position of each theme name (and its spellings) of ``region`` in the schema's region file."""
    reg = vocab.regions.get(region)
    order: dict[str, int] = {}
    for i, theme in enumerate(reg.themes if reg else ()):
        for name in (theme.name, *theme.aliases):
            order.setdefault(name.casefold(), i)
    return order


def _theme_key(order: dict[str, int], theme: str) -> tuple[int, int, str]:
    """Sort key: the schema's themes in their order, then other themes alphabetically, no theme last."""
    if not theme:
        return (2, 0, "")
    pos = order.get(theme.casefold())
    return (0, pos, "") if pos is not None else (1, 0, theme.casefold())


def _kind_label(ws: Workspace, kind: str) -> str:
    found = ws.schema.kind(kind)
    return found.title if found is not None and found.title else kind


def cmd_stats(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    result = ws.store.load_all()
    if not result.cards:
        raise NoCardsFolder(t("cli.cards.none_in", folder=ws.store.cards_dir))
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for c in result.cards:
        kinds = counts.setdefault(c.region, {}).setdefault(c.theme, {})
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    head = t("cli.count.cards", count=len(result.cards))
    out(head + (t("cli.stats.unreadable", count=len(result.errors)) if result.errors else ""))
    regions = list(ws.vocab.regions)
    for region in sorted(counts, key=lambda r: (regions.index(r) if r in regions else len(regions), r)):
        themes = counts[region]
        reg = ws.vocab.regions.get(region)
        name = (
            f"{region} ({reg.name})" if reg and reg.name and reg.name != region else region or t("cli.stats.no_region")
        )
        out(f"\n{name}: {t('cli.count.cards', count=sum(sum(k.values()) for k in themes.values()))}")
        order = _theme_order(ws.vocab, region)
        for theme in sorted(themes, key=lambda th: _theme_key(order, th)):
            kinds = themes[theme]
            labelled = sorted(kinds.items(), key=lambda kv: _kind_label(ws, kv[0]).casefold())
            detail = ", ".join(f"{_kind_label(ws, k)} {v}" for k, v in labelled)
            out(f"  {sum(kinds.values()):>4}  {theme or t('cli.stats.no_theme')}  ({detail})")
    totals = fte_totals(result.cards)
    if totals:
        out("\n" + t("cli.stats.fte_head"))
        order = {}
        for region in reversed(regions):
            order.update(_theme_order(ws.vocab, region))
        for theme in sorted(totals, key=lambda th: _theme_key(order, "" if th == "(geen thema)" else th)):
            total = totals[theme]
            rng = f"{total.low:g}" if total.low == total.high else f"{total.low:g}–{total.high:g}"
            shown = t("cli.stats.no_theme") if theme == "(geen thema)" else theme
            detail = t(
                "cli.stats.fte_detail", counted=total.counted, not_possible=total.not_possible, missing=total.missing
            )
            out(f"  {rng:>12}  {shown}  ({detail})")
    return 0


def cmd_schema_export(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    target = Path(args.dir) if args.dir else ws.schema.folder / "json"
    for path in ws.schema.export(target):
        out(str(path))
    return 0
