"""Which language the user reads: the one setting the core needs to pick a schema label.

The schema carries every label, help text and kind title in Dutch and English (``x-label-en``,
``x-help-en``); ``Field.label`` and friends answer in the language chosen here. Sentences are
not the core's business: it returns codes and parameters that ``tui/locale`` phrases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

LANGUAGES = ("nl", "en")
_current = "nl"


def current() -> str:
    """The display language, ``nl`` (default) or ``en``."""
    return _current


def set_current(lang: str) -> str:
    """Choose the display language; an unknown one falls back to Dutch. Returns what is in effect."""
    global _current
    _current = lang if lang in LANGUAGES else "nl"
    return _current


def pick(nl: str, en: str) -> str:
    """``en`` in English mode when there is one, else ``nl``."""
    return en if _current == "en" and en else nl


Phraser = Callable[[str, Mapping[str, object]], str]
_phraser: Phraser | None = None


def set_phraser(phraser: Phraser) -> None:
    """Register how codes become words (``tui.i18n`` does, reading ``tui/locale``)."""
    global _phraser
    _phraser = phraser


def phrase(code: str, params: Mapping[str, object]) -> str:
    """Words for a core message code in the display language (the code itself when no phraser is set)."""
    if _phraser is not None:
        return _phraser(code, params)
    return f"{code} {dict(params)}" if params else code
