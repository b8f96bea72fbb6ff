"""Exports of cards for meetings (Markdown, CSV for Dutch Excel, one printable HTML page).

The format modules (``export_md``, ``export_csv``, ``export_html``) only lay out text; what they
share lives in ``shared`` (the order cards appear in, which fields a card shows, FTE in words).
This module chooses the format and selects cards by a search query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from tui.core.cards.card import Card
from tui.core.cards.schema import Kind, Schema
from tui.core.cards.text import fold
from tui.core.cards.vocab import Vocabulary
from tui.core.export.export_csv import render_csv
from tui.core.export.export_html import render_html
from tui.core.export.export_md import render_markdown
from tui.core.export.export_xlsx import render_xlsx
from tui.core.export.shared import Progress, fte_text, group_cards, load_vocab
from tui.core.language import phrase

__all__ = ["DEFAULT_TITLE", "FORMATS", "Format", "export_cards", "fte_text", "group_cards", "select_cards"]

Format = Literal["md", "csv", "html", "xlsx"]
FORMATS: tuple[str, ...] = ("md", "csv", "html", "xlsx")
DEFAULT_TITLE = "Kaartenbak: kaarten voor het overleg"  # the Dutch default; default_title() follows the language


def default_title() -> str:
    """The document title when none is given, in the display language."""
    return phrase("export.default_title", {})


def export_cards(
    cards: Sequence[Card],
    schema: Schema,
    fmt: Format,
    progress: Progress | None = None,
    *,
    vocab: Vocabulary | None = None,
    title: str | None = None,
) -> bytes:
    """The cards as one document in ``fmt``; ``progress(done, total)`` is called once per card."""
    if fmt not in FORMATS:
        raise ValueError(f"onbekend exportformaat: {fmt} (kies uit {', '.join(FORMATS)})")
    if vocab is None:
        vocab = load_vocab(schema)
    title = default_title() if title is None else title
    groups = group_cards(cards, vocab)
    if fmt == "md":
        return render_markdown(groups, schema, title, progress).encode("utf-8")
    if fmt == "csv":
        return render_csv([c for g in groups for c in g.cards], schema, progress)
    if fmt == "xlsx":
        return render_xlsx([c for g in groups for c in g.cards], schema, progress)
    return render_html(groups, schema, title, progress).encode("utf-8")


# -- selection -------------------------------------------------------------------------------

_FILTER_KEYS = {
    "thema": "theme",
    "theme": "theme",
    "regio": "region",
    "region": "region",
    "soort": "kind",
    "kind": "kind",
}


def _kind_names(schema: Schema, name: str) -> list[str]:
    kind: Kind | None = schema.kind(name)
    if kind is None:
        return [name]
    return [name, kind.title, re.sub(r"\s*\(.*?\)\s*$", "", kind.title)]


def _card_values(card: Card, what: str, schema: Schema) -> list[str]:
    if what == "kind":
        return _kind_names(schema, card.kind)
    return [card.theme if what == "theme" else card.region]


def _all_text(data: Mapping[str, Any] | list[Any] | Any) -> str:
    if isinstance(data, Mapping):
        return " ".join(_all_text(v) for v in data.values())
    if isinstance(data, list):
        return " ".join(_all_text(v) for v in data)
    return str(data)


def simple_filter(cards: Sequence[Card], terms: Sequence[str], schema: Schema) -> list[Card]:
    """Minimal stand-in for the search engine: ``thema:``, ``regio:``, ``soort:`` and plain words.

    A filter value equal to a card's value (case and accents ignored) selects exactly; otherwise it
    selects every card whose value contains it. Plain words must all occur somewhere in the card.
    """
    selected = list(cards)
    for term in terms:
        key, sep, value = term.partition(":")
        what = _FILTER_KEYS.get(fold(key)) if sep else None
        if what is None:
            word = fold(term)
            selected = [c for c in selected if word in fold(_all_text(c.data))]
            continue
        want = fold(value.strip().strip('"'))
        exact = [c for c in selected if any(fold(v) == want for v in _card_values(c, what, schema))]
        selected = exact or [c for c in selected if any(want in fold(v) for v in _card_values(c, what, schema))]
    return selected


def query_text(terms: Sequence[str]) -> str:
    """Shell arguments back into one query string, quoting values that contain spaces."""
    parts = []
    for term in terms:
        key, sep, value = term.partition(":")
        if " " in term and sep and key and " " not in key:
            parts.append(f'{key}:"{value}"')
        elif " " in term:
            parts.append(f'"{term}"')
        else:
            parts.append(term)
    return " ".join(parts)


def select_cards(cards: Sequence[Card], schema: Schema, terms: Sequence[str]) -> tuple[list[Card], str]:
    """Cards matching the query terms, and which engine chose them (``search`` or ``eenvoudig``).

    Uses ``tui.core.search.search`` (the search box's own syntax) when it is there; else ``simple_filter``.
    """
    if not terms:
        return list(cards), "alles"
    try:
        from tui.core.search.search import SearchIndex  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return simple_filter(cards, terms, schema), "eenvoudig"
    ids = SearchIndex(cards, schema).filter_ids(query_text(terms))
    return [c for c in cards if c.id in ids], "search"
