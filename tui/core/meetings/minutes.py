"""Minutes of a meeting: per agenda card (a saved view, in its order) its decisions and field changes.

``minutes(repo, cards, schema, view, since)`` gathers, for every card the view lists now, the
decisions (``besluiten``) dated on or after the start point (all of them without one) and the
field changes since that point (``tui.core.review.changes``). The start is a snapshot (default:
the latest), a commit or a date as ``kaartenbak changes`` takes it; without any snapshot there
are no field changes and every decision counts, which the minutes say.

``render(m, fmt)`` writes them as text, Markdown or one self-contained HTML page; field changes
are rendered by the change report's own pieces (``tui.core.review.changes_report``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.schema import Schema
from tui.core.cards.text import visible
from tui.core.export.export_html import h
from tui.core.export.export_md import md_escape
from tui.core.git.fielddiff import format_diff
from tui.core.git.gitrepo import GitRepo
from tui.core.language import phrase
from tui.core.meetings.decisions import Decision, card_decisions
from tui.core.meetings.views import View, cards_for
from tui.core.review import changes_report as report
from tui.core.review.changes import CardChange, Point, changes
from tui.core.review.snapshots import latest_snapshot

__all__ = ["FORMATS", "AgendaItem", "Minutes", "card_decisions", "minutes", "render"]

FORMATS = ("text", "md", "html")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DECISIONS = "besluiten"


# -- gathering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    """One card of the agenda: its decisions in the period and what changed in its fields."""

    card: Card
    decisions: tuple[Decision, ...]
    change: CardChange | None = None


@dataclass(frozen=True)
class Minutes:
    """The minutes of one view: from which point, and each agenda card in the view's order."""

    view: View
    since: Point | None  # None: there is no snapshot (all decisions, no field changes)
    items: tuple[AgendaItem, ...]

    @property
    def since_day(self) -> date | None:
        return self.since.date.date() if self.since is not None and self.since.date is not None else None

    @property
    def decision_count(self) -> int:
        return sum(len(i.decisions) for i in self.items)

    @property
    def changed_count(self) -> int:
        return sum(1 for i in self.items if _fields(i) or _transition(i))


def _on_or_after(datum: str, day: date | None) -> bool:
    if day is None:
        return True
    if not _ISO.fullmatch(datum.strip()):
        return False
    return datum.strip() >= day.isoformat()


def minutes(repo: GitRepo, cards: Sequence[Card], schema: Schema, view: View, since: str | None = None) -> Minutes:
    """The minutes of ``view`` since ``since`` (a snapshot, revision or date; default the latest snapshot).

    Raises ``ChangesError`` for an unknown ``since`` or a repository without commits.
    """
    agenda = cards_for(view, cards, schema)
    point: Point | None = None
    by_id: dict[str, CardChange] = {}
    if since is not None or latest_snapshot(repo) is not None:
        found = changes(repo, since, schema=schema)
        point = found.period.since
        by_id = {c.id: c for c in found.cards if c.id}
    day = point.date.date() if point is not None and point.date is not None else None
    items = tuple(
        AgendaItem(card, tuple(d for d in card_decisions(card) if _on_or_after(d.datum, day)), by_id.get(card.id))
        for card in agenda
    )
    return Minutes(view, point, items)


# -- words -----------------------------------------------------------------------------------


def _w(code: str, **params: object) -> str:
    return phrase(f"minutes.report.{code}", params)


def title(m: Minutes) -> str:
    return _w("title", view=m.view.name)


def period_line(m: Minutes) -> str:
    if m.since is None:
        return _w("no_snapshot")
    when = f"{m.since.date:%Y-%m-%d}" if m.since.date else ""
    return _w("since", since=m.since.label, date=when)


def counts_line(m: Minutes) -> str:
    cards = _w("cards", count=len(m.items))
    n = m.decision_count
    decisions = _w("decisions", count=n)
    return _w("counts", cards=cards, decisions=decisions, changed=m.changed_count)


def _heading(n: int, card: Card) -> str:
    return f"{n}. {' — '.join(p for p in (card.id, card.title) if p)}"


def _decision_line(d: Any) -> str:
    line = f"{d.datum} · {d.vergadering}: {d.besluit}"
    extra = []
    if d.actiehouder:
        extra.append(_w("holder", who=d.actiehouder))
    if d.deadline:
        extra.append(_w("deadline", date=d.deadline))
    return f"{line} ({'; '.join(extra)})" if extra else line


def _fields(item: AgendaItem) -> list[Any]:
    """The field changes of the card, without its decisions (they have their own part)."""
    if item.change is None:
        return []
    shown = report._shown_fields(item.change)  # the status is said by the transition line
    return [f for f in shown if not (f.path and f.path[0] == DECISIONS)]


def _transition(item: AgendaItem) -> str:
    """ "Status: concept → vastgesteld" when the meeting moved the card on ('' otherwise)."""
    return report.transition_line(item.change) if item.change is not None else ""


# -- text, Markdown, HTML --------------------------------------------------------------------


def minutes_text(m: Minutes) -> str:
    lines = [visible(title(m)), visible(period_line(m)), visible(counts_line(m))]
    if m.view.description:
        lines.insert(1, visible(m.view.description))
    for n, item in enumerate(m.items, 1):
        lines += ["", visible(_heading(n, item.card))]
        lines.append("  " + visible(_w("decisions_head")))
        lines += [f"    - {visible(_decision_line(d))}" for d in item.decisions] or ["    " + visible(_w("none"))]
        if m.since is not None:
            lines.append("  " + visible(_w("changes_head")))
            fields = _fields(item)
            if moved := _transition(item):
                lines.append("    " + visible(moved))
            if fields:
                diff = format_diff([f.as_fielddiff() for f in fields], color=False)
                lines += ["    " + line for line in diff.split("\n")]
            elif not moved:
                lines.append("    " + visible(_w("unchanged")))
    return "\n".join(lines) + "\n"


def minutes_markdown(m: Minutes) -> str:
    lines = [f"# {md_escape(title(m), line_start=False)}", "", md_escape(period_line(m)), "", md_escape(counts_line(m))]
    if m.view.description:
        lines += ["", md_escape(m.view.description)]
    for n, item in enumerate(m.items, 1):
        lines += [
            "",
            f"## {md_escape(_heading(n, item.card), line_start=False)}",
            "",
            f"**{_w('decisions_head')}**",
            "",
        ]
        lines += [f"- {md_escape(_decision_line(d), line_start=False)}" for d in item.decisions] or [_w("none")]
        if m.since is not None:
            lines += ["", f"**{_w('changes_head')}**", ""]
            fields = _fields(item)
            if moved := _transition(item):
                lines += [f"- **{md_escape(moved, line_start=False)}**", ""]
            for f in fields:
                lines += report._md_field(f)
            if not fields and not moved:
                lines.append(md_escape(_w("unchanged")))
    return "\n".join(lines) + "\n"


def minutes_html(m: Minutes) -> str:
    out = [
        *report.html_head(title(m)),
        "<body>",
        f"<h1>{h(title(m))}</h1>",
    ]
    if m.view.description:
        out.append(f"<p>{h(m.view.description)}</p>")
    out += [f'<p class="meta">{h(period_line(m))}</p>', f"<p>{h(counts_line(m))}</p>"]
    for n, item in enumerate(m.items, 1):
        out += ['<article class="agenda">', f"<h2>{h(_heading(n, item.card))}</h2>"]
        out.append(f"<h3>{h(_w('decisions_head'))}</h3>")
        if item.decisions:
            out.append('<ul class="decisions">')
            out += [f"<li>{h(_decision_line(d))}</li>" for d in item.decisions]
            out.append("</ul>")
        else:
            out.append(f'<p class="meta">{h(_w("none"))}</p>')
        if m.since is not None:
            out.append(f"<h3>{h(_w('changes_head'))}</h3>")
            fields = _fields(item)
            if moved := _transition(item):
                out.append(f'<p class="transition">{h(moved)}</p>')
            if fields:
                out.append("<dl>")
                for f in fields:
                    out.append(f"<dt>{h(f.label)} <code>{h(f.key)}</code></dt>")
                    out.append(f"<dd>{report._html_field(f)}</dd>")
                out.append("</dl>")
            elif not moved:
                out.append(f'<p class="meta">{h(_w("unchanged"))}</p>')
        out.append("</article>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(m: Minutes, fmt: str) -> str:
    """The minutes in ``fmt`` (text, md or html)."""
    if fmt == "html":
        return minutes_html(m)
    if fmt == "md":
        return minutes_markdown(m)
    return minutes_text(m)
