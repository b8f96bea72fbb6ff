"""Controlled vocabularies per region (themes, programmes, organisations), read from
``schema/regions/*.toml``. They are recommendations: values outside them are warnings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from tui.core.cards.text import fold


@dataclass(frozen=True)
class Theme:
    """A regional theme with the document's number and its spelling variants."""

    region: str
    number: int | None
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """One region: its code, name, themes, programmes and organisations."""

    code: str
    name: str
    document: str
    themes: tuple[Theme, ...]
    programmes: tuple[tuple[str, str], ...]  # (theme, programme)
    organisations: tuple[str, ...]
    submitters: tuple[str, ...]
    domains: tuple[str, ...]

    def theme(self, name: str) -> Theme | None:
        """The theme called ``name`` or one of its aliases (case and accents ignored)."""
        key = fold(name)
        for t in self.themes:
            if fold(t.name) == key or key in (fold(a) for a in t.aliases):
                return t
        return None


class Vocabulary:
    """All regions of a schema folder."""

    def __init__(self, schema_folder: Path) -> None:
        self.regions: dict[str, Region] = {}
        for path in sorted((schema_folder / "regions").glob("*.toml")):
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
            code = raw.get("code", path.stem.upper())
            themes = tuple(
                Theme(code, t.get("number"), t["name"], tuple(t.get("aliases", []))) for t in raw.get("themes", [])
            )
            self.regions[code] = Region(
                code=code,
                name=raw.get("name", code),
                document=raw.get("document", ""),
                themes=themes,
                programmes=tuple((p.get("theme", ""), p["name"]) for p in raw.get("programmes", [])),
                organisations=tuple(raw.get("organisations", [])),
                submitters=tuple(raw.get("submitters", [])),
                domains=tuple(raw.get("domains", [])),
            )

    def values(self, vocab: str, region: str | None = None) -> list[str]:
        """The recommended values of a vocabulary (``themes``, ``programmes``, ...), for one region or all."""
        regions = [self.regions[region]] if region in self.regions else list(self.regions.values())
        out: list[str] = []
        for r in regions:
            if vocab == "regions":
                out.append(r.code)
            elif vocab == "themes":
                out.extend(t.name for t in r.themes)
            elif vocab == "programmes":
                out.extend(p for _, p in r.programmes)
            elif vocab in ("organisations", "submitters", "domains"):
                out.extend(getattr(r, vocab))
        return list(dict.fromkeys(out))

    def knows(self, vocab: str, value: str, region: str | None = None) -> bool:
        """Whether ``value`` is in the vocabulary (exactly, as canonical spelling)."""
        if vocab in ("organisations", "submitters"):
            return True  # open lists: new organisations join all the time
        return value in self.values(vocab, region)
