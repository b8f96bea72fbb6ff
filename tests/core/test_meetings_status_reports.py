"""Card status in the overview (theme × status) and in ``changes`` (status transitions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import git
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.cards.schema import Schema
from tui.core.cards.vocab import Vocabulary
from tui.core.git.gitrepo import GitRepo
from tui.core.cards.status import NO_STATUS
from tui.core.overview import status_counts, theme_overview
from tui.core.paths import schema_dir
from tui.core.review.changes import changes
from tui.core.review.changes_report import render
from tui.core.review.snapshots import create_snapshot
from tui.core.workspace import Workspace

SCHEMA = Schema(schema_dir())
VOCAB = Vocabulary(schema_dir())
THEME = "Mentale gezondheid"
WOR = "cards/wbw/wbw-t1-1.1.toml"
OTHER = "cards/nml/nml-b01.1.toml"


def card(card_id: str, theme: str, **fields: Any) -> Card:
    data = {"id": card_id, "kind": "project", "region": "WBW", "theme": theme, "title": card_id, **fields}
    return Card.build(Path(f"{card_id}.toml"), data, b"", bom=False, crlf=False)


def test_overview_counts_cards_per_theme_and_status_in_lifecycle_order() -> None:
    cards = [
        card("a", THEME, status="vastgesteld"),
        card("b", THEME, status="concept"),
        card("c", THEME, status="vastgesteld"),
        card("d", THEME),
        card("e", THEME, status="eigen"),
        card("f", "Kansrijk opgroeien", status="gestopt"),
    ]
    rows = {(r.region, r.theme): r for r in theme_overview(cards, SCHEMA, VOCAB)}
    assert rows[("WBW", THEME)].statuses == (("concept", 1), ("vastgesteld", 2), ("eigen", 1), (NO_STATUS, 1))
    assert rows[("WBW", "Kansrijk opgroeien")].statuses == (("gestopt", 1),)
    assert rows[("WBW", "Druk op de eerste lijn")].statuses == ()  # a theme without cards
    assert status_counts([]) == ()


def _save(repo: Path, path: str, **fields: Any) -> None:
    loaded = load_file(repo / path)
    assert isinstance(loaded, Card)
    Workspace(repo).store.save(loaded, {**loaded.to_dict(), **fields})


def _run(repo: Path) -> Any:
    with GitRepo.open(repo) as r:
        return changes(r, None, None, lang="nl")


def test_changes_report_a_status_transition_in_every_format(repo: Path) -> None:
    _save(repo, WOR, status="concept")
    git(repo, "commit", "-qam", "concept")
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep november 2026")
    _save(repo, WOR, status="vastgesteld")
    _save(repo, OTHER, status="ter_bespreking")  # from no status
    git(repo, "commit", "-qam", "besluiten")
    result = _run(repo)
    by_path = {c.path: c for c in result.cards}
    assert by_path[WOR].transition == ("concept", "vastgesteld")
    assert by_path[OTHER].transition == ("", "ter_bespreking")

    text = render(result, "text")
    assert "  Status: concept → vastgesteld" in text
    assert "  Status: (geen status) → ter_bespreking" in text
    assert "~ Status" not in text  # not said twice as a field diff
    md = render(result, "md")
    assert "**Status: concept → vastgesteld**" in md
    html = render(result, "html")
    assert '<p class="transition">Status: <del>concept</del> → <ins>vastgesteld</ins></p>' in html
    assert "<del>(geen status)</del> → <ins>ter_bespreking</ins>" in html
    data = json.loads(render(result, "json"))
    got = {c["path"]: c["status_change"] for c in data["cards"]}
    assert got[WOR] == {"old": "concept", "new": "vastgesteld"}
    assert got[OTHER] == {"old": None, "new": "ter_bespreking"}
    assert any(f["key"] == "status" for c in data["cards"] for f in c["fields"])  # the field diff stays in JSON


def test_changes_without_status_change_have_no_transition(repo: Path) -> None:
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep november 2026")
    _save(repo, WOR, title="WoR")
    result = _run(repo)
    [changed] = result.cards
    assert changed.transition is None
    assert (
        "Status:" not in render(result, "text")
        and json.loads(render(result, "json"))["cards"][0]["status_change"] is None
    )
