"""Which card files changed relative to HEAD, and the distance to the upstream branch."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import git

from tui.core.git.gitrepo import GitRepo
from tui.core.git.status import card_status, changed_files

WOR = "cards/wbw/wbw-t1-1.1.toml"
C1 = "cards/nml/nml-c1.toml"


def test_new_modified_deleted_untracked(repo: Path) -> None:
    (repo / WOR).write_text((repo / WOR).read_text() + "\n", encoding="utf-8")
    (repo / C1).unlink()
    (repo / "cards/nieuw").mkdir()
    (repo / "cards/nieuw/a.toml").write_text('id = "A"\n', encoding="utf-8")
    (repo / "cards/nieuw/notes.txt").write_text("geen kaart", encoding="utf-8")
    (repo / "cards/nml/b.toml").write_text('id = "B"\n', encoding="utf-8")
    git(repo, "add", "cards/nml/b.toml")
    (repo / "README.txt").write_text("buiten cards", encoding="utf-8")
    with GitRepo.open(repo) as g:
        found = {f.path: f.state for f in changed_files(g)}
    assert found == {WOR: "modified", C1: "deleted", "cards/nieuw/a.toml": "untracked", "cards/nml/b.toml": "new"}


def test_staged_rename_and_added_then_removed(repo: Path) -> None:
    git(repo, "mv", WOR, "cards/wbw/welzijn.toml")
    (repo / "cards/nml/tmp.toml").write_text('id = "T"\n', encoding="utf-8")
    git(repo, "add", "cards/nml/tmp.toml")
    (repo / "cards/nml/tmp.toml").unlink()
    with GitRepo.open(repo) as g:
        files = changed_files(g)
    assert [(f.path, f.state, f.orig_path, f.label) for f in files] == [
        ("cards/wbw/welzijn.toml", "renamed", WOR, "hernoemd")
    ]


def test_conflicted_file(repo: Path) -> None:
    git(repo, "checkout", "-qb", "other")
    (repo / WOR).write_text((repo / WOR).read_text().replace('title = "Welzijn op Recept"', 'title = "A"'))
    git(repo, "commit", "-qam", "a")
    git(repo, "checkout", "-q", "main")
    (repo / WOR).write_text((repo / WOR).read_text().replace('title = "Welzijn op Recept"', 'title = "B"'))
    git(repo, "commit", "-qam", "b")
    subprocess.run(["git", "merge", "other"], cwd=repo, capture_output=True)
    with GitRepo.open(repo) as g:
        assert [(f.path, f.state) for f in changed_files(g)] == [(WOR, "conflicted")]


def test_ahead_and_behind_without_network(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    with GitRepo.open(repo) as g:
        assert card_status(g).upstream is None
    git(repo, "fetch", "-q", "origin")
    git(repo, "branch", "-q", "--set-upstream-to=origin/main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "-c", "user.name=O", "-c", "user.email=o@x.nl", "commit", "-q", "--allow-empty", "-m", "van ander")
    git(other, "push", "-q", "origin", "main")
    git(repo, "fetch", "-q", "origin")
    for msg in ("een", "twee"):
        git(repo, "commit", "-q", "--allow-empty", "-m", msg)
    with GitRepo.open(repo) as g:
        st = card_status(g)
    assert (st.upstream, st.ahead, st.behind, st.files) == ("origin/main", 2, 1, ())
