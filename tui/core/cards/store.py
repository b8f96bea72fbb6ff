"""The card store: find, load, save, create and delete the cards of one repository."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from tui.core.cards import tomlfmt, writer
from tui.core.cards.atomic import TEMP_SUFFIX, WriteError, clean_interrupted_writes, explain, write_atomic
from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import BOM, load_file, parse_bytes
from tui.core.cards.schema import Schema
from tui.core.cards.slug import slugify, unique_name


@dataclass
class LoadResult:
    """Every card of a store plus the files that could not be opened."""

    cards: list[Card] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


class ChangedOnDisk(Exception):
    """The card's file changed since it was loaded; saving would overwrite someone's work."""

    def __init__(self, path: Path, current: Card | LoadError | None) -> None:
        super().__init__(f"{path} is gewijzigd sinds je de kaart opende")
        self.path = path
        self.current = current


class CardStore:
    """The cards under ``<root>/cards``, read with tomllib and written faithfully."""

    def __init__(self, root: Path, schema: Schema, cards_dir: Path | None = None) -> None:
        self.root = root
        self.cards_dir = cards_dir if cards_dir is not None else root / "cards"
        self.schema = schema

    def discover(self) -> list[Path]:
        """All card files, sorted; hidden files and interrupted temp writes are skipped.

        Walks with ``os.scandir`` and sorts plain strings: at 10,000 cards, building and
        comparing ``Path`` objects was most of the start-up time.
        """
        if not self.cards_dir.is_dir():
            return []
        found: list[str] = []
        stack = [str(self.cards_dir)]
        while stack:
            try:
                with os.scandir(stack.pop()) as entries:
                    for entry in entries:
                        name = entry.name
                        if name.startswith("."):
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif name.endswith(".toml") and not name.endswith(TEMP_SUFFIX):
                            found.append(entry.path)
            except OSError:
                continue  # an unreadable folder hides its cards, it does not stop the others
        found.sort()
        return [Path(p) for p in found]

    def load_all(self, paths: Iterable[Path] | None = None) -> LoadResult:
        """Load every card; a broken file is reported and does not stop the others."""
        result = LoadResult()
        for path in self.discover() if paths is None else paths:
            loaded = load_file(path)
            if isinstance(loaded, LoadError):
                result.errors.append(loaded)
            else:
                result.cards.append(loaded)
        return result

    def header_for(self, path: Path, kind: str) -> str:
        """The ``#:schema`` line pointing editors (taplo) at the exported JSON Schema."""
        target = self.root / "schema" / "json" / f"{kind}.schema.json"
        rel = os.path.relpath(target, path.parent).replace(os.sep, "/")
        return f"#:schema {rel}"

    def order_for(self, kind: str) -> list[str]:
        k = self.schema.kind(kind)
        return list(k.keys) if k else []

    def render_new(self, path: Path, data: dict[str, Any]) -> str:
        """The canonical text of a card (used for new cards and formatting)."""
        return tomlfmt.render(
            data, self.order_for(str(data.get("kind", ""))), self.header_for(path, str(data.get("kind", "")))
        )

    def save(self, card: Card, new: dict[str, Any], *, force: bool = False) -> Card:
        """Write ``new`` over ``card``'s file, changing only what changed.

        Refuses (ChangedOnDisk) when the file's content differs from what was loaded, unless
        ``force``. An unchanged card is not written at all, so it stays byte-identical.
        """
        try:
            raw = card.path.read_bytes()
        except FileNotFoundError:
            if not force:
                raise ChangedOnDisk(card.path, None) from None
            return self.create(new, card.path)
        except OSError as exc:
            reason = str(exc.strerror or exc)
            raise WriteError(
                f"Kan {card.path} niet lezen: {reason}",
                card.path,
                code="error.write.unreadable",
                params={"reason": reason},
            ) from exc
        current = parse_bytes(card.path, raw)
        if not force and (isinstance(current, LoadError) or current.blob != card.blob):
            raise ChangedOnDisk(card.path, current)
        base = dict(current.data) if isinstance(current, Card) else dict(card.data)
        if writer.same(new, base) and isinstance(current, Card):
            return current
        bom = raw.startswith(BOM)
        text = raw[len(BOM) if bom else 0 :].decode("utf-8")
        try:
            out = writer.updated_text(text, base, new, self.order_for(str(new.get("kind", ""))))
        except Exception:  # tomlkit could not keep the layout: write the canonical text instead
            try:
                out = self.render_new(card.path, new)
                writer.check(out, new)
            except Exception as exc:  # e.g. nesting too deep to write back: keep the file as it is
                raise WriteError(
                    f"Kaartenbak kan {card.path} niet terugschrijven: {exc}",
                    card.path,
                    params={"reason": str(exc)},
                ) from exc
            if "\r\n" in text:
                out = out.replace("\n", "\r\n")
        data = (BOM if bom else b"") + out.encode("utf-8")
        write_atomic(card.path, data)
        loaded = parse_bytes(card.path, data, card.path.stat().st_mtime_ns)
        assert isinstance(loaded, Card)
        return loaded

    def path_for_new(self, card_id: str, region: str) -> Path:
        """A fresh, safe file path for a new card id in its region's folder."""
        folder = self.cards_dir / slugify(region or "overig")
        taken = {p.stem for p in folder.glob("*.toml")} if folder.is_dir() else set()
        return folder / f"{unique_name(slugify(card_id), taken)}.toml"

    def create(self, data: dict[str, Any], path: Path | None = None) -> Card:
        """Write a new card in canonical layout; never overwrites an existing file."""
        path = path or self.path_for_new(str(data.get("id", "")), str(data.get("region", "")))
        if path.exists():
            raise WriteError(f"{path} bestaat al; kies een andere id", path, code="error.write.exists")
        text = self.render_new(path, data)
        writer.check(text, data)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise explain(exc, path) from exc
        raw = text.encode("utf-8")
        write_atomic(path, raw)
        loaded = parse_bytes(path, raw, path.stat().st_mtime_ns)
        assert isinstance(loaded, Card)
        return loaded

    def delete(self, card: Card) -> None:
        """Remove a card's file (it stays recoverable from git until the deletion is committed)."""
        try:
            card.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise explain(exc, card.path) from exc

    def clean_interrupted_saves(self) -> list[Path]:
        """Remove the temp files of saves that were killed (Kaartenbak's own temp names only)."""
        return clean_interrupted_writes(self.cards_dir)
