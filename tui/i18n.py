"""UI strings: one catalogue per language in ``tui/locale/<lang>.toml``; Dutch is the default.

Widgets never hard-code text: they call ``t("key", name=value)``. Values are substituted with
``str.format`` on plain text (never markup), so user text in a message stays literal.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_current = "nl"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to dotted keys."""
    with (LOCALE_DIR / f"{lang}.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict):
                walk(key, v)
            else:
                flat[key] = str(v)

    walk("", raw)
    return flat


def set_language(lang: str) -> None:
    """Switch the UI language (``nl`` or ``en``)."""
    global _current
    _current = lang if (LOCALE_DIR / f"{lang}.toml").is_file() else "nl"


def language() -> str:
    return _current


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language, with ``{name}`` placeholders filled in."""
    text = catalogue(_current).get(key) or catalogue("nl").get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def phrase(error: object) -> str:
    """A core error or notice that carries ``code`` and ``params``, in the UI language.

    Falls back to the object's own text when it has no code or the catalogue lacks it.
    """
    code = getattr(error, "code", None)
    if isinstance(code, str) and (code in catalogue(_current) or code in catalogue("nl")):
        return t(code, **dict(getattr(error, "params", None) or {}))
    return str(error)
