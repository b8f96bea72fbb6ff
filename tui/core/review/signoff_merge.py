"""Three-way merge of review files per field, for git's merge driver (``reviews/**/*.toml``).

A field judged on one side only takes that side, so two reviewers working offline on different
fields never conflict. The same field judged differently on both sides is settled, not left as
a conflict: **the latest ``date`` wins** (a tie goes to ``vraag``, so a question is never lost
silently, then to the canonical text, so both clones agree). A review is a statement at a
moment, not shared content both writers edited: the newer judgement replaces the older, and
the older stays in git's history. A review merge therefore never stops a sync.
"""

from __future__ import annotations

from dataclasses import asdict

from tui.core.review.signoff_file import VRAAG, ReviewFile, Verdict, canonical, parse_review, render_review


def _newest(a: Verdict, b: Verdict) -> Verdict:
    def rank(v: Verdict) -> tuple[str, bool, str]:
        return (v.date, v.verdict == VRAAG, canonical(asdict(v)))

    return max(a, b, key=rank)


def merge_verdicts(base: Verdict | None, ours: Verdict | None, theirs: Verdict | None) -> Verdict | None:
    """One field's merged verdict (``None``: no verdict)."""
    if ours == theirs:
        return ours
    if base == ours:
        return theirs
    if base == theirs:
        return ours
    if ours is None or theirs is None:
        return ours or theirs  # judged again on one side, removed on the other: keep the judgement
    return _newest(ours, theirs)


def merge_reviews(base: ReviewFile, ours: ReviewFile, theirs: ReviewFile) -> ReviewFile:
    """The merged review file: per field ``merge_verdicts``."""
    keys = dict.fromkeys([*ours.verdicts, *theirs.verdicts, *base.verdicts])
    merged: dict[str, Verdict] = {}
    for key in keys:
        got = merge_verdicts(base.verdicts.get(key), ours.verdicts.get(key), theirs.verdicts.get(key))
        if got is not None:
            merged[key] = got
    return ReviewFile(ours.card or theirs.card or base.card, merged)


def merge_review_bytes(base_raw: bytes, ours_raw: bytes, theirs_raw: bytes, card_rel: str) -> bytes | None:
    """The merged file's bytes, or None when a side is no readable review file (then: text merge)."""
    try:
        base = parse_review(base_raw) if base_raw.strip() else ReviewFile()
        ours, theirs = parse_review(ours_raw), parse_review(theirs_raw)
    except (ValueError, UnicodeDecodeError):
        return None
    merged = merge_reviews(base, ours, theirs)
    if merged.verdicts == ours.verdicts and merged.card == ours.card:
        return ours_raw
    if merged.verdicts == theirs.verdicts and merged.card == theirs.card:
        return theirs_raw
    return render_review(merged, card_rel)
