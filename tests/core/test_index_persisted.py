"""The search index is kept beside the card cache: a warm start restores it instead of building it.

Builds are counted through ``Library(on_index=...)``, never timed.
"""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from tui.core.cache import index_file
from tui.core.library import Library
from tui.core.search import search as search_mod
from tui.core.workspace import Workspace

QUERIES = ["welzijn recept", "zelfredzaamheid", "mantelzorg", "thema:ouderen", "wbw", "huisarts", "xyzzy"]


def _library(repo: Path, events: list[tuple[str, int]]) -> Library:
    lib = Library(Workspace(repo), on_index=lambda how, n: events.append((how, n)))
    lib.read()
    lib.build_index()
    return lib


def _answers(lib: Library) -> list[tuple[list[str], list[str], list[object]]]:
    out = []
    for q in QUERIES:
        found = lib.index.find(q)
        out.append((list(found.ids), list(found.partial), found.head(10)))
    return out


def test_a_warm_start_restores_the_index_instead_of_building_it(repo: Path) -> None:
    events: list[tuple[str, int]] = []
    first = _library(repo, events)
    assert events == [("built", 8)]
    assert index_file(repo).is_file()
    second = _library(repo, events)
    assert events[1:] == [("restored", 0)]
    assert _answers(second) == _answers(first)


def test_one_changed_card_is_reindexed_alone(repo: Path) -> None:
    events: list[tuple[str, int]] = []
    _library(repo, events)
    target = repo / "cards" / "wbw" / "wbw-t1-1.4.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('title = "', 'title = "Zwerfkeienproject ', 1), encoding="utf-8")
    added: list[str] = []
    real_add = search_mod.SearchIndex._add

    def counting_add(self: search_mod.SearchIndex, card: object, bulk: bool, tokens: object = None) -> None:
        added.append(getattr(card, "id", ""))
        real_add(self, card, bulk, tokens)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search_mod.SearchIndex, "_add", counting_add)
        warm = _library(repo, events)
    assert events[1:] == [("restored", 1)]
    assert added == ["WBW/T1/1.4"]
    assert [h.card_id for h in warm.index.search("zwerfkeienproject")] == ["WBW/T1/1.4"]
    fresh = Library(Workspace(repo), use_cache=False)
    fresh.read()
    assert _answers(warm) == _answers(fresh)
    _library(repo, events)  # the re-indexed card was kept: the next start changes nothing
    assert events[2:] == [("restored", 0)]


def test_a_removed_card_leaves_the_restored_index(repo: Path) -> None:
    events: list[tuple[str, int]] = []
    _library(repo, events)
    (repo / "cards" / "wbw" / "wbw-t1-1.4.toml").unlink()
    warm = _library(repo, events)
    assert events[1:] == [("restored", 1)]
    assert all(h.card_id != "WBW/T1/1.4" for h in warm.index.search("zelfredzaamheid"))
    fresh = Library(Workspace(repo), use_cache=False)
    fresh.read()
    assert _answers(warm) == _answers(fresh)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"\x00\xffgarbage" * 100, id="garbage"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: marshal.dumps({"version": "0", "entries": {}}), id="old-version"),
        pytest.param(lambda raw: marshal.dumps([1, 2, 3]), id="wrong-shape"),
    ],
)
def test_a_damaged_or_old_index_file_is_rebuilt_silently(repo: Path, damage: object) -> None:
    events: list[tuple[str, int]] = []
    first = _library(repo, events)
    file = index_file(repo)
    file.write_bytes(damage(file.read_bytes()))  # type: ignore[operator]
    again = _library(repo, events)
    assert events[1:] == [("built", 8)]
    assert _answers(again) == _answers(first)
    _library(repo, events)  # and written again whole
    assert events[2:] == [("restored", 0)]


def test_a_version_bump_rebuilds(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[tuple[str, int]] = []
    _library(repo, events)
    monkeypatch.setattr(search_mod, "INDEX_VERSION", search_mod.INDEX_VERSION + 1)
    _library(repo, events)
    assert events[1:] == [("built", 8)]


def test_without_the_cache_nothing_is_kept(repo: Path) -> None:
    events: list[tuple[str, int]] = []
    lib = Library(Workspace(repo), use_cache=False, on_index=lambda how, n: events.append((how, n)))
    lib.read()
    lib.build_index()
    assert events == [("built", 8)]
    assert not index_file(repo).exists()
