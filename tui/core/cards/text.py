"""Text helpers shared by search, validation and slugs: accent folding and safe display."""

from __future__ import annotations

import unicodedata

_BIDI_AND_INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
}


def strip_accents(text: str) -> str:
    """Remove diacritics: "coördinatie" -> "coordinatie"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form used for matching."""
    return " ".join(strip_accents(text).casefold().split())


def visible(text: str) -> str:
    """Make control, bidi and zero-width characters visible so they cannot act on a terminal.

    Newlines and tabs stay; everything else that is a control or format character is shown as
    ``<U+XXXX>`` (Trojan Source and terminal escape sequences become harmless, readable text).
    """
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif ch in _BIDI_AND_INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def suspicious_chars(text: str) -> list[str]:
    """Bidi overrides and invisible characters in ``text`` (as U+XXXX codes), for warnings."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in _BIDI_AND_INVISIBLE})
