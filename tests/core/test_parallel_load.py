"""Reading many files in worker processes gives exactly what reading them one by one gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA
from tui.core import cache as cache_mod
from tui.core.cache import load_checked
from tui.core.library import Library
from tui.core.workspace import Workspace


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """The golden repository (hostile cards included) plus the broken files, copied a few times over."""
    from tests.conftest import make_repo

    root = make_repo(tmp_path / "repo", commit=False)
    broken = sorted((DATA / "broken").rglob("*.toml"))
    for n in range(3):
        for src in [*sorted((root / "cards").rglob("*.toml")), *broken]:
            if src.parent.name.startswith("copy"):
                continue
            dst = root / "cards" / f"copy{n}" / f"{src.parent.name}-{src.name}"
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return root


def _library(root: Path, parallel: bool) -> Library:
    lib = Library(Workspace(root), use_cache=False, parallel=parallel)
    lib.load()
    return lib


def test_parallel_read_equals_sequential(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_mod, "CHUNK", 7)  # several chunks, finishing in any order
    paths = Workspace(many).store.discover()
    seq_cards, seq_errors, seq_own = load_checked(paths, None, parallel=False)
    par_cards, par_errors, par_own = load_checked(
        paths, None, parallel=True, schema_folder=Workspace(many).schema.folder
    )
    assert seq_errors and seq_own == {}
    assert par_cards == seq_cards
    assert [c.mtime_ns for c in par_cards] == [c.mtime_ns for c in seq_cards]
    assert par_errors == seq_errors  # phrased here, in this process's language
    assert set(par_own) == {c.blob for c in par_cards}


def test_parallel_library_equals_sequential(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_mod, "CHUNK", 10)
    seq, par = _library(many, False), _library(many, True)
    assert par.cards == seq.cards
    assert par.problems == seq.problems
    assert par.errors == seq.errors and par.duplicates == seq.duplicates
    for q in ("welzijn", "mantelzorg", "thema:ouderen"):
        assert par.index.find(q).ids == seq.index.find(q).ids


def test_workers_check_the_cards_so_validate_does_not(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.core.problem_cache as pc

    monkeypatch.setattr(cache_mod, "CHUNK", 10)
    calls: list[str] = []
    real = pc.validate_data
    monkeypatch.setattr(pc, "validate_data", lambda *a, **k: calls.append("x") or real(*a, **k))
    lib = Library(Workspace(many), use_cache=False, parallel=True)
    lib.read()
    lib.validate()
    assert lib.validated and calls == []
    lib = Library(Workspace(many), use_cache=False, parallel=False)
    lib.read()
    lib.validate()
    assert len(calls) == len(lib.cards)  # the sequential path checks them in validate()


def test_when_processes_cannot_start_the_files_are_read_here(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    class NoPool:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    paths = Workspace(many).store.discover()
    seq = load_checked(paths, None, parallel=False)
    par = load_checked(paths, None, parallel=True, schema_folder=Workspace(many).schema.folder)
    assert par[:2] == seq[:2] and par[2] == {}


def test_few_files_are_read_in_this_process(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool for eight files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    lib = Library(Workspace(repo), use_cache=False)
    lib.load()
    assert len(lib.cards) == 8


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_pauses_the_cycle_collector_and_restores_it(many: Path, enabled: bool) -> None:
    """During the bulk read the collector is off; afterwards it is as the caller had it."""
    import gc

    from tui.core import library as library_mod

    seen: list[bool] = []
    real = library_mod.load_checked

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        library_mod.load_checked = spy  # type: ignore[assignment]
        lib = Library(Workspace(many), use_cache=False, parallel=False)
        lib.read()
        assert seen == [False]
        assert gc.isenabled() is enabled
        assert lib.cards
    finally:
        library_mod.load_checked = real  # type: ignore[assignment]
        (gc.enable if was else gc.disable)()
