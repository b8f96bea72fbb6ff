"""Markdown export: one document, cards grouped by region and theme, every field with its label.

Card text is escaped so that nothing a card says can become a link, an image, raw HTML, a
heading or emphasis in a Markdown viewer: the text reads exactly as typed. (A bare
``https://...`` may still be made clickable by viewers with GitHub's autolink extension; that
shows the address itself, so it cannot hide a different target.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

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
from tui.core.cards.render_text import Section
from tui.core.cards.schema import Schema
from tui.core.language import phrase

_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START = re.compile(r"^(#+|[-+=]|\d+[.)])")
_TRAILING_HASHES = re.compile(r"(\s)(#+)$")


def _escape_start(match: re.Match[str]) -> str:
    mark = match.group(1)
    if mark[0].isdigit():  # "1." would start a numbered list: escape the dot
        return mark[:-1] + "\\" + mark[-1]
    return "\\" + mark


def md_escape(text: str, *, line_start: bool = True) -> str:
    """Backslash-escape Markdown syntax in one line of card text so it stays literal text."""
    line = _SPECIAL.sub(r"\\\1", clean(text).strip())
    if line_start:
        line = _LINE_START.sub(_escape_start, line)
    return _TRAILING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def _lines(section: Section) -> list[str]:
    return [line for line in section.lines if line.strip()]


def _item_lines(section: Section, indent: str) -> list[str]:
    """A sub-field of a table as a list item: ``- **Label:** value``; rows of a list of tables nested."""
    lines = _lines(section)
    label = md_escape(section.label, line_start=False)
    items = bullets(lines)
    if items is not None or is_row(section):
        return [f"{indent}- **{label}**"] + [f"{indent}  - {md_escape(b)}" for b in (items or lines)]
    if not lines:
        return [f"{indent}- **{label}**"]
    out = [f"{indent}- **{label}:** {md_escape(lines[0], line_start=False)}"]
    for ln in lines[1:]:
        out += ["", f"{indent}  {md_escape(ln)}"]
    return out


def _field_lines(section: Section) -> list[str]:
    """A top-level field: short values inline, lists as bullets, long text as paragraphs."""
    lines = _lines(section)
    label = md_escape(section.label, line_start=False)
    items = bullets(lines)
    if items is not None:
        return [f"**{label}**", ""] + [f"- {md_escape(b)}" for b in items] + [""]
    if len(lines) == 1 and len(lines[0]) <= 80:
        return [f"**{label}:** {md_escape(lines[0], line_start=False)}", ""]
    out = [f"**{label}**", ""]
    for ln in lines:
        out += [md_escape(ln), ""]
    return out


def card_markdown(data: Mapping[str, Any], schema: Schema, heading: str, level: int = 4) -> list[str]:
    """One card: a heading with number and title, then every non-empty field with its Dutch label."""
    out = [f"{'#' * level} {md_escape(heading, line_start=False)}", ""]
    for s in readable_sections(data, schema):
        if s.depth:
            out += _item_lines(s, "  " * (s.depth - 1))
            continue
        if out[-1] != "":
            out.append("")
        out += _field_lines(s) if s.lines else [f"**{md_escape(s.label, line_start=False)}**", ""]
    out.append("")
    return out


def render_markdown(
    groups: list[ThemeGroup], schema: Schema, title: str, progress: Progress | None = None, *, query: str | None = None
) -> str:
    """The whole Markdown document: title, the query that chose the cards, then region, theme, card."""
    total = sum(len(g.cards) for g in groups)
    out = [f"# {md_escape(title)}", ""]
    if query is not None:
        out += [md_escape(query_line(query)), ""]
    out += [phrase("export.cards_sentence", {"count": total}), ""]
    done = 0
    region = None
    for group in groups:
        if group.region != region:
            region = group.region
            name = group.region if group.region_name == group.region else f"{group.region}: {group.region_name}"
            out += [f"## {md_escape(name)}", ""]
        out += [f"### {md_escape(group.theme)}", "", phrase("export.cards_sentence", {"count": len(group.cards)}), ""]
        for card in group.cards:
            out += card_markdown(card.data, schema, card_heading(card))
            done += 1
            if progress:
                progress(done, total)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
