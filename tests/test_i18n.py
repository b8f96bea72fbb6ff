"""The UI catalogues: English and Dutch have the same keys and placeholders, and ``t()`` switches."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui import i18n
from tui.i18n import LOCALE_DIR, catalogue, language, set_language, t

LANGS = ("nl", "en")


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


def fresh(lang: str) -> dict[str, str]:
    """The catalogue as it is on disk now (other tests may have cached an older one)."""
    catalogue.cache_clear()
    return catalogue(lang)


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_both_catalogues_exist() -> None:
    assert {p.stem for p in LOCALE_DIR.glob("*.toml")} >= set(LANGS)


def test_english_and_dutch_have_exactly_the_same_keys() -> None:
    nl, en = fresh("nl"), fresh("en")
    assert sorted(set(nl) - set(en)) == [], "untranslated in en.toml"
    assert sorted(set(en) - set(nl)) == [], "in en.toml but not in nl.toml"


def test_every_key_has_the_same_placeholders_in_both_languages() -> None:
    nl, en = fresh("nl"), fresh("en")
    pairs = {k: (placeholders(nl[k]), placeholders(en[k])) for k in nl.keys() & en.keys()}
    different = {k: pair for k, pair in pairs.items() if pair[0] != pair[1]}
    assert different == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_value_is_empty(lang: str) -> None:
    assert [k for k, v in fresh(lang).items() if not v.strip()] == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_value_formats_with_its_placeholders(lang: str) -> None:
    for text in fresh(lang).values():
        text.format(**{name: "x" for name in placeholders(text)})  # no stray { or } in any string


def test_t_switches_with_set_language() -> None:
    fresh("nl")
    set_language("en")
    assert language() == "en"
    assert t("dialog.cancel") == "Cancel"
    assert t("list.count", count=3) == "3 cards"
    set_language("nl")
    assert language() == "nl"
    assert t("dialog.cancel") == "Annuleren"
    assert t("list.count", count=3) == "3 kaarten"


def test_an_unknown_language_falls_back_to_dutch() -> None:
    set_language("fr")
    assert language() == "nl"
    assert t("dialog.yes") == "Ja"


def test_user_text_in_a_value_stays_literal_in_english() -> None:
    set_language("en")
    assert t("editor.title", title="{count} [b]x[/b]") == "Editing: {count} [b]x[/b]"


def test_every_key_the_code_asks_for_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in Path(i18n.__file__).parent.rglob("*.py"):
        used.update(re.findall(r"""\b(?:t|lazy)\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    for lang in LANGS:
        assert sorted(used - fresh(lang).keys()) == [], f"missing in {lang}.toml"
