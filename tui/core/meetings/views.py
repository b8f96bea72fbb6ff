"""Saved views ("agenda's"): a named search plus a sort order, shared in ``views.toml``.

A view is what the browser's search box holds (words and filters such as ``programma:2`` or
``thema:"Gezond vooruit"``) with one of the browser's sort orders. The group shares its views in
``views.toml`` at the repository root, one ``[[view]]`` table each::

    [[view]]
    name = "Programma 2"
    query = "programma:2"
    sort = "number"
    description = "Stuurgroep: alle kaarten van programma 2"

The file is written through tomlkit: adding a view appends its lines and leaves every other
view, comment and blank line byte-identical, so it diffs and merges in git like a card.
Problems are :class:`ViewsError` with ``code``/``params`` (``core.views.*`` in ``tui/locale``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomlkit
from tomlkit.items import AoT, Table

from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.cards.card import Card
from tui.core.cards.order import SORTS, card_sort_key
from tui.core.cards.schema import Schema
from tui.core.language import phrase
from tui.core.search.search import SearchIndex

if TYPE_CHECKING:  # the library imports the search; only its type is needed here
    from tui.core.library import Library

__all__ = [
    "SORTS",
    "VIEWS_FILE",
    "View",
    "ViewsError",
    "delete_view",
    "find_view",
    "load_views",
    "merge_views_bytes",
    "save_view",
    "select_cards",
    "sort_cards",
    "suggest_name",
    "view_cards",
    "views_path",
]

VIEWS_FILE = "views.toml"
MAX_NAME = 80
_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
HEADER = "# Opgeslagen zoekopdrachten (agenda's) van de werkgroep; kaartenbak view add / V in de app.\n"


class ViewsError(Exception):
    """A views file or view that cannot be used: ``code`` and ``params`` for ``tui/locale``.

    Codes (``views.<code>``): ``broken`` (path, line, column, detail), ``conflict_markers`` (path,
    line: a merge left git's markers in the file), ``unreadable`` (path, detail), ``bad_entry`` (path,
    number, reason), ``empty_name``, ``long_name`` (max), ``bad_name``, ``bad_sort`` (sort, sorts),
    ``duplicate`` (name), ``unknown`` (name, names), ``write`` (path, detail).
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = f"views.{code}"
        self.params = params
        super().__init__(phrase(self.code, params))


@dataclass(frozen=True)
class View:
    """A named search (the browser's query text, filters included) and its sort order."""

    name: str
    query: str
    sort: str = "title"
    description: str = ""


def views_path(root: Path) -> Path:
    """Where the views of the repository at ``root`` live."""
    return root / VIEWS_FILE


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its parsed data ("" and {} when there is no file)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "", {}
    except OSError as exc:
        raise ViewsError("unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ViewsError("broken", path=str(path), line=line, column=column, detail="UTF-8") from None
    marker = _CONFLICT.search(text)
    if marker is not None:  # a merge left git's markers: say so, not "invalid TOML"
        line = text.count("\n", 0, marker.start()) + 1
        raise ViewsError("conflict_markers", path=str(path), line=line)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = _POS.search(str(exc))
        line, column = (int(pos.group(1)), int(pos.group(2))) if pos else (0, 0)
        detail = _POS.sub("", str(exc)).strip()
        raise ViewsError("broken", path=str(path), line=line, column=column, detail=detail) from None
    except RecursionError:
        raise ViewsError("broken", path=str(path), line=0, column=0, detail="too deep") from None
    return text, data


_FILTER = re.compile(r'(\w+):("([^"]*)"?|\S*)')


def suggest_name(query: str) -> str:
    """A name to offer for a view of ``query``: ``programma:2`` → "Programma 2", ``thema:"Gezond vooruit"``
    → "Gezond vooruit", words as typed (at most ``MAX_NAME`` characters)."""

    def name(m: re.Match[str]) -> str:
        value = m.group(3) if m.group(3) is not None else m.group(2)
        return f"{m.group(1)} {value}" if m.group(1).casefold() in ("programma", "programme") else value

    text = " ".join(_FILTER.sub(name, query).split())
    return (text[:1].upper() + text[1:])[:MAX_NAME]


def check_name(name: str) -> str:
    """The name as it is saved (outer spaces dropped), or a ViewsError saying why it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise ViewsError("empty_name")
    if len(name) > MAX_NAME:
        raise ViewsError("long_name", max=MAX_NAME)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ViewsError("bad_name")
    return name


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise ViewsError("bad_sort", sort=sort, sorts=", ".join(SORTS))


def _entry(path: Path, number: int, item: Any) -> View:
    def reason(why: str) -> ViewsError:
        return ViewsError("bad_entry", path=str(path), number=number, reason=why)

    if not isinstance(item, dict):
        raise reason("[[view]]")
    name, query = item.get("name"), item.get("query", "")
    sort, description = item.get("sort", "title"), item.get("description", "")
    if not isinstance(name, str) or not name.strip():
        raise reason("name")
    if not isinstance(query, str):
        raise reason("query")
    if not isinstance(sort, str) or sort not in SORTS:
        raise reason("sort")
    if not isinstance(description, str):
        raise reason("description")
    return View(name.strip(), query, sort, description)


def load_views(root: Path) -> list[View]:
    """The views of the repository at ``root``, in file order ([] without ``views.toml``)."""
    path = views_path(root)
    _, data = _read(path)
    items = data.get("view", [])
    if not isinstance(items, list):
        raise ViewsError("bad_entry", path=str(path), number=1, reason="[[view]]")
    return [_entry(path, n, item) for n, item in enumerate(items, 1)]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def find_view(root: Path, name: str) -> View:
    """The view called ``name`` (case and outer spaces do not matter); ViewsError ``unknown`` otherwise."""
    views = load_views(root)
    for view in views:
        if _key(view.name) == _key(name):
            return view
    raise ViewsError("unknown", name=name.strip(), names=", ".join(v.name for v in views) or "-")


def _table(view: View) -> Table:
    table = tomlkit.table()
    table["name"] = view.name
    table["query"] = view.query
    if view.sort != "title":
        table["sort"] = view.sort
    if view.description:
        table["description"] = view.description
    return table


def _write(path: Path, text: str) -> Path:
    try:
        write_atomic(path, text.encode("utf-8"))
    except WriteError as exc:
        raise ViewsError("write", path=str(path), detail=str(exc)) from None
    return path


def _index_of(views: Sequence[View], name: str) -> int | None:
    return next((i for i, v in enumerate(views) if _key(v.name) == _key(name)), None)


def _appended(text: str, view: View) -> str:
    """``text`` with ``view`` as a new ``[[view]]`` table at the end (the text before it unchanged)."""
    block = tomlkit.document()
    aot = tomlkit.aot()
    aot.append(_table(view))
    block.append("view", aot)
    new = tomlkit.dumps(block)
    if not text:
        return HEADER + "\n" + new
    gap = "" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
    return text + gap + new


def _replaced(text: str, at: int, view: View) -> str:
    """``text`` with the ``at``-th view's values set to ``view``'s (other keys and tables untouched)."""
    doc = tomlkit.parse(text)
    tables = doc["view"]
    assert isinstance(tables, AoT)
    old = tables[at]  # keys another version may have written stay as they are
    for key, value in (
        ("name", view.name),
        ("query", view.query),
        ("sort", view.sort),
        ("description", view.description),
    ):
        if value and not (key == "sort" and value == "title"):
            old[key] = value
        elif key in old:
            del old[key]
    return tomlkit.dumps(doc)


def _removed(text: str, at: int) -> str:
    doc = tomlkit.parse(text)
    tables = doc["view"]
    assert isinstance(tables, AoT)
    del tables[at]
    if not len(tables):
        del doc["view"]
    return tomlkit.dumps(doc)


def save_view(root: Path, view: View, *, replace: bool = False) -> Path:
    """Add ``view`` to ``views.toml`` (made when missing); returns its path.

    A new view is appended as its own ``[[view]]`` lines; nothing else in the file changes. A
    view of the same name (case-insensitive) is refused (``duplicate``) unless ``replace``:
    then that table is rewritten in its place and the others stay byte-identical.
    """
    name = check_name(view.name)
    _check_sort(view.sort)
    view = View(name, " ".join(view.query.split()), view.sort, view.description.strip())
    path = views_path(root)
    text, _ = _read(path)
    views = load_views(root)
    at = _index_of(views, name)
    if at is not None and not replace:
        raise ViewsError("duplicate", name=views[at].name)
    return _write(path, _appended(text, view) if at is None else _replaced(text, at, view))


def delete_view(root: Path, name: str) -> View:
    """Remove the view called ``name`` from ``views.toml`` (others untouched); returns it."""
    path = views_path(root)
    text, _ = _read(path)
    views = load_views(root)
    at = _index_of(views, name)
    if at is None:
        raise ViewsError("unknown", name=name.strip(), names=", ".join(v.name for v in views) or "-")
    _write(path, _removed(text, at))
    return views[at]


def _parsed(raw: bytes) -> tuple[str, list[View]] | None:
    try:
        text = raw.decode("utf-8-sig")
        items = tomllib.loads(text).get("view", [])
        if not isinstance(items, list):
            return None
        return text, [_entry(Path(VIEWS_FILE), n, item) for n, item in enumerate(items, 1)]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ViewsError):
        return None


def _position(text: str, key: str) -> int:
    """Where the view named ``key`` is among the tables of ``text`` (it is there)."""
    parsed = _parsed(text.encode("utf-8"))
    at = _index_of(parsed[1], key) if parsed is not None else None
    assert at is not None
    return at


def merge_views_bytes(base_raw: bytes, ours_raw: bytes, theirs_raw: bytes) -> bytes | None:
    """Three versions of ``views.toml`` merged per view (by name), for git's merge driver.

    Starting from ours (its layout kept): a view the other side added is appended, one it
    changed or removed (and we did not touch) is changed or removed here too. None when a side
    cannot be read, or both sides changed the same view differently: then git's text merge
    marks the clash, and ``load_views`` reports it with line and column.
    """
    sides = [_parsed(raw) if raw.strip() else ("", []) for raw in (base_raw, ours_raw, theirs_raw)]
    if any(side is None for side in sides):
        return None
    (_, base), (text, ours), (_, theirs) = (side for side in sides if side is not None)
    old = {_key(v.name): v for v in base}
    mine = {_key(v.name): v for v in ours}
    for view in theirs:
        key = _key(view.name)
        before, now = old.get(key), mine.get(key)
        if now is None and before is None:
            text = _appended(text, view)  # added there
        elif now is None or now == view or view == before:
            continue  # removed here, or the same on both sides, or only changed here
        elif now == before:  # changed there only
            text = _replaced(text, _position(text, key), view)
        else:
            return None  # changed differently on both sides
    there = {_key(v.name) for v in theirs}
    for key, before in old.items():
        if key not in there and mine.get(key) == before:  # removed there, untouched here
            text = _removed(text, _position(text, key))
    return text.encode("utf-8")


# -- the cards of a view ------------------------------------------------------------------------


def sort_key(card: Card, sort: str) -> tuple[Any, ...]:
    """The browser's order (``tui.core.cards.order``): title or number naturally, or last changed first."""
    return card_sort_key(card, sort)


def sort_cards(cards: Iterable[Card], sort: str) -> list[Card]:
    """``cards`` in the view order ``sort`` (stable)."""
    return sorted(cards, key=lambda c: sort_key(c, sort))


def select_cards(view: View, index: SearchIndex, cards: dict[str, Card]) -> list[Card]:
    """The cards the view's query finds in ``index`` (every card for an empty query), in its order."""
    if not view.query.strip():
        chosen = list(cards.values())
    else:
        result = index.find(view.query)
        chosen = [cards[cid] for cid in result.ids if cid in cards]
    return sort_cards(chosen, view.sort)


def cards_for(view: View, cards: Sequence[Card], schema: Schema) -> list[Card]:
    """``view_cards`` for a plain list of cards (the command line): the index is built here."""
    return select_cards(view, SearchIndex(cards, schema), {c.id: c for c in cards})


def view_cards(view: View, library: Library) -> list[Card]:
    """The cards of the library the view's query finds, in the view's sort order."""
    return select_cards(view, library.index, dict(library.cards))
