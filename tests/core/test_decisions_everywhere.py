"""Decisions beyond the card (issue #16): found by search, reported by ``kaartenbak changes`` as
"besluit toegevoegd: …" (text, md, html, json), in the exports (md, html, csv, xlsx, with the
export → import round trip intact) and in the national database."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git, make_repo
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.git.gitrepo import GitRepo
from tui.core.meetings.decisions import Decision, add_decision
from tui.core.review.changes import changes
from tui.core.review.changes_report import render
from tui.core.review.snapshots import create_snapshot
from tui.core.workspace import Workspace

CARD = "cards/wbw/wbw-t1-1.1.toml"
DECISION = Decision("2026-12-02", "Stuurgroep december 2026", "Aanpak goedgekeurd; tijdslijn aanvullen.", "GGD")


def _decide(repo: Path, decision: Decision = DECISION, path: str = CARD) -> None:
    card = load_file(repo / path)
    assert isinstance(card, Card)
    add_decision(Workspace(repo).store, card, decision)


def test_a_word_of_a_decision_finds_the_card(tmp_path: Path) -> None:
    from tui.core.library import Library

    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "wbw-t1-1.4", "nml-b22.1"])
    _decide(repo, Decision("2026-12-02", "Stuurgroep", "Xylofoonregeling vastgesteld."))
    lib = Library(Workspace(repo), use_cache=False)
    lib.load()
    hits = lib.index.search("xylofoonregeling")
    assert [h.card_id for h in hits] == ["WBW/T1/1.1"]
    assert hits[0].field == "besluiten"


def test_changes_reports_a_new_decision_in_words_in_every_format(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "wbw-t1-1.4"])
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep november 2026")
    _decide(repo)
    git(repo, "commit", "-qam", "besluit")
    with GitRepo.open(repo) as r:
        cs = changes(r, None, None, lang="nl")
    [card] = cs.cards
    [field] = card.fields
    assert (field.key, field.change, field.new["besluit"]) == ("besluiten", "added", DECISION.besluit)
    want = "besluit toegevoegd: 2026-12-02 · Stuurgroep december 2026: Aanpak goedgekeurd; tijdslijn aanvullen."
    text = render(cs, "text")
    assert want in text and "[[besluiten]]" not in text and "{'datum'" not in text
    assert want in render(cs, "md")
    assert want in render(cs, "html")
    data = json.loads(render(cs, "json"))
    [jf] = data["cards"][0]["fields"]
    assert jf["summary"].startswith("besluit toegevoegd: 2026-12-02") and jf["decision"]["actiehouder"] == "GGD"
    # a second decision: only that one is reported as new
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep december 2026")
    _decide(repo, Decision("2026-11-01", "Werkgroep", "Eerder besluit, later genoteerd."))
    with GitRepo.open(repo) as r:
        cs2 = changes(r, None, None, lang="nl")
    [only] = cs2.cards[0].fields
    assert only.new["besluit"] == "Eerder besluit, later genoteerd."
