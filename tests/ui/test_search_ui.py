"""The browser's search results: every full match with a true count, partial ones apart, exports of the full ones."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.conftest import CARDS, make_repo
from tests.ui.conftest import app_for, settle, wait_for, wait_loaded
from tui.screens.browser import PARTIAL_KEY, SEARCH_LIMIT
from tui.widgets.card_list import CardList
from tui.widgets.card_view import CardView


def hint(app: object) -> str:
    return str(app.browser.query_one("#hint").render())  # type: ignore[attr-defined]


async def test_full_matches_then_a_divider_then_partial_ones(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "welzijn recept"
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: any(r.card_id == PARTIAL_KEY for r in lst.rows), what="the divider")
        ids = [r.card_id for r in lst.rows]
        cut = ids.index(PARTIAL_KEY)
        full, partial = ids[:cut], ids[cut + 1 :]
        text = {cid: str(app.library.cards[cid].data).casefold() for cid in full + partial}
        assert full and all("welzijn" in text[c] and "recept" in text[c] for c in full)
        assert partial and all(not ("welzijn" in text[c] and "recept" in text[c]) for c in partial)
        assert "ook gedeeltelijk" in lst.rows[cut].title
        assert f"{len(full)} kaarten" in hint(app) and f"ook {len(partial)} gedeeltelijk" in hint(app)
        assert app.browser.listed_card_ids() == full  # what the palette exports
        lst.cursor = cut  # the divider explains itself in the card view
        await settle(app, pilot)
        app.browser.show_current()
        assert "niet geëxporteerd" in app.browser.query_one(CardView).last_text


async def test_an_exact_filter_lists_every_card_it_selects(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "veel", commit=False)
    source = (CARDS / "nml" / "nml-f6.1.toml").read_text(encoding="utf-8")
    extra = SEARCH_LIMIT + 30
    for i in range(extra):
        copy = source.replace('id = "NML/F6.1"', f'id = "NML/G{i}"')
        (repo / "cards" / "nml" / f"nml-g{i}.toml").write_text(copy, encoding="utf-8")
    nml = len(list((repo / "cards" / "nml").glob("*.toml")))
    app = app_for(repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "regio:NML"
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: len(lst.rows) == nml, what="every NML card")
        assert nml > SEARCH_LIMIT
        assert hint(app).startswith(f"{nml} kaarten") and "+" not in hint(app).split()[0]
        assert "op titel" in hint(app)  # filters only: listed by title, not "best match first"
        app.browser.query_one("#search", Input).value = "soort:bron"
        kind = sum(1 for c in app.library.cards.values() if c.kind == "aanvullende_bron")
        await wait_for(pilot, lambda: len(lst.rows) == kind, what="every aanvullende bron")
        assert kind > SEARCH_LIMIT


async def test_unknown_filter_hint_is_shown_whole(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(80, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "kleur:rood welzijn"
        await wait_for(pilot, lambda: "kleur" in hint(app), what="the hint")
        await settle(app, pilot)
        shown = app.browser.query_one("#hint")
        assert shown.size.height >= 2  # wraps onto a second line instead of being cut off
        assert "programma:" in hint(app)


async def test_export_from_a_search_holds_only_full_matches_and_names_the_query(
    full_repo: Path, isolated_env: Path
) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "welzijn recept"
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: any(r.card_id == PARTIAL_KEY for r in lst.rows), what="the divider")
        full = app.browser.listed_card_ids()
        await app.screen.run_action("export")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog" and f"{len(full)} kaarten exporteren" in app.screen.question
        await pilot.click("#choice-md")
        await settle(app, pilot)
        await wait_for(pilot, lambda: list(isolated_env.rglob("kaarten-*.md")), what="the export")
    files = list(isolated_env.rglob("kaarten-*.md"))
    assert len(files) == 1 and files[0].name.startswith("kaarten-welzijn-recept-")
    text = files[0].read_text(encoding="utf-8")
    assert "Gekozen met de zoekvraag: welzijn recept" in text
    assert text.count("**Kaart-id:**") == len(full)


def test_segments_mark_whole_words_and_keep_text_literal() -> None:
    from rich.style import Style

    from tui.widgets.highlight import segments

    base, mark = Style(), Style(bold=True)
    parts = segments("[bold]Coördinatie[/] en zorgcoördinatie", frozenset({"coordinatie"}), base, mark)
    assert "".join(s.text for s in parts) == "[bold]Coördinatie[/] en zorgcoördinatie"
    assert [s.text for s in parts if s.style == base + mark] == ["Coördinatie"]  # not inside the compound
    assert segments("niets", frozenset(), base, mark) == [segments("niets", frozenset({"x"}), base, mark)[0]]


async def test_matches_are_marked_in_the_list_and_the_card_view_and_n_steps(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.query_one("#search", Input).value = "welzijn recept"
        lst = app.browser.query_one(CardList)
        await wait_for(pilot, lambda: any(r.card_id == PARTIAL_KEY for r in lst.rows), what="the results")
        first = lst.rows[0]
        assert first.title == "Welzijn op Recept"
        strip = lst.render_line(0)
        bold = [seg.text for seg in strip if seg.style is not None and seg.style.bold and seg.style.underline]
        assert bold == ["Welzijn", "Recept"]
        app.browser.query_one("#search", Input).value = "Eendracht"  # only in a list far down WBW/T1/1.1
        view = app.browser.query_one(CardView)
        await wait_for(pilot, lambda: lst.rows and lst.rows[0].card_id == "WBW/T1/1.1", what="the card")
        await wait_for(pilot, lambda: view.matches and view.match == 0, what="the first match")
        await settle(app, pilot)
        await wait_for(pilot, lambda: view.scroll_y > 0, what="the view scrolled down to the match")
        assert "Eendracht" in str(view.matches[0].render())
        view.focus()
        before = view.match
        await pilot.press("n")
        assert view.match == (before + 1) % len(view.matches)
        await pilot.press("N")
        assert view.match == before


async def test_help_explains_the_query_language_and_the_match_keys(full_repo: Path) -> None:
    app = app_for(full_repo)
    async with app.run_test(size=(140, 50)) as pilot:
        await wait_loaded(app, pilot)
        app.action_help()
        await settle(app, pilot)
        text = str(app.screen.query_one("Static").render())
        assert "Zoeken" in text and 'soort:"good practice"' in text and "ook gedeeltelijk" in text
        assert "Volgende treffer" in text and "Vorige treffer" in text
