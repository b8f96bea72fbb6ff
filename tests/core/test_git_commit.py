"""Committing chosen cards: exact selection, the suggested message, identity, and refusals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.conftest import git, make_repo

from tui.core.git.commit import CardChange, CommitRefused, changed_cards, commit, suggest_message
from tui.core.git.gitrepo import GitRepo, NoIdentity
from tui.core.git.identity import InvalidIdentity, read_identity, store_identity, validate_identity
from tui.core.workspace import Workspace

WOR = "cards/wbw/wbw-t1-1.1.toml"
C1 = "cards/nml/nml-c1.toml"
F1 = "cards/nml/nml-f1.1.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_wor(repo: Path) -> None:
    edit(repo / WOR, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    edit(repo / WOR, '"GGD West-Brabant",', '"GGD West-Brabant",\n  "Nieuwe partner",')


def committed_files(repo: Path, rev: str = "HEAD") -> list[str]:
    return git(repo, "show", "--name-only", "--format=", rev).split()


def test_changed_cards_lists_fields_and_suggests_message(repo: Path) -> None:
    edit_wor(repo)
    with GitRepo.open(repo) as g:
        changes = changed_cards(g, Workspace(repo))
    assert [(c.path, c.state, c.title) for c in changes] == [(WOR, "modified", "Welzijn op Recept")]
    assert changes[0].fields == ("doelstelling", "betrokken_organisaties")
    assert changes[0].labels == ("Doelstelling", "Betrokken organisaties")
    assert suggest_message(changes) == "Welzijn op Recept: doelstelling, betrokken organisaties"


def test_message_for_several_cards_has_summary_then_one_line_each(repo: Path) -> None:
    edit_wor(repo)
    (repo / C1).unlink()
    new = repo / "cards" / "nieuw" / "x.toml"
    new.parent.mkdir()
    new.write_text('id = "X/1"\nkind = "project"\ntitle = "Nieuw project"\n', encoding="utf-8")
    with GitRepo.open(repo) as g:
        changes = changed_cards(g, Workspace(repo))
    lines = suggest_message(changes).split("\n")
    assert lines[0] == "3 kaarten bijgewerkt" and lines[1] == ""
    assert sorted(lines[2:]) == sorted(
        [
            "- Welzijn op Recept: doelstelling, betrokken organisaties",
            "- Kaart verwijderd: " + next(c.title for c in changes if c.path == C1),
            "- Nieuwe kaart: Nieuw project",
        ]
    )


def test_long_summary_is_shortened_and_title_is_one_safe_line() -> None:
    labels = tuple(f"Veld nummer {i}" for i in range(12))
    msg = suggest_message(
        [CardChange("c.toml", "modified", "Titel\nmet \x1b[2J regel", tuple(map(str, range(12))), labels)]
    )
    assert "\n" not in msg and "\x1b" not in msg and msg.endswith("en meer") and len(msg) <= 80


def test_commit_commits_only_the_selected_files(repo: Path) -> None:
    edit_wor(repo)
    edit(repo / C1, "\ntitle = ", '\ntitle = "Gewijzigd"\nxx = ')
    edit(repo / F1, "\ntitle = ", '\ntitle = "Klaargezet"\nyy = ')
    git(repo, "add", F1)  # staged by someone else: must stay staged, not committed
    before = git(repo, "rev-parse", "HEAD").strip()
    with GitRepo.open(repo) as g:
        sha = commit(g, [repo / WOR], "Welzijn op Recept: doelstelling")
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    assert committed_files(repo, sha) == [WOR]
    assert git(repo, "log", "-1", "--format=%B").strip() == "Welzijn op Recept: doelstelling"
    assert git(repo, "diff", "--cached", "--name-only").split() == [F1]
    assert C1 in git(repo, "diff", "--name-only")


def test_commit_new_and_deleted_cards(repo: Path) -> None:
    (repo / C1).unlink()
    new = repo / "cards" / "nieuw" / "x.toml"
    new.parent.mkdir()
    new.write_text('id = "X/1"\nkind = "project"\ntitle = "Nieuw"\n', encoding="utf-8")
    with GitRepo.open(repo) as g:
        sha = commit(g, [C1, "cards/nieuw/x.toml"], "Kaarten erbij en eraf")
    assert sorted(committed_files(repo, sha)) == sorted([C1, "cards/nieuw/x.toml"])
    assert git(repo, "status", "--porcelain") == ""


def test_refuses_empty_message_and_nothing_to_commit(repo: Path) -> None:
    edit_wor(repo)
    with GitRepo.open(repo) as g:
        with pytest.raises(CommitRefused, match="leeg"):
            commit(g, [WOR], "  \n ")
        with pytest.raises(CommitRefused, match="niets te bewaren"):
            commit(g, [C1], "niets")
        with pytest.raises(CommitRefused, match="niets gekozen"):
            commit(g, [], "niets")
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_first_commit_in_empty_repository(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["nml-c1", "wbw-t1-1.1"], commit=False)
    with GitRepo.open(path) as g:
        changes = changed_cards(g, Workspace(path))
        assert {c.state for c in changes} == {"untracked"}
        sha = commit(g, [c.path for c in changes], suggest_message(changes))
        assert g.state().head == sha
    assert sorted(committed_files(path, sha)) == sorted([C1, WOR])
    assert git(path, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_missing_identity_raises_and_commits_nothing(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["nml-c1"], identity=False, commit=False)
    with GitRepo.open(path) as g:
        assert read_identity(g) is None
        with pytest.raises(NoIdentity):
            commit(g, [C1], "eerste")
        assert g.head() is None


def test_identity_removed_later_is_not_invented(repo: Path) -> None:
    git(repo, "config", "--unset", "user.email")
    edit_wor(repo)
    with GitRepo.open(repo) as g, pytest.raises(NoIdentity):
        commit(g, [WOR], "x")
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Anna\nJansen", "a@b.nl"),
        ("Anna\rJansen", "a@b.nl"),
        ("Anna\0", "a@b.nl"),
        ("Anna", "a@b.nl\n[core]\n\thooksPath=/tmp"),
        ("x" * 201, "a@b.nl"),
        ("-c core.hooksPath=/tmp", "a@b.nl"),
        ("Anna", "--global"),
        ("Anna", "geen-email"),
        ("Anna <x>", "a@b.nl"),
        ("   ", "a@b.nl"),
        ("Anna\x1b[2J", "a@b.nl"),
    ],
)
def test_invalid_identities_are_rejected(repo: Path, name: str, email: str) -> None:
    with pytest.raises(InvalidIdentity):
        validate_identity(name, email)
    with GitRepo.open(repo) as g, pytest.raises(InvalidIdentity):
        store_identity(g, name, email)
    assert git(repo, "config", "user.name").strip() == "Test Gebruiker"


def test_identity_is_stored_in_repository_config(tmp_path: Path, isolated_env: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["nml-c1"], identity=False, commit=False)
    with GitRepo.open(path) as g:
        ident = store_identity(g, "  Anna de Vries ", "anna@example.nl ")
        assert (ident.name, ident.email) == ("Anna de Vries", "anna@example.nl")
        commit(g, [C1], "eerste kaart")
    assert git(path, "config", "--local", "user.name").strip() == "Anna de Vries"
    assert not (isolated_env / ".gitconfig").exists() or "Anna" not in (isolated_env / ".gitconfig").read_text()
    assert git(path, "log", "-1", "--format=%an <%ae>").strip() == "Anna de Vries <anna@example.nl>"


def test_detached_head_refuses_unless_allowed(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")
    edit_wor(repo)
    with GitRepo.open(repo) as g:
        with pytest.raises(CommitRefused, match="losse versie"):
            commit(g, [WOR], "x")
        sha = commit(g, [WOR], "toch", allow_detached=True)
    assert git(repo, "rev-parse", "HEAD").strip() == sha


def test_merge_in_progress_refuses_and_keeps_merge_head(repo: Path) -> None:
    git(repo, "checkout", "-qb", "other")
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Ander"')
    git(repo, "commit", "-qam", "ander")
    git(repo, "checkout", "-q", "main")
    edit(repo / WOR, 'title = "Welzijn op Recept"', 'title = "Mijn"')
    git(repo, "commit", "-qam", "mijn")
    assert subprocess.run(["git", "merge", "other"], cwd=repo, capture_output=True).returncode != 0
    head = git(repo, "rev-parse", "HEAD")
    (repo / WOR).write_text((repo / WOR).read_text().split("<<<<<<<")[0] + 'title = "Opgelost"\n', encoding="utf-8")
    with GitRepo.open(repo) as g, pytest.raises(CommitRefused, match="samenvoeging"):
        commit(g, [WOR], "opgelost")
    assert (repo / ".git" / "MERGE_HEAD").exists()
    assert git(repo, "rev-parse", "HEAD") == head
