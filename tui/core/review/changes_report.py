"""A change set as text for the terminal, Markdown, JSON, or one self-contained HTML page to mail or print.

Words around the cards come from ``tui/locale`` (``core.changes.report.*``) in the display
language; card text is never markup: made visible for the terminal, backslash-escaped in
Markdown, HTML-escaped in the page (whose Content-Security-Policy forbids scripts and loads).
Deletions and insertions are ``<del>``/``<ins>`` in HTML, styled so they survive printing in
black and white (strike-through, underline, and brackets on paper).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tui.core.cards.render_text import decision_summary, plain_value
from tui.core.cards.text import visible
from tui.core.export.export_html import CSP, h
from tui.core.export.export_md import md_escape
from tui.core.git.fielddiff import ADDED as F_ADDED
from tui.core.git.fielddiff import REMOVED as F_REMOVED
from tui.core.git.fielddiff import Segment, format_diff
from tui.core.language import current, phrase
from tui.core.review.changes import (
    ADDED,
    CHANGED,
    DECISIONS,
    REMOVED,
    RENAMED,
    CardChange,
    ChangeSet,
    FieldChange,
    Point,
)

FORMATS = ("text", "md", "html", "json")
STATUSES = (ADDED, CHANGED, RENAMED, REMOVED)
CONTEXT = 80  # characters of unchanged text kept around a change

CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #111;
       max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.8em; margin-bottom: .2em; }
h2 { font-size: 1.4em; border-bottom: 2px solid #333; padding-bottom: .15em; margin-top: 2em; }
h3 { font-size: 1.15em; margin: 1.4em 0 .2em; }
.meta { color: #555; margin: .1em 0; }
.transition { margin: .3em 0; font-weight: 600; }
.status { font-size: .8em; font-weight: normal; border: 1px solid #777; border-radius: .3em; padding: 0 .35em; }
table.counts { border-collapse: collapse; margin: .8em 0; }
table.counts th, table.counts td { border: 1px solid #999; padding: .2em .6em; text-align: left; }
table.counts td.num { text-align: right; }
article { border-top: 1px solid #bbb; padding-top: .2em; }
dt { font-weight: 600; margin-top: .6em; }
dt code { font-weight: normal; color: #555; font-size: .85em; }
dd { margin: .15em 0 0 1.2em; white-space: pre-wrap; }
dd ul { margin: 0; padding-left: 1.2em; white-space: normal; }
del { text-decoration: line-through; background: #fde2e2; color: #8a1111; }
ins { text-decoration: underline; background: #dff5df; color: #0b5a0b; font-weight: 600; }
ol.commits { margin: .2em 0; padding-left: 1.4em; color: #555; font-size: .92em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  article, dt { break-inside: avoid-page; }
  h2, h3, dt { break-after: avoid-page; }
  del::before { content: "[−"; } del::after { content: "]"; }
  ins::before { content: "[+"; } ins::after { content: "]"; }
}
"""


def _w(code: str, **params: object) -> str:
    return phrase(f"changes.report.{code}", params)


def _count(n: int, code: str) -> str:
    return _w(code, count=n)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _point(p: Point) -> str:
    if p.commit is None:
        return _w("worktree")
    parts = [p.label]
    if p.snapshot is None and p.commit and not p.commit.startswith(p.label):
        parts.append(p.commit[:7])
    if p.date:
        parts.append(_when(p.date))
    return f"{parts[0]} ({', '.join(parts[1:])})" if len(parts) > 1 else parts[0]


def title(cs: ChangeSet) -> str:
    """The report's title: "Wijzigingen sinds Stuurgroep december 2026"."""
    return _w("title", since=cs.period.since.label)


def period_line(cs: ChangeSet) -> str:
    """From which point to which."""
    return _w("period", since=_point(cs.period.since), until=_point(cs.period.until))


def counts_line(cs: ChangeSet) -> str:
    """ "3 kaarten gewijzigd: 1 nieuw, 2 gewijzigd" (only the statuses that occur)."""
    if not cs.cards:
        return _w("nothing")
    parts = [f"{cs.count(s)} {_w(f'status_{s}')}" for s in STATUSES if cs.count(s)]
    return _w("counts", cards=_count(len(cs.cards), "cards"), parts=", ".join(parts))


def status_word(card: CardChange) -> str:
    """The card's status in words, "gewijzigd (niet vastgelegd)" for uncommitted edits."""
    word = _w(f"status_{card.status}")
    return _w("uncommitted", status=word) if card.uncommitted else word


def transition_line(card: CardChange) -> str:
    """ "Status: concept → vastgesteld" when the card's lifecycle status changed ('' otherwise)."""
    if card.transition is None:
        return ""
    old, new = card.transition
    return phrase(
        "status.transition", {"old": old or phrase("status.none", {}), "new": new or phrase("status.none", {})}
    )


def _shown_fields(card: CardChange) -> list[FieldChange]:
    """The field diffs to show: the status is said by the transition line instead."""
    return [f for f in card.fields if not (card.transition is not None and f.key == "status")]


def _heading(card: CardChange) -> str:
    return " — ".join(p for p in (card.id, card.title) if p)


def _by_line(card: CardChange) -> str:
    if not card.commits:
        return ""
    return _w("by", authors=", ".join(card.authors), commits=_count(len(card.commits), "commits"))


def _shorten(text: str, first: bool, last: bool) -> str:
    if len(text) <= 2 * CONTEXT:
        return text
    head = "" if first else text[:CONTEXT]
    tail = "" if last else text[-CONTEXT:]
    return f"{head}…{tail}"


def _equal(segments: Sequence[Segment], i: int, seg: Segment) -> str:
    return _shorten(seg.text, i == 0, i == len(segments) - 1)


def decision_word(f: FieldChange) -> str | None:
    """``besluit toegevoegd: 2026-12-02 · Stuurgroep: …`` for a decision added or removed, else None."""
    if f.key != DECISIONS or len(f.path) != 2:
        return None
    if f.change == F_ADDED and isinstance(f.new, Mapping):
        return phrase("decisions.added", {"text": decision_summary(f.new)})
    if f.change == F_REMOVED and isinstance(f.old, Mapping):
        return phrase("decisions.removed", {"text": decision_summary(f.old)})
    return None


def _value(value: Any) -> str:
    return plain_value(value, inline=True)


# --- text ------------------------------------------------------------------------------------


def report_text(cs: ChangeSet, color: bool = False) -> str:
    """Readable lines for the terminal; ANSI colours only when ``color``; card text made visible."""
    lines = [visible(title(cs)), visible(period_line(cs)), visible(counts_line(cs))]
    for theme, cards in cs.by_theme().items():
        lines += ["", visible(f"## {theme or _w('no_theme')}")]
        for card in cards:
            lines += ["", visible(f"{_heading(card)}  [{status_word(card)}]"), visible(f"  {card.path}")]
            if card.old_path and card.old_path != card.path:
                lines.append(visible("  " + _w("renamed_from", path=card.old_path)))
            if card.problem:
                lines.append(visible("  " + _w("unreadable", problem=card.problem)))
            if by := _by_line(card):
                lines.append(visible(f"  {by}"))
            for c in card.commits:
                lines.append(visible(f"    {c.short} {_when(c.date)} {c.author}: {c.subject}"))
            if card.transition is not None:
                lines.append(visible(f"  {transition_line(card)}"))
            shown = _shown_fields(card)
            decided = [(f, w) for f in shown if (w := decision_word(f)) is not None]
            rest = [f for f in shown if decision_word(f) is None]
            if rest:
                diff = format_diff([f.as_fielddiff() for f in rest], color=color)
                lines += ["  " + line for line in diff.split("\n")]
            for f, word in decided:
                lines.append(visible(f"  {'+' if f.change == F_ADDED else '-'} {word}"))
    return "\n".join(lines) + "\n"


# --- Markdown --------------------------------------------------------------------------------


def _md_inline(text: str) -> str:
    return " ".join(md_escape(part, line_start=False) for part in text.split("\n") if part.strip()) or "∅"


def _md_field(f: FieldChange) -> list[str]:
    word = decision_word(f)
    if word is not None:
        return [f"- {md_escape(word, line_start=False)}"]
    head = f"- **{md_escape(f.label, line_start=False)}** (`{f.key.replace('`', '')}`)"
    if f.change == F_ADDED:
        return [f"{head}: {_w('field_added')}", f"  - **{_md_inline(_value(f.new))}**"]
    if f.change == F_REMOVED:
        return [f"{head}: {_w('field_removed')}", f"  - ~~{_md_inline(_value(f.old))}~~"]
    if f.added_items or f.removed_items:
        return (
            [head]
            + [f"  - ~~{_md_inline(i)}~~" for i in f.removed_items]
            + [f"  - **{_md_inline(i)}**" for i in f.added_items]
        )
    if isinstance(f.old, list) and isinstance(f.new, list):
        return [f"{head}: {_w('reordered')}"]
    if f.segments:
        parts = []
        for i, seg in enumerate(f.segments):
            if seg.op == "equal":
                parts.append(_md_inline(_equal(f.segments, i, seg)) if seg.text.strip() else " ")
            elif seg.op == "delete" and seg.text.strip():
                parts.append(f"~~{_md_inline(seg.text)}~~")
            elif seg.text.strip():
                parts.append(f"**{_md_inline(seg.text)}**")
        return [head, "  - " + " ".join(p.strip() for p in parts if p.strip())]
    return [head, f"  - ~~{_md_inline(_value(f.old))}~~ → **{_md_inline(_value(f.new))}**"]


def report_markdown(cs: ChangeSet) -> str:
    """A Markdown summary (for a job log or a merge request): headings are ours, card text escaped."""
    lines = [f"# {md_escape(title(cs), line_start=False)}", "", md_escape(period_line(cs)), "", counts_line(cs)]
    for theme, cards in cs.by_theme().items():
        lines += ["", f"## {md_escape(theme or _w('no_theme'), line_start=False)}"]
        for card in cards:
            lines += ["", f"### {md_escape(_heading(card), line_start=False)} ({status_word(card)})", ""]
            lines.append(
                f"`{card.path.replace('`', '')}`"
                + (f" ← `{card.old_path.replace('`', '')}`" if card.old_path and card.old_path != card.path else "")
            )
            if card.problem:
                lines += ["", md_escape(_w("unreadable", problem=card.problem))]
            if by := _by_line(card):
                lines += ["", md_escape(by), ""]
                lines += [
                    f"- `{c.short}` {_when(c.date)} {md_escape(c.author, line_start=False)}: "
                    + md_escape(c.subject, line_start=False)
                    for c in card.commits
                ]
            if card.transition is not None:
                lines += ["", f"**{md_escape(transition_line(card), line_start=False)}**"]
            if fields := _shown_fields(card):
                lines.append("")
                for f in fields:
                    lines += _md_field(f)
    return "\n".join(lines) + "\n"


# --- JSON ------------------------------------------------------------------------------------


def _point_json(p: Point) -> dict[str, Any]:
    return {
        "ref": p.ref,
        "label": p.label,
        "commit": p.commit,
        "date": p.date.isoformat() if p.date else None,
        "snapshot": p.snapshot.tag if p.snapshot else None,
        "worktree": p.commit is None,
    }


def _field_json(f: FieldChange) -> dict[str, Any]:
    return {
        "key": f.key,
        "path": list(f.path),
        "label": f.label,
        "change": f.change,
        "old": f.old,
        "new": f.new,
        "added_items": list(f.added_items),
        "removed_items": list(f.removed_items),
        "segments": [{"op": s.op, "text": s.text} for s in f.segments],
        **(
            {"decision": f.new if f.change == F_ADDED else f.old, "summary": word} if (word := decision_word(f)) else {}
        ),
    }


def as_json_data(cs: ChangeSet) -> dict[str, Any]:
    """The change set as plain JSON data (stable keys; values as in the cards)."""
    return {
        "since": _point_json(cs.period.since),
        "until": _point_json(cs.period.until),
        "counts": {s: cs.count(s) for s in STATUSES},
        "cards": [
            {
                "status": c.status,
                "path": c.path,
                "old_path": c.old_path,
                "id": c.id,
                "title": c.title,
                "theme": c.theme,
                "region": c.region,
                "kind": c.kind,
                "uncommitted": c.uncommitted,
                "problem": c.problem,
                "authors": list(c.authors),
                "commits": [
                    {
                        "sha": k.sha,
                        "author": k.author,
                        "email": k.email,
                        "date": k.date.isoformat(),
                        "subject": k.subject,
                    }
                    for k in c.commits
                ],
                "fields": [_field_json(f) for f in c.fields],
                "status_change": (
                    {"old": c.transition[0] or None, "new": c.transition[1] or None} if c.transition else None
                ),
            }
            for c in cs.cards
        ],
    }


def report_json(cs: ChangeSet) -> str:
    """The change set as indented JSON (UTF-8 text; dates and other TOML values as strings)."""
    return json.dumps(as_json_data(cs), ensure_ascii=False, indent=2, default=str) + "\n"


# --- HTML ------------------------------------------------------------------------------------


def _html_field(f: FieldChange) -> str:
    word = decision_word(f)
    if word is not None:
        tag = "ins" if f.change == F_ADDED else "del"
        return f'<span class="decision"><{tag}>{h(word)}</{tag}></span>'
    if f.change == F_ADDED:
        return f"<ins>{h(_value(f.new))}</ins>"
    if f.change == F_REMOVED:
        return f"<del>{h(_value(f.old))}</del>"
    if f.added_items or f.removed_items:
        items = [f"<li><del>{h(i)}</del></li>" for i in f.removed_items]
        items += [f"<li><ins>{h(i)}</ins></li>" for i in f.added_items]
        return f"<ul>{''.join(items)}</ul>"
    if isinstance(f.old, list) and isinstance(f.new, list):
        return f'<span class="meta">{h(_w("reordered"))}</span>'
    if f.segments:
        out = []
        for i, seg in enumerate(f.segments):
            if seg.op == "equal":
                out.append(h(_equal(f.segments, i, seg)))
            elif seg.op == "delete":
                out.append(f"<del>{h(seg.text)}</del>")
            else:
                out.append(f"<ins>{h(seg.text)}</ins>")
        return "".join(out)
    return f"<del>{h(_value(f.old))}</del> → <ins>{h(_value(f.new))}</ins>"


def _html_card(card: CardChange) -> list[str]:
    out = [
        "<article>",
        f'<h3>{h(_heading(card))} <span class="status">{h(status_word(card))}</span></h3>',
        f'<p class="meta">{h(card.path)}'
        + (f" ({h(_w('renamed_from', path=card.old_path))})" if card.old_path and card.old_path != card.path else "")
        + "</p>",
    ]
    if card.problem:
        out.append(f'<p class="meta">{h(_w("unreadable", problem=card.problem))}</p>')
    if by := _by_line(card):
        out.append(f'<p class="meta">{h(by)}</p>')
        out.append('<ol class="commits">')
        out += [f"<li>{h(c.short)} {h(_when(c.date))} {h(c.author)}: {h(c.subject)}</li>" for c in card.commits]
        out.append("</ol>")
    if card.transition is not None:
        old, new = card.transition
        none = phrase("status.none", {})
        words = phrase("status.transition_html", {})
        out.append(f'<p class="transition">{h(words)} <del>{h(old or none)}</del> → <ins>{h(new or none)}</ins></p>')
    if fields := _shown_fields(card):
        out.append("<dl>")
        for f in fields:
            out.append(f"<dt>{h(f.label)} <code>{h(f.key)}</code></dt>")
            out.append(f"<dd>{_html_field(f)}</dd>")
        out.append("</dl>")
    out.append("</article>")
    return out


def _theme_table(groups: Mapping[str, list[CardChange]]) -> list[str]:
    head = "".join(f"<th>{h(_w(f'status_{s}'))}</th>" for s in STATUSES)
    rows = [f'<table class="counts"><tr><th>{h(_w("theme"))}</th>{head}</tr>']
    for theme, cards in groups.items():
        cells = "".join(f'<td class="num">{sum(1 for c in cards if c.status == s)}</td>' for s in STATUSES)
        rows.append(f"<tr><td>{h(theme or _w('no_theme'))}</td>{cells}</tr>")
    rows.append("</table>")
    return rows


def html_head(page_title: str) -> list[str]:
    """The start of a self-contained report page (no scripts, no remote content) up to ``</head>``."""
    return [
        "<!DOCTYPE html>",
        f'<html lang="{h(current())}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(page_title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
    ]


def report_html(cs: ChangeSet) -> str:
    """One self-contained page: title, period, counts per theme, then each card with its field diffs."""
    groups = cs.by_theme()
    out = [
        *html_head(title(cs)),
        "<body>",
        f"<h1>{h(title(cs))}</h1>",
        f'<p class="meta">{h(period_line(cs))}</p>',
        '<section class="summary">',
        f"<p>{h(counts_line(cs))}</p>",
    ]
    if groups:
        out += _theme_table(groups)
    out.append("</section>")
    for theme, cards in groups.items():
        out += ['<section class="theme">', f"<h2>{h(theme or _w('no_theme'))}</h2>"]
        for card in cards:
            out += _html_card(card)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(cs: ChangeSet, fmt: str, color: bool = False) -> str:
    """The change set in ``fmt`` (text, md, html or json)."""
    if fmt == "md":
        return report_markdown(cs)
    if fmt == "html":
        return report_html(cs)
    if fmt == "json":
        return report_json(cs)
    return report_text(cs, color=color)
