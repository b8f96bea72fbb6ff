"""Every screen speaks one language: English mode shows no Dutch UI word, Dutch mode no English one.

Each screen (browser, palette, help, overview, card view, blame, history, editor, welcome, commit
dialog) is rendered and its text compared with the words that exist in only one language: the
catalogue strings that differ between ``nl.toml`` and ``en.toml``, Textual's own words, and the
schema's field labels and kind names. Card content stays Dutch, so words that occur in the cards
are not counted.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import make_repo
from tests.ui.conftest import app_for, settle, wait_loaded
from tui.app import KaartenbakApp
from tui.core.cards.schema import Field, Schema
from tui.i18n import catalogue, language, set_language

CARDS = ["wbw-t1-1.1", "nml-b01.1", "nml-c1"]


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", cards=CARDS)


_TRIM = " \n.,:;()'\"…—-•›"


def _fragments(text: str) -> list[str]:
    """The literal pieces of a catalogue string between its placeholders, long enough to mean something."""
    pieces = (p.strip().strip(_TRIM) for p in re.split(r"\{[^}]*\}", text))
    return [p for p in pieces if len(p) >= 4]


def _has(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` (casefolded) as a whole word or phrase."""
    return re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", text) is not None


def _schema_labels(folder: Path) -> tuple[set[str], set[str]]:
    nl: set[str] = set()
    en: set[str] = set()

    def walk(fields: tuple[Field, ...]) -> None:
        for f in fields:
            if f.label_en and f.label_en != f.label_nl:
                nl.add(f.label_nl)
                en.add(f.label_en)
            walk(f.children)

    for kind in Schema(folder).kinds.values():
        walk(kind.fields)
        if kind.title_en and kind.title_en != kind.title_nl:
            nl.add(kind.title_nl)
            en.add(kind.title_en)
    return nl, en


def _content(repo: Path) -> str:
    """What users wrote (cards, commit messages, names): stays in its own language."""
    cards = [p.read_text(encoding="utf-8") for p in (repo / "cards").rglob("*.toml")]
    log = subprocess.run(["git", "log", "--format=%s%n%an"], cwd=repo, capture_output=True, text=True, check=True)
    return "\n".join([*cards, log.stdout]).casefold()


def only_in(lang: str, repo: Path) -> set[str]:
    """Words that exist only in ``lang``: must never be on screen in the other language."""
    other = "en" if lang == "nl" else "nl"
    mine, theirs = catalogue(lang), catalogue(other)
    their_text = "\n".join(theirs.values()).casefold()
    words: set[str] = set()
    for key, value in mine.items():
        if theirs.get(key) == value:
            continue
        words.update(f for f in _fragments(value) if not _has(their_text, f))
    nl_labels, en_labels = _schema_labels(repo / "schema")
    their_labels = en_labels if lang == "nl" else nl_labels
    words.update(w for w in (nl_labels if lang == "nl" else en_labels) if w not in their_labels)
    cards = _content(repo)
    return {w for w in words if not _has(cards, w) and not re.fullmatch(r"[\W\d_]+", w)}


def screen_text(app: KaartenbakApp) -> str:
    """What the current screen shows, as plain text (lines joined, so wrapped words still match)."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return re.sub(r"[\s│┃║▎▊▌]+", " ", " ".join(lines))


def wrong_words(app: KaartenbakApp, forbidden: set[str]) -> list[str]:
    text = screen_text(app)
    return sorted(w for w in forbidden if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))


async def visit(app: KaartenbakApp, pilot: Pilot[int], forbidden: set[str], seen: dict[str, list[str]]) -> None:
    await settle(app, pilot)
    name = type(app.screen).__name__
    seen[name] = wrong_words(app, forbidden)


async def tour(app: KaartenbakApp, pilot: Pilot[int], repo: Path, forbidden: set[str]) -> dict[str, list[str]]:
    """Open every screen once; the wrong-language words found on each."""
    seen: dict[str, list[str]] = {}
    await wait_loaded(app, pilot)
    await visit(app, pilot, forbidden, seen)  # browser
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert type(app.screen).__name__ == "Palette"
    await visit(app, pilot, forbidden, seen)
    await pilot.press("escape")
    await pilot.press("question_mark")
    await visit(app, pilot, forbidden, seen)
    await pilot.press("escape")
    await pilot.press("o")
    await visit(app, pilot, forbidden, seen)
    await pilot.press("escape")
    await settle(app, pilot)
    app.browser.query_one("#list").focus()
    await pilot.press("enter")
    await visit(app, pilot, forbidden, seen)
    assert type(app.screen).__name__ == "CardScreen"
    await pilot.press("b")
    await visit(app, pilot, forbidden, seen)
    await pilot.press("escape")
    await pilot.press("h")
    await visit(app, pilot, forbidden, seen)
    await pilot.press("escape")
    await pilot.press("e")
    await visit(app, pilot, forbidden, seen)
    assert type(app.screen).__name__ == "EditorScreen"
    await pilot.press("escape")
    await settle(app, pilot)
    while type(app.screen).__name__ != "BrowserScreen":
        await pilot.press("escape")
        await settle(app, pilot)
    app.show_welcome()
    await visit(app, pilot, forbidden, seen)
    await pilot.press("escape")
    card = next((repo / "cards").rglob("*.toml"))
    card.write_text(card.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    await pilot.press("c")
    await settle(app, pilot)
    await visit(app, pilot, forbidden, seen)
    assert {"BrowserScreen", "Palette", "HelpScreen", "OverviewScreen", "CardScreen", "BlameScreen"} <= set(seen)
    assert {"HistoryScreen", "EditorScreen", "WelcomeScreen", "CommitDialog"} <= set(seen)
    return seen


@pytest.mark.parametrize("lang", ["en", "nl"])
async def test_every_screen_shows_only_the_chosen_language(repo: Path, lang: str) -> None:
    forbidden = only_in("nl" if lang == "en" else "en", repo)
    assert len(forbidden) > 100  # the check has teeth
    app = app_for(repo, lang=lang)
    async with app.run_test(size=(140, 45)) as pilot:
        seen = await tour(app, pilot, repo, forbidden)
    assert {screen: words for screen, words in seen.items() if words} == {}


async def test_the_language_can_change_while_the_app_runs(repo: Path) -> None:
    app = app_for(repo, lang="nl")
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_loaded(app, pilot)
        assert "Stoppen" in screen_text(app)
        set_language("en")
        await settle(app, pilot)
        assert "Quit" in screen_text(app) and "Stoppen" not in screen_text(app)
        assert app.browser.query_one("#search", Input).placeholder  # the screen still works
