"""Writing a changed card back: only the keys that changed change on disk.

The old file is parsed with ``tomlkit`` (which keeps comments, blank lines, key order and
string styles) and only changed keys are replaced, with items built from the canonical text
(see ``tomlfmt``) so a changed ``\"\"\"`` field stays a ``\"\"\"`` field. Whole tables are never
replaced when only one of their keys changed. The result is cross-checked with ``tomllib``.
"""

from __future__ import annotations

import math
import re
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


def appended_items(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
    """``(key, items)`` when ``new`` is ``old`` plus tables appended to one array of tables, else None.

    Only flat tables (no nested tables) count: they can be written as plain ``[[key]]`` blocks.
    """
    if old.keys() - new.keys():
        return None
    grown = [k for k in new if k not in old or not same(old[k], new[k])]
    if len(grown) != 1:
        return None
    k = grown[0]
    before, after = old.get(k, []), new[k]
    if not isinstance(before, list) or not isinstance(after, list) or len(after) <= len(before):
        return None
    if not all(isinstance(x, dict) for x in after) or not same(before, after[: len(before)]):
        return None
    added = after[len(before) :]
    if any(tomlfmt.is_table_value(v) for item in added for v in item.values()):
        return None
    return k, added


APPEND_AT_END = frozenset({"besluiten"})  # append-only lists that live at the end of the card file
_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]*?)[ \t]*\]")


def _last_header(text: str) -> str | None:
    """The top-level key of the file's last ``[table]`` or ``[[table]]`` header, if any."""
    found = None
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            found = m.group(1).split(".")[0].strip().strip('"')
    return found


def appended_text(old_text: str, key: str, items: Sequence[dict[str, Any]], expected: dict[str, Any]) -> str:
    """``old_text`` with ``[[key]]`` tables added after its last line: every old byte stays put.

    The file's line endings are kept (CRLF stays CRLF; a mixed file gets the ending of its last
    line). A file without a final newline gets one first (the only changed line then).
    """
    endings = line_endings(old_text)
    eol = "\r\n" if endings == "crlf" or (endings == "mixed" and old_text.endswith("\r\n")) else "\n"
    block = "\n".join(tomlfmt._table_block(tomlfmt.key(key), list(items), set())) + "\n"
    base = old_text if not old_text or old_text.endswith("\n") else old_text + eol
    if not base.strip():
        block = block.lstrip("\n")
    out = base + block.replace("\n", eol)
    check(out.replace("\r\n", "\n"), expected)
    return out


def updated_text(old_text: str, old: dict[str, Any], new: dict[str, Any], order: Sequence[str]) -> str:
    """The old card text with only the changed keys rewritten.

    ``old_text`` has no BOM. Line endings stay as they were: a CRLF file stays CRLF, and in a
    file that mixes CRLF and LF every untouched line keeps its own ending (tomlkit keeps the
    text of untouched items as it was; only the rewritten keys' lines end in LF). Tables added
    at the end of an array of tables (decisions, ``[[besluiten]]``) are appended after the last
    line, so the diff is added lines only.
    """
    grown = appended_items(old, new)
    if grown is not None and (grown[0] not in old or grown[0] in APPEND_AT_END or _last_header(old_text) == grown[0]):
        try:
            return appended_text(old_text, grown[0], grown[1], new)
        except WriteCheckError:
            pass  # e.g. the key was an inline array: rewrite it the usual way below
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
