"""Sync with real git: a bare repository as the shared remote and two clones (RELIABILITY 32-37).

Only the edge we cannot reach is faked: an unreachable or silent server is a closed or mute
local port, a server that wants a password is a tiny local HTTP server, an ssh server is a
script in GIT_SSH_COMMAND. Every wait is bounded by the sync timeout.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DRIVER_PROGRAM, ROOT, clone_with_driver, git, make_repo, seed_remote, wait_until
from tui.core.cards.card import Card
from tui.core.git.gitrepo import GitRepo
from tui.core.cards.parse import load_file
from tui.core.sync.sync import RemoteRefused, SyncResult, SyncStep, check_remote_url, sync, sync_status
from tui.core.workspace import Workspace
from tui.sync_words import result_text, step_text

PROGRAM = DRIVER_PROGRAM  # git runs "<python> -m tui merge-driver %O %A %B %P"
CARD = "cards/wbw/wbw-t1-1.1.toml"
OTHER = "cards/nml/nml-b01.1.toml"


def msg(result: SyncResult) -> str:
    """The result as the user reads it (Dutch): the core itself returns a code and parameters."""
    return result_text(result)[0]


def adv(result: SyncResult) -> str:
    return result_text(result)[1]


def clone(remote: Path, dest: Path) -> Path:
    """A clone with its own identity and the card merge driver registered."""
    clone_with_driver(remote, dest)
    return dest


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(bare remote, clone a, clone b), seeded with two real cards and field-level merging."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the merge driver runs as `python -m tui` in a clone
    remote = seed_remote(tmp_path)
    return remote, clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")


def edit(repo: Path, path: str = CARD, **changes: object) -> str:
    """Save changed fields through the store, as the app does, commit, and return the new sha."""
    card = load_file(repo / path)
    assert isinstance(card, Card)
    data = {**card.to_dict(), **changes}
    Workspace(repo).store.save(card, data)
    git(repo, "commit", "-q", "-am", f"wijzig {', '.join(changes)}")
    return head(repo)


def head(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", rev).strip()


def data(repo: Path, path: str = CARD) -> dict:
    return tomllib.loads((repo / path).read_text(encoding="utf-8"))


def ahead(repo: Path) -> int:
    with GitRepo.open(repo) as g:
        return sync_status(g).ahead


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_status_words(tmp_path: Path, shared: tuple[Path, Path, Path]) -> None:
    remote, a, b = shared
    lone = make_repo(tmp_path / "lone", cards=["nml-c1"])
    with GitRepo.open(lone) as g:
        assert sync_status(g).state == "no_remote"
    git(lone, "remote", "add", "origin", str(remote))
    with GitRepo.open(lone) as g:
        assert (sync_status(g).state, sync_status(g).remote) == ("no_upstream", "origin")
    with GitRepo.open(a) as g:
        assert (sync_status(g).state, sync_status(g).upstream, sync_status(g).branch) == (
            "up_to_date",
            "origin/main",
            "main",
        )
    edit(a, number="1.1a")
    edit(b, title="Nieuw")
    git(b, "push", "-q", "origin", "main")
    with GitRepo.open(a) as g:
        assert (sync_status(g).state, sync_status(g).ahead) == ("to_send", 1)  # no network: b's push not seen yet
    git(a, "fetch", "-q")
    with GitRepo.open(a) as g:
        assert (sync_status(g).state, sync_status(g).ahead, sync_status(g).behind) == ("diverged", 1, 1)
    git(a, "reset", "-q", "--hard", "origin/main")
    with GitRepo.open(a) as g:
        assert sync_status(g).state == "up_to_date"
    git(b, "commit", "-q", "--allow-empty", "-m", "leeg")
    git(b, "push", "-q", "origin", "main")
    git(a, "fetch", "-q")
    with GitRepo.open(a) as g:
        assert (sync_status(g).state, sync_status(g).behind) == ("to_receive", 1)


def test_different_fields_push_rejected_then_merged_per_field(shared: tuple[Path, Path, Path]) -> None:
    remote, a, b = shared
    a_commit = edit(a, number="1.1a")  # `number` and `title` are adjacent lines: a text merge would conflict
    edit(b, title="Welzijn op Recept (herzien)")
    said: list[str] = []

    def b_progress(step: SyncStep) -> None:
        line = step_text(step)
        said.append(line)
        if "versturen" in line and len(said) < 10 and not any("opnieuw" in s for s in said):
            first = sync(a)  # a pushes between b's fetch and b's push: b's push is not a fast-forward
            assert (first.sent, first.received, first.ok) == (1, 0, True)

    result = sync(b, progress=b_progress)
    assert result.ok, msg(result)
    assert any("opnieuw ophalen" in s for s in said)  # the rejection was seen and handled once
    assert (result.received, result.sent, msg(result)) == (1, 1, "1 wijziging ontvangen, 1 verstuurd")
    again = sync(a)
    assert (again.received, again.sent, again.ok) == (1, 0, True)
    for clone_ in (a, b):
        got = data(clone_)
        assert (got["number"], got["title"]) == ("1.1a", "Welzijn op Recept (herzien)") and "conflict" not in got
    assert head(a) == head(b) == git(remote, "rev-parse", "main").strip()
    assert len(git(b, "rev-list", "--parents", "-n1", "HEAD").split()) == 3  # a merge commit, nothing rewritten
    git(remote, "merge-base", "--is-ancestor", a_commit, "main")  # a's commit is still there: no force-push
    assert ahead(a) == ahead(b) == 0


def test_same_field_is_a_conflict_left_in_merge_state(shared: tuple[Path, Path, Path]) -> None:
    remote, a, b = shared
    edit(a, doelstelling="Doel volgens A")
    assert sync(a).sent == 1
    mine = edit(b, doelstelling="Doel volgens B", notes="notitie van B")
    result = sync(b)
    assert result.conflicts == (CARD,) and result.other_conflicts == ()
    assert not result.ok and result.sent == 0 and result.pending == 1 and result.received == 1
    assert CARD in msg(result) and "kaartenbak conflicts" in adv(result) and result.code == "conflicts"
    assert (b / ".git" / "MERGE_HEAD").exists() and head(b) == mine  # not aborted, nothing committed over it
    got = data(b)
    [entry] = got["conflict"]
    assert (entry["field"], entry["ours"], entry["theirs"]) == ("doelstelling", "Doel volgens B", "Doel volgens A")
    assert got["notes"] == "notitie van B"
    assert git(remote, "rev-parse", "main").strip() == head(a)  # b's version not sent
    refused = sync(b)
    assert refused.error and "samenvoeging" in msg(refused) and (b / ".git" / "MERGE_HEAD").exists()


def test_list_additions_on_both_sides_are_both_kept(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    orgs = data(a)["betrokken_organisaties"]
    edit(a, betrokken_organisaties=[*orgs, "Organisatie van A"])
    edit(b, betrokken_organisaties=[*orgs, "Organisatie van B"])
    assert sync(a).ok
    assert sync(b).ok
    assert sync(a).received == 1
    for clone_ in (a, b):
        assert data(clone_)["betrokken_organisaties"] == [*orgs, "Organisatie van B", "Organisatie van A"]


def test_uncommitted_edit_of_an_incoming_card_stops_before_merging(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    edit(a, title="Titel van A")
    assert sync(a).ok
    edit(b, OTHER, title="Andere kaart van B")
    typed = (b / CARD).read_text(encoding="utf-8").replace('number = "1.1"', 'number = "1.1-ongeschreven"')
    (b / CARD).write_text(typed, encoding="utf-8")
    draft = b / ".git" / "kaartenbak" / "drafts" / "wbw-t1-1.1.json"
    draft.parent.mkdir(parents=True)
    draft.write_text('{"typed": "half af"}', encoding="utf-8")
    before = head(b)
    result = sync(b)
    assert result.error and "commit first" in msg(result) and CARD in msg(result)
    assert head(b) == before and not (b / ".git" / "MERGE_HEAD").exists()
    assert (b / CARD).read_text(encoding="utf-8") == typed and draft.read_text(
        encoding="utf-8"
    ) == '{"typed": "half af"}'
    git(b, "commit", "-q", "-am", "bewaard")
    assert sync(b).ok and data(b)["title"] == "Titel van A" and data(b)["number"] == "1.1-ongeschreven"


def test_uncommitted_edit_elsewhere_is_left_alone(shared: tuple[Path, Path, Path]) -> None:
    _, a, b = shared
    edit(a, title="Titel van A")
    assert sync(a).ok
    text = (b / OTHER).read_text(encoding="utf-8") + "# nog niet bewaard\n"
    (b / OTHER).write_text(text, encoding="utf-8")
    result = sync(b)
    assert result.ok and result.received == 1 and data(b)["title"] == "Titel van A"
    assert (b / OTHER).read_text(encoding="utf-8") == text


def test_refuses_while_the_index_is_locked(shared: tuple[Path, Path, Path]) -> None:
    _, a, _ = shared
    (a / ".git" / "index.lock").write_text("", encoding="utf-8")
    result = sync(a)
    assert result.error and "index.lock" in msg(result)


def test_missing_remote_path_is_offline_and_keeps_commits(tmp_path: Path, shared: tuple[Path, Path, Path]) -> None:
    _, a, _ = shared
    mine = edit(a, number="1.1a")
    git(a, "remote", "set-url", "origin", str(tmp_path / "bestaat-niet.git"))
    started = time.monotonic()
    result = sync(a)
    assert time.monotonic() - started < 10
    assert result.offline and result.code == "offline" and "1 wijziging nog niet gedeeld" in msg(result)
    assert result.pending == 1 and ahead(a) == 1 and head(a) == mine


@pytest.mark.parametrize("mute", [False, True], ids=["closed-port", "silent-server"])
def test_unreachable_git_server_is_offline_within_the_timeout(shared: tuple[Path, Path, Path], mute: bool) -> None:
    _, a, _ = shared
    mine = edit(a, number="1.1a")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    if mute:
        listener.listen(8)  # accepts connections in the kernel but never answers: only the timeout ends it
        port = listener.getsockname()[1]
    else:
        port = listener.getsockname()[1]
        listener.close()
    try:
        git(a, "remote", "set-url", "origin", f"git://127.0.0.1:{port}/remote.git")
        started = time.monotonic()
        result = sync(a, timeout=2)
        assert time.monotonic() - started < 8
    finally:
        listener.close()
    assert result.offline and not result.error and result.pending == 1
    assert head(a) == mine and ahead(a) == 1


def test_server_hook_rejection_is_shown_visibly_and_commits_kept(shared: tuple[Path, Path, Path]) -> None:
    remote, a, _ = shared
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nprintf '\\033[31mgeweigerd door beleid\\033[0m\\n' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = git(remote, "rev-parse", "main").strip()
    mine = edit(a, number="1.1a")
    result = sync(a)
    assert result.rejected_by_server and not result.ok and result.pending == 1
    assert "geweigerd door beleid" in result.server_text and "<U+001B>[31m" in result.server_text
    assert "\x1b" not in msg(result) + result.server_text + result.params[
        "reason"
    ] and "pre-receive hook declined" in msg(result)
    assert head(a) == mine and git(remote, "rev-parse", "main").strip() == before


class _NeedsPassword(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="kaarten"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_https_sign_in_needed_never_prompts(shared: tuple[Path, Path, Path]) -> None:
    _, a, _ = shared
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeedsPassword)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        git(a, "remote", "set-url", "origin", f"http://127.0.0.1:{server.server_address[1]}/remote.git")
        result = sync(a, timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    assert result.auth_needed and msg(result).startswith("aanmelden nodig") and "credential helper" in adv(result)


@pytest.mark.parametrize("reply", ["Permission denied (publickey).", "Host key verification failed."])
def test_ssh_sign_in_needed_runs_ssh_in_batch_mode(
    tmp_path: Path, shared: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, reply: str
) -> None:
    _, a, _ = shared
    fake = tmp_path / "fake-ssh"
    fake.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/ssh-args"\necho "{reply}" >&2\nexit 255\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(fake))
    git(a, "remote", "set-url", "origin", "ssh://git@kaarten.example/remote.git")
    result = sync(a)
    assert result.auth_needed and "ssh-keygen" in adv(result)
    args = (tmp_path / "ssh-args").read_text(encoding="utf-8")
    assert "BatchMode=yes" in args and "ConnectTimeout=8" in args


HOSTILE = [
    "ext::sh -c touch% {marker}",
    "--upload-pack=touch {marker}",
    "-u{marker}",
    "fd::17",
    "ssh://-oProxyCommand=touch%20{marker}/x",
    "evil://{marker}",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_remote_url_refused_before_git_runs(
    tmp_path: Path, shared: tuple[Path, Path, Path], template: str
) -> None:
    _, a, _ = shared
    marker = tmp_path / "pwned"
    url = template.format(marker=marker)
    with (a / ".git" / "config").open("a", encoding="utf-8") as f:  # as a hand-edited config would hold it
        f.write(f'[remote "origin"]\n\turl = "{url}"\n')
    before = head(a, "origin/main")
    result = sync(a)
    assert result.error and "Adres geweigerd" in msg(result)
    assert not marker.exists() and head(a, "origin/main") == before
    with pytest.raises(RemoteRefused):
        check_remote_url(url)


def test_hostile_url_via_insteadof_and_hostile_remote_name(tmp_path: Path, shared: tuple[Path, Path, Path]) -> None:
    _, a, _ = shared
    marker = tmp_path / "pwned"
    git(a, "config", f"url.ext::sh -c touch% {marker}% #.insteadOf", "https://kaarten.example/")
    git(a, "remote", "set-url", "origin", "https://kaarten.example/remote.git")
    refused = sync(a)
    assert refused.error and "Adres geweigerd" in msg(refused) and not marker.exists()
    control = subprocess.run(
        ["git", "-c", "protocol.ext.allow=always", "ls-remote", "origin"], cwd=a, capture_output=True, check=False
    )
    assert control.returncode != 0 and marker.exists()  # the value really runs a command when git is let loose
    marker.unlink()
    git(a, "config", "branch.main.remote", f"--upload-pack=touch {marker}")
    result = sync(a)
    assert result.error and "Ongeldige naam" in msg(result) and not marker.exists()


@pytest.fixture
def git_daemon(tmp_path: Path) -> Iterator[int]:
    """A `git daemon` serving tmp_path on a free local port (push enabled), stopped afterwards."""
    exec_path = Path(git(tmp_path, "--exec-path").strip())
    if not (exec_path / "git-daemon").exists():
        pytest.skip("git daemon is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [
            "git",
            "daemon",
            f"--base-path={tmp_path}",
            "--export-all",
            "--enable=receive-pack",
            f"--port={port}",
            "--listen=127.0.0.1",
            "--reuseaddr",
            "--informative-errors",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        if proc.poll() is not None:
            pytest.fail("git daemon did not start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return False
        return True

    try:
        wait_until(listening, timeout=10, what="git daemon to listen")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_sync_over_git_protocol(shared: tuple[Path, Path, Path], git_daemon: int) -> None:
    remote, a, b = shared
    url = f"git://127.0.0.1:{git_daemon}/{remote.name}"
    for clone_ in (a, b):
        git(clone_, "remote", "set-url", "origin", url)
    edit(a, number="1.1a")
    edit(b, title="Over git://")
    assert sync(a).sent == 1
    result = sync(b)
    assert (result.ok, result.received, result.sent) == (True, 1, 1), msg(result)
    assert sync(a).received == 1
    assert (data(a)["number"], data(a)["title"]) == ("1.1a", "Over git://")
    assert head(a) == head(b) == git(remote, "rev-parse", "main").strip()
