"""Three-way merge of cards field by field, so two people editing one card rarely conflict.

A field changed on one side only takes that side; tables merge per key, string lists per item,
lists of tables (milestones, sources) per item. Only the same value changed differently on both
sides is a conflict: the card keeps *ours* for that field and the conflict is recorded in the
card itself as ``[[conflict]]`` tables (see ``with_conflicts``), so the file stays valid TOML
without ``<<<<<<<`` markers and nothing either side wrote is lost.

Conflict format: each ``[[conflict]]`` has ``field`` (dotted path, list positions as numbers:
``randvoorwaarden.bekostiging``, ``mijlpalen.2.omschrijving``; ``""`` is the whole card),
``label`` (Dutch), and ``base`` / ``ours`` / ``theirs`` as real TOML values of the field's own
type (text, list, table). A missing ``base``/``ours``/``theirs`` key means the field (or card)
did not exist or was deleted on that side. Real values rather than TOML text strings: the
conflict screen can show and offer them with the field's own editor, the schema can check them,
and ``resolve`` needs no second parser.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Sequence

from tui.core.cards.schema import Kind
from tui.core.cards.validate import label_for

CONFLICT_KEY = "conflict"
DECISIONS_KEY = "besluiten"  # decisions per card: merged as a union of items (tui.core.meetings.decisions)
WHOLE_CARD_LABEL = "Hele kaart"
_SIDES = ("base", "ours", "theirs")
_BARE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_MISSING: Any = object()  # a key absent on one side (TOML has no null)

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed differently; ``None`` means absent (deleted) on that side."""

    path: FieldPath
    label: str
    base: Any
    ours: Any
    theirs: Any

    @property
    def field(self) -> str:
        """The dotted path as written in the card's ``[[conflict]]`` table."""
        return dotted(self.path)


@dataclass
class MergeResult:
    """The merged card data (ours where fields conflict) and the conflicts; ``{}`` means deleted."""

    data: dict[str, Any]
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _key(value: Any) -> str:
    """A strict, order-insensitive identity for a TOML value (``1``, ``1.0`` and ``true`` differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


def same(a: Any, b: Any) -> bool:
    """Whether two TOML values are the same (strictly typed; table key order ignored)."""
    if a is _MISSING or b is _MISSING:
        return a is b
    return _key(a) == _key(b)


class _Merge:
    def __init__(self, kind: Kind | None) -> None:
        self.kind = kind
        self.conflicts: list[FieldConflict] = []

    def conflict(self, path: FieldPath, base: Any, ours: Any, theirs: Any) -> None:
        vals = [None if v is _MISSING else copy.deepcopy(v) for v in (base, ours, theirs)]
        label = label_for(self.kind, path) if path else WHOLE_CARD_LABEL
        self.conflicts.append(FieldConflict(path, label, *vals))

    def value(self, path: FieldPath, base: Any, ours: Any, theirs: Any) -> Any:
        """The merged value at ``path`` (``_MISSING`` when the merged card has no such key)."""
        if same(ours, theirs):
            return ours
        if same(base, ours):
            return theirs
        if same(base, theirs):
            return ours
        b = base if base is not _MISSING else None
        if isinstance(ours, dict) and isinstance(theirs, dict) and isinstance(b, (dict, type(None))):
            return self.table(path, b or {}, ours, theirs)
        if isinstance(ours, list) and isinstance(theirs, list) and isinstance(b, (list, type(None))):
            items = [*(b or []), *ours, *theirs]
            if all(isinstance(x, dict) for x in items):
                if path == (DECISIONS_KEY,):
                    return self.decisions(path, b or [], ours, theirs)
                return self.tables(path, b or [], ours, theirs)
            if not any(isinstance(x, (dict, list)) for x in items):
                return _scalar_list(b or [], ours, theirs)
        self.conflict(path, base, ours, theirs)
        return ours

    def table(
        self, path: FieldPath, base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
    ) -> dict[str, Any]:
        """Merge per key; keys new in theirs go after their predecessor in theirs."""
        order = list(ours)
        prev: str | None = None
        for k in theirs:
            if k not in order:
                order.insert(order.index(prev) + 1 if prev is not None else 0, k)
            prev = k
        out: dict[str, Any] = {}
        for k in order:
            v = self.value((*path, k), base.get(k, _MISSING), ours.get(k, _MISSING), theirs.get(k, _MISSING))
            if v is not _MISSING:
                out[k] = copy.deepcopy(v)
        return out

    def tables(self, path: FieldPath, base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
        """Merge a list of tables per item; an item edited on one side and edited or deleted on the
        other differently makes the whole list a conflict (unless both edits were tables that
        merge per key)."""
        mark = len(self.conflicts)
        o_state, o_ins = _align(base, ours)
        t_state, t_ins = _align(base, theirs)
        ours_added = Counter(_key(x) for g in o_ins.values() for x in g)
        out: list[Any] = []
        for g in range(len(base) + 1):
            out.extend(o_ins.get(g, []))
            for item in t_ins.get(g, []):
                if ours_added[_key(item)] > 0:
                    ours_added[_key(item)] -= 1
                else:
                    out.append(item)
            if g == len(base):
                break
            (os_, ov), (ts, tv) = o_state[g], t_state[g]
            if os_ == "del" or ts == "del":
                if "mod" in (os_, ts):
                    del self.conflicts[mark:]
                    self.conflict(path, base, ours, theirs)
                    return ours
                continue
            if os_ == "mod" and ts == "mod" and not same(ov, tv):
                out.append(self.value((*path, len(out)), base[g], ov, tv))
            else:
                out.append(ov if os_ == "mod" else tv)
        return out

    def decisions(self, path: FieldPath, base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
        """Decisions (``[[besluiten]]``) are an append-only list: what either side added is kept (the
        same decision added on both sides once), ordered by date and otherwise as found. An item
        edited differently on both sides is the usual field conflict."""
        mark = len(self.conflicts)
        merged = self.tables(path, base, ours, theirs)
        if len(self.conflicts) > mark:
            return merged

        def datum(item: Any) -> str:
            value = item.get("datum") if isinstance(item, dict) else None
            return "" if value is None or isinstance(value, (dict, list)) else str(value)  # a TOML date too

        return sorted(merged, key=datum)


def _align(base: list[Any], side: list[Any]) -> tuple[list[tuple[str, Any]], dict[int, list[Any]]]:
    """Per base item ('keep'|'mod'|'del', value) and the items a side inserted before base index g."""
    state: list[tuple[str, Any]] = [("keep", b) for b in base]
    inserts: dict[int, list[Any]] = {}
    sm = difflib.SequenceMatcher(None, [_key(x) for x in base], [_key(x) for x in side], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                state[i] = ("mod", side[j])
            continue
        if op in ("delete", "replace"):
            for i in range(i1, i2):
                state[i] = ("del", None)
        if op in ("insert", "replace"):
            inserts.setdefault(i1, []).extend(side[j1:j2])
    return state, inserts


def _count(b: int, o: int, t: int) -> int:
    """How often an item appears after merging: the same item added (or removed) by both counts once."""
    if o >= b and t >= b:
        return max(o, t)
    if o <= b and t <= b:
        return min(o, t)
    return max(0, o + t - b)


def _scalar_list(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Ours' order, items either side removed gone, theirs' additions after their predecessor
    (and after what ours added there)."""
    b, o, t = (Counter(map(_key, x)) for x in (base, ours, theirs))
    target = {k: _count(b[k], o[k], t[k]) for k in {*o, *t}}
    out: list[Any] = []
    kept: Counter[str] = Counter()
    for item in ours:
        if kept[_key(item)] < target[_key(item)]:
            out.append(item)
            kept[_key(item)] += 1
    extra = {k: target[k] - kept[k] for k in target}
    seen: Counter[str] = Counter()
    anchor = -1
    for item in theirs:
        k = _key(item)
        seen[k] += 1
        if extra[k] > 0 and seen[k] > t[k] - (target[k] - kept[k]):
            anchor += 1
            while anchor < len(out) and not b[_key(out[anchor])] and not t[_key(out[anchor])]:
                anchor += 1  # ours' own additions at the same place come first, as in tables()
            out.insert(anchor, item)
            extra[k] -= 1
        else:
            places = [i for i, x in enumerate(out) if _key(x) == k]
            if places:
                anchor = places[min(seen[k], len(places)) - 1]
    return out


def merge_cards(
    base: dict[str, Any] | None, ours: dict[str, Any] | None, theirs: dict[str, Any] | None, kind: Kind | None
) -> MergeResult:
    """Merge two versions of a card against their common base (``None``: card absent there)."""
    m = _Merge(kind)
    if ours is None or theirs is None:
        present = ours if ours is not None else theirs
        if present is None or (base is not None and same(base, present)):
            return MergeResult({})
        if base is None:
            return MergeResult(copy.deepcopy(present))
        m.conflict((), base, _MISSING if ours is None else ours, _MISSING if theirs is None else theirs)
        return MergeResult(copy.deepcopy(present), m.conflicts)
    data = m.table((), base or {}, ours, theirs)
    return MergeResult(data, m.conflicts)


def dotted(path: Sequence[str | int]) -> str:
    """``("mijlpalen", 2, "omschrijving")`` → ``mijlpalen.2.omschrijving`` (odd keys JSON-quoted)."""
    parts = [str(p) if isinstance(p, int) or _BARE.match(p) else json.dumps(p, ensure_ascii=False) for p in path]
    return ".".join(parts)


def parse_path(text: str) -> FieldPath:
    """The inverse of ``dotted``."""
    out: list[str | int] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            value, end = json.JSONDecoder().raw_decode(text, i)
            out.append(str(value))
            i = end
        else:
            end = text.find(".", i)
            end = len(text) if end < 0 else end
            part = text[i:end]
            out.append(int(part) if part.isdigit() else part)
            i = end
        i += 1  # the dot
    return tuple(out)


def _entry(c: FieldConflict) -> dict[str, Any]:
    entry: dict[str, Any] = {"field": c.field, "label": c.label}
    for side in _SIDES:
        value = getattr(c, side)
        if value is not None:
            entry[side] = copy.deepcopy(value)
    return entry


def with_conflicts(data: dict[str, Any], conflicts: Sequence[FieldConflict]) -> dict[str, Any]:
    """``data`` with the conflicts recorded as ``[[conflict]]`` entries (replacing older ones for the same field)."""
    out = copy.deepcopy(data)
    if not conflicts:
        return out
    existing = out.get(CONFLICT_KEY)
    old: list[Any] = existing if isinstance(existing, list) else []
    fields = {c.field for c in conflicts}
    out[CONFLICT_KEY] = [e for e in old if not (isinstance(e, dict) and e.get("field") in fields)]
    out[CONFLICT_KEY].extend(_entry(c) for c in conflicts)
    return out


def conflicts_of(data: dict[str, Any]) -> list[FieldConflict]:
    """The unresolved conflicts recorded in a card (entries without a ``field`` are skipped)."""
    entries = data.get(CONFLICT_KEY)
    out = []
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict) and isinstance(e.get("field"), str):
            path = parse_path(e["field"])
            out.append(FieldConflict(path, str(e.get("label", "")), *(e.get(s) for s in _SIDES)))
    return out


def resolve(data: dict[str, Any], path: Sequence[str | int], value: Any) -> dict[str, Any]:
    """A copy of ``data`` with the conflict at ``path`` settled as ``value`` (``None`` deletes the
    field; for the whole card, ``path == ()``, ``None`` returns ``{}``: delete the card)."""
    path = tuple(path)
    if not any(c.path == path for c in conflicts_of(data)):
        raise KeyError(f"geen conflict voor veld '{dotted(path)}'")
    out = copy.deepcopy(data)
    rest = [e for e in out[CONFLICT_KEY] if not (isinstance(e, dict) and e.get("field") == dotted(path))]
    if not path:
        out = copy.deepcopy(value) if value is not None else {}
        rest = [] if value is None else rest
    else:
        parent: Any = out
        for step, nxt in itertools.pairwise(path):
            if isinstance(parent, dict) and step not in parent:
                parent[step] = [] if isinstance(nxt, int) else {}
            parent = parent[step]
        last = path[-1]
        if value is None:
            if isinstance(parent, dict):
                parent.pop(last, None)
            elif isinstance(last, int) and last < len(parent):
                del parent[last]
        elif isinstance(parent, list) and isinstance(last, int) and last == len(parent):
            parent.append(copy.deepcopy(value))
        else:
            parent[last] = copy.deepcopy(value)
    if rest:
        out[CONFLICT_KEY] = rest
    else:
        out.pop(CONFLICT_KEY, None)
    return out
