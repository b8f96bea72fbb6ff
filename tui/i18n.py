"""UI strings: one catalogue per language in ``tui/locale/<lang>.toml``; Dutch is the default.

Widgets never hard-code text: they call ``t("key", name=value)``. Values are substituted with
``str.format`` on plain text (never markup), so user text in a message stays literal.

Words are looked up when shown, never frozen at import: ``lazy("key")`` is a ``str`` that
remembers its key, so a binding label made at import can be looked up again in whatever
language is chosen later (``tui.bindings`` does that for Textual). The language can be set at
any time with ``set_language``; listeners (``on_language_change``) hear of it.

Counts are said right: a catalogue value ``x = { one = "{count} kaart", other = "{count} kaarten" }``
is a plural, and ``t("x", count=n)`` picks the form (``plural=n`` when the number has another
name). Never write "kaart(en)".

The core returns codes and parameters, not sentences: ``phrase(code, **params)`` turns a core
code into words (catalogue key ``core.<code>``), and ``explained(message, advice)`` is the one
way a message and its advice are joined.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from tui.core import language as _language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PLURAL_FORMS = frozenset({"one", "other"})  # a catalogue value ``{ one = "…", other = "…" }`` is a plural
_listeners: list[Callable[[str], None]] = []


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to dotted keys."""
    with (LOCALE_DIR / f"{lang}.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict) and v.keys() <= PLURAL_FORMS and "other" in v:
                flat[key] = str(v["other"])  # a plural: the key itself is the "other" form
                if "one" in v:
                    flat[f"{key}.one"] = str(v["one"])
            elif isinstance(v, dict):
                walk(key, v)
            else:
                flat[key] = str(v)

    walk("", raw)
    return flat


def set_language(lang: str) -> None:
    """Switch the UI language (``nl`` or ``en``; anything else is Dutch), now and for what is shown next."""
    before = _language.current()
    chosen = _language.set_current(lang if (LOCALE_DIR / f"{lang}.toml").is_file() else "nl")
    if chosen != before:
        for listener in list(_listeners):
            listener(chosen)


def language() -> str:
    """The language in effect."""
    return _language.current()


def on_language_change(listener: Callable[[str], None]) -> None:
    """Call ``listener(lang)`` whenever the language changes (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)


def plural_key(key: str, count: object) -> str:
    """``key.one`` when ``count`` is 1 and the catalogue has that form, else ``key`` (the other form).

    Dutch and English both say "1 kaart" / "0 kaarten" / "2 kaarten": only exactly one is singular.
    """
    if isinstance(count, int) and not isinstance(count, bool) and abs(count) == 1:
        one = f"{key}.one"
        if one in catalogue(_language.current()) or one in catalogue("nl"):
            return one
    return key


def t(key: str, /, **values: object) -> str:
    """The string ``key`` in the current language, with ``{name}`` placeholders filled in.

    A plural value (``x = { one = "{count} kaart", other = "{count} kaarten" }`` in the catalogue)
    follows the ``count`` value: ``t("x", count=1)`` is "1 kaart", ``t("x", count=2)`` "2 kaarten".
    A count with another name is chosen by ``plural=``: ``t("x", n=1, plural=1)``.
    """
    if "plural" in values or "count" in values:
        key = plural_key(key, values.pop("plural", values.get("count")))
    text = catalogue(_language.current()).get(key) or catalogue("nl").get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


class Lazy(str):
    """A UI word that remembers its catalogue key.

    Its text is the language at creation; ``again()`` looks it up in the language now.
    """

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, /, **values: object) -> Lazy:
        self = super().__new__(cls, t(key, **values))
        self.key = key
        self.values = values
        return self

    def again(self) -> Lazy:
        """The same word in the language in effect now."""
        return Lazy(self.key, **self.values)


def lazy(key: str, /, **values: object) -> Lazy:
    """A label to be looked up when shown (binding descriptions, anything made at import)."""
    return Lazy(key, **values)


def shown(text: str) -> str:
    """``text`` as it reads now: a ``Lazy`` word is looked up again, plain text stays."""
    return text.again() if isinstance(text, Lazy) else text


def phrase(code: str, /, **params: object) -> str:
    """Words for a core code (``core.<code>`` in the catalogue); unknown codes show as the code."""
    return t(f"core.{code}", **params)


_language.set_phraser(lambda code, params: phrase(code, **params))


def explained(message: str, advice: str = "", sep: str = "\n\n") -> str:
    """A message and its advice as one text: what happened, then what to do."""
    return sep.join(part for part in (message.strip(), advice.strip()) if part)


def phrase_error(error: object) -> str:
    """A core error or notice that carries ``code`` and ``params``, in the UI language.

    Falls back to the object's own text when it has no code or the catalogue lacks it.
    """
    code = getattr(error, "code", None)
    if isinstance(code, str) and (code in catalogue(_language.current()) or code in catalogue("nl")):
        return t(code, **dict(getattr(error, "params", None) or {}))
    return str(error)
