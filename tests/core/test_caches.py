"""The parse cache and the problem cache speed up later starts and never serve stale data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.cache import load_cards
from tui.core.library import Library
from tui.core.problem_cache import ProblemCache
from tui.core.workspace import Workspace


def test_parse_cache_is_used_and_refreshed(repo: Path, tmp_path: Path) -> None:
    ws = Workspace(repo)
    cache = tmp_path / "c.marshal"
    paths = ws.store.discover()
    first, _ = load_cards(paths, cache)
    assert cache.exists()
    again, _ = load_cards(paths, cache)
    assert [c.blob for c in again] == [c.blob for c in first]
    target = paths[0]
    target.write_text(target.read_text(encoding="utf-8").replace('title = "', 'title = "X', 1), encoding="utf-8")
    third, _ = load_cards(paths, cache)
    assert next(c for c in third if c.path == target).title.startswith("X")


def test_corrupt_parse_cache_is_ignored(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.marshal"
    cache.write_bytes(b"\x00garbage")
    cards, errors = load_cards(Workspace(repo).store.discover(), cache)
    assert len(cards) == 8 and errors == []


def test_problem_cache_hits_and_follows_content(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace(repo)
    cards = ws.store.load_all().cards
    file = tmp_path / "p.marshal"
    first = ProblemCache(file, ws.schema, ws.vocab)
    expected = {c.blob: first.problems(c) for c in cards}
    first.save()
    import tui.core.problem_cache as pc

    calls: list[str] = []
    real = pc.validate_data
    monkeypatch.setattr(pc, "validate_data", lambda *a, **k: calls.append("x") or real(*a, **k))
    second = ProblemCache(file, ws.schema, ws.vocab)
    assert {c.blob: second.problems(c) for c in cards} == expected
    assert calls == []


def test_problem_cache_is_dropped_when_the_schema_changes(repo: Path, tmp_path: Path) -> None:
    ws = Workspace(repo)
    cards = ws.store.load_all().cards
    file = tmp_path / "p.marshal"
    cache = ProblemCache(file, ws.schema, ws.vocab)
    for c in cards:
        cache.problems(c)
    cache.save()
    kind_file = repo / "schema" / "kinds" / "project.json"
    doc = json.loads(kind_file.read_text(encoding="utf-8"))
    doc["required"] = [*doc.get("required", []), "doelstelling"]
    kind_file.write_text(json.dumps(doc), encoding="utf-8")
    fresh = Workspace(repo)
    assert ProblemCache(file, fresh.schema, fresh.vocab).entries == {}


def test_library_phases(repo: Path) -> None:
    lib = Library(Workspace(repo), use_cache=False)
    lib.read()
    assert len(lib.cards) == 8 and not lib.validated and lib.problems == {}
    lib.validate()
    assert lib.validated and set(lib.problems) == set(lib.cards)
    hits = lib.index.search("welzijn recept", limit=3)
    assert hits and hits[0].card_id == "WBW/T1/1.1"


def test_saving_while_the_index_builds_neither_waits_nor_is_lost(repo: Path) -> None:
    import threading

    from tui.core.cards.card import Card
    from tui.core.cards.parse import load_file

    lib = Library(Workspace(repo), use_cache=False)
    lib.read()
    lib._index_lock.acquire()  # a build in progress holds the lock
    try:
        card = load_file(repo / "cards" / "wbw" / "wbw-t1-1.4.toml")
        assert isinstance(card, Card)
        changed = lib.workspace.store.save(card, {**card.to_dict(), "title": "Zelfredzaamheid thuis"})
        done = threading.Event()
        threading.Thread(target=lambda: (lib.update(changed), done.set()), daemon=True).start()
        assert done.wait(5), "update waited for the index build"
    finally:
        lib._index_lock.release()
    hits = lib.index.search("zelfredzaamheid", limit=5)
    assert [h.card_id for h in hits][:1] == ["WBW/T1/1.4"]
    lib.remove("WBW/T1/1.4")
    assert all(h.card_id != "WBW/T1/1.4" for h in lib.index.search("zelfredzaamheid", limit=5))
