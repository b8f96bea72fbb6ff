"""File names from card ids are safe on every platform (RELIABILITY 38)."""

from __future__ import annotations

import unicodedata

import pytest

from tui.core.cards.slug import slugify, unique_name


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("WBW/T1/1.1", "wbw-t1-1.1"),
        ("NML/B22.1", "nml-b22.1"),
        ("Coördinatie & zorg", "coordinatie-zorg"),
        ("../x", "x"),
        ("..\\..\\etc", "etc"),
        ("CON", "kaart-con"),
        ("aux.toml", "kaart-aux.toml"),
        ("naam. ", "naam"),
        ("", "kaart"),
        ("///", "kaart"),
        ("a..b", "a.b"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_nfc_and_nfd_give_the_same_slug() -> None:
    nfc = unicodedata.normalize("NFC", "Zorgcoördinatie")
    nfd = unicodedata.normalize("NFD", "Zorgcoördinatie")
    assert nfc != nfd and slugify(nfc) == slugify(nfd) == "zorgcoordinatie"


def test_long_names_are_capped_in_bytes() -> None:
    slug = slugify("é" * 400)
    assert len(slug.encode()) <= 80 and slug


def test_unique_name_ignores_case() -> None:
    assert unique_name("welzijn", {"Welzijn"}) == "welzijn-2"
    assert unique_name("welzijn", {"welzijn", "welzijn-2"}) == "welzijn-3"
    assert unique_name("nieuw", {"welzijn"}) == "nieuw"
