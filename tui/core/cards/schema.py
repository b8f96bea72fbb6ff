"""The card schema: JSON Schema 2020-12 files in ``schema/``, composed per card kind.

``schema/envelope.json`` holds the fields every card has, ``schema/kinds/<kind>.json`` the fields
of one kind and ``schema/defs.json`` shared definitions. Composing them gives one self-contained
JSON Schema per kind: what the validator, the exported files (for taplo / Even Better TOML) and
the forms all use, so editors, CI and the app apply the same rules.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..language import phrase, pick

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCALAR_WIDGETS = {"line", "text", "enum", "number", "bool"}


@dataclass(frozen=True)
class Field:
    """One field of a card kind: its key, label and help text (Dutch and English) and editor type.

    ``label`` and ``help`` answer in the display language (``tui.core.language``); the schema's
    ``title``/``description`` are the Dutch words, ``x-label-en``/``x-help-en`` the English ones.
    """

    key: str
    label_nl: str
    help_nl: str
    widget: str  # line | text | list | enum | number | bool | table | tables
    required: bool = False
    template: bool = False
    vocab: str | None = None
    group: str | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    children: tuple[Field, ...] = ()
    label_en: str = ""
    help_en: str = ""
    required_from: str | None = None  # ``x-required-from``: a status code from which on the field must be filled

    @property
    def label(self) -> str:
        """The field's name in the display language."""
        return pick(self.label_nl, self.label_en)

    @property
    def help(self) -> str:
        """What belongs in the field, in the display language."""
        return pick(self.help_nl, self.help_en)

    @property
    def is_table(self) -> bool:
        """Whether the field is written as a TOML table or array of tables."""
        return self.widget in ("table", "tables")

    def child(self, key: str) -> Field | None:
        """The sub-field ``key`` of a table field."""
        return next((c for c in self.children if c.key == key), None)


@dataclass(frozen=True)
class Kind:
    """A card kind (project, initiative, ...): its title and ordered fields."""

    name: str
    title_nl: str
    description_nl: str
    regions: tuple[str, ...]
    fields: tuple[Field, ...]
    json_schema: dict[str, Any] = field(repr=False, compare=False, hash=False)
    title_en: str = ""
    description_en: str = ""

    @property
    def title(self) -> str:
        """The kind's name in the display language, e.g. "Project of programma (WBW)"."""
        return pick(self.title_nl, self.title_en)

    @property
    def description(self) -> str:
        """What a card of this kind holds, in the display language."""
        return pick(self.description_nl, self.description_en)

    def field(self, key: str) -> Field | None:
        """The field ``key``, or None when the kind has no such field."""
        return next((f for f in self.fields if f.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        """Field keys in schema order."""
        return tuple(f.key for f in self.fields)

    @property
    def template_fields(self) -> tuple[Field, ...]:
        """Fields the plan template expects to be filled (empty ones give a warning)."""
        return tuple(f for f in self.fields if f.template)


class SchemaError(Exception):
    """The schema files themselves are missing or broken: a code (``core.schema.<code>``) and parameters."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(phrase(f"schema.{code}", params))


def _load_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError("file_missing", path=path) from None
    except (OSError, ValueError) as exc:
        raise SchemaError("file_unreadable", path=path, error=exc) from None


def _resolve_refs(node: Any, defs: dict[str, Any]) -> Any:
    """Point ``defs.json#/$defs/x`` references at the composed schema's own ``$defs``."""
    if isinstance(node, dict):
        out = {k: _resolve_refs(v, defs) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("defs.json#/$defs/"):
            out["$ref"] = "#/$defs/" + ref.rsplit("/", 1)[1]
        return out
    if isinstance(node, list):
        return [_resolve_refs(v, defs) for v in node]
    return node


def _field(key: str, prop: dict[str, Any], defs: dict[str, Any], required: set[str]) -> Field:
    target = prop
    if "$ref" in prop:
        target = {**defs[prop["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    widget = target.get("x-widget", "line")
    children: tuple[Field, ...] = ()
    if widget == "table":
        sub_required = set(target.get("required", []))
        children = tuple(_field(k, p, defs, sub_required) for k, p in target.get("properties", {}).items())
    elif widget == "tables":
        items = target.get("items", {})
        sub_required = set(items.get("required", []))
        children = tuple(_field(k, p, defs, sub_required) for k, p in items.get("properties", {}).items())
    return Field(
        key=key,
        label_nl=target.get("title", key),
        help_nl=target.get("description", ""),
        label_en=target.get("x-label-en", ""),
        help_en=target.get("x-help-en", ""),
        widget=widget,
        required=key in required,
        template=bool(target.get("x-template")),
        vocab=target.get("x-vocab"),
        group=target.get("x-group"),
        choices=tuple(target.get("enum", ())),
        max_length=target.get("maxLength"),
        children=children,
        required_from=target.get("x-required-from"),
    )


class Schema:
    """All card kinds of a schema folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.envelope = _load_json(folder / "envelope.json")
        self.defs = _load_json(folder / "defs.json").get("$defs", {})
        kinds_dir = folder / "kinds"
        if not kinds_dir.is_dir():
            raise SchemaError("kinds_missing", folder=kinds_dir)
        self._sources = {p.stem: _load_json(p) for p in sorted(kinds_dir.glob("*.json"))}
        if not self._sources:
            raise SchemaError("no_kinds", folder=kinds_dir)

    @cached_property
    def kinds(self) -> dict[str, Kind]:
        """Every kind by name, each with its composed JSON Schema."""
        return {name: self._compose(name, src) for name, src in self._sources.items()}

    def kind(self, name: str) -> Kind | None:
        """The kind called ``name``, or None."""
        return self.kinds.get(name)

    def _compose(self, name: str, src: dict[str, Any]) -> Kind:
        env_props: dict[str, Any] = self.envelope["properties"]
        head = {k: v for k, v in env_props.items() if v.get("x-position") == "head"}
        tail = {k: v for k, v in env_props.items() if v.get("x-position") != "head"}
        props = {**head, **src.get("properties", {}), **tail}
        props = {k: {kk: vv for kk, vv in v.items() if kk != "x-position"} for k, v in props.items()}
        props["kind"] = {**props["kind"], "const": name}
        props["kind"].pop("enum", None)
        required = list(dict.fromkeys([*self.envelope.get("required", []), *src.get("required", [])]))
        composed: dict[str, Any] = {
            "$schema": DRAFT,
            "title": src.get("title", name),
            "description": src.get("description", ""),
            "type": "object",
            "required": required,
            "properties": props,
            "additionalProperties": False,
            "$defs": copy.deepcopy(self.defs),
            "x-regions": src.get("x-regions", []),
        }
        composed = _resolve_refs(composed, self.defs)
        fields = tuple(_field(k, p, self.defs, set(required)) for k, p in props.items())
        return Kind(
            name=name,
            title_nl=src.get("title", name),
            description_nl=src.get("description", ""),
            title_en=src.get("x-label-en", ""),
            description_en=src.get("x-help-en", ""),
            regions=tuple(src.get("x-regions", [])),
            fields=fields,
            json_schema=composed,
        )

    def export(self, out: Path) -> list[Path]:
        """Write one self-contained ``<kind>.schema.json`` per kind into ``out``."""
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for kind in self.kinds.values():
            path = out / f"{kind.name}.schema.json"
            text = json.dumps(kind.json_schema, ensure_ascii=False, indent=2) + "\n"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
