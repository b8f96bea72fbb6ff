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
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def strip_accents(text: str) -> str:
    """Remove diacritics: "coördinatie" -> "coordinatie"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form used for matching."""
    return " ".join(strip_accents(text).casefold().split())


def is_hidden(ch: str) -> bool:
    """THE rule: whether a character must never be shown (or sent to a terminal) as itself.

    Hidden are control characters (C0, DEL, C1: category ``Cc``, ESC included), format
    characters (``Cf``: bidi overrides and isolates U+202A-202E, U+2066-2069, zero-width
    U+200B-200F, U+2060, U+FEFF), private-use and surrogate code points and the line and
    paragraph separators U+2028/U+2029. Everything else is ordinary text.
    """
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES


def one_cell(ch: str) -> str:
    """The one-cell stand-in for a hidden character (see :func:`visible`)."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␀ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F:
        return "\ufffd"  # C1 (CSI U+009B, OSC U+009D, …)
    return "\u00a4"  # ¤ bidi, zero-width, private use, separators


def visible(text: str, *, one_cell_form: bool = False, keep: str = "\n\t") -> str:
    """Card text, file names, branch names, commit messages and git output as they may be shown.

    This is the ONE sanitising rule of Kaartenbak: every place that shows such text passes it
    through here (read-only views, dialogs, toasts, the palette, CLI output, and the editable
    ``SafeInput``/``SafeTextArea`` widgets in ``tui/widgets/safe.py``). What counts as hidden is
    decided by :func:`is_hidden`; the characters in ``keep`` (by default newline and tab, which
    multi-line views lay out themselves) pass unchanged. A hidden character is shown in one of
    two forms:

    - read-only text (default): ``<U+001B>``, which names the code point exactly;
    - ``one_cell_form=True``, for editable widgets: a single one-cell stand-in (Control Pictures
      ``␀``-``␟`` for C0, ``␡`` for DEL, ``�`` for C1, ``¤`` for bidi/zero-width and other format
      characters), so that ``len(visible(t, one_cell_form=True)) == len(t)`` and every index into
      the stored value (cursor, selection, undo) is the same index into what is shown. The
      widgets give these cells a distinct style.

    Either way nothing hidden reaches the terminal; the stored value is never changed by showing it.
    """
    if text.isprintable() or not any(is_hidden(ch) and ch not in keep for ch in text):
        return text
    out = []
    for ch in text:
        if ch in keep or not is_hidden(ch):
            out.append(ch)
        elif one_cell_form:
            out.append(one_cell(ch))
        else:
            out.append(f"<U+{ord(ch):04X}>")
    return "".join(out)


def suspicious_chars(text: str) -> list[str]:
    """Bidi overrides and invisible characters in ``text`` (as U+XXXX codes), for warnings."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch in _BIDI_AND_INVISIBLE})
