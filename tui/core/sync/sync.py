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
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.core.git.gitrepo import GitError, GitRepo, explain
from tui.core.git.status import upstream_distance
from tui.core.cards.text import visible

OFFLINE = "offline; je wijzigingen blijven bewaard en worden later verstuurd"
COMMIT_FIRST = "Bewaar eerst je wijzigingen (commit first)"
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
class SyncResult:
    """What one sync did, in numbers and in a Dutch sentence for the user."""

    received: int = 0
    sent: int = 0
    offline: bool = False
    auth_needed: bool = False
    conflicts: tuple[str, ...] = ()  # cards with [[conflict]] entries
    other_conflicts: tuple[str, ...] = ()  # other unmerged files (conflict markers)
    rejected_by_server: bool = False
    message: str = ""
    advice: str = ""
    error: bool = False  # refused or failed otherwise; the message says why
    pending: int = 0  # local commits not yet on the server
    server_text: str = ""  # what the server said, made visible

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
    """git with no prompt and a hard ``timeout``: then the whole process group (ssh too) is killed."""
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


def _plural(n: int) -> str:
    return f"{n} wijziging" if n == 1 else f"{n} wijzigingen"


def summary(received: int, sent: int) -> str:
    """ "3 wijzigingen ontvangen, 2 verstuurd" and its variants."""
    if received and sent:
        return f"{_plural(received)} ontvangen, {sent} verstuurd"
    if received or sent:
        return f"{_plural(received or sent)} {'ontvangen' if received else 'verstuurd'}"
    return "Alles was al gedeeld: niets ontvangen, niets verstuurd"


def _paths(out: str | None) -> list[str]:
    return [p for p in (out or "").split("\0") if p]


def _last_line(text: str) -> str:
    return visible((text.strip().splitlines() or ["onbekende fout"])[-1])


def _has_conflict_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("conflict"), list) and bool(data["conflict"])


class _Sync:
    """One sync run: fetch, merge, push (and once more after a non-fast-forward rejection)."""

    def __init__(self, repo: GitRepo, say: Callable[[str], None], timeout: float, target: _Target, url: str) -> None:
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

    def fail(self, message: str, advice: str) -> SyncResult:
        return self.result(error=True, message=message, advice=advice)

    def run(self) -> SyncResult:
        for attempt in (1, 2):
            failed = self.fetch() or self.integrate()
            if failed:
                return failed
            if not self.ahead(merges=True):
                return self.result(message=summary(self.received, 0))
            sent = self.push()
            if isinstance(sent, SyncResult):
                return sent
            if sent >= 0:
                return self.result(sent=sent, message=summary(self.received, sent))
            if attempt == 1:
                self.say("De server heeft intussen nieuwe wijzigingen; opnieuw ophalen en samenvoegen…")
        return self.fail(
            "De server kreeg steeds nieuwe wijzigingen; je versies zijn nog niet verstuurd.",
            "Ze blijven hier bewaard. Synchroniseer over een moment opnieuw.",
        )

    def fetch(self) -> SyncResult | None:
        t = self.t
        self.say(f"Ophalen van {t.remote} ({shown_url(self.url)})…")
        refspec = f"+refs/heads/{t.remote_branch}:{t.tracking}"
        r = run_git(self.repo.root, ["fetch", "--quiet", "--no-tags", "--", t.remote, refspec], self.timeout, self.ssh)
        if r.code == 0 or (not r.timed_out and "couldn't find remote ref" in r.err):
            return None  # an empty remote or a new branch: the push creates it
        return self.network_failure(r)

    def network_failure(self, r: _Run) -> SyncResult:
        if not r.timed_out and _AUTH.search(r.err):
            if re.match(r"(ssh|git\+ssh|ssh\+git)://|[^/:]+:(?!//)", self.url):
                advice = (
                    "Maak een SSH-sleutel ('ssh-keygen -t ed25519'), zet de publieke sleutel bij je account op de "
                    "server en maak één keer verbinding in een terminal ('git fetch') om de server te bevestigen."
                )
            else:
                advice = (
                    "Sla je inlog op met een credential helper (bijvoorbeeld de Git Credential Manager, of 'git config"
                    " --global credential.helper store') en meld je één keer aan met 'git fetch' in een terminal."
                )
            return self.result(
                auth_needed=True, message="aanmelden nodig: de server wil weten wie je bent", advice=advice
            )
        if r.timed_out or _OFFLINE.search(r.err):
            pending = self.ahead()
            message = OFFLINE + (f" ({_plural(pending)} nog niet gedeeld)" if pending else "")
            return self.result(offline=True, message=message, advice="Synchroniseer opnieuw zodra er verbinding is.")
        return self.fail(
            f"Synchroniseren mislukt: git meldt '{_last_line(r.err)}'.",
            "Je versies blijven hier bewaard. Controleer het adres met 'kaartenbak remote'.",
        )

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
            return self.fail(
                f"{COMMIT_FIRST}: binnengekomen wijzigingen raken {', '.join(map(visible, blocked))}.",
                "Bewaar of verwerp die wijzigingen en synchroniseer opnieuw; er is niets veranderd.",
            )
        missing = [] if ff else [n for n in explain(repo.state()) if n.code == "no-identity"]
        if missing:
            return self.fail(missing[0].message, missing[0].advice)
        if not repo.try_run("config", "--get", "merge.kaartenbak.driver"):
            self.say("Let op: samenvoegen per veld staat in deze kopie niet aan; voer 'kaartenbak init' uit.")
        self.say(f"{_plural(incoming)} ontvangen; samenvoegen…")
        message = f"Wijzigingen van {t.tracking.removeprefix('refs/remotes/')} samengevoegd"
        r = run_git(repo.root, ["merge", "--ff", "--no-edit", "--no-autostash", "-m", message, t.tracking], 900)
        unmerged = _paths(repo.try_run("diff", "--name-only", "--diff-filter=U", "-z"))
        if unmerged or r.code == 0:
            self.received += incoming
            return self.conflicts(unmerged) if unmerged else None
        if "would be overwritten" in r.err:
            return self.fail(f"{COMMIT_FIRST}: git zou ze overschrijven.", "Bewaar ze en synchroniseer opnieuw.")
        return self.fail(
            f"Samenvoegen mislukt: git meldt '{_last_line(r.err)}'.",
            "Je versies blijven bewaard. Bekijk de toestand met 'kaartenbak status'.",
        )

    def conflicts(self, unmerged: list[str]) -> SyncResult:
        """Cards with ``[[conflict]]`` entries apart from files with text conflict markers."""
        cards = [p for p in unmerged if p.startswith("cards/") and p.endswith(".toml")]
        cards = [p for p in cards if _has_conflict_table(self.repo.root / p)]
        other = [p for p in unmerged if p not in cards]
        parts = []
        if cards:
            parts.append(
                f"Conflict in {len(cards)} kaart(en): {', '.join(map(visible, cards))}; hetzelfde veld is "
                "aan beide kanten anders gewijzigd en beide waarden staan in de kaart."
            )
        if other:
            parts.append(f"Niet per veld samen te voegen: {', '.join(map(visible, other))} (met <<<<<<<-markeringen).")
        paths = " ".join(shlex.quote(visible(p)) for p in unmerged)
        advice = (
            f"Kies per veld in het conflictscherm{' en bewerk de andere bestanden' * bool(other)}; rond dan af "
            f"met 'git add -- {paths}' en 'git commit --no-edit' en synchroniseer opnieuw. Je eigen versies "
            "blijven bewaard; terug naar vóór het samenvoegen: 'git merge --abort'."
        )
        return self.result(conflicts=tuple(cards), other_conflicts=tuple(other), message=" ".join(parts), advice=advice)

    def push(self) -> int | SyncResult:
        """The number of (non-merge) commits sent, -1 when rejected as not a fast-forward, or a failure."""
        repo, t = self.repo, self.t
        sending = self.ahead()
        self.say(f"{_plural(sending)} versturen naar {t.remote}…")
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
        message = f"De server weigerde je wijzigingen ({visible(rejected[0].split(chr(9))[-1])})."
        message += f" De server zegt: {said}" * bool(said)
        return self.result(
            rejected_by_server=True,
            server_text=said,
            message=message,
            advice="Je versies blijven hier bewaard en gaan mee bij een volgende synchronisatie. "
            "Vraag de beheerder van de server waarom (bijvoorbeeld een beschermde tak).",
        )


def sync(root: str | Path, progress: Callable[[str], None] | None = None, timeout: float = 20) -> SyncResult:
    """Fetch the upstream, merge it (per field), push without force; ``timeout`` is per network call."""
    try:
        with GitRepo.open(root) as repo:
            state = repo.state()
            for n in explain(state):
                if n.code in _BLOCKING:
                    return SyncResult(error=True, message=f"Synchroniseren kan nu niet. {n.message}", advice=n.advice)
            target = _target(repo, state.branch or "")
            if target is None:
                return SyncResult(
                    error=True,
                    message="Er is nog geen gedeelde kaartenbak (remote) ingesteld.",
                    advice="Stel het adres in met 'kaartenbak remote ADRES'.",
                )
            url = remote_urls(repo, target.remote)[0]
            return _Sync(repo, progress or (lambda _line: None), timeout, target, url).run()
    except GitError as exc:
        return SyncResult(error=True, message=exc.message, advice=exc.advice)
