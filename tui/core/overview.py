"""The plan at a glance: per region and theme how many cards there are, how complete they are,
their FTE total, how many are invalid and how many have each lifecycle status. Pure
computation over loaded cards (no UI, no git).

*Completeness* of a card is the share of its kind's template fields (``x-template`` in the
schema) that are filled, judged exactly as validation judges them (an empty template field is
a warning there). A theme's completeness is the mean over its cards whose kind expects any
template field; it is ``None`` when no card can be measured.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from collections.abc import Collection, Iterable

from tui.core.cards.card import Card
from tui.core.cards.slug import slugify
from tui.core.cards.fte import FteTotal, fte_totals
from tui.core.cards.schema import Schema
from tui.core.cards.validate import _empty
from tui.core.cards.vocab import Vocabulary
from tui.core.library import FileProblem, Library, count_by_folder
from tui.core.cards.status import NO_STATUS, status_code
from tui.core.review.signoff import ReviewCounts

NO_THEME_KEY = "(geen thema)"  # how fte_totals names cards without a theme


@dataclass(frozen=True)
class ThemeRow:
    """One theme of one region in the overview."""

    region: str
    theme: str  # "" for cards without a theme
    number: int | None  # the theme's number in the plan document; None outside the vocabulary
    cards: int
    completeness: float | None  # 0..1, None when no card of the theme can be measured
    fte: FteTotal | None  # initiatives' FTE total; None when the theme has no initiatives
    invalid: int  # cards with validation errors
    known: bool = True  # the theme is in the region's vocabulary
    measured: int = 0  # cards whose completeness could be measured (weight of ``completeness``)
    statuses: tuple[tuple[str, int], ...] = ()  # (status code, cards) in lifecycle order; NO_STATUS last

    @property
    def fte_low(self) -> float | None:
        return self.fte.low if self.fte is not None else None

    @property
    def fte_high(self) -> float | None:
        return self.fte.high if self.fte is not None else None


def card_completeness(card: Card, schema: Schema) -> float | None:
    """Share (0..1) of the card's template fields that are filled; None when its kind expects none."""
    kind = schema.kind(card.kind)
    if kind is None:
        return None
    fields = kind.template_fields
    if not fields:
        return None
    filled = sum(1 for f in fields if not _empty(card.data.get(f.key)))
    return filled / len(fields)


def status_counts(cards: Iterable[Card], order: Iterable[str] = ()) -> tuple[tuple[str, int], ...]:
    """How many of ``cards`` have each status: codes in ``order`` first (the region's lifecycle),
    then codes outside it alphabetically, then ``NO_STATUS``; only statuses some card has."""
    counts = Counter(status_code(c.data) for c in cards)
    known = list(order)
    codes = sorted(
        (c for c in counts if c != NO_STATUS), key=lambda c: (known.index(c) if c in known else len(known), c)
    )
    if counts[NO_STATUS]:
        codes.append(NO_STATUS)
    return tuple((c, counts[c]) for c in codes)


def theme_overview(
    cards: Iterable[Card], schema: Schema, vocab: Vocabulary, invalid: Collection[str] = ()
) -> list[ThemeRow]:
    """A row per (region, theme): the vocabulary's themes in plan order (also those without
    cards), then themes outside the vocabulary and cards without a theme. ``invalid`` holds the
    ids of cards with validation errors."""
    invalid = set(invalid)
    by_theme: dict[tuple[str, str], list[Card]] = defaultdict(list)
    for c in cards:
        by_theme[(c.region, c.theme)].append(c)
    regions = sorted(set(vocab.regions) | {r for r, _ in by_theme})
    rows: list[ThemeRow] = []
    for region in regions:
        in_region = [c for (r, _), cs in by_theme.items() if r == region for c in cs]
        ftes = fte_totals(in_region)
        reg = vocab.regions.get(region)
        known = [(th.name, th.number) for th in reg.themes] if reg else []
        names = {name for name, _ in known}
        extra = sorted(
            (th for r, th in by_theme if r == region and th not in names), key=lambda th: (th == "", th.casefold())
        )
        for theme, number in [*known, *((th, None) for th in extra)]:
            members = by_theme.get((region, theme), [])
            scores = [s for s in (card_completeness(c, schema) for c in members) if s is not None]
            rows.append(
                ThemeRow(
                    region=region,
                    theme=theme,
                    number=number,
                    cards=len(members),
                    completeness=sum(scores) / len(scores) if scores else None,
                    fte=ftes.get(theme or NO_THEME_KEY),
                    invalid=sum(1 for c in members if (c.id or str(c.path)) in invalid),
                    known=theme in names,
                    measured=len(scores),
                    statuses=status_counts(members, [st.code for st in reg.statuses] if reg else ()),
                )
            )
    return rows


def region_completeness(rows: Iterable[ThemeRow]) -> float | None:
    """The mean completeness over all measured cards of ``rows`` (weighted by card, not by theme)."""
    measured = [(r.completeness, r.measured) for r in rows if r.completeness is not None and r.measured]
    total = sum(n for _, n in measured)
    return sum(share * n for share, n in measured) / total if total else None


def file_problems_by_region(problems: Iterable[FileProblem], cards_dir: Path, regions: Iterable[str]) -> dict[str, int]:
    """How many card files of each region cannot be shown as a card (unreadable, duplicate id),
    judged by the region's folder (``cards/<region slug>/``); other folders count under ``""``."""
    by_slug = {slugify(r): r for r in regions}
    counts: dict[str, int] = {}
    for folder, n in count_by_folder(problems, cards_dir).items():
        region = by_slug.get(folder, "")
        counts[region] = counts.get(region, 0) + n
    return counts


def review_counts(root: Path, library: Library) -> ReviewCounts | None:
    """Fields te beoordelen / akkoord / vraag over all cards; None before reviewing has started
    (no snapshot, no ``reviews/``) or outside a git repository. Reads git: run it in a worker."""
    from tui.core.git.gitrepo import NotARepository
    from tui.core.review.signoff import count, started, review_state

    try:
        if not started(root):
            return None
        return count(review_state(root, library))
    except NotARepository:
        return None


@dataclass(frozen=True)
class Commit:
    """One commit of the repository's recent history."""

    sha: str
    author: str
    date: datetime
    subject: str


_FIELD, _RECORD = "\x1f", "\x1e"


def recent_commits(root: Path, limit: int = 10) -> list[Commit] | None:
    """The latest ``limit`` commits on HEAD, newest first; [] before the first commit and None
    when ``root`` is not a git repository. Other git problems raise ``GitError``."""
    from tui.core.git.gitrepo import GitRepo, NotARepository

    try:
        repo = GitRepo.open(root)
    except NotARepository:
        return None
    with repo:
        if repo.head() is None:
            return []
        out = repo.run(
            "log", f"--max-count={int(limit)}", f"--format={_RECORD}%H{_FIELD}%an{_FIELD}%aI{_FIELD}%s", "HEAD", "--"
        )
    commits = []
    for record in out.split(_RECORD)[1:]:
        sha, author, date, subject = record.rstrip("\n").split(_FIELD, 3)
        commits.append(Commit(sha, author, datetime.fromisoformat(date), subject))
    return commits
