"""The review file of one card: ``reviews/<region>/<card file>.toml``, the latest verdict per field.

One table per field key path, sorted by path, so a verdict on one field is a few-line diff and
two reviewers of different fields touch different tables (merged per field by the merge driver,
``signoff_merge``). History lives in git, not in the file::

    # Beoordelingen per veld van cards/nml/nml-b01.1.toml (kaartenbak review); één tabel per veld.
    card = "NML/B01.1"

    [fields."randvoorwaarden.bekostiging"]
    verdict = "akkoord"
    hash = "sha256:…"        # of the canonical JSON of the value that was judged
    commit = "…"             # the commit holding that value (to show it again later)
    note = ""
    reviewer = "Ann de Vries <ann@example.org>"
    date = "2026-12-02T13:40:00+00:00"

A ``vraag`` entry also keeps ``approved_hash`` / ``approved_commit`` of the value last marked
``akkoord`` (if any), so "changed since last approved" survives a question in between.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import Any

import tomlkit

REVIEWS_DIR = "reviews"
AKKOORD, VRAAG = "akkoord", "vraag"
VERDICTS = (AKKOORD, VRAAG)
HEADER = "Beoordelingen per veld van {card} (kaartenbak review); één tabel per veld."


@dataclass(frozen=True)
class Verdict:
    """The latest judgement of one field: what was judged (hash, commit), how, by whom, when."""

    hash: str
    verdict: str  # akkoord | vraag
    reviewer: str
    date: str  # ISO 8601 with offset
    commit: str = ""
    note: str = ""
    approved_hash: str = ""  # vraag only: the value last marked akkoord
    approved_commit: str = ""


@dataclass
class ReviewFile:
    """A card's review file: the card id and the latest verdict per dotted field path."""

    card: str = ""
    fields: dict[str, Verdict] | None = None

    def __post_init__(self) -> None:
        if self.fields is None:
            self.fields = {}

    @property
    def verdicts(self) -> dict[str, Verdict]:
        assert self.fields is not None
        return self.fields


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def canonical(value: Any) -> str:
    """A strict, stable text of a field value (key order ignored; ``1``, ``1.0`` and ``true`` differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)


def value_hash(value: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of a value (``None``: the field is absent)."""
    return "sha256:" + hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def review_path(card_rel: str) -> str:
    """``cards/nml/nml-b01.1.toml`` → ``reviews/nml/nml-b01.1.toml`` (repository-relative, with ``/``)."""
    parts = PurePosixPath(card_rel.replace("\\", "/")).parts
    rest = parts[1:] if parts and parts[0] == "cards" else parts
    return str(PurePosixPath(REVIEWS_DIR, *rest))


def card_rel_of(review_rel: str) -> str:
    """``reviews/nml/nml-b01.1.toml`` → ``cards/nml/nml-b01.1.toml``."""
    parts = PurePosixPath(review_rel.replace("\\", "/")).parts
    rest = parts[1:] if parts and parts[0] == REVIEWS_DIR else parts
    return str(PurePosixPath("cards", *rest))


def is_review_path(rel: str) -> bool:
    """Whether a repository path is a review file (``reviews/**/*.toml``)."""
    rel = rel.replace("\\", "/")
    return rel.startswith(REVIEWS_DIR + "/") and rel.endswith(".toml")


_KEYS = {f.name for f in fields(Verdict)}


def _verdict(entry: Any) -> Verdict | None:
    if not isinstance(entry, dict):
        return None
    values = {k: v for k, v in entry.items() if k in _KEYS}
    if values.get("verdict") not in VERDICTS or not isinstance(values.get("hash"), str):
        return None
    if not all(isinstance(v, str) for v in values.values()):
        return None
    values.setdefault("reviewer", "")
    values.setdefault("date", "")
    return Verdict(**values)


def parse_review(raw: bytes) -> ReviewFile:
    """A review file from its bytes; entries that are no verdict are skipped. ValueError when no TOML."""
    text = raw.decode("utf-8-sig")
    data = tomllib.loads(text)
    found = data.get("fields")
    verdicts: dict[str, Verdict] = {}
    for key, entry in found.items() if isinstance(found, dict) else []:
        got = _verdict(entry)
        if got is not None:
            verdicts[str(key)] = got
    card = data.get("card")
    return ReviewFile(card if isinstance(card, str) else "", verdicts)


def render_review(review: ReviewFile, card_rel: str) -> bytes:
    """The file text in its one stable layout: header, ``card``, then a table per field, sorted."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(" ".join(HEADER.format(card=card_rel).split())))
    doc.add("card", review.card)
    tables = tomlkit.table(is_super_table=True)
    for key in sorted(review.verdicts):
        entry = review.verdicts[key]
        table = tomlkit.table()
        for name in ("verdict", "hash", "commit", "note", "reviewer", "date", "approved_hash", "approved_commit"):
            value = getattr(entry, name)
            if value or name in ("verdict", "hash", "note", "reviewer", "date"):
                table.add(name, value)
        tables.add(key, table)
    doc.add(tomlkit.nl())
    doc.add("fields", tables)
    text = tomlkit.dumps(doc)
    tomllib.loads(text)  # never write a file we could not read back
    return text.encode("utf-8")


def with_verdict(review: ReviewFile, field: str, verdict: Verdict) -> ReviewFile:
    """A copy of ``review`` with ``field``'s verdict replaced."""
    return replace(review, fields={**review.verdicts, field: verdict})
