"""Any Unicode text in any text field survives save -> load (RELIABILITY 12)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.cards import tomlfmt
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.workspace import Workspace

TRICKY = st.sampled_from(
    [
        '"""',
        "'''",
        "\\",
        "[/]",
        "[bold]",
        "\t",
        "\x00",
        "\x1b[2J",
        "\u202e",
        "\r\n",
        "\r",
        '"',
        '""',
        "\n",
        "é",
        "🙂",
        "\u200b",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=12).map("".join)


@given(TEXT)
def test_every_string_renders_to_valid_toml(text: str) -> None:
    for rendered in (tomlfmt.basic_string(text), tomlfmt.multiline_string(text)):
        doc = f"x = {rendered}\n"
        assert tomllib.loads(doc)["x"] == text
        assert tomlkit.parse(doc)["x"] == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["doelstelling", "notes", "title", "aanpak"]),
    text=TEXT.filter(lambda s: s.strip() != ""),
    long=st.booleans(),
)
def test_any_text_survives_save_and_load(repo: Path, field: str, text: str, long: bool) -> None:
    if long:
        text = text + "x" * 5000
    ws = Workspace(repo)
    path = repo / "cards" / "wbw" / "wbw-t1-1.1.toml"
    card = load_file(path)
    assert isinstance(card, Card)
    data = card.to_dict()
    data[field] = text
    saved = ws.store.save(card, data)
    again = load_file(path)
    assert isinstance(again, Card)
    assert again.data[field] == text
    assert dict(again.data) == data
    assert tomlkit.parse(path.read_text(encoding="utf-8"))[field] == text
    ws.store.save(saved, dict(card.data))
