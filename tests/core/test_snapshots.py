"""Snapshots as annotated tags on real repositories: made, listed, refused, shared through sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, clone_with_driver, git, make_repo, seed_remote
from tui.core.git.gitrepo import GitRepo
from tui.core.review.snapshots import (
    Snapshot,
    SnapshotError,
    create_snapshot,
    find_snapshot,
    latest_snapshot,
    list_snapshots,
    snapshot_slug,
)
from tui.core.sync.sync import sync
from tui.sync_words import result_text

CARD = "cards/wbw/wbw-t1-1.1.toml"


def test_slug_puts_year_and_month_first() -> None:
    assert snapshot_slug("Stuurgroep december 2026") == "2026-12-stuurgroep"
    assert snapshot_slug("Steering group March 2027") == "2027-03-steering-group"
    assert snapshot_slug("Stuurgroep 2026") == "2026-stuurgroep"
    assert snapshot_slug("Werkgroep Coördinatie") == "werkgroep-coordinatie"
    assert snapshot_slug("2026-12-08 stuurgroep") == "2026-12-08-stuurgroep"


def test_create_and_list(repo: Path) -> None:
    with GitRepo.open(repo) as r:
        assert list_snapshots(r) == [] and latest_snapshot(r) is None
        snap = create_snapshot(r, "Stuurgroep december 2026", "Vastgesteld plan.\nTweede regel.")
        assert isinstance(snap, Snapshot)
        assert snap.tag == "snapshot/2026-12-stuurgroep"
        assert snap.name == "Stuurgroep december 2026"
        assert snap.message == "Vastgesteld plan.\nTweede regel."
        assert snap.commit == r.head()
        assert snap.author == "Test Gebruiker"
        assert snap.cards == 8
        assert snap.date.tzinfo is not None
    assert git(repo, "cat-file", "-t", "snapshot/2026-12-stuurgroep").strip() == "tag"
    assert git(repo, "tag", "-l", "--format=%(contents:subject)", "snapshot/*").strip() == "Stuurgroep december 2026"


def test_list_is_oldest_first_and_latest_is_newest(repo: Path) -> None:
    with GitRepo.open(repo) as r:
        first = create_snapshot(r, "Stuurgroep november 2026")
    (repo / CARD).write_text((repo / CARD).read_text(encoding="utf-8").replace("Welzijn op Recept", "WoR", 1))
    git(repo, "commit", "-qam", "titel")
    git(repo, "rm", "-q", "cards/nml/nml-c1.toml")
    git(repo, "commit", "-qm", "weg")
    with GitRepo.open(repo) as r:
        second = create_snapshot(r, "Stuurgroep december 2026")
        snaps = list_snapshots(r)
        assert [s.tag for s in snaps] == [first.tag, second.tag]
        assert latest_snapshot(r) == second
        assert second.cards == 7 and first.cards == 8
        assert find_snapshot(r, "stuurgroep NOVEMBER 2026") == first
        assert find_snapshot(r, "2026-12-stuurgroep") == second
        assert find_snapshot(r, "snapshot/2026-12-stuurgroep") == second
        assert find_snapshot(r, "nope") is None


def test_refuses_uncommitted_cards(repo: Path) -> None:
    (repo / CARD).write_text((repo / CARD).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with GitRepo.open(repo) as r, pytest.raises(SnapshotError) as exc:
        create_snapshot(r, "Stuurgroep")
    assert exc.value.code == "snapshot.dirty" and exc.value.params["count"] == 1
    assert CARD in str(exc.value.params["files"])
    assert git(repo, "tag", "-l") == ""


def test_refuses_untracked_card(repo: Path) -> None:
    (repo / "cards" / "wbw" / "nieuw.toml").write_text('id = "X"\n', encoding="utf-8")
    with GitRepo.open(repo) as r, pytest.raises(SnapshotError) as exc:
        create_snapshot(r, "Stuurgroep")
    assert exc.value.code == "snapshot.dirty"


def test_refuses_existing_name(repo: Path) -> None:
    with GitRepo.open(repo) as r:
        create_snapshot(r, "Stuurgroep december 2026")
        with pytest.raises(SnapshotError) as exc:
            create_snapshot(r, "Stuurgroep december 2026", "again")
        assert exc.value.code == "snapshot.exists"
        assert exc.value.params["tag"] == "snapshot/2026-12-stuurgroep"
        with pytest.raises(SnapshotError):  # same slug, other spelling
            create_snapshot(r, "stuurgroep  December 2026!")
        assert len(list_snapshots(r)) == 1


def test_refuses_without_identity(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"], identity=False, commit=False)
    git(path, "add", "-A")
    git(path, "-c", "user.name=X", "-c", "user.email=x@example.org", "commit", "-qm", "eerste")
    with GitRepo.open(path) as r, pytest.raises(SnapshotError) as exc:
        create_snapshot(r, "Stuurgroep")
    assert exc.value.code == "snapshot.no_identity"
    assert git(path, "tag", "-l") == ""


def test_refuses_empty_repo(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"], commit=False)
    with GitRepo.open(path) as r, pytest.raises(SnapshotError) as exc:
        create_snapshot(r, "Stuurgroep")
    assert exc.value.code == "snapshot.empty"


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 121, "--force", "..", "*?"])
def test_refuses_bad_names(repo: Path, name: str) -> None:
    with GitRepo.open(repo) as r:
        try:
            snap = create_snapshot(r, name)
        except SnapshotError as exc:
            assert exc.code in ("snapshot.bad_name", "snapshot.exists")
        else:  # a name git can read as an option still becomes a plain, safe tag
            assert snap.tag.startswith("snapshot/") and not snap.tag.startswith("snapshot/-")
            assert snap.name == name.strip()


def test_hostile_message_kept_literally(repo: Path) -> None:
    text = "[bold]x[/] \x1b[31mrood\n# geen commentaar"
    with GitRepo.open(repo) as r:
        snap = create_snapshot(r, "Stuurgroep [/]", text)
        assert snap.message == text.strip()
        assert snap.name == "Stuurgroep [/]"


def test_sync_shares_snapshot_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    clone_with_driver(remote, a)
    clone_with_driver(remote, b)
    with GitRepo.open(a) as r:
        made = create_snapshot(r, "Stuurgroep december 2026", "tekst")
    result = sync(a)  # nothing to send but the tag
    assert result.ok, result
    assert "snapshot/2026-12-stuurgroep" in git(remote, "tag", "-l")
    assert (result.sent, result.snapshots_sent) == (0, 1)
    assert result_text(result)[0] == "Kaarten waren al gedeeld; 1 momentopname verstuurd"
    assert sync(a).snapshots_sent == 0, "a tag the server has is not sent again"
    assert sync(b).ok
    with GitRepo.open(b) as r:
        got = list_snapshots(r)
    assert [(s.tag, s.commit, s.name, s.message, s.author) for s in got] == [
        (made.tag, made.commit, made.name, "tekst", "Gebruiker a")
    ]


def test_sync_keeps_local_snapshot_when_remote_has_other_with_same_tag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    remote = seed_remote(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    clone_with_driver(remote, a)
    clone_with_driver(remote, b)
    with GitRepo.open(a) as r:
        create_snapshot(r, "Stuurgroep")
    assert sync(a).ok
    with GitRepo.open(b) as r:
        mine = create_snapshot(r, "Stuurgroep", "van b")
    result = sync(b)  # the clash does not break syncing the cards
    assert not result.error, result
    with GitRepo.open(b) as r:
        assert [s.message for s in list_snapshots(r)] == ["van b"] and list_snapshots(r)[0] == mine
