"""``kaartenbak search``: the app's search from the command line (and as JSON for scripts)."""

from __future__ import annotations

import argparse
import json
import sys

from tui.core.search.query import FILTERS, args_query, parse_query
from tui.core.search.search import Hit, SearchIndex
from tui.core.workspace import NoCardsFolder
from .output import err, open_workspace, out


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("moet een getal zijn (0 = alle kaarten)") from None
    if value < 0:
        raise argparse.ArgumentTypeError("moet 0 of meer zijn (0 = alle kaarten)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search",
        help="zoek kaarten (tikfouten, hoofdletters en accenten maken niet uit)",
        description=(
            "Zoek in titels en alle tekstvelden van de kaarten. Een kaart telt als ze elk woord bevat"
            " (tikfouten, hoofdletters, accenten en woordvolgorde maken niet uit; 'zorg' vindt ook"
            " 'ouderenzorg'); kaarten met maar een deel van de woorden staan apart onder 'ook gedeeltelijk'."
            " Filters: thema:, regio:, soort:, org:, programma:, status: (waarden mogen tussen aanhalingstekens:"
            ' thema:"Mentale gezondheid"). Alleen filters: elke kaart die ze kiezen.'
        ),
    )
    p.add_argument("query", nargs="+", metavar="ZOEKTERM", help="woorden en filters, bijvoorbeeld: welzijn regio:wbw")
    p.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="toon hoogstens N kaarten (standaard 20; 0 = alle)"
    )
    p.add_argument("--json", action="store_true", help="schrijf de resultaten als JSON-lijst")
    p.set_defaults(handler=cmd_search)


def unknown_hint(unknown: tuple[str, ...]) -> str:
    """The whole hint for filters that were not understood (ignored), with every known filter."""
    names = ", ".join(f"'{u}'" for u in unknown)
    known = ", ".join(f + ":" for f in FILTERS)
    return (
        f"kaartenbak: onbekend filter {names} genegeerd; bekende filters: {known}"
        ' (waarden met spaties tussen aanhalingstekens: thema:"Mentale gezondheid")'
    )


def _more(count: int) -> str:
    word = "kaart" if count == 1 else "kaarten"
    return f"… en nog {count} {word}; gebruik --limit 0 voor alles"


def _print(hits: list[Hit], titles: dict[str, str], first: int = 1) -> None:
    width = len(str(first + len(hits) - 1))
    for n, h in enumerate(hits, first):
        out(f"{n:>{width}}. {h.card_id}  {titles.get(h.card_id, '')}")
        if h.field != "title" or h.spans:
            out(f"{'':>{width}}  {h.label}: {h.snippet}")


def cmd_search(args: argparse.Namespace) -> int:
    text = args_query(args.query)
    query = parse_query(text)
    if query.unknown:
        err(unknown_hint(query.unknown))
    ws = open_workspace(args)
    loaded = ws.store.load_all()
    if not loaded.cards:
        raise NoCardsFolder(f"geen kaarten gevonden in {ws.store.cards_dir}")
    if loaded.errors:
        err(f"kaartenbak: {len(loaded.errors)} kaart(en) onleesbaar en niet doorzocht (zie 'kaartenbak validate')")
    titles = {c.id: c.title for c in loaded.cards}
    if not (query.words or query.filters):
        result = None
        hits: list[Hit] = []
    else:
        result = SearchIndex(loaded.cards, ws.schema).find(text)
        hits = result.head(args.limit or None)
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
    partial = result.partial if result is not None else []
    if not hits:
        out(f"Geen kaarten gevonden voor: {text}")
        if partial:
            out("Ook gedeeltelijk (niet alle woorden):")
            _print(partial[: args.limit or None], titles)
        return 0
    _print(hits, titles)
    assert result is not None
    if result.total > len(hits):
        out(_more(result.total - len(hits)))
    elif partial:
        out("--- ook gedeeltelijk (niet alle woorden):")
        _print(partial[: min(5, args.limit) if args.limit else None], titles, len(hits) + 1)
    return 0
