"""Change sets on real repositories: since a snapshot, a commit or a date; renames, deletions, work tree."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, clone_with_driver, git, seed_remote
from tui.core.cards.card import Card
from tui.core.cards.parse import load_file
from tui.core.git.gitrepo import GitRepo
from tui.core.review.changes import (
    ADDED,
    CHANGED,
    REMOVED,
    RENAMED,
    ChangesError,
    changes,
    iter_changes,
    open_changes,
)
from tui.core.review.snapshots import create_snapshot
from tui.core.sync.sync import sync
from tui.core.workspace import Workspace

CARD = "cards/wbw/wbw-t1-1.1.toml"
OTHER = "cards/nml/nml-b01.1.toml"


def save(repo: Path, path: str, **fields: Any) -> None:
    """Change fields through the store, as the app does (no commit)."""
    card = load_file(repo / path)
    assert isinstance(card, Card)
    data = card.to_dict()
    for key, value in fields.items():
        if "__" in key:
            outer, inner = key.split("__")
            data[outer] = {**data.get(outer, {}), inner: value}
        else:
            data[key] = value
    Workspace(repo).store.save(card, data)


def commit(repo: Path, message: str, *extra: str) -> str:
    git(repo, *extra, "commit", "-qam", message) if extra else git(repo, "commit", "-qam", message)
    return git(repo, "rev-parse", "HEAD").strip()


def snap(repo: Path, name: str = "Stuurgroep november 2026") -> None:
    with GitRepo.open(repo) as r:
        create_snapshot(r, name)


def run(repo: Path, since: str | None = None, until: str | None = None, lang: str | None = "nl"):  # type: ignore[no-untyped-def]
    with GitRepo.open(repo) as r:
        return changes(r, since, until, lang=lang)


def test_changed_field_by_key_path_label_and_author(repo: Path) -> None:
    snap(repo)
    old_text = load_file(repo / CARD).to_dict()["randvoorwaarden"]["bekostiging"]  # type: ignore[union-attr]
    save(repo, CARD, randvoorwaarden__bekostiging=old_text.replace("Gemeenten", "De gemeenten", 1), title="WoR")
    sha = commit(repo, "bekostiging")
    result = run(repo)
    assert result.period.since.snapshot is not None and result.period.since.label == "Stuurgroep november 2026"
    assert result.period.worktree
    [card] = result.cards
    assert (card.status, card.path, card.id, card.title) == (CHANGED, CARD, "WBW/T1/1.1", "WoR")
    assert card.theme == "Kwetsbare ouderen nu en in de toekomst"
    by_key = {f.key: f for f in card.fields}
    assert set(by_key) == {"title", "randvoorwaarden.bekostiging"}
    field = by_key["randvoorwaarden.bekostiging"]
    assert "›" in field.label and field.label.endswith("Bekostiging")
    assert {(s.op, s.text) for s in field.segments if s.op != "equal"} >= {("insert", "De gemeenten")}
    assert by_key["title"].old == "Welzijn op Recept" and by_key["title"].new == "WoR"
    assert [c.sha for c in card.commits] == [sha] and card.authors == ("Test Gebruiker",)
    assert not card.uncommitted


def test_english_labels_when_asked(repo: Path) -> None:
    snap(repo)
    save(repo, CARD, title="WoR")
    commit(repo, "titel")
    [nl] = run(repo, lang="nl").cards
    [en] = run(repo, lang="en").cards
    assert nl.fields[0].label == "Titel" and en.fields[0].label == "Title"


def test_added_removed_renamed_and_uncommitted(repo: Path) -> None:
    snap(repo)
    git(repo, "mv", "cards/nml/nml-c1.toml", "cards/nml/nml-c1-nieuw.toml")
    git(repo, "rm", "-q", "cards/nml/nml-e1.1.toml")
    commit(repo, "hernoemd en weg")
    src = (ROOT / "tests/data/golden/cards/nml/nml-c4.toml").read_bytes()
    (repo / "cards/nml/nml-c4.toml").write_bytes(src)  # new, untracked
    save(repo, OTHER, title="Netwerken")  # uncommitted edit
    result = run(repo)
    got = {c.path: c for c in result.cards}
    assert got["cards/nml/nml-c1-nieuw.toml"].status == RENAMED
    assert got["cards/nml/nml-c1-nieuw.toml"].old_path == "cards/nml/nml-c1.toml"
    assert got["cards/nml/nml-c1-nieuw.toml"].fields == ()
    assert got["cards/nml/nml-e1.1.toml"].status == REMOVED and got["cards/nml/nml-e1.1.toml"].title
    assert got["cards/nml/nml-c4.toml"].status == ADDED and got["cards/nml/nml-c4.toml"].uncommitted
    assert got[OTHER].status == CHANGED and got[OTHER].uncommitted and got[OTHER].commits == ()
    assert [f.key for f in got[OTHER].fields] == ["title"]
    assert result.count(ADDED) == result.count(REMOVED) == result.count(RENAMED) == result.count(CHANGED) == 1
    assert set(result.by_theme()) >= {"Gezond vooruit"}
    # TO a revision: the uncommitted edits and the untracked card are not there
    committed = {c.path for c in run(repo, until="HEAD").cards}
    assert committed == {"cards/nml/nml-c1-nieuw.toml", "cards/nml/nml-e1.1.toml"}


def test_renamed_and_changed(repo: Path) -> None:
    snap(repo)
    git(repo, "mv", CARD, "cards/wbw/wbw-t1-1.1-b.toml")
    commit(repo, "mv")
    save(repo, "cards/wbw/wbw-t1-1.1-b.toml", title="WoR")
    sha = commit(repo, "titel")
    [card] = run(repo).cards
    assert card.status == RENAMED and [f.key for f in card.fields] == ["title"]
    assert sha in [c.sha for c in card.commits] and len(card.commits) == 2  # both paths' commits


def test_since_commit_and_date_and_list_items(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    data = load_file(repo / CARD).to_dict()  # type: ignore[union-attr]
    save(repo, CARD, related=[*data["related"], "WBW/T1/1.4"])
    commit(repo, "related")
    [card] = run(repo, first).cards
    [field] = card.fields
    assert field.key == "related" and field.added_items == ("WBW/T1/1.4",) and field.removed_items == ()
    # a date: the last commit before that day (the first commit is from today, so use a day far ahead)
    with pytest.raises(ChangesError) as exc:
        run(repo, "2000-01-01")
    assert exc.value.code == "changes.no_commit_before"
    assert run(repo, "2099-01-01").cards == ()  # the newest commit: only the work tree could differ


def test_date_picks_last_commit_before(repo: Path) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-10-20T12:00:00", "GIT_AUTHOR_DATE": "2026-10-20T12:00:00"}
    save(repo, CARD, title="Oktober")
    subprocess.run(["git", "commit", "-qam", "okt"], cwd=repo, env=env, check=True)
    env.update(GIT_COMMITTER_DATE="2026-11-20T12:00:00", GIT_AUTHOR_DATE="2026-11-20T12:00:00")
    save(repo, CARD, title="November")
    subprocess.run(["git", "commit", "-qam", "nov"], cwd=repo, env=env, check=True)
    [card] = run(repo, "2026-11-01").cards
    [field] = card.fields
    assert (field.old, field.new) == ("Oktober", "November")


def test_refusals(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(ChangesError) as exc:
        run(repo)
    assert exc.value.code == "changes.no_snapshot"
    for bad in ("nope", "--output=/tmp/x", "2026-13-45"):
        with pytest.raises(ChangesError) as exc:
            run(repo, bad)
        assert exc.value.code == "changes.unknown_from", bad
    with pytest.raises(ChangesError) as exc:
        run(repo, "HEAD", "nope")
    assert exc.value.code == "changes.unknown_to"
    empty = tmp_path / "empty"
    git(tmp_path, "init", "-q", str(empty))
    with pytest.raises(ChangesError) as exc:
        run(empty, "HEAD")
    assert exc.value.code == "changes.empty"


def test_nothing_changes_a_card_file(repo: Path) -> None:
    snap(repo)
    save(repo, CARD, title="WoR")
    before = {p: p.read_bytes() for p in (repo / "cards").rglob("*.toml")}
    status = git(repo, "status", "--porcelain")
    run(repo)
    assert {p: p.read_bytes() for p in (repo / "cards").rglob("*.toml")} == before
    assert git(repo, "status", "--porcelain") == status


def test_streams_first_card_before_the_rest(repo: Path) -> None:
    snap(repo)
    save(repo, CARD, title="A")
    save(repo, OTHER, title="B")
    commit(repo, "twee")
    with GitRepo.open(repo) as r:
        stream = open_changes(r)
        assert stream.total == 2
        it = iter(stream)
        first = next(it)
        assert first.path in (CARD, OTHER)
        assert stream._blobs._proc is not None  # one cat-file process serves all blobs
        proc = stream._blobs._proc
        rest = list(it)
        assert len(rest) == 1 and proc.poll() is not None  # stopped at the end
        assert [c.path for c in iter_changes(r)] == sorted([CARD, OTHER])


def test_broken_card_is_reported_not_raised(repo: Path) -> None:
    snap(repo)
    (repo / CARD).write_text("id = \n<<<<<<< HEAD\n", encoding="utf-8")
    [card] = run(repo).cards
    assert card.problem and card.fields == () and card.status == CHANGED


def test_two_clones_different_authors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    clone_with_driver(remote, a)
    clone_with_driver(remote, b)
    snap(a, "Stuurgroep december 2026")
    assert sync(a).ok
    save(a, CARD, title="Van a")
    commit(a, "a")
    assert sync(a).ok
    assert sync(b).ok
    save(b, OTHER, title="Van b")
    commit(b, "b")
    assert sync(b).ok
    result = run(b)  # since the snapshot b fetched
    assert result.period.since.label == "Stuurgroep december 2026"
    got = {c.path: c.authors for c in result.cards}
    assert got == {CARD: ("Gebruiker a",), OTHER: ("Gebruiker b",)}
