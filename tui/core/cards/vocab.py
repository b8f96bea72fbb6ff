"""Controlled vocabularies per region (themes, programmes, organisations, card statuses), read
from ``schema/regions/*.toml``. Themes and the like are recommendations: values outside them are
warnings. The statuses (``[[statuses]]``: the lifecycle of a card, in order) are a closed list."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from tui.core.cards.text import fold
from tui.core.language import pick


@dataclass(frozen=True)
class Theme:
    """A regional theme with the document's number and its spelling variants."""

    region: str
    number: int | None
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    """One step of a region's card lifecycle: its code (as in the card), Dutch and English name,
    and whether it is on the ordered line (``gestopt`` is not: a card can stop from any step)."""

    code: str
    label_nl: str
    label_en: str = ""
    on_line: bool = True

    @property
    def label(self) -> str:
        """The status's name in the display language."""
        return pick(self.label_nl, self.label_en)


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
    statuses: tuple[Status, ...] = ()

    def status(self, text: str) -> Status | None:
        """The status whose code or name (Dutch or English; case and accents ignored) is ``text``."""
        key = fold(text.strip()).replace(" ", "_")
        for s in self.statuses:
            names = (s.code, s.label_nl, s.label_en)
            if any(n and fold(n).replace(" ", "_") == key for n in names):
                return s
        return None

    def line(self) -> tuple[Status, ...]:
        """The statuses on the ordered line (without those off it, such as ``gestopt``)."""
        return tuple(s for s in self.statuses if s.on_line)

    def reaches(self, code: str, step: str) -> bool:
        """Whether status ``code`` is ``step`` or later on the line (False for a status off the line)."""
        codes = [s.code for s in self.line()]
        return code in codes and step in codes and codes.index(code) >= codes.index(step)

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
                statuses=tuple(
                    Status(
                        str(st["code"]),
                        str(st.get("label", st["code"])),
                        str(st.get("label_en", "")),
                        bool(st.get("line", True)),
                    )
                    for st in raw.get("statuses", [])
                    if isinstance(st, dict) and st.get("code")
                ),
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
            elif vocab == "statuses":
                out.extend(s.code for s in r.statuses)
            elif vocab in ("organisations", "submitters", "domains"):
                out.extend(getattr(r, vocab))
        return list(dict.fromkeys(out))

    def knows(self, vocab: str, value: str, region: str | None = None) -> bool:
        """Whether ``value`` is in the vocabulary (exactly, as canonical spelling)."""
        if vocab in ("organisations", "submitters"):
            return True  # open lists: new organisations join all the time
        return value in self.values(vocab, region)
