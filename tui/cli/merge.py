"""``kaartenbak merge-driver %O %A %B %P``: git's merge driver for cards, merging field by field.

Registered by ``kaartenbak init`` for ``cards/**/*.toml``. A clean merge writes the merged card
to %A and exits 0; fields changed differently on both sides are recorded as ``[[conflict]]``
tables in the (still valid) card and the exit code is 1, so git reports the conflict and the
app's conflict screen can offer both values. A side that is not a readable card falls back to
git's own line-based text merge, with a message saying why. Review files (``reviews/**/*.toml``)
are merged per field by ``tui.core.review.signoff_merge`` (the latest verdict wins; never a conflict);
``views.toml`` per saved view by ``tui.core.meetings.views.merge_views_bytes``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path

from tui.core.cards import tomlfmt, writer
from tui.core.cards.atomic import WriteError, write_atomic
from tui.core.cards.card import Card, LoadError
from tui.core.sync.merge import FieldConflict, merge_cards, same, with_conflicts
from tui.core.cards.parse import BOM, parse_bytes
from tui.core.paths import schema_dir
from tui.core.cards.schema import Schema, SchemaError
from tui.core.git.merge_file import merge_file
from tui.core.meetings.views import VIEWS_FILE, merge_views_bytes
from tui.core.review.signoff_file import card_rel_of, is_review_path
from tui.core.review.signoff_merge import merge_review_bytes
from ..i18n import t
from .output import err


@dataclass
class FileMerge:
    """The merged file bytes, or ``raw is None`` with the reason a field merge is impossible."""

    raw: bytes | None
    conflicts: list[FieldConflict] = field(default_factory=list)
    reason: str = ""


def _side_name(name: str) -> str:
    """The version's name (base, ours, theirs) in the user's language."""
    return {"base": t("cli.merge.base"), "ours": t("cli.merge.ours"), "theirs": t("cli.merge.theirs")}[name]


def _card(name: str, path: Path, raw: bytes) -> Card | str | None:
    """The parsed card, ``None`` for an empty base (added on both sides), or why it is no card."""
    if name == "base" and not raw.strip():
        return None
    loaded = parse_bytes(path, raw)
    if isinstance(loaded, LoadError):
        where = t("cli.merge.line", line=loaded.line) if loaded.line else ""
        return f"{_side_name(name)}: {where}{loaded.message}"
    if not isinstance(loaded.data.get("kind"), str) or not isinstance(loaded.data.get("id"), str):
        return t("cli.merge.not_a_card", side=_side_name(name))
    return loaded


def _text_of(raw: bytes) -> str:
    return raw[len(BOM) :].decode("utf-8") if raw.startswith(BOM) else raw.decode("utf-8")


def merge_files(base_raw: bytes, ours_raw: bytes, theirs_raw: bytes, path: Path, schema: Schema | None) -> FileMerge:
    """Merge three versions of a card file by field; the result starts from ours' text so its
    diff against ours touches only the fields that came from theirs (or conflict entries)."""
    sides: dict[str, Card | None] = {}
    for name, raw in (("base", base_raw), ("ours", ours_raw), ("theirs", theirs_raw)):
        got = _card(name, path, raw)
        if isinstance(got, str):
            return FileMerge(None, reason=got)
        sides[name] = got
    base, ours, theirs = sides["base"], sides["ours"], sides["theirs"]
    assert ours is not None and theirs is not None
    kind = schema.kind(ours.kind) if schema else None
    result = merge_cards(base.to_dict() if base else None, ours.to_dict(), theirs.to_dict(), kind)
    new = with_conflicts(result.data, result.conflicts)
    if same(new, dict(ours.data)):
        return FileMerge(ours_raw, result.conflicts)
    if same(new, dict(theirs.data)):
        return FileMerge(theirs_raw, result.conflicts)
    text = _text_of(ours_raw)
    order = list(kind.keys) if kind else list(new)
    try:
        out = writer.updated_text(text, ours.to_dict(), new, order)
    except Exception:  # tomlkit could not keep the layout: write the canonical text instead
        first = text.splitlines()[0] if text else ""
        out = tomlfmt.render(new, order, first if first.startswith("#:schema") else None)
        writer.check(out, new)
        if "\r\n" in text:
            out = out.replace("\n", "\r\n")
    return FileMerge((BOM if ours.bom else b"") + out.encode("utf-8"), result.conflicts)


def _schema() -> Schema | None:
    """The schema of the repository git runs us in (its top folder), else the bundled one."""
    try:
        return Schema(schema_dir(Path.cwd()))
    except SchemaError:
        return None


def text_merge(ours: Path, base: Path, theirs: Path) -> int:
    """git's ordinary line-based merge into ``ours`` (conflict markers where lines clash)."""
    return merge_file(ours, base, theirs)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "merge-driver",
        help="git-mergedriver: voeg twee versies van een kaart per veld samen",
        description=(
            "Wordt door git aangeroepen (zie 'kaartenbak init'). Voegt twee versies van een kaart per veld samen; "
            "velden die aan beide kanten anders zijn gewijzigd komen als [[conflict]] in de kaart. "
            "Exit 0: schoon samengevoegd; 1: conflicten; bij een onleesbare kaart: git's gewone tekstmerge."
        ),
    )
    p.add_argument("base", metavar="BASIS", help="gemeenschappelijke versie (%%O)")
    p.add_argument("ours", metavar="ONZE", help="onze versie; hier komt het resultaat (%%A)")
    p.add_argument("theirs", metavar="HUNNE", help="hun versie (%%B)")
    p.add_argument("path", metavar="PAD", help="pad van de kaart in de repository (%%P)")
    p.set_defaults(handler=cmd_merge_driver)


def cmd_merge_driver(args: argparse.Namespace) -> int:
    base, ours, theirs = Path(args.base), Path(args.ours), Path(args.theirs)
    try:
        raws = [p.read_bytes() for p in (base, ours, theirs)]
    except OSError as exc:
        err(t("cli.merge.cannot_read", path=args.path, error=exc.strerror or exc))
        return 2
    if is_review_path(args.path):
        rel = args.path  # a review file: per field, the latest verdict wins; never a conflict
        return _merge_whole(
            lambda: merge_review_bytes(raws[0], raws[1], raws[2], card_rel_of(rel)),
            ours, base, theirs, t("cli.merge.review_fallback", path=rel),
        )  # fmt: skip
    if args.path == VIEWS_FILE:
        return _merge_whole(
            lambda: merge_views_bytes(raws[0], raws[1], raws[2]),
            ours, base, theirs, t("cli.merge.views_fallback", path=VIEWS_FILE),
        )  # fmt: skip
    try:
        merged = merge_files(raws[0], raws[1], raws[2], Path(args.path), _schema())
    except Exception as exc:  # never leave git with a half-done merge: fall back to text merge
        merged = FileMerge(None, reason=t("cli.merge.internal", error=exc))
    if merged.raw is None:
        err(t("cli.merge.text_merge", path=args.path, reason=merged.reason))
        return text_merge(ours, base, theirs)
    try:
        write_atomic(ours, merged.raw)
    except WriteError as exc:
        err(f"kaartenbak: {exc}")
        return 2
    if merged.conflicts:
        names = ", ".join(_label(c) for c in merged.conflicts)
        count = len(merged.conflicts)
        err(
            t(
                "cli.merge.conflicts",
                path=args.path,
                count=count,
                names=names,
            )
        )
        return 1
    return 0


def _merge_whole(merge: Callable[[], bytes | None], ours: Path, base: Path, theirs: Path, fallback: str) -> int:
    """A shared file merged by its own rule (reviews per field, views per view); where the rule
    gives up, git's text merge, said with ``fallback``."""
    try:
        merged = merge()
    except Exception:  # never leave git with a half-done merge: fall back to text merge
        merged = None
    if merged is None:
        err(fallback)
        return text_merge(ours, base, theirs)
    try:
        write_atomic(ours, merged)
    except WriteError as exc:
        err(f"kaartenbak: {exc}")
        return 2
    return 0


def _label(c: FieldConflict) -> str:
    return c.label or c.field or t("cli.merge.whole_card")
