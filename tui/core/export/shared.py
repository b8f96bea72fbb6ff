"""What the export formats share: card order (region, theme in vocabulary order, number), the
fields a card shows and how FTE figures read. ``export`` and the format modules (``export_md``,
``export_csv``, ``export_html``) import from here; this module imports none of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.order import natural_key
from tui.core.cards.fte import fte_summary
from tui.core.cards.render_text import Section, card_sections
from tui.core.cards.schema import Field, Schema
from tui.core.cards.text import fold, visible
from tui.core.cards.vocab import Vocabulary
from tui.core.language import phrase

Progress = Callable[[int, int], None]
NO_THEME = "(geen thema)"


@dataclass(frozen=True)
class ThemeGroup:
    """The cards of one theme within one region, in reading order."""

    region: str
    region_name: str
    theme: str
    cards: tuple[Card, ...]


def clean(value: Any) -> str:
    """Card text as a string with control, bidi and zero-width characters made visible."""
    return visible(str(value))


def is_fte(f: Field | None) -> bool:
    """Whether a field is a structured FTE figure (``tekst``/``status``/``waarde``...)."""
    return f is not None and f.widget == "table" and {"tekst", "status"} <= {c.key for c in f.children}


def fte_text(value: Any) -> str:
    """``9 fte``; the document's own words are added only when they say more (``n.t.b.``)."""
    if not isinstance(value, Mapping):
        return "" if value is None else str(value)
    summary = fte_summary(value)
    literal = str(value.get("tekst", "")).strip()

    def bare(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", fold(text).replace("fte", ""))

    if not summary:
        return literal
    if literal and bare(literal) != bare(summary):
        return f"{summary} (letterlijk: {literal})"
    return summary


def kind_title(schema: Schema, name: str) -> str:
    """The Dutch title of a card kind (``Initiatief (NML)``), or the raw name."""
    kind = schema.kind(name)
    return kind.title if kind else name


def load_vocab(schema: Schema) -> Vocabulary | None:
    """The vocabulary next to the schema, or None when there is none (themes then sort by name)."""
    try:
        return Vocabulary(Path(schema.folder))
    except (OSError, ValueError, KeyError):
        return None


def group_cards(cards: Iterable[Card], vocab: Vocabulary | None = None) -> list[ThemeGroup]:
    """Cards grouped by region and theme: vocabulary order first, unknown themes after, no theme last."""
    regions = vocab.regions if vocab else {}
    buckets: dict[tuple[str, str], list[Card]] = {}
    for card in cards:
        reg = regions.get(card.region)
        known = reg.theme(card.theme) if (reg and card.theme) else None
        theme = known.name if known else (card.theme or NO_THEME)
        buckets.setdefault((card.region, theme), []).append(card)
    region_order = [r for r in regions if any(k[0] == r for k in buckets)]
    region_order += sorted({r for r, _ in buckets} - set(region_order))

    def theme_key(region: str, theme: str) -> tuple[int, int, str]:
        reg = regions.get(region)
        names = [t.name for t in reg.themes] if reg else []
        if theme in names:
            return (0, names.index(theme), "")
        return (2 if theme == NO_THEME else 1, 0, fold(theme))

    out: list[ThemeGroup] = []
    for region in region_order:
        reg = regions.get(region)
        themes = sorted((t for r, t in buckets if r == region), key=lambda t: theme_key(region, t))
        for theme in themes:
            members = sorted(buckets[(region, theme)], key=lambda c: (natural_key(c.number or c.id), natural_key(c.id)))
            out.append(ThemeGroup(region, reg.name if reg else region, theme, tuple(members)))
    return out


def card_heading(card: Card) -> str:
    """``B01.1 Mentale gezondheidsnetwerken``: the number the document uses, then the title."""
    number = card.number or card.id
    return f"{number} {card.title}".strip()


def readable_sections(data: Mapping[str, Any], schema: Schema) -> list[Section]:
    """``card_sections`` without the title (it is the heading), kind and FTE in words."""
    kind = schema.kind(str(data.get("kind", "")))
    out = []
    for s in card_sections(data, kind):
        f = kind.field(s.key) if (kind and not s.depth) else None
        if s.key == "title" and not s.depth:
            continue
        if s.key == "kind" and not s.depth:
            s = Section(s.key, s.label, (kind_title(schema, str(data.get("kind", ""))),))
        elif is_fte(f):
            s = Section(s.key, s.label, (fte_text(data.get(s.key)),))
        out.append(s)
    return out


def bullets(lines: Sequence[str]) -> list[str] | None:
    """The items of a list field (``card_sections`` marks each with ``• ``), else None."""
    lines = [ln for ln in lines if ln.strip()]
    if lines and all(ln.startswith("• ") for ln in lines):
        return [ln[2:] for ln in lines]
    return None


def is_row(section: Section) -> bool:
    """Whether a section is one row of a list of tables (``mijlpalen.2``), labelled ``2.``."""
    return section.key.rsplit(".", 1)[-1].isdigit()


def query_line(query: str | None) -> str:
    """The header sentence naming what selected an export's cards ("" when not known)."""
    if query is None:
        return ""
    return phrase("export.query", {"query": query}) if query.strip() else phrase("export.query_all", {})
