"""Writing a changed card back: only the keys that changed change on disk.

The old file is parsed with ``tomlkit`` (which keeps comments, blank lines, key order and
string styles) and only changed keys are replaced, with items built from the canonical text
(see ``tomlfmt``) so a changed ``\"\"\"`` field stays a ``\"\"\"`` field. Whole tables are never
replaced when only one of their keys changed. The result is cross-checked with ``tomllib``.
"""

from __future__ import annotations

import math
import tomllib
from typing import Any
from collections.abc import Sequence

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Table

from tui.core.cards import tomlfmt


class WriteCheckError(Exception):
    """The text produced for a card would not read back as the intended data."""


def _entry_item(path: Sequence[str], val: Any) -> Any:
    """A tomlkit item for ``path = val`` in canonical layout."""
    if tomlfmt.is_table_value(val):
        dotted = ".".join(tomlfmt.key(p) for p in path)
        text = "\n".join(tomlfmt._table_block(dotted, val, set())).lstrip("\n") + "\n"
        node: Any = tomlkit.parse(text)
        for p in path:
            node = node[p]
        return node
    return tomlkit.parse(f"x = {tomlfmt.value(val, multiline_text=True)}\n")["x"]


def _body(container: Any) -> Container:
    return container if isinstance(container, Container) else container.value


def _insert(container: Any, order: list[str], key: str, item: Any) -> None:
    """Insert ``key`` after the nearest earlier key (schema order) that the file already has."""
    present = list(container.keys())
    earlier = [k for k in order[: order.index(key)] if k in present] if key in order else []
    if earlier and not isinstance(item, (Table, AoT)):
        try:
            _body(container)._insert_after(earlier[-1], key, item)
            return
        except Exception:  # tomlkit internals: fall back to appending (still valid TOML)
            pass
    container.add(key, item)


def _apply(container: Any, path: tuple[str, ...], old: dict[str, Any], new: dict[str, Any], order: list[str]) -> None:
    for k in [k for k in old if k not in new]:
        del container[k]
    for k, nv in new.items():
        if k in old and same(old[k], nv) and k in container:
            continue
        cur = container.get(k) if k in container else None
        ov = old.get(k)
        if isinstance(ov, dict) and isinstance(nv, dict) and isinstance(cur, Table):
            _apply(cur, (*path, k), ov, nv, list(nv))
            continue
        if (
            isinstance(ov, list)
            and isinstance(nv, list)
            and isinstance(cur, AoT)
            and len(ov) == len(nv)
            and all(isinstance(x, dict) for x in nv)
        ):
            for i, (o_item, n_item) in enumerate(zip(ov, nv, strict=True)):
                _apply(cur[i], (*path, k), o_item, n_item, list(n_item))
            continue
        item = _entry_item((*path, k), nv)
        if cur is not None:
            container[k] = item
        else:
            _insert(container, order, k, item)


def same(a: Any, b: Any) -> bool:
    """Equality of card values where ``nan`` equals ``nan`` (TOML allows it; ``==`` says it changed)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b  # true is not 1
    return bool(a == b)


def line_endings(text: str) -> str:
    """``"lf"``, ``"crlf"`` or ``"mixed"``: how the lines of a card end."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if crlf and lf:
        return "mixed"
    return "crlf" if crlf else "lf"


def updated_text(old_text: str, old: dict[str, Any], new: dict[str, Any], order: Sequence[str]) -> str:
    """The old card text with only the changed keys rewritten.

    ``old_text`` has no BOM. Line endings stay as they were: a CRLF file stays CRLF, and in a
    file that mixes CRLF and LF every untouched line keeps its own ending (tomlkit keeps the
    text of untouched items as it was; only the rewritten keys' lines end in LF).
    """
    endings = line_endings(old_text)
    doc = tomlkit.parse(old_text)
    _apply(doc, (), old, new, list(order))
    raw = doc.as_string()
    if not raw.endswith("\n"):
        raw += "\r\n" if endings == "crlf" else "\n"
    out = raw.replace("\r\n", "\n")
    check(out, new)
    if endings == "mixed":
        return raw
    return out.replace("\n", "\r\n") if endings == "crlf" else out


def check(text: str, expected: dict[str, Any]) -> None:
    """Raise WriteCheckError unless ``text`` reads back (with tomllib) as ``expected``."""
    try:
        got = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WriteCheckError(f"de geschreven tekst is geen geldige TOML: {exc}") from exc
    if not same(got, expected):
        raise WriteCheckError("de geschreven tekst leest niet terug als de bedoelde kaart")
