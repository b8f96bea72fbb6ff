"""Safe file names from card ids: ASCII, lower-case, Windows-safe, length-capped."""

from __future__ import annotations

import re

from tui.core.cards.text import strip_accents

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_LEN = 80


def slugify(text: str) -> str:
    """``WBW/T1/1.1`` -> ``wbw-t1-1.1``; ``Coördinatie & zorg`` -> ``coordinatie-zorg``.

    The result has only ``a-z0-9.-``, never starts or ends with a dot or dash, never contains
    ``..``, is at most 80 characters and never a reserved Windows device name, so the same card
    gets the same file name on Linux, macOS and Windows.
    """
    ascii_text = strip_accents(text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text)
    slug = re.sub(r"\.{2,}", ".", slug)
    slug = re.sub(r"-*\.-*", ".", slug)
    slug = slug.strip(".-")[:MAX_LEN].strip(".-")
    if not slug:
        slug = "kaart"
    if slug.split(".")[0] in _RESERVED:
        slug = f"kaart-{slug}"
    return slug


def unique_name(slug: str, taken: set[str]) -> str:
    """``slug`` or ``slug-2``, ``slug-3`` ... so that no two files differ only by case."""
    lowered = {t.lower() for t in taken}
    candidate, n = slug, 2
    while candidate.lower() in lowered:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate
