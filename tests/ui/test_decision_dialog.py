"""Recording a decision in the app (issue #16): D opens the dialog in the browser and the card
screen, saving appends it to the card file and the card view shows it; escape with typed text
asks first; typed text survives a kill (journaled) and an editor draft is never lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tests.ui.conftest import INSTANT, app_for, heard, settle, wait_for, wait_loaded
from tui.core.drafts import DraftStore
from tui.core.meetings.decisions import DecisionDrafts, card_decisions
from tui.dialogs.decision import DecisionDialog
from tui.screens.card_screen import CardScreen
from tui.widgets.card_view import CardView

CARD = "WBW/T1/1.1"
FILE = "cards/wbw/wbw-t1-1.1.toml"


@pytest.fixture(autouse=True)
def instant_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DecisionDialog, "JOURNAL_DELAY", INSTANT)
    monkeypatch.setattr(DecisionDialog, "JOURNAL_MAX_WAIT", INSTANT)


async def _open(app, pilot) -> DecisionDialog:  # type: ignore[no-untyped-def]
    await pilot.press("D")
    await wait_for(pilot, lambda: isinstance(app.screen, DecisionDialog), what="the decision dialog")
    await pilot.pause()
    assert isinstance(app.screen, DecisionDialog)
    return app.screen


async def test_d_opens_the_dialog_saving_appends_and_the_view_shows_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1", "wbw-t1-1.4"])
    before = (repo / FILE).read_bytes()
    app = app_for(repo)
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD)
        await settle(app, pilot)
        dialog = await _open(app, pilot)
        today = date.today().isoformat()
        assert dialog.values()["datum"] == today
        assert dialog.values()["vergadering"] == f"Vergadering {today}"
        assert app.focused is dialog.query_one("#decision-besluit")
        await pilot.press("ctrl+s")  # nothing typed: refused in place with a clear message
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        assert "Besluit: vul dit in." in str(dialog.query_one("#decision-problem").render())
        assert app.focused is dialog.query_one("#decision-besluit")
        for ch in "Aanpak goedgekeurd":
            await pilot.press("space" if ch == " " else ch)
        dialog.query_one("#decision-deadline").value = "2000-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "deadline ligt voor de datum" in str(dialog.query_one("#decision-problem").render())
        dialog.query_one("#decision-deadline").value = "2099-12-31"
        dialog.query_one("#decision-actiehouder").value = "Gemeente Roosendaal"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: card_decisions(app.library.cards[CARD]), what="the decision saved")
        await settle(app, pilot)
        [d] = card_decisions(app.library.cards[CARD])
        assert (d.besluit, d.actiehouder, d.deadline) == ("Aanpak goedgekeurd", "Gemeente Roosendaal", "2099-12-31")
        assert any("Besluit toegevoegd" in m for m in heard(app))
        view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: "Aanpak goedgekeurd" in view.last_text, what="the view to show the decision")
        assert f"{today} · Vergadering {today}" in view.last_text
        assert "Actiehouder: Gemeente Roosendaal" in view.last_text and "[[besluiten]]" not in view.last_text
        assert DecisionDrafts(repo).get(CARD) is None  # saved: the journal is gone
    after = (repo / FILE).read_bytes()
    assert after.startswith(before)
    _, deleted, _ = git(repo, "diff", "--numstat").split("\t")
    assert deleted == "0"


async def test_card_screen_d_and_escape_with_text_asks(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    before = (repo / FILE).read_bytes()
    app = app_for(repo, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_loaded(app, pilot)
        app.push_screen(CardScreen(app.library, app.browser.actions, CARD))
        await settle(app, pilot)
        dialog = await _open(app, pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(pilot, lambda: isinstance(app.screen, CardScreen), what="the dialog closed")
        dialog = await _open(app, pilot)
        for ch in "keep":
            await pilot.press(ch)
        await wait_for(pilot, lambda: DecisionDrafts(repo).get(CARD), what="the typed text journaled")
        assert (DecisionDrafts(repo).get(CARD) or {})["besluit"] == "keep"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog", what="the question")
        await pilot.press("escape")  # no: back in the dialog, text still there
        await wait_for(pilot, lambda: app.screen is dialog, what="back in the dialog")
        assert dialog.values()["besluit"] == "keep"
    # the app is gone as if killed: the typed text is offered back next time
    assert (repo / FILE).read_bytes() == before
    app = app_for(repo, lang="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_loaded(app, pilot)
        app.push_screen(CardScreen(app.library, app.browser.actions, CARD))
        await settle(app, pilot)
        dialog = await _open(app, pilot)
        assert dialog.values()["besluit"] == "keep" and dialog.query("#decision-restored")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog", what="the question")
        await pilot.click("#yes")
        await wait_for(pilot, lambda: isinstance(app.screen, CardScreen), what="thrown away")
        await settle(app, pilot)
        assert DecisionDrafts(repo).get(CARD) is None
    assert (repo / FILE).read_bytes() == before


async def test_a_card_with_an_editor_draft_is_refused_and_the_draft_kept(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    app = app_for(repo)
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_loaded(app, pilot)
        card = app.library.cards[CARD]
        data = card.to_dict()
        data["doelstelling"] = "half getypt"
        DraftStore(repo).write(CARD, card.path, card.blob, data)
        app.push_screen(CardScreen(app.library, app.browser.actions, CARD))
        await settle(app, pilot)
        await pilot.press("D")
        await wait_for(pilot, lambda: any("niet-opgeslagen" in m for m in heard(app)), what="the refusal")
        assert not isinstance(app.screen, DecisionDialog)
    kept = DraftStore(repo).get(CARD)
    assert kept is not None and kept.data["doelstelling"] == "half getypt"


def test_the_changes_screen_says_decision_added_in_words(tmp_path: Path) -> None:
    from tui.core.git.gitrepo import GitRepo
    from tui.core.meetings.decisions import Decision, add_decision
    from tui.core.review.changes import changes
    from tui.core.review.snapshots import create_snapshot
    from tui.core.workspace import Workspace
    from tui.screens.changes import field_text

    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep november 2026")
    card = Workspace(repo).store.load_all().cards[0]
    add_decision(Workspace(repo).store, card, Decision("2026-12-02", "Stuurgroep december 2026", "Akkoord."))
    with GitRepo.open(repo) as r:
        [field] = changes(r, None, None, lang="nl").cards[0].fields
    shown = field_text(field).plain
    assert "besluit toegevoegd: 2026-12-02 · Stuurgroep december 2026" in shown and "{" not in shown


async def test_saving_from_the_card_screen_updates_its_view(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["nml-h2"])  # a CRLF card
    before = (repo / "cards/nml/nml-h2.toml").read_bytes()
    app = app_for(repo)
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_loaded(app, pilot)
        card_id = next(iter(app.library.cards))
        screen = CardScreen(app.library, app.browser.actions, card_id)
        app.push_screen(screen)
        await settle(app, pilot)
        dialog = await _open(app, pilot)
        dialog.query_one("#decision-vergadering").value = "Werkgroep <b>[bold]x[/]"
        dialog.query_one("#decision-besluit").text = "Opschalen naar de stuurgroep."
        await pilot.press("ctrl+s")
        view = screen.query_one(CardView)
        await wait_for(pilot, lambda: "Opschalen naar de stuurgroep." in view.last_text, what="the card screen updated")
        assert "Werkgroep <b>[bold]x[/]" in view.last_text  # card text literal, never markup
    after = (repo / "cards/nml/nml-h2.toml").read_bytes()
    assert after.startswith(before) and after[len(before) :].count(b"\n") == after[len(before) :].count(b"\r\n")


async def test_a_card_changed_on_disk_is_refused_and_the_typed_decision_kept(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"])
    app = app_for(repo)
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto(CARD)
        await settle(app, pilot)
        dialog = await _open(app, pilot)
        dialog.query_one("#decision-besluit").text = "Niet verloren laten gaan."
        changed = (repo / FILE).read_bytes() + b"# iemand anders\n"
        (repo / FILE).write_bytes(changed)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("is gewijzigd sinds" in m for m in heard(app)), what="the refusal")
        await settle(app, pilot)
        assert (DecisionDrafts(repo).get(CARD) or {}).get("besluit") == "Niet verloren laten gaan."
    assert (repo / FILE).read_bytes() == changed
