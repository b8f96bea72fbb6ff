"""The overview per theme: card counts, completeness from the template fields, FTE and invalid cards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tui.core.cards.card import Card
from tui.core.cards.fte import fte_totals
from tui.core.overview import card_completeness, recent_commits, region_completeness, theme_overview
from tui.core.paths import schema_dir
from tui.core.cards.schema import Schema
from tui.core.cards.vocab import Vocabulary

SCHEMA = Schema(schema_dir())
VOCAB = Vocabulary(schema_dir())
PROJECT_FIELDS = [f.key for f in SCHEMA.kinds["project"].template_fields]
GOOD_PRACTICE_FIELDS = [f.key for f in SCHEMA.kinds["good_practice"].template_fields]
ELDERLY = "Kwetsbare ouderen nu en in de toekomst"


def card(card_id: str, kind: str, region: str, theme: str, **fields: Any) -> Card:
    data = {"id": card_id, "kind": kind, "region": region, "title": card_id, **fields}
    if theme:
        data["theme"] = theme
    return Card.build(Path(f"/x/{card_id.replace('/', '-')}.toml"), data, b"", bom=False, crlf=False)


def filled(keys: list[str], n: int) -> dict[str, str]:
    return {k: "tekst" for k in keys[:n]}


def row(rows, region: str, theme: str):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.region == region and r.theme == theme)


def test_the_schema_has_the_template_fields_these_tests_count_on() -> None:
    assert len(PROJECT_FIELDS) == 10
    assert len(GOOD_PRACTICE_FIELDS) == 2


@pytest.mark.parametrize("n", [0, 1, 5, 10])
def test_a_card_is_as_complete_as_the_share_of_its_filled_template_fields(n: int) -> None:
    c = card("WBW/T1/1", "project", "WBW", ELDERLY, **filled(PROJECT_FIELDS, n))
    assert card_completeness(c, SCHEMA) == pytest.approx(n / 10)


def test_blank_text_and_lists_of_blanks_count_as_empty_like_validation_does() -> None:
    c = card(
        "WBW/T1/1",
        "project",
        "WBW",
        ELDERLY,
        **{PROJECT_FIELDS[0]: "   \n", PROJECT_FIELDS[1]: ["", " "], PROJECT_FIELDS[2]: "echt"},
    )
    assert card_completeness(c, SCHEMA) == pytest.approx(0.1)


def test_fields_outside_the_template_do_not_count() -> None:
    c = card("WBW/T1/1", "project", "WBW", ELDERLY, notes="veel tekst", **filled(PROJECT_FIELDS, 2))
    assert card_completeness(c, SCHEMA) == pytest.approx(0.2)


def test_kinds_without_template_fields_and_unknown_kinds_are_not_measured() -> None:
    assert card_completeness(card("NML/X1", "aanvullend_initiatief", "NML", "Gezond vooruit"), SCHEMA) is None
    assert card_completeness(card("NML/X2", "raadsel", "NML", "Gezond vooruit"), SCHEMA) is None


def test_a_theme_is_the_mean_of_its_cards_each_against_its_own_kind() -> None:
    cards = [
        card("WBW/T1/1", "project", "WBW", ELDERLY, **filled(PROJECT_FIELDS, 10)),  # 1.0
        card("WBW/T1/2", "project", "WBW", ELDERLY, **filled(PROJECT_FIELDS, 4)),  # 0.4
        card("WBW/T1/gp1", "good_practice", "WBW", ELDERLY, **filled(GOOD_PRACTICE_FIELDS, 1)),  # 0.5
    ]
    r = row(theme_overview(cards, SCHEMA, VOCAB), "WBW", ELDERLY)
    assert r.cards == 3
    assert r.completeness == pytest.approx((1.0 + 0.4 + 0.5) / 3)
    assert r.number == 1 and r.known


def test_unmeasurable_cards_are_counted_but_do_not_pull_completeness_down() -> None:
    cards = [
        card(
            "NML/B1",
            "initiative",
            "NML",
            "Gezond vooruit",
            omschrijving="x",
            impact_fte={"status": "number", "waarde": 3},
        ),
        card("NML/X1", "aanvullend_initiatief", "NML", "Gezond vooruit"),
    ]
    r = row(theme_overview(cards, SCHEMA, VOCAB), "NML", "Gezond vooruit")
    assert r.cards == 2
    assert r.completeness == pytest.approx(1.0)


def test_every_vocabulary_theme_is_listed_in_plan_order_even_without_cards() -> None:
    rows = theme_overview([], SCHEMA, VOCAB)
    for code, region in VOCAB.regions.items():
        listed = [r for r in rows if r.region == code]
        assert [r.theme for r in listed] == [th.name for th in region.themes]
        assert all(r.cards == 0 and r.completeness is None and r.fte is None and r.invalid == 0 for r in listed)


def test_unknown_themes_and_cards_without_theme_come_after_the_plan_themes() -> None:
    cards = [
        card("NML/S1", "aanvullende_bron", "NML", ""),
        card("NML/B9", "initiative", "NML", "Verzonnen thema", omschrijving="x"),
    ]
    nml = [r for r in theme_overview(cards, SCHEMA, VOCAB) if r.region == "NML"]
    assert [r.theme for r in nml[-2:]] == ["Verzonnen thema", ""]
    assert not nml[-1].known and nml[-1].number is None
    assert nml[-2].cards == 1 and nml[-1].cards == 1


def test_fte_is_the_initiatives_total_with_ranges_as_low_and_high() -> None:
    cards = [
        card("NML/B1", "initiative", "NML", "Gezond vooruit", impact_fte={"status": "number", "waarde": 9}),
        card("NML/B2", "initiative", "NML", "Gezond vooruit", impact_fte={"status": "range", "min": 1, "max": 4}),
        card("NML/B3", "initiative", "NML", "Gezond vooruit", impact_fte={"status": "niet_mogelijk"}),
        card("NML/B4", "initiative", "NML", "Gezond vooruit"),
        card(
            "NML/B5",
            "initiative",
            "NML",
            "Toekomstbestendige arbeidsmarkt",
            impact_fte={"status": "estimate", "waarde": 2.5},
        ),
    ]
    rows = theme_overview(cards, SCHEMA, VOCAB)
    healthy = row(rows, "NML", "Gezond vooruit")
    assert (healthy.fte_low, healthy.fte_high) == (10, 13)
    assert (healthy.fte.counted, healthy.fte.not_possible, healthy.fte.missing) == (2, 1, 1)
    assert healthy.fte == fte_totals(cards)["Gezond vooruit"]
    assert (
        row(rows, "NML", "Toekomstbestendige arbeidsmarkt").fte_low,
        row(rows, "NML", "Toekomstbestendige arbeidsmarkt").fte_high,
    ) == (2.5, 2.5)
    assert row(rows, "NML", "Langer en beter thuis vooruit").fte is None
    assert all(r.fte is None for r in rows if r.region == "WBW")


def test_fte_is_kept_apart_per_region_even_for_the_same_theme_name() -> None:
    cards = [
        card("NML/B1", "initiative", "NML", "Gedeeld", impact_fte={"status": "number", "waarde": 5}),
        card("WBW/B1", "initiative", "WBW", "Gedeeld", impact_fte={"status": "number", "waarde": 7}),
    ]
    rows = theme_overview(cards, SCHEMA, VOCAB)
    assert row(rows, "NML", "Gedeeld").fte_low == 5
    assert row(rows, "WBW", "Gedeeld").fte_low == 7


def test_invalid_cards_are_counted_per_theme() -> None:
    cards = [card(f"WBW/T1/{i}", "project", "WBW", ELDERLY) for i in range(3)] + [
        card("WBW/T3/1", "project", "WBW", "Mentale gezondheid")
    ]
    rows = theme_overview(cards, SCHEMA, VOCAB, invalid={"WBW/T1/0", "WBW/T1/2", "NML/ELDERS"})
    assert row(rows, "WBW", ELDERLY).invalid == 2
    assert row(rows, "WBW", "Mentale gezondheid").invalid == 0


def test_the_shipped_cards_add_up() -> None:
    from tui.core.workspace import Workspace
    from tui.core.library import Library

    lib = Library(Workspace(schema_dir().parent), use_cache=False)
    lib.read()
    rows = theme_overview(lib.cards.values(), SCHEMA, VOCAB)
    assert sum(r.cards for r in rows) == len(lib.cards)
    assert all(r.completeness is None or 0.0 <= r.completeness <= 1.0 for r in rows)


def test_region_completeness_weighs_every_measured_card_equally() -> None:
    cards = [card(f"WBW/T1/{i}", "project", "WBW", ELDERLY, **filled(PROJECT_FIELDS, 10)) for i in range(3)]
    cards.append(card("WBW/T3/1", "project", "WBW", "Mentale gezondheid"))
    rows = [r for r in theme_overview(cards, SCHEMA, VOCAB) if r.region == "WBW"]
    assert region_completeness(rows) == pytest.approx(3 / 4)
    assert region_completeness([r for r in rows if r.cards == 0]) is None


def test_recent_commits_newest_first_with_author_and_message(tmp_path: Path) -> None:
    from tests.conftest import git, make_repo

    repo = make_repo(tmp_path / "r", cards=["nml-c1"])
    for i in range(12):
        (repo / "notes.txt").write_text(f"{i}\n", encoding="utf-8")
        git(repo, "add", "notes.txt")
        git(repo, "commit", "-q", "-m", f"Wijziging {i} [/] {{x}}")
    commits = recent_commits(repo)
    assert commits is not None and len(commits) == 10
    assert commits[0].subject == "Wijziging 11 [/] {x}"
    assert commits[-1].subject == "Wijziging 2 [/] {x}"
    assert all(c.author == "Test Gebruiker" for c in commits)
    assert recent_commits(repo, limit=50)[-1].subject == "Eerste kaarten"  # type: ignore[index]


def test_recent_commits_without_git_or_without_commits(tmp_path: Path) -> None:
    from tests.conftest import make_repo

    plain = tmp_path / "plain"
    plain.mkdir()
    assert recent_commits(plain) is None
    assert recent_commits(make_repo(tmp_path / "fresh", cards=["nml-c1"], commit=False)) == []
