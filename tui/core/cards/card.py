"""A card as loaded from disk, and the problems a card file can have."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from collections.abc import Mapping

from tui.core.language import phrase


def blob_id(data: bytes) -> str:
    """The git blob id of ``data``: lets a cache be checked against ``git ls-files -s``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class LoadError:
    """A card file that cannot be opened: where and why, in the display language.

    ``code`` (``load.<name>``; words in ``core.load.<name>`` of ``tui/locale``) and ``params`` say
    why when the reader knows; ``message`` is that reason phrased when the error was made.
    """

    path: Path
    message: str
    line: int | None = None
    column: int | None = None
    conflict: bool = False  # the file holds git conflict markers
    code: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        where = phrase("load.where", {"line": self.line, "column": self.column}) if self.line else ""
        return phrase("load.cannot_open", {"path": self.path, "where": where, "reason": self.message})


@dataclass(frozen=True, slots=True)  # slots: 10,000 of them stay in memory
class Card:
    """One card: its parsed data (read-only) plus what is needed to save it faithfully."""

    path: Path
    data: Mapping[str, Any]
    blob: str  # git blob id of the file bytes
    bom: bool = False
    crlf: bool = False
    mtime_ns: int = field(default=0, compare=False)

    @staticmethod
    def build(path: Path, data: dict[str, Any], raw: bytes, *, bom: bool, crlf: bool, mtime_ns: int = 0) -> Card:
        """A card from parsed data and the bytes it came from."""
        return Card(path, MappingProxyType(data), blob_id(raw), bom, crlf, mtime_ns)

    @staticmethod
    def build_cached(path: Path, data: dict[str, Any], blob: str, *, bom: bool, crlf: bool, mtime_ns: int = 0) -> Card:
        """A card restored from the parse cache (blob id already known)."""
        return Card(path, MappingProxyType(data), blob, bom, crlf, mtime_ns)

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def region(self) -> str:
        return str(self.data.get("region", ""))

    @property
    def theme(self) -> str:
        return str(self.data.get("theme", ""))

    @property
    def programme(self) -> str:
        return str(self.data.get("programme", ""))

    @property
    def number(self) -> str:
        return str(self.data.get("number", ""))

    def to_dict(self) -> dict[str, Any]:
        """A deep, mutable copy of the data (for editing)."""
        import copy

        return copy.deepcopy(dict(self.data))
