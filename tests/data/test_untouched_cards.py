"""Nothing invented (RELIABILITY 39, issue 12 item 1): a card opened in the editor and left alone
is not "changed", asks nothing on leaving and writes nothing, for every shipped card of every kind
and for a hand-made card of each kind with every optional field absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomllib

from tests.conftest import SCHEMA, SHIPPED_CARDS, git, make_repo
from tests.ui.conftest import app_for, instant_delays, settle, wait_for, wait_loaded
from tui.core.cards.card import Card
from tui.core.cards.forms import HIDDEN_FIELDS, collect, untouched_values
from tui.core.cards.parse import load_file
from tui.core.cards.schema import Schema
from tui.core.drafts import DraftStore
from tui.screens.editor import EditorScreen
from tui.widgets.field_editors import FieldEditor

__all__ = ["instant_delays"]  # the UI tests' delays to ~0 here too

SHIPPED = sorted(SHIPPED_CARDS.rglob("*.toml"))
SCHEMA_OBJ = Schema(SCHEMA)


def _data(path: Path) -> dict[str, Any]:
    loaded = load_file(path)
    assert isinstance(loaded, Card), loaded
    return loaded.to_dict()


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_card_collects_untouched_to_exactly_its_data(path: Path) -> None:
    data = _data(path)
    kind = SCHEMA_OBJ.kind(str(data["kind"]))
    assert kind is not None
    assert collect(kind, data, untouched_values(kind, data, HIDDEN_FIELDS)) == data


def test_the_shipped_cards_include_every_kind_and_absent_booleans() -> None:
    kinds = {str(tomllib.loads(p.read_text(encoding="utf-8")).get("kind")) for p in SHIPPED}
    assert kinds == set(SCHEMA_OBJ.kinds)
    initiatives = [_data(p) for p in SHIPPED if 'kind = "initiative"' in p.read_text(encoding="utf-8")]
    assert any("ketenaanpak" not in d and "omschrijving_ontvangen" not in d for d in initiatives)


# -- hand-made cards: every optional field absent ------------------------------------------------
def minimal(kind_name: str) -> dict[str, Any]:
    """A card of ``kind_name`` with only its required keys."""
    kind = SCHEMA_OBJ.kind(kind_name)
    assert kind is not None
    region = kind.regions[0] if kind.regions else "NML"
    values = {
        "id": f"{region}/kaal-{kind_name}",
        "kind": kind_name,
        "region": region,
        "title": f"Kale {kind_name}",
        "theme": "Gezond vooruit" if region == "NML" else "Kwetsbare ouderen nu en in de toekomst",
        "ontvangen_van": "Iemand",
    }
    return {k: values[k] for k in kind.json_schema["required"]}


def _toml(data: dict[str, Any]) -> str:
    return "".join(f'{k} = "{v}"\n' for k, v in data.items())


@pytest.mark.parametrize("kind_name", sorted(SCHEMA_OBJ.kinds))
def test_a_card_with_every_optional_field_absent_stays_so(kind_name: str) -> None:
    data = minimal(kind_name)
    kind = SCHEMA_OBJ.kind(kind_name)
    assert kind is not None
    assert collect(kind, data, untouched_values(kind, data, HIDDEN_FIELDS)) == data


@pytest.fixture
def bare_repo(tmp_path: Path) -> Path:
    """A repository with one hand-made card of each kind (only required keys) and one shipped card
    of each kind."""
    repo = make_repo(tmp_path / "kaal", cards=[], commit=False)
    for name in sorted(SCHEMA_OBJ.kinds):
        data = minimal(name)
        folder = repo / "cards" / data["region"].lower()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"kaal-{name}.toml").write_text(_toml(data), encoding="utf-8")
    seen: set[str] = set()
    for src in SHIPPED:
        kind = str(tomllib.loads(src.read_text(encoding="utf-8"))["kind"])
        if kind not in seen:
            seen.add(kind)
            (repo / "cards" / src.parent.name).mkdir(exist_ok=True)
            (repo / "cards" / src.parent.name / src.name).write_bytes(src.read_bytes())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Kale kaarten")
    return repo


def _files(repo: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((repo / "cards").rglob("*.toml"))}


async def test_open_and_escape_every_kind_asks_nothing_and_writes_nothing(bare_repo: Path) -> None:
    before = _files(bare_repo)
    app = app_for(bare_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        ids = sorted(app.library.cards)
        assert len(ids) == 2 * len(SCHEMA_OBJ.kinds)
        for card_id in ids:
            app.browser.goto(card_id)
            await pilot.press("e")
            await settle(app, pilot)
            ed = app.screen
            assert isinstance(ed, EditorScreen) and ed.built, card_id
            await settle(app, pilot)
            assert not ed.dirty, (card_id, ed.collect(), ed.saved)
            marked = [e.field.key for e in ed.query(FieldEditor) if e.has_class("-changed")]
            assert marked == [], (card_id, marked)
            assert "gewijzigd:" not in str(ed.query_one("#editor-summary").render())
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is app.browser, (card_id, type(app.screen).__name__)
        assert DraftStore(bare_repo).all() == []
    assert _files(bare_repo) == before
    assert git(bare_repo, "status", "--porcelain") == ""


async def test_initiative_without_booleans_is_not_changed_and_saving_elsewhere_keeps_them_absent(
    bare_repo: Path,
) -> None:
    path = bare_repo / "cards" / "nml" / "kaal-initiative.toml"
    app = app_for(bare_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("NML/kaal-initiative")
        await pilot.press("e")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        for key in ("ketenaanpak", "omschrijving_ontvangen"):
            assert ed.editors[key].value is None
            assert not ed.editors[key].has_class("-changed")
        ed.editors["title"].query_one("Input").value = "Een andere titel"
        await wait_for(pilot, lambda: ed.editors["title"].has_class("-changed"), what="the title marked changed")
        assert [k for k, e in ed.editors.items() if e.has_class("-changed")] == ["title"]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = path.read_text(encoding="utf-8")
    assert 'title = "Een andere titel"' in text
    assert "ketenaanpak" not in text and "omschrijving_ontvangen" not in text
    assert git(bare_repo, "diff", "--numstat").splitlines() == ["1\t1\tcards/nml/kaal-initiative.toml"]
    from tui.core.git.commit import changed_cards, suggest_message
    from tui.core.git.gitrepo import GitRepo

    with GitRepo.open(bare_repo) as repo:
        changes = changed_cards(repo, app.workspace)
    assert suggest_message(changes) == "Een andere titel: titel"


async def test_a_switch_turned_on_and_off_again_leaves_the_key_absent(bare_repo: Path) -> None:
    app = app_for(bare_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        app.browser.goto("NML/kaal-initiative")
        await pilot.press("e")
        await settle(app, pilot)
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        switch = ed.editors["ketenaanpak"].query_one("Switch")
        switch.value = True
        await settle(app, pilot)
        assert ed.collect()["ketenaanpak"] is True and ed.dirty
        switch.value = False
        await settle(app, pilot)
        assert "ketenaanpak" not in ed.collect() and not ed.dirty
