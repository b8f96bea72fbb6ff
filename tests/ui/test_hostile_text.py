"""Card text is never markup and never reaches the terminal raw (RELIABILITY 20-22)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from tests.conftest import make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tests.ui.rendered import raw_segments
from tests.ui.rendered import screen_text as rendered_text
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.workspace import Workspace
from tui.screens.editor import EditorScreen
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView

HOSTILE = (
    "[bold]x [/] [@click=app.quit]Q[/] [link=https://evil]y[/] [type=x, v={'a[0]'}] "
    "\x1b]0;T\x07 \x1b[2J \x9b \u202eTXT \u200b"
)


def _hostile_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4"])
    path = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    card = load_file(path)
    assert isinstance(card, Card)
    data = card.to_dict()
    data["title"] = "Titel " + HOSTILE
    data["notes"] = HOSTILE
    data["betrokken_organisaties"] = [HOSTILE]
    Workspace(repo).store.save(card, data)
    return repo


async def test_markup_and_escapes_display_literally_and_do_nothing(tmp_path: Path) -> None:
    app = app_for(_hostile_repo(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(app, pilot)
        row = app.browser.query_one(CardList).rows[0]
        assert row.title.startswith("Titel [bold]x [/]")
        card_view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: "[@click=app.quit]Q[/]" in card_view.last_text, what="the card view")
        view = card_view.last_text
        assert "[@click=app.quit]Q[/]" in view and "[link=https://evil]y[/]" in view
        assert "\x1b" not in view and "<U+001B>" in view and "<U+202E>" in view and "<U+009B>" in view
        # nothing on the screen carries an action or a link: the whole rendered screen, segment by segment
        await pilot.pause()
        screen_text = ""
        for line in app.screen._compositor.render_update(full=True).strips:
            for strip in line:
                for segment in strip:
                    screen_text += segment.text
                    style = segment.style
                    assert style is None or ("@click" not in style.meta and not style.link), segment
        assert "[@click=app.quit]Q[/]" in screen_text and "\x1b" not in screen_text
        # and clicking on the hostile text (the view's title lines, the list row) runs no action
        for y in range(4):
            await pilot.click(CardView, offset=(5, y))
        await pilot.click(CardList, offset=(5, 0))
        assert app.is_running
        assert raw_segments(app) == []
        # the card is flagged for the bidi and zero-width characters
        problems = [str(p) for p in app.library.problems[row.card_id]]
        assert any("U+202E" in p for p in problems)
        # and the editor: its one-line inputs show the escapes visibly and keep them in the value
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.built, what="the form")
        await settle(app, pilot)
        assert raw_segments(app) == []
        assert "Titel [bold]x [/]" in rendered_text(app) and "␛]0;T␇" in rendered_text(app)
        assert app.screen.editors["title"].value == "Titel " + HOSTILE
        assert app.is_running


async def test_notifications_with_hostile_text_stay_literal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", cards=["wbw-t1-1.4"])
    (repo / "cards" / "wbw" / "[bold]kapot[@click=app.quit].toml").write_text("title = [\n", encoding="utf-8")
    app = app_for(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        await wait_for(pilot, lambda: list(app._notifications), what="the notification")
        notes = list(app._notifications)
        assert notes and "[bold]kapot[@click=app.quit].toml" in notes[0].message
        assert app.is_running


def test_list_rows_render_user_text_as_plain_segments() -> None:
    text = Text("[bold]x[/]")
    assert text.plain == "[bold]x[/]" and not text.spans
