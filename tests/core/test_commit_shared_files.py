"""The commit dialog's list holds the shared files beside the cards: views.toml and reviews/."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git, make_repo
from tui.core.git.commit import changed_cards, commit, suggest_message
from tui.core.git.gitrepo import GitRepo
from tui.core.meetings.views import View, save_view
from tui.core.workspace import Workspace

WOR = "cards/wbw/wbw-t1-1.1.toml"


def test_views_and_reviews_are_listed_and_committed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1", "nml-b01.1"])
    save_view(repo, View("Programma 2", "programma:2"))
    review = repo / "reviews" / "wbw" / "wbw-t1-1.1.toml"
    review.parent.mkdir(parents=True)
    review.write_text('[fields.title]\nstatus = "akkoord"\n', encoding="utf-8")
    (repo / "notes.txt").write_text("niet van de kaartenbak\n", encoding="utf-8")
    path = repo / WOR
    path.write_text(path.read_text(encoding="utf-8").replace("Welzijn op Recept", "Welzijn op recept", 1), "utf-8")
    with GitRepo.open(repo) as g:
        changes = changed_cards(g, Workspace(repo))
        assert [c.path for c in changes] == [WOR, "views.toml", "reviews/wbw/wbw-t1-1.1.toml"]
        assert [c.shared for c in changes] == [False, True, True]
        message = suggest_message(changes)
        assert message.startswith("3 bestanden bijgewerkt\n")
        assert "- Agenda's (views.toml): nieuw" in message
        assert suggest_message(changes[1:2]) == "Agenda's (views.toml): nieuw"
        commit(g, [c.path for c in changes], message)
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == sorted(
        [WOR, "views.toml", "reviews/wbw/wbw-t1-1.1.toml"]
    )
    save_view(repo, View("Ouderen", "regio:wbw"))
    with GitRepo.open(repo) as g:
        again = changed_cards(g, Workspace(repo))
    assert [(c.path, c.state) for c in again] == [("views.toml", "modified")]
    assert suggest_message(again) == "Agenda's (views.toml): bijgewerkt"


def test_the_header_counts_an_uncommitted_views_file(tmp_path: Path) -> None:
    from tui.core.git.snapshot import take_snapshot

    repo = make_repo(tmp_path / "repo", cards=["nml-c1"])
    assert take_snapshot(repo).pending == 0
    save_view(repo, View("Alles", ""))
    snap = take_snapshot(repo)
    assert snap.pending == 1 and snap.changed == {"views.toml": "untracked"}
