"""Bulk edits: one change to one field of many cards, as one reviewable change.

A meeting decides "a new partner organisation for all cards of theme 3" or "rename X to Y
everywhere". A :class:`BulkEdit` says what (``set``, ``append``, ``remove`` or ``replace`` on one
field, by key path: ``betrokken_organisaties`` or ``randvoorwaarden.bekostiging``);
:func:`plan_bulk` works out, without writing anything, the new data and the field diff of every
card it changes and why each other card is skipped; :func:`apply_bulk` saves the planned cards one
by one through the card writer (so a card changes only in the touched field's lines), refuses the
cards that changed on disk since the plan or have an open draft or editor, and proposes one commit
message for the cards it saved.

Skip reasons and errors are codes with parameters; the words are in ``tui/locale`` under
``bulk.reason.<code>`` and ``bulk.error.<code>``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.cards.atomic import WriteError
from tui.core.cards.card import Card
from tui.core.cards.schema import Field, Kind, Schema
from tui.core.cards.store import ChangedOnDisk
from tui.core.cards.text import fold, visible
from tui.core.cards.validate import Problem, label_for, validate_data
from tui.core.cards.writer import same
from tui.core.drafts import DraftStore
from tui.core.git.fielddiff import FieldDiff, diff_cards
from tui.core.importing.convert import EMPTY, convert
from tui.core.locks import EditLocks
from tui.core.workspace import Workspace

if TYPE_CHECKING:
    from tui.core.library import Library

SET, APPEND, REMOVE, REPLACE = "set", "append", "remove", "replace"
OPS: tuple[str, ...] = (SET, APPEND, REMOVE, REPLACE)
NOT_BULK = frozenset({"id", "kind", "conflict"})  # never changed in bulk
EDITABLE = ("line", "text", "list", "enum", "number", "bool")
VOCAB_CODES = frozenset({"theme_unknown", "theme_spelling", "programme_unknown", "themas_unknown", "region_unknown"})
SUMMARY_VALUE = 40  # characters of a value in the commit message's first line


class BulkError(Exception):
    """The bulk edit cannot be planned at all: ``code`` (``bulk.error.<code>``) and ``params``."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}" if params else code)


@dataclass(frozen=True)
class BulkEdit:
    """One change for many cards: ``op`` on the field at ``field`` (dotted key path).

    ``value`` is the text typed for set, append and remove (converted by the field's type like
    the editor and the import do); ``old`` and ``new`` are the texts of a replace.
    """

    op: str
    field: str
    value: str = ""
    old: str = ""
    new: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(p for p in self.field.split(".") if p)

    def describe(self) -> str:
        """The change in a few words: ``betrokken_organisaties + "Gemeente Venlo"``."""
        if self.op == REPLACE:
            return f'{self.field}: "{_short(self.old)}" → "{_short(self.new)}"'
        sign = {SET: "=", APPEND: "+", REMOVE: "-"}.get(self.op, self.op)
        return f'{self.field} {sign} "{_short(self.value)}"'


@dataclass(frozen=True)
class Skip:
    """A card the bulk edit leaves alone, and why (``bulk.reason.<code>`` with ``params``)."""

    card: Card
    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def values(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class Change:
    """A card the bulk edit changes: its new data and the field diff from the old data."""

    card: Card
    data: dict[str, Any]
    diffs: tuple[FieldDiff, ...]


@dataclass
class BulkPlan:
    """What a bulk edit would do, card by card; nothing is written until ``apply_bulk``."""

    edit: BulkEdit
    changes: list[Change] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    scope: str = ""  # what chose the cards (a query, "thema 3"), for the commit message
    label: str = ""  # the field's label in the display language

    @property
    def count(self) -> int:
        return len(self.changes)

    def message(self) -> str:
        """The commit message proposed for the planned cards."""
        return commit_message(self.edit, [c.card for c in self.changes], self.scope)


@dataclass
class BulkResult:
    """What ``apply_bulk`` did: the saved cards, the refused ones, and the commit to propose."""

    saved: list[Card] = field(default_factory=list)
    refused: list[Skip] = field(default_factory=list)
    message: str = ""
    paths: list[str] = field(default_factory=list)  # repository-relative paths of the saved cards


# -- fields --------------------------------------------------------------------------------------


def field_of(kind: Kind, path: Sequence[str]) -> Field | None:
    """The field at ``path`` in ``kind`` (a sub-field only inside a table field), or None."""
    if not path:
        return None
    f = kind.field(path[0])
    for step in path[1:]:
        if f is None or f.widget != "table":
            return None
        f = f.child(step)
    return f


def bulk_fields(schema: Schema, kinds: Iterable[str]) -> list[tuple[str, str]]:
    """(key path, label) of every field a bulk edit can change in the kinds ``kinds``, in schema order."""
    out: dict[str, str] = {}
    for name in dict.fromkeys(kinds):
        kind = schema.kind(name)
        if kind is None:
            continue
        for f in kind.fields:
            if f.key in NOT_BULK:
                continue
            if f.widget in EDITABLE:
                out.setdefault(f.key, f.label)
            elif f.widget == "table":
                for c in f.children:
                    if c.widget in EDITABLE:
                        out.setdefault(f"{f.key}.{c.key}", label_for(kind, (f.key, c.key)))
    return list(out.items())


def suggestions(ws: Workspace, key: str, cards: Iterable[Card]) -> list[str]:
    """Values to offer for field ``key``: its choices, its vocabulary, and the values cards already hold."""
    path = tuple(key.split("."))
    out: list[str] = []
    cards = list(cards)
    for name in dict.fromkeys(c.kind for c in cards):
        kind = ws.schema.kind(name)
        f = field_of(kind, path) if kind is not None else None
        if f is None:
            continue
        out.extend(f.choices)
        if f.vocab:
            out.extend(ws.vocab.values(f.vocab))
    if any(k in key for k in ("organisat", "betrokken", "kartrekker", "ontvangen")):
        out.extend(ws.vocab.values("organisations"))
    for c in cards:
        value = _get(c.data, path)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v.strip():
                out.append(v)
    return list(dict.fromkeys(out))


# -- selection -----------------------------------------------------------------------------------


def select_cards(ws: Workspace, cards: Sequence[Card], query: str) -> list[Card]:
    """The cards the browser's search ``query`` finds (full matches, best first).

    An unknown filter is refused rather than ignored: ignoring it would widen the selection.
    """
    from tui.core.search.query import parse_query
    from tui.core.search.search import SearchIndex

    q = parse_query(query)
    if q.unknown:
        raise BulkError("unknown_filter", names=", ".join(q.unknown))
    if not (q.words or q.filters):
        raise BulkError("empty_query")
    result = SearchIndex(cards, ws.schema).find(query)
    by_id = {c.id: c for c in cards}
    return [by_id[i] for i in result.ids if i in by_id]


# -- planning ------------------------------------------------------------------------------------


def check_edit(ws: Workspace, edit: BulkEdit, kinds: Iterable[str] = ()) -> None:
    """BulkError when the edit cannot apply to any card: unknown operation or field, empty value."""
    if edit.op not in OPS:
        raise BulkError("unknown_op", op=edit.op, ops=", ".join(OPS))
    path = edit.path
    if not path or path[0] in NOT_BULK:
        raise BulkError("not_bulk", field=edit.field)
    if not any(field_of(k, path) is not None for k in ws.schema.kinds.values()):
        known = ", ".join(k for k, _ in bulk_fields(ws.schema, kinds or ws.schema.kinds))
        raise BulkError("unknown_field", field=edit.field, known=known)
    if edit.op in (APPEND, REMOVE) and not edit.value.strip():
        raise BulkError("empty_value", op=edit.op)
    if edit.op == REPLACE and not edit.old:
        raise BulkError("empty_old")


def plan_bulk(ws: Workspace, edit: BulkEdit, cards: Sequence[Card], *, scope: str = "") -> BulkPlan:
    """Per card the new data and field diff, or why it is skipped; writes nothing.

    ``ws`` is the workspace (``library.workspace`` in the app). BulkError when the edit makes no
    sense at all (unknown field, no cards).
    """
    if not cards:
        raise BulkError("empty_selection")
    check_edit(ws, edit, [c.kind for c in cards])
    plan = BulkPlan(edit, scope=scope)
    drafts = DraftStore(ws.root)
    locks = EditLocks(ws.root)
    labels: list[str] = []
    for card in cards:
        kind = ws.schema.kind(card.kind)
        f = field_of(kind, edit.path) if kind is not None else None
        if kind is None or f is None:
            plan.skipped.append(_skip(card, "not_in_kind", kind=card.kind))
            continue
        labels.append(label_for(kind, edit.path))
        outcome = _new_value(ws.schema, f, edit, _get(card.data, edit.path))
        if isinstance(outcome, tuple):
            plan.skipped.append(_skip(card, outcome[0], **outcome[1]))
            continue
        data = card.to_dict()
        _set(data, edit.path, outcome)
        if same(data, dict(card.data)):
            plan.skipped.append(_skip(card, "same"))
            continue
        refusal = _refusal(ws, card, data, edit.path)
        if refusal is None:
            refusal = _busy(drafts, locks, card)
        if refusal is not None:
            plan.skipped.append(refusal)
            continue
        plan.changes.append(Change(card, data, tuple(diff_cards(card.data, data, kind))))
    plan.label = labels[0] if labels else edit.field
    return plan


_Outcome = Any  # the new value (EMPTY: remove the key) or (reason code, params)


def _new_value(schema: Schema, f: Field, edit: BulkEdit, current: Any) -> _Outcome:
    if f.widget not in EDITABLE:
        return ("not_editable", {})
    if edit.op == SET:
        value, issues = convert(f, edit.value, schema)
        errors = [i for i in issues if i.level == "error"]
        if errors:
            code = {"enum": "not_allowed"}.get(errors[0].code, errors[0].code)
            return (code, dict(errors[0].params))
        if value is EMPTY and current is EMPTY:
            return ("same", {})
        return value
    if edit.op in (APPEND, REMOVE):
        if f.widget != "list":
            return ("not_a_list", {})
        if current is not EMPTY and not isinstance(current, list):
            return ("not_a_list", {})
        items = list(current) if isinstance(current, list) else []
        item = " ".join(edit.value.split())
        key = fold(item)
        if edit.op == APPEND:
            if any(isinstance(i, str) and fold(i) == key for i in items):
                return ("already", {"value": item})
            return [*items, item]
        kept = [i for i in items if not (isinstance(i, str) and fold(i) == key)]
        if len(kept) == len(items):
            return ("absent", {"value": item})
        return kept if kept or current is EMPTY else []
    # replace
    if f.widget in ("number", "bool"):
        return ("not_text", {})
    if isinstance(current, str):
        if edit.old not in current:
            return ("no_match", {"old": edit.old})
        out = current.replace(edit.old, edit.new)
        if f.widget == "enum" and f.choices and out not in f.choices:
            return ("not_allowed", {"value": out, "choices": ", ".join(f.choices)})
        return out
    if isinstance(current, list):
        if not any(isinstance(i, str) and edit.old in i for i in current):
            return ("no_match", {"old": edit.old})
        replaced = [i.replace(edit.old, edit.new) if isinstance(i, str) else i for i in current]
        return [i for i in replaced if not (isinstance(i, str) and not i.strip())]
    return ("no_match", {"old": edit.old})


def _refusal(ws: Workspace, card: Card, data: dict[str, Any], path: tuple[str, ...]) -> Skip | None:
    """Why the new data may not be saved: a validation error, or a value outside the vocabulary."""
    problems = validate_data(data, ws.schema, ws.vocab)
    errors = [p for p in problems if p.is_error]
    if errors:
        first = next((p for p in errors if p.field == path[0]), errors[0])
        return _skip(card, "invalid", problem=str(first))
    vocab = [p for p in problems if p.code in VOCAB_CODES and p.field == path[0]]
    if vocab:
        before = {_key(p) for p in validate_data(card.data, ws.schema, ws.vocab)}
        new = [p for p in vocab if _key(p) not in before]
        if new:
            return _skip(card, "vocabulary", problem=str(new[0]))
    return None


def _key(p: Problem) -> tuple[Any, ...]:
    return (p.path, p.code, p.params)


def _busy(drafts: DraftStore, locks: EditLocks, card: Card) -> Skip | None:
    """A card with an unsaved draft or open in an editor: its save would overwrite the bulk change."""
    if drafts.get(card.id) is not None:
        return _skip(card, "draft")
    holder = locks.holder(card.id)
    if holder is not None:
        return _skip(card, "locked", who=holder.describe())
    return None


def _skip(card: Card, code: str, **params: object) -> Skip:
    return Skip(card, code, tuple((k, str(v)) for k, v in params.items()))


def _get(data: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = data
    for p in path:
        if not isinstance(node, Mapping) or p not in node:
            return EMPTY
        node = node[p]
    return node


def _set(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    node = data
    for p in path[:-1]:
        nxt = node.get(p)
        if not isinstance(nxt, dict):
            nxt = {}
            node[p] = nxt
        node = nxt
    if value is EMPTY:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = copy.deepcopy(value)


# -- applying ------------------------------------------------------------------------------------


def apply_bulk(
    ws: Workspace,
    plan: BulkPlan,
    *,
    library: Library | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """Save every planned card through the card writer, one by one (each save atomic).

    Refused (and listed, never written): a card whose file changed since the plan, a card that
    got a draft or an editor since, a card the writer cannot save. ``library`` (the app's) is
    told of the saved cards once all are written. The result proposes one commit: message and paths.
    """
    result = BulkResult()
    drafts = DraftStore(ws.root)
    locks = EditLocks(ws.root)
    total = len(plan.changes)
    for done, change in enumerate(plan.changes, 1):
        card = change.card
        refusal = _busy(drafts, locks, card)
        if refusal is None:
            try:
                saved = ws.store.save(card, change.data)
            except ChangedOnDisk:
                refusal = _skip(card, "changed_on_disk")
            except (WriteError, OSError) as exc:
                refusal = _skip(card, "write_failed", reason=str(exc))
            else:
                result.saved.append(saved)
                result.paths.append(_rel(ws.root, saved.path))
        if refusal is not None:
            result.refused.append(refusal)
        if progress is not None:
            progress(done, total)
    if library is not None:  # told together at the end: the screens follow once, not once per card
        for saved in result.saved:
            library.update(saved)
    result.message = commit_message(plan.edit, result.saved, plan.scope)
    return result


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# -- the commit message --------------------------------------------------------------------------


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= SUMMARY_VALUE else one[: SUMMARY_VALUE - 1] + "…"


def commit_message(edit: BulkEdit, cards: Sequence[Card], scope: str = "") -> str:
    """``Bulk: betrokken_organisaties + "Gemeente Venlo" op 14 kaarten (thema:3)`` and a line per card.

    Dutch, like the other proposed messages; card text made visible (no control characters).
    """
    if not cards:
        return ""
    n = len(cards)
    head = f"Bulk: {edit.describe()} op {n} {'kaart' if n == 1 else 'kaarten'}"
    if scope.strip():
        head += f" ({_short(scope)})"
    lines = [visible(head, keep=""), ""]
    lines.extend(visible(f"- {c.id}: {' '.join(c.title.split())}", keep="") for c in cards)
    return "\n".join(lines) + "\n"
