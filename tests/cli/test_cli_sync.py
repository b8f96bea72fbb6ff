"""``kaartenbak sync`` and ``kaartenbak remote`` on real clones of a bare remote: output and exit codes."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, git, make_repo
from tui.cli import main
from tui.core.git.init_repo import init_repo

PROGRAM = f"{shlex.quote(sys.executable)} -m tui"
CARD = Path("cards") / "wbw" / "wbw-t1-1.1.toml"


def run(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--repo", str(repo), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def change(repo: Path, old: str, new: str) -> None:
    path = repo / CARD
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"{old} -> {new}")


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(bare remote, clone a, clone b); a first pushed the seed with `kaartenbak remote` and `sync`."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    a = make_repo(tmp_path / "a", cards=["wbw-t1-1.1"])
    init_repo(a, program=PROGRAM, textconv=False)  # attributes in .git/info: nothing to commit
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "remote.git")
    assert main(["--repo", str(a), "remote", str(tmp_path / "remote.git")]) == 0
    assert main(["--repo", str(a), "sync"]) == 0
    git(tmp_path, "clone", "-q", "remote.git", "b")
    b = tmp_path / "b"
    git(b, "config", "user.name", "Gebruiker b")
    git(b, "config", "user.email", "b@example.org")
    init_repo(b, program=PROGRAM, textconv=False)
    return tmp_path / "remote.git", a, b


def test_remote_set_then_first_sync_sets_the_upstream(
    pair: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    remote, a, _ = pair
    capsys.readouterr()
    assert git(a, "rev-parse", "--abbrev-ref", "main@{upstream}").strip() == "origin/main"
    assert git(remote, "rev-parse", "main") == git(a, "rev-parse", "HEAD")
    code, out, _ = run(capsys, a, "remote")
    assert code == 0 and out.splitlines() == [f"origin  {remote}", "tak main volgt origin/main: alles is gedeeld"]


def test_sync_prints_progress_and_summary(pair: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, a, b = pair
    change(a, 'number = "1.1"', 'number = "1.1a"')
    change(b, 'title = "Welzijn op Recept"', 'title = "Herzien"')
    assert run(capsys, a, "sync")[:2] == (
        0,
        f"Ophalen van origin ({a.parent / 'remote.git'})…\n1 wijziging versturen naar origin…\n1 wijziging verstuurd\n",
    )
    code, out, err = run(capsys, b, "sync")
    assert code == 0 and err == "" and out.splitlines()[-1] == "1 wijziging ontvangen, 1 verstuurd"
    assert run(capsys, b, "remote")[1].splitlines()[-1] == "tak main volgt origin/main: alles is gedeeld"


def test_conflict_exits_1_and_lists_the_card(pair: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, a, b = pair
    change(a, 'title = "Welzijn op Recept"', 'title = "Titel van A"')
    change(b, 'title = "Welzijn op Recept"', 'title = "Titel van B"')
    assert run(capsys, a, "sync")[0] == 0
    code, out, _ = run(capsys, b, "sync")
    assert code == 1 and f"  conflict: {CARD.as_posix()}" in out.splitlines() and "kaartenbak conflicts" in out
    assert (b / ".git" / "MERGE_HEAD").exists()
    code, out, _ = run(capsys, b, "sync")  # the merge is explained, not started again
    assert code == 1 and "samenvoeging bezig" in out and f"  conflict: {CARD.as_posix()} (title)" in out


def test_offline_exits_0_and_says_nothing_is_lost(
    tmp_path: Path, pair: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, a, _ = pair
    change(a, 'number = "1.1"', 'number = "1.1a"')
    assert run(capsys, a, "remote", str(tmp_path / "weg.git"))[0] == 0
    code, out, _ = run(capsys, a, "sync", "--timeout", "5")
    assert (
        code == 0
        and "offline; je wijzigingen blijven bewaard en worden later verstuurd (1 wijziging nog niet gedeeld)" in out
    )
    assert "1 versie nog niet verstuurd" in run(capsys, a, "remote")[1]


def test_server_refusal_exits_2_with_visible_text(
    pair: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    remote, a, _ = pair
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nprintf 'tak beschermd\\033]0;titel\\007\\n' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    change(a, 'number = "1.1"', 'number = "1.1a"')
    code, _, err = run(capsys, a, "sync")
    assert code == 2 and "tak beschermd<U+001B>]0;titel<U+0007>" in err and "\x1b" not in err and "\x07" not in err


@pytest.mark.parametrize("url", ["ext::sh -c touch% {marker}", "--upload-pack=touch {marker}", "-u{marker}"])
def test_remote_refuses_hostile_urls(
    tmp_path: Path, pair: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], url: str
) -> None:
    remote, a, _ = pair
    marker = tmp_path / "pwned"
    code, _, err = run(capsys, a, "remote", "--", url.format(marker=marker))
    assert code == 2 and "Adres geweigerd" in err
    assert git(a, "remote", "get-url", "origin").strip() == str(remote)
    assert run(capsys, a, "sync")[0] == 0 and not marker.exists()


def test_outside_a_repository_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "los"
    folder.mkdir()
    code, _, err = run(capsys, folder, "sync")
    assert code == 2 and "geen git-repository" in err
    assert run(capsys, folder, "remote")[0] == 2
