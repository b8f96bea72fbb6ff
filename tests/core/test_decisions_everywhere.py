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


def _ws_with_decisions(tmp_path: Path) -> Workspace:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "wbw-t1-1.4", "nml-b22.1"])
    _decide(repo)
    _decide(repo, Decision("2027-01-10", "Stuurgroep januari 2027", "=Tijdslijn\naanvullen.", deadline="2027-03-01"))
    git(repo, "commit", "-qam", "besluiten")
    return Workspace(repo)


def test_exports_show_decisions_and_round_trip(tmp_path: Path) -> None:
    import csv
    import io

    import openpyxl

    from tui.core.export.export import export_cards
    from tui.core.importing.mapping import candidate_fields, propose
    from tui.core.importing.plan import UNCHANGED, plan_import
    from tui.core.importing.sheet import read_sheet

    ws = _ws_with_decisions(tmp_path)
    cards = sorted(ws.store.load_all().cards, key=lambda c: c.id)
    md = export_cards(cards, ws.schema, "md", vocab=ws.vocab).decode()
    assert "**Besluiten**" in md and "2026-12-02 · Stuurgroep december 2026" in md and "Actiehouder: GGD" in md
    html = export_cards(cards, ws.schema, "html", vocab=ws.vocab).decode()
    assert "<dt>Besluiten</dt>" in html and "2027-01-10 · Stuurgroep januari 2027" in html
    assert "Deadline: 2027-03-01" in html
    raw = export_cards(cards, ws.schema, "csv", vocab=ws.vocab).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw), delimiter=";"))
    col = table[0].index("Besluiten")
    row = next(r for r in table[1:] if r[0] == "WBW/T1/1.1")
    assert row[col].split("\n") == [
        "2026-12-02 · Stuurgroep december 2026: Aanpak goedgekeurd; tijdslijn aanvullen. (Actiehouder: GGD)",
        "2027-01-10 · Stuurgroep januari 2027: =Tijdslijn aanvullen. (Deadline: 2027-03-01)",
    ]
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"alles.{fmt}"
        path.write_bytes(export_cards(cards, ws.schema, fmt, vocab=ws.vocab))  # type: ignore[arg-type]
        if fmt == "xlsx":
            sheet = openpyxl.load_workbook(path).active
            assert sheet is not None
            header = [c.value for c in sheet[1]]
            assert "Besluiten" in header
        sheet = read_sheet(path)
        proposed = propose(sheet.header, candidate_fields(ws.schema, []))
        plan = plan_import(ws, sheet, proposed, None, ws.store.load_all().cards, ws.vocab)
        assert [(c.card_id, c.changed) for c in plan.cards if c.status != UNCHANGED] == []
        assert plan.issues == []


def test_national_db_has_one_row_per_decision_and_the_open_actions_query(tmp_path: Path) -> None:
    import sqlite3

    from tui.core.national.build import build
    from tui.core.national.metadata import metadata

    ws = _ws_with_decisions(tmp_path)
    sha = git(ws.root, "rev-parse", "HEAD").strip()
    db = tmp_path / "l.db"
    build(db, [ws.root])
    with sqlite3.connect(db) as conn:
        got = conn.execute(
            "SELECT card_id, region, date, meeting, decision, action_holder, deadline, field, path, commit_hash"
            " FROM decisions ORDER BY field"
        ).fetchall()
        assert got == [
            ("WBW/T1/1.1", "WBW", "2026-12-02", "Stuurgroep december 2026", DECISION.besluit, "GGD", None,
             "besluiten.0", CARD, sha),
            ("WBW/T1/1.1", "WBW", "2027-01-10", "Stuurgroep januari 2027", "=Tijdslijn\naanvullen.", None,
             "2027-03-01", "besluiten.1", CARD, sha),
        ]  # fmt: skip
        assert git(ws.root, "show", f"{sha}:{CARD}").count("[[besluiten]]") == 2  # traceable to the commit
        query = metadata()["databases"]["kaartenbak"]["queries"]["open_acties_per_regio"]
        open_actions = conn.execute(query["sql"], {"regio": "WBW"}).fetchall()
        assert [(r[0], r[1], r[4]) for r in open_actions] == [("WBW", "2027-03-01", "WBW/T1/1.1")]
        assert conn.execute(query["sql"], {"regio": "NML"}).fetchall() == []
    # a decision removed and another added: the table follows the current cards
    card = ws.store.load_all().cards
    target = next(c for c in card if c.id == "WBW/T1/1.1")
    data = target.to_dict()
    data["besluiten"] = data["besluiten"][:1]
    ws.store.save(target, data)
    git(ws.root, "commit", "-qam", "een besluit minder")
    build(db, [ws.root])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM decisions").fetchone() == (1,)


def test_decision_changes_match_by_content_and_leave_odd_shapes_alone() -> None:
    from datetime import date

    from tui.core.review.changes import FieldChange, decision_changes

    a = {"datum": "2026-12-02", "vergadering": "S", "besluit": "A"}
    b = {"datum": date(2026, 11, 1), "vergadering": "W", "besluit": "B"}  # a TOML date, written by hand
    c = {"datum": "2027-01-01", "vergadering": "S", "besluit": "C"}
    raw = (FieldChange(("besluiten", 0), "besluiten.0", "Besluiten", "changed"),)
    title = FieldChange(("title",), "title", "Titel", "changed", "x", "y")
    got = decision_changes((title, *raw), {"besluiten": [a, b]}, {"besluiten": [b, c]}, "Besluiten")
    assert got[0] is title
    assert [(f.change, f.path, (f.old or f.new)["besluit"]) for f in got[1:]] == [
        ("removed", ("besluiten", 0), "A"),
        ("added", ("besluiten", 1), "C"),
    ]
    assert decision_changes(raw, {"besluiten": "tekst"}, {"besluiten": [a]}, "Besluiten") == raw
    assert decision_changes(raw, {}, {"besluiten": [a, "x"]}, "Besluiten") == raw
