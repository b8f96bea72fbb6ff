"""The golden card repository that tests about code use: every kind in its region, hostile cards, valid."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.conftest import BROKEN, CARDS, HOSTILE_CARDS, SCHEMA, git
from tui.core.cards.card import Card, LoadError
from tui.core.cards.parse import load_file
from tui.core.cards.validate import validate_cards
from tui.core.workspace import Workspace


def test_every_kind_is_there_in_its_own_region(golden_readonly: Path) -> None:
    cards = Workspace(golden_readonly).store.load_all().cards
    kinds = Counter((c.region, c.kind) for c in cards)
    for path in (SCHEMA / "kinds").glob("*.json"):
        kind = json.loads(path.read_text(encoding="utf-8"))
        for region in kind["x-regions"]:
            assert kinds[(region, path.stem)] >= 2, (region, path.stem)


def test_the_golden_cards_load_and_validate_without_errors(golden_readonly: Path) -> None:
    ws = Workspace(golden_readonly)
    loaded = ws.store.load_all()
    assert loaded.errors == []
    problems = validate_cards(loaded.cards, ws.schema, ws.vocab)
    assert [(path, str(p)) for path, ps in problems.items() for p in ps if p.is_error] == []


def test_the_hostile_cards_are_hostile(example: Callable[[str], Path]) -> None:
    raw = {name: example(name).read_bytes() for name in HOSTILE_CARDS}
    markup = raw["wbw-t8-h1"].decode("utf-8")
    assert "[/]" in markup and "[@click=app.quit]" in markup and "\\u001B]0;" in markup and '""\\"' in markup
    assert b"\r\n" in raw["nml-h2"] and b"\n" not in raw["nml-h2"].replace(b"\r\n", b"")
    assert raw["nml-h3"].startswith(b"\xef\xbb\xbf")
    loaded = {name: load_file(example(name)) for name in HOSTILE_CARDS}
    assert all(isinstance(c, Card) for c in loaded.values())
    h1 = loaded["wbw-t8-h1"]
    assert isinstance(h1, Card) and "\x1b[2J" in h1.data["beschrijving"] and '"""' in h1.data["notes"]
    assert getattr(loaded["nml-h2"], "crlf", False) and getattr(loaded["nml-h3"], "bom", False)


def test_the_broken_file_is_kept_apart_and_does_not_parse(example: Callable[[str], Path]) -> None:
    assert not list(CARDS.rglob("*kapot*"))
    assert isinstance(load_file(example("broken/nml-kapot.toml")), LoadError)
    assert sorted(p.name for p in BROKEN.iterdir()) == ["nml-kapot.toml"]


def test_golden_repo_is_a_clean_committed_repository_with_the_schema(golden_repo: Path) -> None:
    assert (golden_repo / "schema" / "kinds" / "project.json").is_file()
    assert len(list((golden_repo / "cards").rglob("*.toml"))) == len(list(CARDS.rglob("*.toml")))
    assert git(golden_repo, "log", "--format=%s").strip() == "Eerste kaarten"
    assert "nml-kapot" not in git(golden_repo, "ls-files")
