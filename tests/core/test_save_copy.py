"""Saving a copy of an edited card elsewhere when its own file cannot be written (RELIABILITY 4, 41)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tui.core.cards.atomic import WriteError
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.save_copy import copy_bytes, save_copy, suggested_copy_path
from tui.core.workspace import Workspace


def _card(repo: Path, card_id: str) -> tuple[Workspace, Card]:
    ws = Workspace.find(repo)
    stem = card_id.lower().replace("/", "-")
    card = load_file(repo / "cards" / stem.split("-")[0] / f"{stem}.toml")
    assert isinstance(card, Card) and card.id == card_id
    return ws, card


def test_the_copy_is_what_saving_would_write_and_the_card_is_untouched(repo: Path, tmp_path: Path) -> None:
    ws, card = _card(repo, "WBW/T1/1.4")
    before = card.path.read_bytes()
    data = {**card.to_dict(), "title": "Reablement (kopie)"}
    target = save_copy(ws.store, card, data, tmp_path / "elders" / "kopie.toml")
    assert target == tmp_path / "elders" / "kopie.toml"
    assert card.path.read_bytes() == before
    old, new = before.decode().splitlines(), target.read_text(encoding="utf-8").splitlines()
    changed = [ln for ln in difflib.unified_diff(old, new, lineterm="", n=0) if ln[:1] in "+-"][2:]
    assert changed == ['-title = "Reablement"', '+title = "Reablement (kopie)"']


def test_a_folder_as_target_gets_the_card_file_name(repo: Path, tmp_path: Path) -> None:
    ws, card = _card(repo, "WBW/T1/1.4")
    (tmp_path / "map").mkdir()
    target = save_copy(ws.store, card, card.to_dict(), tmp_path / "map")
    assert target == tmp_path / "map" / card.path.name
    assert target.read_bytes() == card.path.read_bytes()


def test_an_existing_file_or_the_card_itself_is_never_overwritten(repo: Path, tmp_path: Path) -> None:
    ws, card = _card(repo, "WBW/T1/1.4")
    other = tmp_path / "bestaat.toml"
    other.write_text("iets", encoding="utf-8")
    with pytest.raises(WriteError) as exc:
        save_copy(ws.store, card, card.to_dict(), other)
    assert str(other) in str(exc.value) and other.read_text(encoding="utf-8") == "iets"
    with pytest.raises(WriteError):
        save_copy(ws.store, card, card.to_dict(), card.path)


def test_a_new_card_without_a_file_is_copied_in_canonical_layout(repo: Path) -> None:
    ws, card = _card(repo, "WBW/T1/1.4")
    ghost = Card.build_cached(repo / "cards" / "wbw" / "nog-niet.toml", card.to_dict(), "", bom=False, crlf=False)
    text = copy_bytes(ws.store, ghost, card.to_dict()).decode("utf-8")
    assert text.startswith("#:schema ") and 'title = "Reablement"' in text


def test_the_suggested_place_is_outside_the_repository(repo: Path) -> None:
    path = suggested_copy_path(repo / "cards" / "wbw" / "wbw-t1-1.4.toml")
    assert path.name == "wbw-t1-1.4.kopie.toml" and not path.is_relative_to(repo)
