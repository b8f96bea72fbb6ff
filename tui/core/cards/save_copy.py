"""Save a copy of an edited card elsewhere, when the card's own file cannot be written.

The copy holds exactly what saving would have written (the card's layout kept, only the
changed keys changed), written atomically; the card's own file is never touched, and an
existing file at the chosen place is never overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.core.cards import writer
from tui.core.cards.atomic import WriteError, explain, write_atomic
from tui.core.cards.card import Card
from tui.core.cards.parse import BOM, parse_bytes
from tui.core.cards.store import CardStore


def suggested_copy_path(card_path: Path) -> Path:
    """Where a copy goes unless the user says otherwise: the user's documents folder."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "kaartenbak" / f"{card_path.stem}.kopie.toml"


def copy_bytes(store: CardStore, card: Card, data: dict[str, Any]) -> bytes:
    """The bytes saving ``data`` over ``card`` would write (canonical layout for a new card)."""
    try:
        raw = card.path.read_bytes()
    except OSError:
        raw = None
    current = parse_bytes(card.path, raw) if raw is not None else None
    if raw is None or not isinstance(current, Card):
        text = store.render_new(card.path, data)
        writer.check(text, data)
        return text.encode("utf-8")
    bom = raw.startswith(BOM)
    text = raw[len(BOM) if bom else 0 :].decode("utf-8")
    order = store.order_for(str(data.get("kind", "")))
    try:
        out = writer.updated_text(text, dict(current.data), data, order)
    except Exception:  # tomlkit could not keep the layout: the canonical text, as save does
        out = store.render_new(card.path, data)
        writer.check(out, data)
        if "\r\n" in text:
            out = out.replace("\n", "\r\n")
    return (BOM if bom else b"") + out.encode("utf-8")


def save_copy(store: CardStore, card: Card, data: dict[str, Any], target: Path) -> Path:
    """Write the edited card to ``target`` (a new file); raises WriteError, naming the path."""
    target = target.expanduser()
    if target.is_dir():
        target = target / card.path.name
    if target.exists():
        raise WriteError(f"{target} bestaat al; kies een andere naam.", target)
    if target.resolve() == card.path.resolve():
        raise WriteError(f"{target} is de kaart zelf; kies een andere plek.", target)
    payload = copy_bytes(store, card, data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise explain(exc, target) from exc
    write_atomic(target, payload)
    return target
