"""HTML export: one self-contained, printable page for a meeting.

No external resources and no script: the style sheet is inline, and a Content-Security-Policy
forbids everything else, so the page looks the same offline, on a projector or on paper, and a
card cannot make the page load or run anything. Every card value is HTML-escaped; a web address
in a card is shown as text, not as a link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

from tui.core.cards.card import Card
from tui.core.export.shared import (
    Progress,
    ThemeGroup,
    bullets,
    card_heading,
    clean,
    is_row,
    query_line,
    readable_sections,
)
from tui.core.cards.fte import FteTotal, fte_totals
from tui.core.cards.render_text import Section
from tui.core.cards.schema import Schema
from tui.core.language import current, phrase

CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #111;
       max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.9em; margin-bottom: .2em; }
h2 { font-size: 1.5em; border-bottom: 2px solid #333; padding-bottom: .15em; margin-top: 2em; }
h3 { font-size: 1.25em; margin-top: 1.6em; }
h4 { font-size: 1.08em; margin: 1.6em 0 .4em; }
.meta, .count { color: #555; }
nav ul { list-style: none; padding-left: 1.2em; } nav > ul { padding-left: 0; } nav li { margin: .1em 0; }
a { color: #0b4f9c; text-decoration: none; }
article { border-top: 1px solid #bbb; padding-top: .3em; }
dl { margin: .3em 0 0; }
dt { font-weight: 600; margin-top: .5em; }
dd { margin: .1em 0 0 1.2em; }
dd p { margin: 0 0 .45em; }
dd ul { margin: .1em 0; padding-left: 1.2em; }
table.fte { border-collapse: collapse; margin: .8em 0; }
table.fte th, table.fte td { border: 1px solid #999; padding: .25em .6em; text-align: left; }
table.fte td.num { text-align: right; white-space: nowrap; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  nav, .summary { break-after: page; }
  section.theme { break-before: page; }
  article, dt { break-inside: avoid-page; }
  h2, h3, h4, dt { break-after: avoid-page; }
  a { color: inherit; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def h(text: Any) -> str:
    """Card text escaped for HTML, with control and bidi characters made visible."""
    return escape(clean(text), quote=True)


def _w(code: str, **params: object) -> str:
    return phrase(f"export.{code}", params)


def anchors(groups: list[ThemeGroup]) -> dict[int, str]:
    """A unique, readable anchor per card (``kaart-nml-b01-1``), keyed by ``id(card)``."""
    used: set[str] = set()
    out: dict[int, str] = {}
    for g in groups:
        for card in g.cards:
            base = "kaart-" + (re.sub(r"[^a-z0-9]+", "-", (card.id or card.path.stem).casefold()).strip("-") or "x")
            name, n = base, 2
            while name in used:
                name, n = f"{base}-{n}", n + 1
            used.add(name)
            out[id(card)] = name
    return out


def _value_html(section: Section) -> str:
    lines = [ln for ln in section.lines if ln.strip()]
    items = bullets(lines)
    if items is not None or (is_row(section) and len(lines) > 1):
        return "<ul>" + "".join(f"<li>{h(i)}</li>" for i in (items or lines)) + "</ul>"
    return "".join(f"<p>{h(ln)}</p>" for ln in lines)


def card_html(data: Mapping[str, Any], schema: Schema, heading: str, anchor: str) -> str:
    """One card as an ``<article>``: heading, then a definition list of label and value; tables nested."""
    parts = [f'<article id="{anchor}">', f"<h4>{h(heading)}</h4>", "<dl>"]
    depth = 0
    for s in readable_sections(data, schema):
        while depth > s.depth:
            parts.append("</dl></dd>")
            depth -= 1
        parts.append(f"<dt>{h(s.label)}</dt>")
        if s.lines or is_row(s):
            parts.append(f"<dd>{_value_html(s)}</dd>")
        else:  # a table: its sub-fields follow, one level deeper
            parts.append("<dd><dl>")
            depth += 1
    parts.append("</dl></dd>" * depth)
    parts.append("</dl></article>")
    return "\n".join(parts)


def _range(t: FteTotal) -> str:
    return f"{t.low:g}" if t.low == t.high else f"{t.low:g}–{t.high:g}"


def fte_table(cards: list[Card], groups: list[ThemeGroup]) -> str:
    """FTE totals per theme (initiatives, section B) as a table, or a note that the selection has none."""
    totals = fte_totals(cards)
    if not totals:
        return (
            f'<section class="summary" id="fte-per-thema"><h2>{h(_w("fte_heading"))}</h2>'
            f'<p class="meta">{h(_w("fte_none"))}</p></section>'
        )
    order = [g.theme for g in groups]
    rows = sorted(totals.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    body = "".join(
        f'<tr><td>{h(theme)}</td><td class="num">{_range(t)} fte</td><td class="num">{t.counted}</td>'
        f'<td class="num">{t.not_possible}</td><td class="num">{t.missing}</td></tr>'
        for theme, t in rows
    )
    return (
        f'<section class="summary" id="fte-per-thema"><h2>{h(_w("fte_heading"))}</h2>'
        f'<p class="meta">{h(_w("fte_note"))}</p>'
        f'<table class="fte"><thead><tr><th scope="col">{h(_w("col_theme"))}</th><th scope="col">FTE</th>'
        f'<th scope="col">{h(_w("col_with_number"))}</th><th scope="col">{h(_w("col_not_possible"))}</th>'
        f'<th scope="col">{h(_w("col_missing"))}</th>'
        f"</tr></thead><tbody>{body}</tbody></table></section>"
    )


def toc(groups: list[ThemeGroup], names: dict[int, str], theme_ids: list[str]) -> str:
    """The table of contents: per region and theme, a link to every card."""
    contents = h(_w("contents"))
    parts = [f'<nav aria-label="{contents}"><h2>{contents}</h2><ul>']
    region = None
    for g, tid in zip(groups, theme_ids, strict=True):
        if g.region != region:
            if region is not None:
                parts.append("</ul></li>")
            region = g.region
            parts.append(f"<li><strong>{h(g.region_name)}</strong><ul>")
        cards = "".join(f'<li><a href="#{names[id(c)]}">{h(card_heading(c))}</a></li>' for c in g.cards)
        parts.append(
            f'<li><a href="#{tid}">{h(g.theme)}</a> <span class="count">({len(g.cards)})</span><ul>{cards}</ul></li>'
        )
    if region is not None:
        parts.append("</ul></li>")
    parts.append("</ul></nav>")
    return "\n".join(parts)


def render_html(
    groups: list[ThemeGroup], schema: Schema, title: str, progress: Progress | None = None, *, query: str | None = None
) -> str:
    """The whole page as text; ``query`` (what chose the cards) is named under the title."""
    names = anchors(groups)
    theme_ids = [f"thema-{i}" for i in range(1, len(groups) + 1)]
    cards = [c for g in groups for c in g.cards]
    total = len(cards)
    body = [
        f"<h1>{h(title)}</h1>",
        *([f'<p class="meta query">{h(query_line(query))}</p>'] if query is not None else []),
        f'<p class="meta">{h(_w("cards", count=total))}</p>',
        toc(groups, names, theme_ids),
        fte_table(cards, groups),
    ]
    done = 0
    for g, tid in zip(groups, theme_ids, strict=True):
        body.append(f'<section class="theme" id="{tid}">')
        body.append(
            f'<h2>{h(g.theme)}</h2><p class="meta">{h(g.region_name)} · {h(_w("cards", count=len(g.cards)))}</p>'
        )
        for card in g.cards:
            body.append(card_html(card.data, schema, card_heading(card), names[id(card)]))
            done += 1
            if progress:
                progress(done, total)
        body.append("</section>")
    head = (
        f'<!DOCTYPE html>\n<html lang="{current()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    )
    return head + "\n".join(body) + "\n</body>\n</html>\n"
