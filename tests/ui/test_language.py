"""``--lang en`` / ``KAARTENBAK_LANG``: the app speaks English when asked, Dutch by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import make_repo
from tests.ui.conftest import app_for, wait_loaded
from tui.app import make_app
from tui.core.config import Config, load_config
from tui.i18n import catalogue, language, set_language
from tui.widgets.card_list import CardList

EN = catalogue("en")
NL = catalogue("nl")


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "nml-b01.1", "nml-c1"])


@pytest.mark.parametrize(("lang", "strings"), [("en", EN), ("nl", NL)])
async def test_the_app_shows_the_chosen_language(small_repo: Path, lang: str, strings: dict[str, str]) -> None:
    app = app_for(small_repo, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        assert language() == lang
        search = app.browser.query_one("#search", Input)
        assert search.placeholder == strings["search.placeholder"]
        assert len(app.browser.query_one(CardList).rows) == 3
        await pilot.press("question_mark")  # the help screen builds its text at run time
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
    assert EN["search.placeholder"].startswith("Search all cards")
    assert NL["search.placeholder"].startswith("Zoek in alle kaarten")


def test_kaartenbak_lang_overrides_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('lang = "nl"\n', encoding="utf-8")
    monkeypatch.setenv("KAARTENBAK_CONFIG", str(cfg))
    monkeypatch.setenv("KAARTENBAK_LANG", "en")
    assert load_config().lang == "en"
    monkeypatch.setenv("KAARTENBAK_LANG", "fr")  # unknown: the file's choice stands
    assert load_config().lang == "nl"


def test_make_app_prefers_lang_over_the_config(small_repo: Path) -> None:
    config = Config(path=small_repo / "none.toml", lang="en")
    make_app(repo=small_repo, config=config, use_cache=False)
    assert language() == "en"
    make_app(repo=small_repo, lang="nl", config=config, use_cache=False)
    assert language() == "nl"


def test_console_script_with_lang_en_has_english_app_bindings(small_repo: Path) -> None:
    import subprocess
    import sys

    code = (
        "import argparse, textual.app; from tui.app_main import run_app; "
        "textual.app.App.run = lambda self: print([b.description for b in self.BINDINGS]); "
        f"run_app(argparse.Namespace(repo={str(small_repo)!r}, lang='en'))"
    )
    root = Path(__file__).parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert "'Quit'" in result.stdout, result.stdout
