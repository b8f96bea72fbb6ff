"""Validation of cards against the JSON Schema, with Dutch messages that name the field.

Two levels: *errors* (the card cannot be saved: wrong type, unknown kind, missing id, title or
theme) come from the JSON Schema, checked with ``jsonschema``; *warnings* (an empty field the
template expects, a value outside the region's vocabulary, hidden bidi characters, a link to an
unknown card) are Kaartenbak's own and never block saving.
"""

from __future__ import annotations

from dataclasses import dataclass
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

ERROR = "error"
WARNING = "warning"
_TYPES = {
    "string": "tekst",
    "array": "een lijst",
    "object": "een tabel",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "aan of uit (true/false)",
}


@dataclass(frozen=True)
class Problem:
    """One validation finding, tied to a field by key path and Dutch label."""

    level: str
    path: tuple[str | int, ...]
    label: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def field(self) -> str:
        """The top-level field key the problem belongs to ('' for the whole card)."""
        return str(self.path[0]) if self.path else ""

    def __str__(self) -> str:
        return f"{self.label}: {self.message}" if self.label else self.message


def label_for(kind: Kind | None, path: Sequence[str | int]) -> str:
    """The Dutch label of a field path: ``Benodigde randvoorwaarden › Bekostiging``."""
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
        parts.append(current.label if current else str(step))
        fields = current.children if current else ()
    return " › ".join(parts)


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


def _dutch(err: ValidationError, kind: Kind) -> list[Problem]:
    path = tuple(err.absolute_path)
    v, val = err.validator, err.validator_value
    label = label_for(kind, path)
    if v == "required":
        inst = err.instance if isinstance(err.instance, dict) else {}
        return [
            Problem(ERROR, (*path, m), label_for(kind, (*path, m)), "ontbreekt; dit veld is verplicht. Vul het in.")
            for m in val
            if m not in inst
        ]
    if v == "additionalProperties":
        props = err.schema.get("properties", {})
        extra = [k for k in err.instance if k not in props]
        return [
            Problem(
                ERROR,
                (*path, k),
                str(k),
                "onbekend veld voor deze soort kaart. Verwijder het of controleer de spelling.",
            )
            for k in extra
        ]
    if v == "type":
        expected = val if isinstance(val, str) else val[0]
        msg = f"moet {_TYPES.get(expected, expected)} zijn, maar is {type(err.instance).__name__}. Pas de waarde aan."
    elif v == "enum":
        msg = f"'{err.instance}' is geen geldige keuze. Kies uit: {', '.join(map(str, val))}."
    elif v == "const":
        msg = f"moet '{val}' zijn."
    elif v == "maxLength":
        msg = f"is te lang ({len(err.instance)} tekens; hoogstens {val}). Maak de tekst korter."
    elif v == "minLength":
        msg = "mag niet leeg zijn. Vul het in."
    elif v == "maxItems":
        msg = f"heeft te veel onderdelen (hoogstens {val})."
    elif v == "pattern":
        msg = "bevat tekens die hier niet mogen. Gebruik letters, cijfers, punt, streepje, underscore en /."
    elif v in ("minimum", "maximum"):
        msg = f"moet {'minstens' if v == 'minimum' else 'hoogstens'} {val} zijn."
    else:
        msg = f"voldoet niet aan het schema ({v})."
    return [Problem(ERROR, path, label, msg)]


def validate_data(data: Mapping[str, Any], schema: Schema, vocab: Vocabulary | None = None) -> list[Problem]:
    """All problems of one card's data, errors first, in schema order."""
    problems: list[Problem] = []
    if isinstance(data.get("conflict"), list) and data["conflict"]:  # written by the merge driver (tui.core.sync.merge)
        problems.append(
            Problem(ERROR, ("conflict",), "", "heeft onopgeloste conflicten; kies per veld in het conflictscherm")
        )
    kind_name = data.get("kind")
    kind = schema.kind(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        choices = ", ".join(schema.kinds)
        what = f"onbekende soort '{kind_name}'" if kind_name else "ontbreekt"
        problems.append(Problem(ERROR, ("kind",), "Soort kaart", f"{what}. Kies uit: {choices}."))
        for key, label in (("id", "Kaart-id"), ("title", "Titel")):
            if _empty(data.get(key)):
                problems.append(Problem(ERROR, (key,), label, "ontbreekt; dit veld is verplicht. Vul het in."))
        return problems
    for err in sorted(_validator(kind).iter_errors(dict(data)), key=lambda e: list(map(str, e.absolute_path))):
        problems.extend(_dutch(err, kind))
    problems.extend(_warnings(data, kind, vocab))
    order = {k: i for i, k in enumerate(kind.keys)}
    return sorted(problems, key=lambda p: (p.level != ERROR, order.get(p.field, len(order))))


def _warnings(data: Mapping[str, Any], kind: Kind, vocab: Vocabulary | None) -> list[Problem]:
    out: list[Problem] = []
    for f in kind.template_fields:
        if _empty(data.get(f.key)):
            out.append(Problem(WARNING, (f.key,), f.label, "is leeg; het sjabloon verwacht dit onderdeel."))
    region = data.get("region") if isinstance(data.get("region"), str) else None
    if vocab is not None and region:
        reg = vocab.regions.get(region)
        if reg is None:
            out.append(
                Problem(WARNING, ("region",), "Regio", f"'{region}' staat niet in de vocabulaire (schema/regions/).")
            )
        else:
            theme = data.get("theme")
            if isinstance(theme, str) and theme and not vocab.knows("themes", theme, region):
                known = reg.theme(theme)
                hint = f"gebruik de vaste spelling '{known.name}'." if known else f"kies een thema van {reg.name}."
                out.append(Problem(WARNING, ("theme",), "Thema", f"'{theme}' staat niet in de lijst; {hint}"))
            prog = data.get("programme")
            if isinstance(prog, str) and prog and not vocab.knows("programmes", prog, region):
                out.append(
                    Problem(
                        WARNING,
                        ("programme",),
                        "Programma",
                        f"'{prog}' staat niet in de programmalijst van {reg.name}.",
                    )
                )
            for t in data.get("themas", []) if isinstance(data.get("themas"), list) else []:
                if isinstance(t, str) and not vocab.knows("themes", t, region):
                    out.append(
                        Problem(
                            WARNING, ("themas",), label_for(kind, ("themas",)), f"'{t}' is geen thema van {reg.name}."
                        )
                    )
    for path, text in _strings(data):
        codes = suspicious_chars(text)
        if codes:
            out.append(
                Problem(
                    WARNING,
                    path,
                    label_for(kind, path),
                    f"bevat onzichtbare of tekstrichting-tekens ({', '.join(codes)}); controleer de tekst.",
                )
            )
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
) -> dict[str, list[Problem]]:
    """Problems per card path, including those only visible across cards (duplicate ids, dead links).

    ``per_card`` may supply one card's own problems (from a cache); by default they are computed.
    """
    own = per_card or (lambda c: validate_data(c.data, schema, vocab))
    result = {str(c.path): list(own(c)) for c in cards}
    seen: dict[str, Card] = {}
    for c in cards:
        if c.id and c.id in seen:
            result[str(c.path)].insert(
                0,
                Problem(
                    ERROR,
                    ("id",),
                    "Kaart-id",
                    f"'{c.id}' wordt ook gebruikt door {seen[c.id].path.name}. Kies een unieke id.",
                ),
            )
        seen.setdefault(c.id, c)
    for c in cards:
        related = c.data.get("related")
        for i, rid in enumerate(related if isinstance(related, list) else []):
            if isinstance(rid, str) and rid not in seen:
                result[str(c.path)].append(
                    Problem(
                        WARNING,
                        ("related", i),
                        "Verwante kaarten",
                        f"verwijst naar '{rid}', maar die kaart bestaat niet.",
                    )
                )
    return result
