"""A cache of each card's own validation problems, keyed by file content and schema version.

Validating 10,000 cards against JSON Schema takes seconds; a card whose bytes (blob id) and
schema did not change has the same problems as last time. Stored beside the card cache in the
user's cache folder, plain data only; stale or corrupt files are ignored.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from tui.core.cards.atomic import write_atomic
from tui.core.cards.card import Card
from tui.core.cards.schema import Schema
from tui.core.cards.validate import Problem, validate_data
from tui.core.cards.vocab import Vocabulary

VERSION = 2  # 2: problems as codes and parameters


def schema_fingerprint(folder: Path) -> str:
    """A hash of every schema and vocabulary file: any change invalidates cached problems."""
    digest = hashlib.sha1()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".toml") and "json" not in path.parent.name:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ProblemCache:
    """Each card's own problems by blob id, for one schema version."""

    def __init__(self, file: Path | None, schema: Schema, vocab: Vocabulary) -> None:
        self.file = file
        self.schema = schema
        self.vocab = vocab
        self.fingerprint = schema_fingerprint(schema.folder)
        self.entries: dict[str, tuple] = {}
        self.used: dict[str, tuple] = {}
        if file is not None:
            try:
                raw = marshal.loads(file.read_bytes())
                if isinstance(raw, dict) and raw.get("version") == VERSION and raw.get("schema") == self.fingerprint:
                    self.entries = dict(raw.get("entries", {}))
            except (OSError, EOFError, ValueError, TypeError):
                self.entries = {}

    def problems(self, card: Card) -> list[Problem]:
        """The card's own problems: from the cache when its bytes are unchanged, else computed."""
        hit = self.entries.get(card.blob)
        if hit is not None:
            try:
                found = [Problem.from_plain(raw) for raw in hit]
                self.used[card.blob] = hit
                return found
            except (TypeError, ValueError):
                pass
        found = validate_data(card.data, self.schema, self.vocab)
        self.used[card.blob] = tuple(p.plain() for p in found)
        return found

    def save(self) -> None:
        """Keep the problems of the cards seen this time (failures only cost speed)."""
        if self.file is None or self.used == self.entries:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(
                self.file, marshal.dumps({"version": VERSION, "schema": self.fingerprint, "entries": self.used})
            )
        except Exception:
            pass
