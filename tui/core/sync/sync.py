"""Sharing cards with the team's remote: fetch, merge per field, push. Never a hang, never a force.

Integration is a *merge commit* of the fetched upstream, not a rebase: no local commit is
rewritten (ids the user saw or mentioned stay valid) and the history shows who changed what when,
with the merge marking where two people's work met. The card merge driver (``kaartenbak init``)
merges a card per field; fields both sides changed differently become ``[[conflict]]`` entries
and the repository is *left in the merge state* for the conflict screen. Sync never aborts a
merge, never stashes and never force-pushes.

Uncommitted work is not stashed (a stash that fails to re-apply hides the user's edit). When the
incoming changes touch a file with uncommitted changes, or anything is staged, sync stops before
merging and says "commit first"; nothing changes. Other uncommitted files are left alone, and
drafts in ``.git/kaartenbak/drafts`` lie outside the work tree.

Each network call is its own process group with a hard timeout, no prompt (``GIT_TERMINAL_PROMPT=0``,
``GIT_ASKPASS``, ssh ``BatchMode``/``ConnectTimeout``) and a low-speed abort; failures are sorted
into offline, sign-in needed and refused by the server. Remote names and URLs pass an allowlist
before git sees them (RELIABILITY 37).

Results and progress are data, not sentences: a ``code`` and its ``params``, phrased by
``tui/locale`` (``sync_result.<code>``, ``sync_step.<code>``) in the CLI and the app alike. What a
server said stays data too (``server_text``, made visible).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.cards.text import visible
from tui.core.git.gitrepo import GitError, GitRepo, explain, repo_lock
from tui.core.git.status import upstream_distance
from tui.core.sync import snapshot_tags

_NET_CONFIG = (
    "-c",
    "http.lowSpeedLimit=1000",
    "-c",
    "http.lowSpeedTime=10",  # abort a stalled link
    "-c",
    "protocol.ext.allow=never",
    "-c",
    "protocol.fd.allow=never",
)  # second lock behind the allowlist
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
_SCHEMES = ("https", "http", "ssh", "git", "file", "git+ssh", "ssh+git")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_AUTH = re.compile(
    r"authentication failed|could not read (username|password)|permission denied \(publickey|host key verification"
    r" failed|terminal prompts disabled|invalid username or password|returned error: 40[13]|access denied",
    re.IGNORECASE,
)
_OFFLINE = re.compile(
    r"could not resolve|name or service not known|name resolution|connection refused|network is unreachable|"
    r"no route to host|timed out|connection reset|unable to connect|failed to connect|couldn't connect|hung up|"
    r"could not read from remote repository|does not appear to be a git repository|unable to access|"
    r"operation too slow|returned error: 5\d\d",
    re.IGNORECASE,
)
_BLOCKING = ("merge", "rebase", "cherry-pick", "revert", "conflicts", "lock", "detached", "bare")


class RemoteRefused(GitError):
    """A remote name or URL that could make git run a command or read an option."""


@dataclass(frozen=True)
class SyncStatus:
    """Where the branch stands against its upstream, as of the last fetch (no network)."""

    remote: str | None
    branch: str | None
    upstream: str | None
    ahead: int
    behind: int
    state: str  # up_to_date | to_send | to_receive | diverged | no_remote | no_upstream


@dataclass(frozen=True)
class SyncStep:
    """A progress step while syncing: ``code`` (fetching, retrying, no_driver, merging, sending) and params."""

    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class SyncResult:
    """What one sync did: a ``code`` saying how it ended, its ``params``, and the numbers.

    Codes: ``done`` (received, sent), ``offline`` (pending), ``auth_needed`` (transport ssh|https),
    ``conflicts`` (cards, others), ``rejected`` (reason; ``server_text``), ``commit_first``
    (files), ``would_overwrite``, ``fetch_failed`` / ``merge_failed`` (detail: git's last line),
    ``busy_remote``, ``no_remote``, ``no_identity``, ``blocked`` and ``git_error`` (message,
    advice: an explained ``GitError`` or repository notice).
    """

    code: str = "done"
    params: Mapping[str, str | int] = field(default_factory=dict)
    received: int = 0
    sent: int = 0
    offline: bool = False
    auth_needed: bool = False
    conflicts: tuple[str, ...] = ()  # cards with [[conflict]] entries
    other_conflicts: tuple[str, ...] = ()  # other unmerged files (conflict markers)
    rejected_by_server: bool = False
    error: bool = False  # refused or failed otherwise; the code says why
    pending: int = 0  # local commits not yet on the server
    server_text: str = ""  # what the server said, made visible
    snapshots_sent: int = 0  # snapshot tags the server now has from us

    @property
    def ok(self) -> bool:
        bad = self.offline or self.auth_needed or self.rejected_by_server or self.error
        return not (bad or self.conflicts or self.other_conflicts)


def check_remote_name(name: str) -> str:
    """``name`` if it is a plain remote name (letters, digits, ``._-``, no leading ``-``)."""
    if not _NAME.fullmatch(name or ""):
        raise RemoteRefused(f"Ongeldige naam voor de gedeelde kaartenbak: '{visible(name)}'.", "Gebruik 'origin'.")
    return name


def check_remote_url(url: str) -> str:
    """``url`` if git can only read it as an address: no option, no command transport (ext::, fd::)."""
    u, why = (url or "").strip(), ""
    if not u:
        why = "het adres is leeg"
    elif u.startswith("-"):
        why = "het begint met '-', git zou het als optie lezen"
    elif any(unicodedata.category(ch) in ("Cc", "Cf") for ch in u):
        why = "het bevat stuurtekens"
    elif m := re.match(r"([A-Za-z][A-Za-z0-9+.-]*)::", u):
        why = f"het vervoer '{m.group(1)}::' kan opdrachten uitvoeren"
    elif (m := re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", u)) and m.group(1).lower() not in _SCHEMES:
        why = f"het soort adres '{m.group(1)}://' wordt niet ondersteund"
    elif re.match(r"[A-Za-z0-9+.-]+://(?:[^/@]*@)?-", u):
        why = "de servernaam begint met '-'"
    if why:
        raise RemoteRefused(
            f"Adres geweigerd: '{visible(u)}': {why}.",
            "Gebruik een https://-, ssh://- of git://-adres, gebruiker@server:pad of een map.",
        )
    return u


def shown_url(url: str) -> str:
    """``url`` for display: a password or token in it is hidden."""
    return visible(re.sub(r"://([^/@:]*):[^/@]*@", r"://\1:***@", url))


def remote_urls(repo: GitRepo, remote: str) -> list[str]:
    """The fetch and push URLs git would use for ``remote`` (after insteadOf), each checked."""
    check_remote_name(remote)
    urls = (repo.try_run("remote", "get-url", "--all", remote) or "").splitlines()
    if not urls:
        raise GitError(f"'{remote}' heeft geen adres.", "Stel het in met 'kaartenbak remote ADRES'.")
    urls += (repo.try_run("remote", "get-url", "--push", "--all", remote) or "").splitlines()
    return [check_remote_url(u) for u in urls if u]


def set_origin(repo: GitRepo, url: str) -> str:
    """Point ``origin`` at ``url`` (checked first); adds the remote when there is none."""
    u = check_remote_url(url)
    repo.run("remote", "set-url" if "origin" in (repo.try_run("remote") or "").split() else "add", "origin", u)
    return u


@dataclass(frozen=True)
class _Target:
    remote: str
    branch: str
    remote_branch: str
    tracking: str  # refs/remotes/<remote>/<branch>
    upstream_set: bool


def _target(repo: GitRepo, branch: str) -> _Target | None:
    remote = repo.try_run("config", "--get", f"branch.{branch}.remote")
    merge = repo.try_run("config", "--get", f"branch.{branch}.merge") or ""
    if remote and remote != "." and merge.startswith("refs/heads/"):
        rb = merge.removeprefix("refs/heads/")
        tracking = repo.try_run("rev-parse", "--symbolic-full-name", "@{upstream}") or ""
        tracking = tracking if tracking.startswith("refs/remotes/") else f"refs/remotes/{remote}/{rb}"
        return _Target(remote, branch, rb, tracking, True)
    remotes = (repo.try_run("remote") or "").split()
    if not remotes:
        return None
    remote = "origin" if "origin" in remotes else remotes[0]
    return _Target(remote, branch, branch, f"refs/remotes/{remote}/{branch}", False)


def sync_status(repo: GitRepo) -> SyncStatus:
    """The sync state word and counts from local refs only (the last fetch)."""
    branch = repo.try_run("symbolic-ref", "--quiet", "--short", "HEAD") or None
    target = _target(repo, branch) if branch else None
    if target is None and not (repo.try_run("remote") or "").split():
        return SyncStatus(None, branch, None, 0, 0, "no_remote")
    upstream, ahead, behind = upstream_distance(repo)
    if upstream is None:
        return SyncStatus(target.remote if target else None, branch, None, 0, 0, "no_upstream")
    word = {(0, 0): "up_to_date", (1, 0): "to_send", (0, 1): "to_receive"}.get((min(ahead, 1), min(behind, 1)))
    return SyncStatus(target.remote if target else None, branch, upstream, ahead, behind, word or "diverged")


@dataclass(frozen=True)
class _Run:
    code: int
    out: str
    err: str
    timed_out: bool = False


def _env(ssh: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", SSH_ASKPASS="true", SSH_ASKPASS_REQUIRE="never")
    env.update(GCM_INTERACTIVE="never", LC_ALL="C", LANGUAGE="C")
    env["GIT_SSH_COMMAND"] = f"{ssh} -o BatchMode=yes -o ConnectTimeout=8"
    return env


def run_git(root: Path, args: list[str], timeout: float, ssh: str = "ssh") -> _Run:
    """git with no prompt and a hard ``timeout``: then the whole process group (ssh too) is killed.

    Holds the repository's process-wide lock (``repo_lock``) like every ``GitRepo`` call."""
    with repo_lock(root):
        return _run_git(root, args, timeout, ssh)


def _run_git(root: Path, args: list[str], timeout: float, ssh: str) -> _Run:
    try:
        proc = subprocess.Popen(
            ["git", *_NET_CONFIG, *args], cwd=root, env=_env(ssh), start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
    except OSError as exc:
        return _Run(127, "", f"git kan niet worden gestart: {exc}")
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL) if hasattr(os, "killpg") else proc.kill()
            out, err = proc.communicate(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            out, err = b"", b""
        return _Run(-9, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), True)
    return _Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


def _paths(out: str | None) -> list[str]:
    return [p for p in (out or "").split("\0") if p]


def _last_line(text: str) -> str:
    return visible((text.strip().splitlines() or ["?"])[-1])


def _has_conflict_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("conflict"), list) and bool(data["conflict"])


class _Sync:
    """One sync run: fetch, merge, push (and once more after a non-fast-forward rejection)."""

    def __init__(
        self, repo: GitRepo, say: Callable[[SyncStep], None], timeout: float, target: _Target, url: str
    ) -> None:
        self.repo, self.say, self.timeout, self.t, self.url = repo, say, timeout, target, url
        self.received = 0
        self.ssh = os.environ.get("GIT_SSH_COMMAND") or repo.try_run("config", "--get", "core.sshCommand") or "ssh"

    def count(self, rev: str, *, merges: bool = False) -> int:
        out = self.repo.try_run("rev-list", "--count", *(() if merges else ("--no-merges",)), rev)
        return int(out) if out and out.strip().isdigit() else 0

    def known(self) -> bool:
        return bool(self.repo.try_run("rev-parse", "--verify", "--quiet", self.t.tracking))

    def ahead(self, *, merges: bool = False) -> int:
        return self.count(f"{self.t.tracking}..HEAD" if self.known() else "HEAD", merges=merges)

    def result(self, **kw: object) -> SyncResult:
        kw.setdefault("received", self.received)
        kw.setdefault("pending", self.ahead())
        return SyncResult(**kw)  # type: ignore[arg-type]

    def fail(self, code: str, **params: str | int) -> SyncResult:
        return self.result(code=code, params=params, error=True)

    def done(self, sent: int, snapshots: int = 0) -> SyncResult:
        params = {"received": self.received, "sent": sent}
        return self.result(code="done", params=params, sent=sent, snapshots_sent=snapshots)

    def run(self) -> SyncResult:
        for attempt in (1, 2):
            failed = self.fetch() or self.integrate()
            if failed:
                return failed
            if not self.ahead(merges=True):
                return self.done(0, self.push_snapshots())
            sent = self.push()
            if isinstance(sent, SyncResult):
                return sent
            if sent >= 0:
                return self.done(sent, self.push_snapshots())
            if attempt == 1:
                self.say(SyncStep("retrying"))
        return self.fail("busy_remote")

    def fetch(self) -> SyncResult | None:
        t = self.t
        self.say(SyncStep("fetching", {"remote": t.remote, "url": shown_url(self.url)}))
        refspec = f"+refs/heads/{t.remote_branch}:{t.tracking}"
        tags = snapshot_tags.fetch_refspec(t.remote)
        r = run_git(
            self.repo.root, ["fetch", "--quiet", "--no-tags", "--", t.remote, refspec, tags], self.timeout, self.ssh
        )
        if r.code == 0:
            snapshot_tags.adopt(self.repo, t.remote)
            return None
        if not r.timed_out and "couldn't find remote ref" in r.err:
            return None  # an empty remote or a new branch: the push creates it
        return self.network_failure(r)

    def network_failure(self, r: _Run) -> SyncResult:
        if not r.timed_out and _AUTH.search(r.err):
            ssh = re.match(r"(ssh|git\+ssh|ssh\+git)://|[^/:]+:(?!//)", self.url)
            return self.result(code="auth_needed", params={"transport": "ssh" if ssh else "https"}, auth_needed=True)
        if r.timed_out or _OFFLINE.search(r.err):
            pending = self.ahead()
            return self.result(code="offline", params={"pending": pending}, offline=True, pending=pending)
        return self.fail("fetch_failed", detail=_last_line(r.err))

    def blocking(self, ff: bool) -> list[str]:
        """Uncommitted files the merge would touch (any staged change blocks a real merge)."""
        changed = self.repo.try_run("diff", "--name-only", "--no-renames", "-z", f"HEAD...{self.t.tracking}")
        if changed is None:  # no commits yet: everything incoming is new
            changed = self.repo.try_run("ls-tree", "-r", "--name-only", "-z", self.t.tracking)
        incoming = set(_paths(changed))
        parts = self.repo.run("status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0")
        found: list[str] = []
        i = 0
        while i < len(parts):
            entry, i = parts[i], i + 1
            names = [entry[3:]]
            if entry[:1] in ("R", "C"):
                names, i = [*names, parts[i]], i + 1
            if len(entry) > 3 and ((entry[0] not in " ?" and not ff) or incoming.intersection(names)):
                found.append(names[0])
        return found

    def integrate(self) -> SyncResult | None:
        repo, t = self.repo, self.t
        head = repo.head()
        if not self.known() or (head and not self.count(f"HEAD..{t.tracking}", merges=True)):
            return None
        incoming = self.count(f"HEAD..{t.tracking}" if head else t.tracking)
        ff = head is None or repo.try_run("merge-base", "--is-ancestor", "HEAD", t.tracking) is not None
        blocked = self.blocking(ff)
        if blocked:
            return self.fail("commit_first", files=", ".join(map(visible, blocked)))
        if not ff and not all(repo.configured_identity()):
            return self.fail("no_identity")
        if not repo.try_run("config", "--get", "merge.kaartenbak.driver"):
            self.say(SyncStep("no_driver"))
        self.say(SyncStep("merging", {"count": incoming}))
        message = f"Wijzigingen van {t.tracking.removeprefix('refs/remotes/')} samengevoegd"  # history: team's language
        r = run_git(repo.root, ["merge", "--ff", "--no-edit", "--no-autostash", "-m", message, t.tracking], 900)
        unmerged = _paths(repo.try_run("diff", "--name-only", "--diff-filter=U", "-z"))
        if unmerged or r.code == 0:
            self.received += incoming
            return self.conflicts(unmerged) if unmerged else None
        if "would be overwritten" in r.err:
            return self.fail("would_overwrite")
        return self.fail("merge_failed", detail=_last_line(r.err))

    def conflicts(self, unmerged: list[str]) -> SyncResult:
        """Cards with ``[[conflict]]`` entries apart from files with text conflict markers."""
        cards = [p for p in unmerged if p.startswith("cards/") and p.endswith(".toml")]
        cards = [p for p in cards if _has_conflict_table(self.repo.root / p)]
        other = [p for p in unmerged if p not in cards]
        return self.result(
            code="conflicts",
            params={"cards": ", ".join(map(visible, cards)), "others": ", ".join(map(visible, other))},
            conflicts=tuple(cards),
            other_conflicts=tuple(other),
        )

    def push_snapshots(self) -> int:
        """Send the snapshot tags the remote lacks; how many it took (a refused tag never fails the sync)."""
        specs = snapshot_tags.to_push(self.repo, self.t.remote)
        done: list[str] = []
        if specs:
            r = run_git(self.repo.root, ["push", "--porcelain", "--", self.t.remote, *specs], self.timeout, self.ssh)
            done = [
                s
                for s in specs
                if f"\t{s}\t" in r.out and not any(ln.startswith("!") and s in ln for ln in r.out.splitlines())
            ]
            snapshot_tags.pushed(self.repo, self.t.remote, done)
        return len(done)

    def push(self) -> int | SyncResult:
        """The number of (non-merge) commits sent, -1 when rejected as not a fast-forward, or a failure."""
        repo, t = self.repo, self.t
        sending = self.ahead()
        self.say(SyncStep("sending", {"count": sending, "remote": t.remote}))
        refspec = f"HEAD:refs/heads/{t.remote_branch}"
        r = run_git(repo.root, ["push", "--porcelain", "--", t.remote, refspec], self.timeout, self.ssh)
        rejected = [line for line in r.out.splitlines() if line.startswith("!")]
        if r.code == 0 and not rejected:
            repo.run("update-ref", "-m", "kaartenbak sync", t.tracking, "HEAD")
            if not t.upstream_set:
                repo.run("config", "--local", f"branch.{t.branch}.remote", t.remote)
                repo.run("config", "--local", f"branch.{t.branch}.merge", f"refs/heads/{t.remote_branch}")
            return sending
        if any("[rejected]" in line for line in rejected):
            return -1  # not a fast-forward: someone pushed since our fetch
        if not rejected:
            return self.network_failure(r)
        said = visible("\n".join(ln[7:].rstrip() for ln in r.err.splitlines() if ln.startswith("remote:")).strip())
        return self.result(
            code="rejected",
            params={"reason": visible(rejected[0].split(chr(9))[-1])},
            rejected_by_server=True,
            server_text=said,
        )


def sync(root: str | Path, progress: Callable[[SyncStep], None] | None = None, timeout: float = 20) -> SyncResult:
    """Fetch the upstream, merge it (per field), push without force; ``timeout`` is per network call."""
    try:
        with GitRepo.open(root) as repo:
            state = repo.state()
            for n in explain(state):
                if n.code in _BLOCKING:
                    params = {"notice": n.code, "message": n.message, "advice": n.advice}
                    return SyncResult(code="blocked", params=params, error=True)
            target = _target(repo, state.branch or "")
            if target is None:
                return SyncResult(code="no_remote", error=True)
            url = remote_urls(repo, target.remote)[0]
            return _Sync(repo, progress or (lambda _step: None), timeout, target, url).run()
    except GitError as exc:
        return SyncResult(code="git_error", params={"message": exc.message, "advice": exc.advice}, error=True)
