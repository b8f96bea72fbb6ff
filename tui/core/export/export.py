"""Exports of cards for meetings (Markdown, CSV for Dutch Excel, one printable HTML page).

The format modules (``export_md``, ``export_csv``, ``export_html``) only lay out text; what they
share lives in ``shared`` (the order cards appear in, which fields a card shows, FTE in words).
This module chooses the format and selects cards by a search query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tui.core.cards.card import Card
from tui.core.cards.schema import Schema
from tui.core.cards.slug import slugify
from tui.core.cards.vocab import Vocabulary
from tui.core.export.export_csv import render_csv
from tui.core.export.export_html import render_html
from tui.core.export.export_md import render_markdown
from tui.core.export.export_xlsx import render_xlsx
from tui.core.export.shared import Progress, fte_text, group_cards, load_vocab, query_line
from tui.core.language import phrase
from tui.core.search.query import args_query
from tui.core.search.search import SearchIndex

__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "Format",
    "Selection",
    "export_cards",
    "export_name",
    "fte_text",
    "group_cards",
    "query_line",
    "select_cards",
]

Format = Literal["md", "csv", "html", "xlsx"]
FORMATS: tuple[str, ...] = ("md", "csv", "html", "xlsx")
DATABASE_FORMATS: tuple[str, ...] = ("sqlite",)  # built by tui.core.national.build, not by export_cards
CHOICES = FORMATS + DATABASE_FORMATS  # what `kaartenbak export --format` accepts
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
    query: str | None = None,
) -> bytes:
    """The cards as one document in ``fmt``; ``progress(done, total)`` is called once per card.

    ``query`` is what selected the cards ("" for all of them): Markdown and HTML name it under
    the title. CSV stays a plain table (a line above the header row would break Excel's
    sorting and filtering and every script reading it); the query goes in its file name
    (``export_name``). ``None``: nothing is said about how the cards were chosen.
    """
    if fmt not in FORMATS:
        raise ValueError(f"onbekend exportformaat: {fmt} (kies uit {', '.join(FORMATS)})")
    if vocab is None:
        vocab = load_vocab(schema)
    title = default_title() if title is None else title
    groups = group_cards(cards, vocab)
    if fmt == "md":
        return render_markdown(groups, schema, title, progress, query=query).encode("utf-8")
    if fmt == "csv":
        return render_csv([c for g in groups for c in g.cards], schema, progress)
    if fmt == "xlsx":
        return render_xlsx([c for g in groups for c in g.cards], schema, progress)
    return render_html(groups, schema, title, progress, query=query).encode("utf-8")


# -- selection -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The cards a query selects for an export, and the query as understood (for the header)."""

    cards: list[Card]
    query: str  # "" = every card
    unknown: tuple[str, ...] = ()


def select_cards(cards: Sequence[Card], schema: Schema, query: str | Sequence[str]) -> Selection:
    """The cards matching the whole query, with the search box's own rules (``SearchIndex.find``).

    ``query`` is one string as typed in the app, or command-line arguments (``args_query``).
    Partial matches are never selected.
    """
    text = query if isinstance(query, str) else args_query(query)
    result = SearchIndex(cards, schema).find(text, partial_limit=0)
    by_id = {c.id: c for c in cards}
    return Selection([by_id[cid] for cid in result.ids], result.query_text, result.unknown)


def export_name(query: str, fmt: str, stamp: str) -> str:
    """A file name for an export that names its query: ``kaarten-regio-nml-20261202-1015.csv``."""
    words = slugify(query)[:60].strip("-") if query.strip() else ""
    return f"kaarten-{words + '-' if words else ''}{stamp}.{fmt}"
