"""``kaartenbak search``: the app's search from the command line (and as JSON for scripts)."""

from __future__ import annotations

import argparse
import json
import sys

from tui.core.search.query import FILTERS, parse_query
from tui.core.search.search import SearchIndex
from tui.core.workspace import NoCardsFolder
from .output import err, open_workspace, out


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("moet 1 of meer zijn")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search",
        help="zoek kaarten (tikfouten, hoofdletters en accenten maken niet uit)",
        description=(
            "Zoek in titels en alle tekstvelden van de kaarten. Tikfouten, hoofdletters, accenten en"
            " woordvolgorde maken niet uit. Filters: thema:, regio:, soort:, org:, programma:"
            ' (waarden mogen tussen aanhalingstekens: thema:"Mentale gezondheid").'
        ),
    )
    p.add_argument("query", nargs="+", metavar="ZOEKTERM", help="woorden en filters, bijvoorbeeld: welzijn regio:wbw")
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="toon hoogstens N kaarten (standaard 20)")
    p.add_argument("--json", action="store_true", help="schrijf de resultaten als JSON-lijst")
    p.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    query = parse_query(text)
    for token in query.unknown:
        err(f"kaartenbak: onbekend filter '{token}' genegeerd; bekende filters: {', '.join(f + ':' for f in FILTERS)}")
    ws = open_workspace(args)
    result = ws.store.load_all()
    if not result.cards:
        raise NoCardsFolder(f"geen kaarten gevonden in {ws.store.cards_dir}")
    if result.errors:
        err(f"kaartenbak: {len(result.errors)} kaart(en) onleesbaar en niet doorzocht (zie 'kaartenbak validate')")
    index = SearchIndex(result.cards, ws.schema)
    titles = {c.id: c.title for c in result.cards}
    hits = index.search(text, limit=args.limit) if (query.words or query.filters) else []
    if args.json:
        rows = [
            {
                "rank": n,
                "id": h.card_id,
                "title": titles.get(h.card_id, ""),
                "score": h.score,
                "field": h.field,
                "label": h.label,
                "snippet": h.snippet,
                "spans": [list(s) for s in h.spans],
            }
            for n, h in enumerate(hits, 1)
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not hits:
        out(f"Geen kaarten gevonden voor: {text}")
        return 0
    width = len(str(len(hits)))
    for n, h in enumerate(hits, 1):
        out(f"{n:>{width}}. {h.card_id}  {titles.get(h.card_id, '')}")
        if h.field != "title" or h.spans:
            out(f"{'':>{width}}  {h.label}: {h.snippet}")
    return 0
