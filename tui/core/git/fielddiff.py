"""What changed between two versions of a card, field by field, in the users' own labels.

Reviewers think in fields ("Doelstelling changed"), not in TOML lines; this is the diff the
history view, the commit dialog and ``kaartenbak diff`` show.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Mapping, Sequence

from tui.core.cards.render_text import plain_value
from tui.core.cards.schema import Kind, Schema
from tui.core.cards.text import visible
from tui.core.cards.validate import label_for

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
LONG_TEXT = 80  # longer (or multi-line) strings get a word-level diff
_MISSING = object()
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A stretch of a word-level diff: ``equal``, ``insert`` or ``delete``."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """One changed field: its key path, Dutch label, old and new value and the details."""

    path: tuple[str | int, ...]
    label: str
    change: str  # added | removed | changed
    old: Any = None
    new: Any = None
    added_items: tuple[str, ...] = ()
    removed_items: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = ()

    @property
    def key(self) -> str:
        """The top-level field key."""
        return str(self.path[0])


def kind_for(schema: Schema | None, *cards: Mapping[str, Any] | None) -> Kind | None:
    """The kind of the newest of ``cards`` that names one (for labels)."""
    for data in reversed(cards):
        if schema is not None and data is not None and isinstance(data.get("kind"), str):
            kind = schema.kind(data["kind"])
            if kind is not None:
                return kind
    return None


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments turning ``old`` into ``new`` (whitespace kept, so the text rebuilds exactly)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op, out[-1].text + text)
        else:
            out.append(Segment(op, text))

    # the common head and tail first: SequenceMatcher is quadratic, an edit is usually local
    shorter = min(len(a), len(b))
    head = 0
    while head < shorter and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < shorter - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    add("equal", "".join(a[:head]))
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(mid_a[i1:i2]))
        else:
            add("delete", "".join(mid_a[i1:i2]))
            add("insert", "".join(mid_b[j1:j2]))
    add("equal", "".join(a[len(a) - tail :]))
    return tuple(out)


def _items(values: Sequence[Any]) -> list[str]:
    return [v if isinstance(v, str) else repr(v) for v in values]


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and ("\n" in value or len(value) > LONG_TEXT)


def _diff_value(kind: Kind | None, path: tuple[str | int, ...], old: Any, new: Any) -> list[FieldDiff]:
    if old == new:
        return []
    label = label_for(kind, path)
    if old is _MISSING:
        return [FieldDiff(path, label, ADDED, None, new)]
    if new is _MISSING:
        return [FieldDiff(path, label, REMOVED, old, None)]
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return _diff_maps(kind, path, old, new)
    if isinstance(old, list) and isinstance(new, list):
        if all(isinstance(v, Mapping) for v in old + new) and (old or new):
            out: list[FieldDiff] = []
            for i in range(max(len(old), len(new))):
                out.extend(
                    _diff_value(
                        kind, (*path, i), old[i] if i < len(old) else _MISSING, new[i] if i < len(new) else _MISSING
                    )
                )
            return out
        a, b = _items(old), _items(new)
        added = tuple(_multiset_minus(b, a))
        removed = tuple(_multiset_minus(a, b))
        return [FieldDiff(path, label, CHANGED, old, new, added, removed)]
    segments = word_diff(old, new) if _is_long(old) or _is_long(new) else ()
    return [FieldDiff(path, label, CHANGED, old, new, segments=segments)]


def _multiset_minus(a: list[str], b: list[str]) -> list[str]:
    rest = list(b)
    out = []
    for item in a:
        if item in rest:
            rest.remove(item)
        else:
            out.append(item)
    return out


def _ordered_keys(
    kind: Kind | None, path: tuple[str | int, ...], old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    known: Sequence[str] = ()
    if kind is not None:
        if not path:
            known = kind.keys
        else:
            field = kind.field(str(path[0]))
            for step in path[1:]:
                field = field.child(step) if field is not None and isinstance(step, str) else field
            known = [c.key for c in field.children] if field is not None else ()
    keys = [k for k in known if k in old or k in new]
    return keys + [k for k in dict.fromkeys([*old, *new]) if k not in keys]


def _diff_maps(
    kind: Kind | None, path: tuple[str | int, ...], old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[FieldDiff]:
    out: list[FieldDiff] = []
    for key in _ordered_keys(kind, path, old, new):
        out.extend(_diff_value(kind, (*path, key), old.get(key, _MISSING), new.get(key, _MISSING)))
    return out


def diff_cards(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, kind: Kind | None = None
) -> list[FieldDiff]:
    """Every changed field from ``old`` to ``new`` in schema order; None stands for an absent card."""
    return _diff_maps(kind, (), old or {}, new or {})


def changed_fields(diffs: Sequence[FieldDiff]) -> list[str]:
    """The distinct top-level field keys of ``diffs``, in order."""
    return list(dict.fromkeys(d.key for d in diffs))


# --- terminal output -------------------------------------------------------------------------

_RED, _GREEN, _BOLD, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"
_CONTEXT = 60


def _show(value: Any) -> str:
    return visible(plain_value(value, inline=True))


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and text else text


def _shorten(text: str, first: bool, last: bool) -> str:
    if len(text) <= 2 * _CONTEXT:
        return text
    head = "" if first else text[:_CONTEXT]
    tail = "" if last else text[-_CONTEXT:]
    return f"{head}…{tail}"


def _render_segments(segments: Sequence[Segment], color: bool) -> str:
    parts = []
    for i, seg in enumerate(segments):
        text = visible(seg.text)
        if seg.op == "equal":
            parts.append(_shorten(text, i == 0, i == len(segments) - 1))
        elif seg.op == "delete":
            parts.append(_paint(text, _RED, True) if color else f"[-{text}-]")
        else:
            parts.append(_paint(text, _GREEN, True) if color else f"{{+{text}+}}")
    return "".join(parts)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def format_diff(diffs: Sequence[FieldDiff], color: bool = False) -> str:
    """Readable text of ``diffs`` for the terminal; ANSI colours only when ``color``; user text made visible."""
    lines: list[str] = []
    for d in diffs:
        label = visible(d.label)
        if d.change == ADDED:
            lines.append(_paint(f"+ {label}:", _GREEN, color))
            lines.append(_paint(_indent(_show(d.new)), _GREEN, color))
        elif d.change == REMOVED:
            lines.append(_paint(f"- {label}:", _RED, color))
            lines.append(_paint(_indent(_show(d.old)), _RED, color))
        else:
            lines.append(_paint(f"~ {label}:", _BOLD, color))
            if d.added_items or d.removed_items:
                lines.extend(_paint(f"    - {visible(i)}", _RED, color) for i in d.removed_items)
                lines.extend(_paint(f"    + {visible(i)}", _GREEN, color) for i in d.added_items)
            elif isinstance(d.old, list) and isinstance(d.new, list):
                lines.append(_paint("    (volgorde gewijzigd)", _DIM, color))
            elif d.segments:
                lines.append(_indent(_render_segments(d.segments, color)))
            else:
                lines.append(_paint(_indent(_show(d.old), "    - "), _RED, color))
                lines.append(_paint(_indent(_show(d.new), "    + "), _GREEN, color))
    return "\n".join(lines)
