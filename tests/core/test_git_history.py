"""Card history across renames, a card at a revision, and per-field blame."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from tests.conftest import git, make_repo

from tui.core.git.blame import field_blame
from tui.core.git.gitrepo import GitRepo
from tui.core.git.history import BrokenRevision, card_at, card_history
from tui.core.workspace import Workspace

WOR = "cards/wbw/wbw-t1-1.1.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit_as(repo: Path, name: str, message: str) -> str:
    git(repo, "-c", f"user.name={name}", "commit", "-qam", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_history_newest_first_with_limit(repo: Path) -> None:
    edit(repo / WOR, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    sha = commit_as(repo, "Bea", "Doelstelling aangescherpt")
    with GitRepo.open(repo) as g:
        revs = card_history(g, WOR)
        first = card_history(g, WOR, limit=1)
        other = card_history(g, "cards/nml/nml-c1.toml")
    assert [r.subject for r in revs] == ["Doelstelling aangescherpt", "Eerste kaarten"]
    assert (revs[0].sha, revs[0].author, revs[0].short) == (sha, "Bea", sha[:7])
    assert revs[1].author == "Test Gebruiker" and revs[0].date >= revs[1].date
    assert [r.sha for r in first] == [sha]
    assert [r.subject for r in other] == ["Eerste kaarten"]


def test_history_follows_a_rename(repo: Path) -> None:
    git(repo, "mv", WOR, "cards/wbw/welzijn.toml")
    git(repo, "commit", "-qm", "Hernoemd")
    edit(repo / "cards/wbw/welzijn.toml", 'title = "Welzijn op Recept"', 'title = "Welzijn op Recept 2"')
    git(repo, "commit", "-qam", "Titel")
    with GitRepo.open(repo) as g:
        revs = card_history(g, "cards/wbw/welzijn.toml")
        assert [r.subject for r in revs] == ["Titel", "Hernoemd", "Eerste kaarten"]
        assert [r.path for r in revs] == ["cards/wbw/welzijn.toml", "cards/wbw/welzijn.toml", WOR]
        oldest = card_at(g, revs[-1].sha, revs[-1].path)
    assert oldest is not None and oldest["title"] == "Welzijn op Recept"


def test_card_at_revision_and_absent(repo: Path) -> None:
    with GitRepo.open(repo) as g:
        data = card_at(g, "HEAD", WOR)
        assert data == tomllib.loads((repo / WOR).read_text(encoding="utf-8"))
        assert card_at(g, "HEAD", "cards/wbw/bestaat-niet.toml") is None


def test_broken_card_in_history_is_reported(repo: Path) -> None:
    (repo / WOR).write_text('title = "kapot\n', encoding="utf-8")
    git(repo, "commit", "-qam", "kapot")
    with GitRepo.open(repo) as g:
        with pytest.raises(BrokenRevision, match="onleesbaar"):
            card_at(g, "HEAD", WOR)
        assert card_at(g, "HEAD~1", WOR) is not None


def test_empty_repository_has_no_history(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "r", cards=["wbw-t1-1.1"], commit=False)
    with GitRepo.open(path) as g:
        assert card_history(g, WOR) == []
        assert field_blame(g, WOR) == []


def test_blame_per_field(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    edit(repo / WOR, "Welzijn op Recept is ingericht", "Welzijn op Recept is overal ingericht")
    goal = commit_as(repo, "Anna", "Doelstelling")
    edit(
        repo / WOR,
        'gegevensuitwisseling = "afspraken in de keten"',
        'gegevensuitwisseling = "afspraken in de hele keten"',
    )
    edit(repo / WOR, '"GGD West-Brabant",', '"GGD West-Brabant",\n  "Nieuwe partner",')
    table = commit_as(repo, "Bram", "Randvoorwaarden en partners")
    edit(repo / WOR, "Welzijn op Recept is overal ingericht", "Welzijn op Recept is echt overal ingericht")
    git(repo, "mv", WOR, "cards/wbw/welzijn.toml")
    goal2 = commit_as(repo, "Carla", "Doelstelling opnieuw, hernoemd")
    with GitRepo.open(repo) as g:
        blame = {b.label: b for b in field_blame(g, "cards/wbw/welzijn.toml", Workspace(repo).schema)}
    assert blame["Doelstelling"].revision.sha == goal2 and blame["Doelstelling"].revision.author == "Carla"
    assert blame["Benodigde randvoorwaarden › Gegevensuitwisseling"].revision.sha == table
    assert blame["Benodigde randvoorwaarden"].revision.sha == table
    assert blame["Benodigde randvoorwaarden › Bekostiging"].revision.sha == first
    assert blame["Betrokken organisaties"].revision.author == "Bram"
    assert blame["Titel"].revision.sha == first and blame["Titel"].revision.subject == "Eerste kaarten"
    assert goal not in {b.revision.sha for b in blame.values()}
    labels = list(blame)
    assert labels.index("Kaart-id") < labels.index("Doelstelling") < labels.index("Benodigde randvoorwaarden")
