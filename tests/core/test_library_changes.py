"""The library keeps file problems visible and notices changes made outside the app."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import git, seed_remote
from tui.core.cards.card import LoadError
from tui.core.library import DuplicateId, Library, LibraryChange, count_by_folder
from tui.core.workspace import Workspace

CARD = "cards/wbw/wbw-t1-1.4.toml"
CARD_ID = "WBW/T1/1.4"


def _age(path: Path, seconds: int = 60) -> int:
    """Make a file's mtime old enough to be trusted; returns the mtime (ns)."""
    old = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(old, old))
    return old


def _loaded(repo: Path) -> Library:
    for p in (repo / "cards").rglob("*.toml"):
        _age(p)
    lib = Library(Workspace(repo), use_cache=False)
    lib.load()
    return lib


def test_duplicate_ids_and_broken_files_are_file_problems(repo: Path) -> None:
    (repo / "cards" / "wbw" / "kapot.toml").write_text('id = "X"\ntitle = "open\n', encoding="utf-8")
    source = (repo / CARD).read_text(encoding="utf-8")
    (repo / "cards" / "wbw" / "zz-kopie.toml").write_text(source.replace("Reablement", "Kopie"), encoding="utf-8")
    lib = _loaded(repo)
    assert lib.cards[CARD_ID].title == "Reablement"  # the first file (by path) keeps the id
    problems = lib.file_problems
    assert [p.path.name for p in problems] == ["kapot.toml", "zz-kopie.toml"]
    broken, dup = problems
    assert isinstance(broken, LoadError) and broken.line == 2 and broken.column is not None
    assert dup == DuplicateId(repo / "cards/wbw/zz-kopie.toml", CARD_ID, repo / CARD)
    assert lib.invalid_count() >= 2
    assert count_by_folder(problems, repo / "cards") == {"wbw": 2}
    assert lib.file_problem(repo / "cards/wbw/kapot.toml") is broken


def test_removing_the_first_of_a_duplicate_lists_the_other(repo: Path) -> None:
    source = (repo / CARD).read_text(encoding="utf-8")
    (repo / "cards" / "wbw" / "zz-kopie.toml").write_text(source.replace("Reablement", "Kopie"), encoding="utf-8")
    lib = _loaded(repo)
    (repo / CARD).unlink()
    change = lib.refresh_from_disk()
    assert change.changed == {CARD_ID} and change.files and change.from_disk
    assert lib.cards[CARD_ID].title == "Kopie" and lib.duplicates == []


def test_external_edit_is_found_and_told_to_subscribers(repo: Path) -> None:
    lib = _loaded(repo)
    seen: list[LibraryChange] = []
    unsubscribe = lib.subscribe(seen.append)
    assert lib.refresh_from_disk() == LibraryChange() and seen == []
    path = repo / CARD
    path.write_text(path.read_text(encoding="utf-8").replace("Reablement", "Herstel thuis"), encoding="utf-8")
    change = lib.refresh_from_disk()
    assert change.changed == {CARD_ID} and not change.removed
    assert seen == [change]
    assert lib.cards[CARD_ID].title == "Herstel thuis"
    assert [h.card_id for h in lib.index.search("herstel thuis", limit=3)][:1] == [CARD_ID]
    unsubscribe()
    path.write_text(path.read_text(encoding="utf-8").replace("Herstel thuis", "Weer anders"), encoding="utf-8")
    assert lib.refresh_from_disk().changed == {CARD_ID}
    assert len(seen) == 1


def test_edit_with_the_mtime_put_back_is_found(repo: Path) -> None:
    lib = _loaded(repo)
    path = repo / CARD
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Reablement", "Reablemenx"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert lib.refresh_from_disk().changed == {CARD_ID}
    assert lib.cards[CARD_ID].title == "Reablemenx"


def test_a_touch_with_the_same_content_does_not_alarm(repo: Path) -> None:
    lib = _loaded(repo)
    seen: list[LibraryChange] = []
    lib.subscribe(seen.append)
    card = lib.cards[CARD_ID]
    os.utime(repo / CARD)  # a plain touch
    assert not lib.refresh_from_disk()
    assert seen == [] and lib.cards[CARD_ID] is card


def test_racy_write_in_the_same_tick_is_found(repo: Path) -> None:
    """A write right after loading, keeping mtime and size (a coarse clock), is still read again."""
    lib = Library(Workspace(repo), use_cache=False)
    path = repo / CARD
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    lib.load()
    text = path.read_text(encoding="utf-8")
    st = path.stat()
    path.write_text(text.replace("Reablement", "Reablemenx"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert lib.refresh_from_disk().changed == {CARD_ID}


def test_added_and_removed_files_and_new_problems(repo: Path) -> None:
    lib = _loaded(repo)
    source = (repo / CARD).read_text(encoding="utf-8")
    new = repo / "cards" / "wbw" / "wbw-t1-9.9.toml"
    new.write_text(source.replace(CARD_ID, "WBW/T1/9.9"), encoding="utf-8")
    broken = repo / "cards" / "wbw" / "kapot.toml"
    broken.write_text("= nee\n", encoding="utf-8")
    change = lib.refresh_from_disk()
    assert change.changed == {"WBW/T1/9.9"} and change.files
    assert [e.path for e in lib.errors] == [broken]
    broken.write_text(source.replace(CARD_ID, "WBW/T1/9.8"), encoding="utf-8")  # fixed
    (repo / "cards" / "wbw" / "wbw-t1-1.1.toml").unlink()
    change = lib.refresh_from_disk()
    assert change.changed == {"WBW/T1/9.8"} and change.removed == {"WBW/T1/1.1"} and change.files
    assert lib.errors == [] and "WBW/T1/1.1" not in lib.cards


def test_a_save_by_the_app_is_not_reported_as_an_outside_change(repo: Path) -> None:
    lib = _loaded(repo)
    seen: list[LibraryChange] = []
    lib.subscribe(seen.append)
    card = lib.cards[CARD_ID]
    saved = lib.workspace.store.save(card, {**card.to_dict(), "title": "Opgeslagen"})
    lib.update(saved)
    assert seen == [LibraryChange(frozenset({CARD_ID}), focus=CARD_ID)]
    assert not lib.refresh_from_disk()


def test_a_scan_older_than_a_save_does_not_undo_it(repo: Path) -> None:
    lib = _loaded(repo)
    path = repo / CARD
    path.write_text(path.read_text(encoding="utf-8").replace("Reablement", "Van buiten"), encoding="utf-8")
    scan = lib.scan_disk()  # a poll reads the outside change...
    card = lib.cards[CARD_ID]
    lib.update(lib.workspace.store.save(card, {**card.to_dict(), "title": "Van binnen"}, force=True))
    lib.apply_scan(scan)  # ...and arrives after the app saved
    assert lib.cards[CARD_ID].title == "Van binnen"


def test_git_pull_is_found(tmp_path: Path) -> None:
    remote = seed_remote(tmp_path)
    git(tmp_path, "clone", "-q", str(remote), "mine")
    git(tmp_path, "clone", "-q", str(remote), "theirs")
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    for clone in (mine, theirs):
        git(clone, "config", "user.name", "Iemand")
        git(clone, "config", "user.email", "iemand@example.org")
    lib = _loaded(mine)
    target = next((theirs / "cards").rglob("wbw-t1-1.1.toml"))
    card_id = next(c.id for c in lib.cards.values() if c.path.name == target.name)
    old_title = lib.cards[card_id].title
    target.write_text(
        target.read_text(encoding="utf-8").replace(f'title = "{old_title}"', 'title = "Via git"'), encoding="utf-8"
    )
    git(theirs, "commit", "-qam", "Nieuwe titel")
    git(theirs, "push", "-q")
    git(mine, "pull", "-q")
    change = lib.refresh_from_disk()
    assert change.changed == {card_id}
    assert lib.cards[card_id].title == "Via git"


@pytest.mark.parametrize("n", [1, 3])
def test_merged_changes(n: int) -> None:
    a = LibraryChange(frozenset({"a"}), frozenset({"b"}))
    b = LibraryChange(frozenset({"b"}), frozenset({"a"}) if n == 1 else frozenset(), repo=True, focus="b")
    m = a.merged(b)
    assert m.repo and m.focus == "b" and "b" in m.changed and "b" not in m.removed
    assert ("a" in m.removed) == (n == 1)
