"""Who last changed each field of a card: blame by field, not by line.

A card's long texts span many lines and a reformat touches them all; users ask "who wrote this
Doelstelling?", so each field is traced to the last commit whose parsed value differed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Mapping

from tui.core.git.fielddiff import kind_for
from tui.core.git.gitrepo import GitRepo
from tui.core.git.history import BrokenRevision, Revision, card_at, card_history
from tui.core.cards.schema import Schema
from tui.core.cards.validate import label_for

_MISSING = object()


@dataclass(frozen=True)
class FieldBlame:
    """The last commit that changed one field (or one sub-field of a table)."""

    path: tuple[str, ...]
    label: str
    revision: Revision


def _leaves(data: Mapping[str, Any]) -> dict[tuple[str, ...], Any]:
    """Top-level fields, plus the sub-fields of table fields, by key path."""
    out: dict[tuple[str, ...], Any] = {}
    for key, value in data.items():
        out[(key,)] = value
        if isinstance(value, Mapping):
            for sub, v in value.items():
                out[(key, str(sub))] = v
    return out


def field_blame(repo: GitRepo, path: str | Path, schema: Schema | None = None) -> list[FieldBlame]:
    """For every field of the card's newest committed version, the last commit that changed it."""
    history = card_history(repo, path, limit=None)
    last_changed: dict[tuple[str, ...], Revision] = {}
    previous: dict[tuple[str, ...], Any] = {}
    data: dict[str, Any] | None = None
    for rev in reversed(history):  # oldest first
        try:
            data = card_at(repo, rev.sha, rev.path)
        except BrokenRevision:
            continue  # an unreadable version (conflict markers) cannot say which field changed
        current = _leaves(data or {})
        for key, value in current.items():
            if previous.get(key, _MISSING) != value:
                last_changed[key] = rev
        previous = current
    if not data:
        return []
    kind = kind_for(schema, data)
    order = {k: i for i, k in enumerate(kind.keys)} if kind else {}
    keys = sorted(previous, key=lambda p: (order.get(p[0], len(order)), p[0], len(p)))
    return [FieldBlame(k, label_for(kind, k), last_changed[k]) for k in keys if k in last_changed]
