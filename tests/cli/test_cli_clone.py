"""``kaartenbak clone`` against a local bare repository: set up like init, identity asked once, bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, seed_remote
from tui.cli import main
from tui.core.git.clone import CloneError, clone_repo, folder_for
from tui.core.git.init_repo import DRIVER


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    got = capsys.readouterr()
    return code, got.out, got.err


def test_clone_registers_the_drivers_and_stores_the_identity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = seed_remote(tmp_path)
    dest = tmp_path / "mijn-regio"
    code, out, err = run(
        capsys, "clone", str(remote), str(dest), "--no-open", "--name", "Anna de Vries", "--email", "anna@example.org"
    )
    assert code == 0, out + err
    assert (dest / "cards").is_dir()
    assert git(dest, "config", "--local", f"merge.{DRIVER}.driver").strip().endswith("merge-driver %O %A %B %P")
    assert f"merge={DRIVER}" in (dest / ".git" / "info" / "attributes").read_text(encoding="utf-8")
    assert git(dest, "config", "--local", "user.email").strip() == "anna@example.org"
    assert git(dest, "status", "--porcelain") == ""
    assert "kaartenbak --repo" in out


def test_without_identity_and_no_terminal_it_says_how_to_set_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = seed_remote(tmp_path)
    code, out, err = run(capsys, "clone", str(remote), str(tmp_path / "kloon"), "--no-open")
    assert code == 0, out + err
    assert "--name en --email" in err
    assert git(tmp_path / "kloon", "config", "--local", "--get-regexp", "merge").strip()


def test_an_identity_git_already_knows_is_not_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    remote = seed_remote(tmp_path)
    git(tmp_path, "config", "--global", "user.name", "Al Bekend")
    git(tmp_path, "config", "--global", "user.email", "al@example.org")
    code, out, err = run(capsys, "clone", str(remote), str(tmp_path / "kloon"), "--no-open")
    assert code == 0 and "--name" not in err, out + err


def test_the_default_folder_comes_from_the_url(tmp_path: Path) -> None:
    remote = seed_remote(tmp_path)
    work = tmp_path / "werk"
    work.mkdir()
    report = clone_repo(str(remote), cwd=work)
    assert report.root == (work / "remote").resolve()
    assert folder_for("https://example.org/regio/wbw-kaarten.git") == "wbw-kaarten"
    assert folder_for("git@example.org:regio/nml.git") == "nml"


def test_a_bad_url_is_exit_2_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "kloon"
    code, _out, err = run(capsys, "clone", str(tmp_path / "bestaat-niet.git"), str(dest), "--no-open")
    assert code == 2
    assert "geen bereikbare kaartenbak-repository" in err and "Traceback" not in err
    assert not dest.exists()
    with pytest.raises(CloneError) as info:
        clone_repo("--upload-pack=touch /tmp/x", tmp_path / "y")
    assert info.value.code == "bad_url"


def test_an_existing_non_empty_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    remote = seed_remote(tmp_path)
    dest = tmp_path / "vol"
    dest.mkdir()
    (dest / "iets.txt").write_text("van mij", encoding="utf-8")
    code, _out, err = run(capsys, "clone", str(remote), str(dest), "--no-open")
    assert code == 2 and "niet leeg" in err
    assert sorted(p.name for p in dest.iterdir()) == ["iets.txt"]
    empty = tmp_path / "leeg"
    empty.mkdir()
    code, out, err = run(capsys, "clone", str(remote), str(empty), "--no-open")
    assert code == 0, out + err  # an empty folder is fine


def test_offline_is_said_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # port 9 on localhost refuses the connection: what a clone without network sees
    code, _out, err = run(capsys, "clone", "http://127.0.0.1:9/regio.git", str(tmp_path / "k"), "--no-open")
    assert code == 2
    assert "niet bereiken" in err and "internetverbinding" in err
    assert not (tmp_path / "k").exists()


def test_it_opens_the_app_on_the_clone_unless_no_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app_main

    opened: list[str] = []
    monkeypatch.setattr(tui.app_main, "run_app", lambda args: opened.append(args.repo) or 0)
    remote = seed_remote(tmp_path)
    code, out, err = run(capsys, "clone", str(remote), str(tmp_path / "kloon"), "--name", "A B", "--email", "a@b.nl")
    assert code == 0, out + err
    assert opened == [str((tmp_path / "kloon").resolve())]


def test_on_a_terminal_the_identity_is_asked_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("Bram Jansen\nbram@example.org\n"))
    remote = seed_remote(tmp_path)
    code, out, err = run(capsys, "clone", str(remote), str(tmp_path / "kloon"), "--no-open")
    assert code == 0, out + err
    assert "Naam: " in out and "Bram Jansen <bram@example.org>" in out
    assert git(tmp_path / "kloon", "config", "--local", "user.name").strip() == "Bram Jansen"
