"""Validation of cards against the JSON Schema: problems as codes and parameters, tied to a field.

Two levels: *errors* (the card cannot be saved: wrong type, unknown kind, missing id, title or
theme) come from the JSON Schema, checked with ``jsonschema``; *warnings* (an empty field the
template expects, a value outside the region's vocabulary, hidden bidi characters, a link to an
unknown card) are Kaartenbak's own and never block saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from tui.core.cards.card import Card
from tui.core.cards.schema import Field, Kind, Schema
from tui.core.cards.text import suspicious_chars
from tui.core.cards.vocab import Vocabulary
from tui.core.language import phrase, pick

ERROR = "error"
WARNING = "warning"
Param = str | int | float
_ISO_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # a date's shape; the schema checks it
_TYPES = ("string", "array", "object", "integer", "number", "boolean")


@dataclass(frozen=True)
class Problem:
    """One validation finding: a code and parameters, tied to a field by key path.

    The words live in ``tui/locale`` (``core.validate.<code>``): ``message`` phrases the code
    in the display language, ``label`` names the field in it (both Dutch and English labels are
    kept, so a cached problem reads right in either language).
    """

    level: str
    path: tuple[str | int, ...]
    code: str
    params: tuple[tuple[str, Param], ...] = ()
    label_nl: str = ""
    label_en: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def field(self) -> str:
        """The top-level field key the problem belongs to ('' for the whole card)."""
        return str(self.path[0]) if self.path else ""

    @property
    def label(self) -> str:
        """The field's name in the display language ('' for the whole card)."""
        return pick(self.label_nl, self.label_en)

    @property
    def message(self) -> str:
        """What is wrong and what to do, in the display language.

        A parameter given in both languages (``since_nl`` and ``since_en``) is offered to the words
        as ``since`` in the display language."""
        params: dict[str, object] = dict(self.params)
        for key in [k for k in params if k.endswith("_nl")]:
            params.setdefault(key[:-3], pick(str(params[key]), str(params.get(key[:-3] + "_en", ""))))
        return phrase(f"validate.{self.code}", params)

    def plain(self) -> tuple[str, tuple[str | int, ...], str, tuple[tuple[str, Param], ...], str, str]:
        """The problem as plain data (for caches)."""
        return (self.level, tuple(self.path), self.code, tuple(self.params), self.label_nl, self.label_en)

    @classmethod
    def from_plain(cls, raw: Sequence[Any]) -> Problem:
        """The problem ``plain()`` gave."""
        level, path, code, params, label_nl, label_en = raw
        return cls(level, tuple(path), code, tuple((str(k), v) for k, v in params), label_nl, label_en)

    def __str__(self) -> str:
        return f"{self.label}: {self.message}" if self.label else self.message


def _problem(
    level: str, path: Sequence[str | int], code: str, labels: tuple[str, str] = ("", ""), **params: Param
) -> Problem:
    return Problem(level, tuple(path), code, tuple(params.items()), *labels)


def label_for(kind: Kind | None, path: Sequence[str | int], lang: str | None = None) -> str:
    """The label of a field path: ``Benodigde randvoorwaarden › Bekostiging`` (display language by default)."""
    if not path:
        return ""
    parts: list[str] = []
    fields: Sequence[Field] = kind.fields if kind else ()
    current: Field | None = None
    for step in path:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1]} {step + 1}"] if parts else [str(step + 1)]
            continue
        current = next((f for f in fields if f.key == step), None)
        if current is None:
            parts.append(str(step))
        elif lang is None:
            parts.append(current.label)
        else:
            parts.append(current.label_en or current.label_nl if lang == "en" else current.label_nl)
        fields = current.children if current else ()
    return " › ".join(parts)


def _labels(kind: Kind | None, path: Sequence[str | int]) -> tuple[str, str]:
    return label_for(kind, path, "nl"), label_for(kind, path, "en")


def _envelope_labels(schema: Schema, key: str) -> tuple[str, str]:
    prop = schema.envelope.get("properties", {}).get(key, {})
    return prop.get("title", key), prop.get("x-label-en", "") or prop.get("title", key)


@lru_cache(maxsize=32)
def _validator(kind: Kind) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # imported on first use: keeps start-up fast

    return Draft202012Validator(kind.json_schema)


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return all(_empty(v) for v in (value.values() if isinstance(value, dict) else value)) if value else True
    return False


def _from_schema(err: ValidationError, kind: Kind) -> list[Problem]:
    path = tuple(err.absolute_path)
    v, val = err.validator, err.validator_value
    labels = _labels(kind, path)
    if v == "required":
        inst = err.instance if isinstance(err.instance, dict) else {}
        return [_problem(ERROR, (*path, m), "required", _labels(kind, (*path, m))) for m in val if m not in inst]
    if v == "additionalProperties":
        props = err.schema.get("properties", {})
        extra = [k for k in err.instance if k not in props]
        return [_problem(ERROR, (*path, k), "unknown_field", (str(k), str(k))) for k in extra]
    if v == "type":
        expected = val if isinstance(val, str) else val[0]
        code = f"type_{expected}" if expected in _TYPES else "type_other"
        return [_problem(ERROR, path, code, labels, expected=str(expected), actual=type(err.instance).__name__)]
    if v == "enum":
        return [_problem(ERROR, path, "enum", labels, value=str(err.instance), choices=", ".join(map(str, val)))]
    if v == "const":
        return [_problem(ERROR, path, "const", labels, value=str(val))]
    if v == "maxLength":
        return [_problem(ERROR, path, "max_length", labels, length=len(err.instance), max=int(val))]
    if v == "minLength":
        return [_problem(ERROR, path, "min_length", labels)]
    if v == "maxItems":
        return [_problem(ERROR, path, "max_items", labels, max=int(val))]
    if v == "pattern" and err.schema.get("x-format") == "date":
        return [_problem(ERROR, path, "decisions.date_invalid", labels, value=str(err.instance))]
    if v == "pattern":
        return [_problem(ERROR, path, "pattern", labels)]
    if v in ("minimum", "maximum"):
        return [_problem(ERROR, path, str(v), labels, limit=val)]
    return [_problem(ERROR, path, "schema", labels, rule=str(v))]


def validate_data(data: Mapping[str, Any], schema: Schema, vocab: Vocabulary | None = None) -> list[Problem]:
    """All problems of one card's data, errors first, in schema order."""
    problems: list[Problem] = []
    if isinstance(data.get("conflict"), list) and data["conflict"]:  # written by the merge driver (tui.core.sync.merge)
        problems.append(_problem(ERROR, ("conflict",), "conflict"))
    kind_name = data.get("kind")
    kind = schema.kind(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        choices = ", ".join(schema.kinds)
        labels = _envelope_labels(schema, "kind")
        if kind_name:
            problems.append(_problem(ERROR, ("kind",), "kind_unknown", labels, kind=str(kind_name), choices=choices))
        else:
            problems.append(_problem(ERROR, ("kind",), "kind_missing", labels, choices=choices))
        for key in ("id", "title"):
            if _empty(data.get(key)):
                problems.append(_problem(ERROR, (key,), "required", _envelope_labels(schema, key)))
        return problems
    for err in sorted(_validator(kind).iter_errors(dict(data)), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(_from_schema(err, kind))
    problems.extend(_status_problems(data, kind, vocab))
    problems.extend(_decision_dates(data, kind))
    problems.extend(_warnings(data, kind, vocab))
    order = {k: i for i, k in enumerate(kind.keys)}
    return sorted(problems, key=lambda p: (p.level != ERROR, order.get(p.field, len(order))))


def _status_problems(data: Mapping[str, Any], kind: Kind, vocab: Vocabulary | None) -> list[Problem]:
    """The lifecycle status: a code of the region's vocabulary, and the fields it requires filled.

    Without a status (or for a region the vocabulary does not know) there is nothing to check.
    """
    value = data.get("status")
    region = vocab.regions.get(data["region"]) if vocab is not None and isinstance(data.get("region"), str) else None
    if not isinstance(value, str) or not value.strip() or region is None:
        return []
    labels = _labels(kind, ("status",))
    status = next((s for s in region.statuses if s.code == value), None)
    if status is None:
        known = region.status(value)  # a name instead of the code: say which code is meant
        choices = ", ".join(f"{s.code} ({s.label_nl})" for s in region.statuses)
        choices_en = ", ".join(f"{s.code} ({s.label_en or s.label_nl})" for s in region.statuses)
        extra = {"known": known.code} if known is not None else {}
        code = "status_unknown_like" if known is not None else "status_unknown"
        return [
            _problem(ERROR, ("status",), code, labels, value=value, choices_nl=choices, choices_en=choices_en, **extra)
        ]
    out: list[Problem] = []
    for f in kind.fields:
        step = region.status(f.required_from) if f.required_from else None
        if step is None or not region.reaches(status.code, step.code) or not _empty(data.get(f.key)):
            continue
        out.append(
            _problem(
                ERROR,
                (f.key,),
                "status_requires" if step.code == status.code else "status_requires_later",
                (f.label_nl, f.label_en or f.label_nl),
                field_nl=f.label_nl,
                field_en=f.label_en or f.label_nl,
                since_nl=step.label_nl,
                since_en=step.label_en or step.label_nl,
                status_nl=status.label_nl,
                status_en=status.label_en or status.label_nl,
            )
        )
    return out


def is_iso_date(text: str) -> bool:
    """Whether ``text`` is a real date written ``YYYY-MM-DD`` (``2026-02-30`` is not)."""
    if not _ISO_SHAPE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _decision_dates(data: Mapping[str, Any], kind: Kind) -> list[Problem]:
    """Dates of decisions (``[[besluiten]]``) that look right but are no real date, and deadlines before
    the date. Missing keys, wrong shapes and bad patterns come from the JSON Schema."""
    out: list[Problem] = []
    items = data.get("besluiten")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, Mapping):
            continue
        for key in ("datum", "deadline"):
            value = item.get(key)
            if isinstance(value, str) and _ISO_SHAPE.match(value) and not is_iso_date(value):
                path = ("besluiten", i, key)
                out.append(_problem(ERROR, path, "decisions.date_invalid", _labels(kind, path), value=value))
        datum, deadline = item.get("datum"), item.get("deadline")
        dated = isinstance(datum, str) and isinstance(deadline, str) and is_iso_date(datum) and is_iso_date(deadline)
        if dated and str(deadline) < str(datum):
            path = ("besluiten", i, "deadline")
            labels = _labels(kind, path)
            out.append(
                _problem(ERROR, path, "decisions.deadline_before", labels, datum=str(datum), deadline=str(deadline))
            )
    return out


def _warnings(data: Mapping[str, Any], kind: Kind, vocab: Vocabulary | None) -> list[Problem]:
    out: list[Problem] = []
    for f in kind.template_fields:
        if _empty(data.get(f.key)):
            out.append(_problem(WARNING, (f.key,), "template_empty", (f.label_nl, f.label_en or f.label_nl)))
    region = data.get("region") if isinstance(data.get("region"), str) else None
    if vocab is not None and region:
        reg = vocab.regions.get(region)
        if reg is None:
            out.append(_problem(WARNING, ("region",), "region_unknown", _labels(kind, ("region",)), region=region))
        else:
            theme = data.get("theme")
            if isinstance(theme, str) and theme and not vocab.knows("themes", theme, region):
                known = reg.theme(theme)
                labels = _labels(kind, ("theme",))
                if known:
                    out.append(_problem(WARNING, ("theme",), "theme_spelling", labels, theme=theme, known=known.name))
                else:
                    out.append(_problem(WARNING, ("theme",), "theme_unknown", labels, theme=theme, region=reg.name))
            prog = data.get("programme")
            if isinstance(prog, str) and prog and not vocab.knows("programmes", prog, region):
                labels = _labels(kind, ("programme",))
                out.append(_problem(WARNING, ("programme",), "programme_unknown", labels, value=prog, region=reg.name))
            for t in data.get("themas", []) if isinstance(data.get("themas"), list) else []:
                if isinstance(t, str) and not vocab.knows("themes", t, region):
                    labels = _labels(kind, ("themas",))
                    out.append(_problem(WARNING, ("themas",), "themas_unknown", labels, theme=t, region=reg.name))
    for path, text in _strings(data):
        if text.isascii():  # every hidden character is outside ASCII: most texts need no look
            continue
        codes = suspicious_chars(text)
        if codes:
            out.append(_problem(WARNING, path, "hidden_chars", _labels(kind, path), codes=", ".join(codes)))
    return out


def _strings(node: Any, path: tuple[str | int, ...] = ()) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, Mapping):
        for k, v in node.items():
            yield from _strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))


def validate_cards(
    cards: Sequence[Card],
    schema: Schema,
    vocab: Vocabulary | None = None,
    per_card: Callable[[Card], list[Problem]] | None = None,
    known_ids: Iterable[str] = (),
) -> dict[str, list[Problem]]:
    """Problems per card path, including those only visible across cards (duplicate ids, dead links).

    ``per_card`` may supply one card's own problems (from a cache); by default they are computed.
    ``known_ids`` are the ids of the other cards of the repository when only some of its cards are
    checked (``kaartenbak validate FILE``): a link to one of them is no dead link.
    """
    own = per_card or (lambda c: validate_data(c.data, schema, vocab))
    result = {str(c.path): list(own(c)) for c in cards}
    seen: dict[str, Card] = {}
    for c in cards:
        if c.id and c.id in seen:
            labels = _envelope_labels(schema, "id")
            problem = _problem(ERROR, ("id",), "duplicate_id", labels, id=c.id, file=seen[c.id].path.name)
            result[str(c.path)].insert(0, problem)
        seen.setdefault(c.id, c)
    exists = set(seen) | set(known_ids)
    for c in cards:
        related = c.data.get("related")
        for i, rid in enumerate(related if isinstance(related, list) else []):
            if isinstance(rid, str) and rid not in exists:
                labels = _envelope_labels(schema, "related")
                result[str(c.path)].append(_problem(WARNING, ("related", i), "dead_link", labels, target=rid))
    return result
