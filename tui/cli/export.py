"""``kaartenbak export``: selected cards as Markdown, CSV (Dutch Excel) or one printable HTML page."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.export.export import CHOICES, default_title, Format, export_cards, select_cards
from tui.core.workspace import NoCardsFolder
from . import national
from ..i18n import t
from .output import err, open_workspace
from .search import unknown_hint

PROGRESS_FROM = 50  # cards; smaller exports finish before a counter would be read
SUFFIXES = {".md": "md", ".markdown": "md", ".csv": "csv", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="exporteer kaarten voor een overleg (Markdown, CSV, HTML, Excel) of naar een landelijke database",
        description=(
            "Exporteer kaarten als één document: Markdown, CSV voor Nederlandse Excel (puntkomma, UTF-8 met BOM), "
            "een Excel-werkmap (.xlsx, terug te lezen met kaartenbak import) of één afdrukbare HTML-pagina; "
            "of als SQLite-database van een of meer regio's (--format sqlite, --from). "
            "Kies kaarten met dezelfde zoekvraag als in de app, "
            'bijvoorbeeld: kaartenbak export thema:"Mentale gezondheid" --format html -o mentaal.html'
        ),
    )
    p.add_argument(
        "query",
        nargs="*",
        metavar="ZOEKVRAAG",
        help="zoekvraag, bijvoorbeeld thema:..., regio:NML, soort:project (standaard: alle kaarten)",
    )
    p.add_argument(
        "-f", "--format", choices=CHOICES, help="md, csv, html, xlsx of sqlite (standaard: afgeleid van -o, anders md)"
    )
    p.add_argument("-o", "--output", metavar="BESTAND", help="schrijf naar dit bestand (standaard: standaarduitvoer)")
    p.add_argument("--title", metavar="TITEL", help="titel boven het document")
    p.add_argument("-q", "--quiet", action="store_true", help="geen voortgang en geen samenvatting op stderr")
    national.add_options(p)
    p.set_defaults(handler=cmd_export)


def _format(args: argparse.Namespace) -> Format:
    fmt: Format | None = args.format  # argparse allowed only the FORMATS choices
    if fmt:
        return fmt
    if args.output:
        guessed = SUFFIXES.get(Path(args.output).suffix.lower())
        if guessed:
            return guessed  # type: ignore[return-value]
    return "md"


class _Progress:
    """``12/295 kaarten`` on stderr: one updating line on a terminal, a few lines in a log."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_FROM:
            return
        if self.tty:
            sys.stderr.write("\r" + t("cli.export_progress", done=done, total=total))
            if done == total:
                sys.stderr.write("\n")
        elif done == total or done % 100 == 0:
            sys.stderr.write(t("cli.export_progress", done=done, total=total) + "\n")
        sys.stderr.flush()


def _check_target(path: Path) -> None:
    """Refuse an impossible target before spending time on the export."""
    if path.is_dir():
        raise WriteError(f"{path} is een map, geen bestand", path)
    if not path.parent.is_dir():
        raise WriteError(f"de map {path.parent} bestaat niet", path)


def _write(path: Path, data: bytes) -> None:
    """Write the export atomically (an old export is never left half-overwritten)."""
    _check_target(path)
    new = not path.exists()
    write_atomic(path, data)
    if new:
        mask = os.umask(0)
        os.umask(mask)
        path.chmod(0o666 & ~mask)


def _write_failed(target: Path | None, exc: WriteError) -> int:
    reason = getattr(exc.__cause__, "strerror", None) or str(exc)
    err(f"kaartenbak export: kan {target} niet schrijven: {reason}. Er is niets geschreven.")
    return 2


def cmd_export(args: argparse.Namespace) -> int:
    if national.applies(args):
        return national.cmd_sqlite(args)
    ws = open_workspace(args)
    loaded = ws.store.load_all()
    if not loaded.cards and not loaded.errors:
        raise NoCardsFolder(f"geen kaarten gevonden in {ws.store.cards_dir}")
    for e in loaded.errors:
        err(f"overgeslagen: {e}")
    selection = select_cards(loaded.cards, ws.schema, args.query)
    if selection.unknown:
        err(unknown_hint(selection.unknown))
    cards, query = selection.cards, selection.query
    if not cards:
        err(
            f"kaartenbak export: geen kaarten gevonden voor '{query}'."
            if query
            else "kaartenbak export: geen kaarten om te exporteren."
        )
        return 1
    fmt = _format(args)
    target = Path(args.output) if args.output else None
    if fmt == "xlsx" and target is None:
        err(t("cli.xlsx_needs_file"))
        return 2
    try:
        if target is not None:
            _check_target(target)
    except WriteError as exc:
        return _write_failed(target, exc)
    data = export_cards(
        cards,
        ws.schema,
        fmt,
        _Progress(not args.quiet),
        vocab=ws.vocab,
        title=args.title or default_title(),
        query=query,
    )
    if target is not None:
        try:
            _write(target, data)
        except WriteError as exc:
            return _write_failed(target, exc)
        if not args.quiet:
            chosen = t("cli.export_query", query=query) if query else t("cli.export_all")
            err(t("cli.exported", count=len(cards), target=str(target), format=fmt, chosen=chosen))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
