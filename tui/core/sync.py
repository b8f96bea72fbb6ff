"""Sharing cards with the team's remote: fetch, merge per field, push. Never a hang, never a force.

Integration is a *merge commit* of the fetched upstream, not a rebase: no local commit is
rewritten (ids the user saw or mentioned stay valid), and the history shows who changed what
when, with the merge marking where two people's work met. The card merge driver (``kaartenbak
init``) merges a card per field; fields both sides changed differently are recorded in the card
as ``[[conflict]]`` and the repository is *left in the merge state* for the conflict screen.
Sync never aborts a merge, never stashes and never force-pushes.

Uncommitted work: no stash (a stash that fails to re-apply hides the user's edit where they
cannot see it). When the incoming changes touch a file with uncommitted changes, or anything is
staged, sync stops before merging and says "commit first"; nothing changes. Other uncommitted
files are left alone, and drafts in ``.git/kaartenbak/drafts`` lie outside the work tree.

Every network call is its own process group with a hard timeout, no prompt (``GIT_TERMINAL_PROMPT=0``,
``GIT_ASKPASS``, ssh ``BatchMode``/``ConnectTimeout``) and a low-speed abort; failures are sorted
into offline, sign-in needed and refused by the server. Remote names and URLs pass an allowlist
before git sees them (RELIABILITY 37).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .gitrepo import GitError, GitRepo, explain
from .status import upstream_distance
from .text import visible

OFFLINE = "offline; je wijzigingen blijven bewaard en worden later verstuurd"
_NET_CONFIG = ("-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=10",
               "-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never")
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
_SCHEMES = ("https", "http", "ssh", "git", "file", "git+ssh", "ssh+git")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_AUTH = re.compile(r"authentication failed|could not read (username|password)|permission denied \(publickey|"
                   r"host key verification failed|terminal prompts disabled|invalid username or password|"
                   r"returned error: 40[13]|access denied", re.I)
_OFFLINE = re.compile(r"could not resolve|name or service not known|name resolution|connection refused|"
                      r"network is unreachable|no route to host|timed out|connection reset|unable to connect|"
                      r"failed to connect|could not read from remote repository|does not appear to be a git "
                      r"repository|unable to access|hung up|operation too slow|couldn't connect", re.I)
_BLOCKING = ("merge", "rebase", "cherry-pick", "revert", "conflicts", "lock", "detached", "bare")


class RemoteRefused(GitError):
    """A remote name or URL that could make git run a command or read an option."""


@dataclass(frozen=True)
class SyncStatus:
    """Where the branch stands against its upstream, from the last fetch (no network)."""

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
    conflicts: tuple[str, ...] = ()  # card paths with [[conflict]] entries (or unmerged cards)
    other_conflicts: tuple[str, ...] = ()  # conflicted files that are not cards
    rejected_by_server: bool = False
    message: str = ""
    advice: str = ""
    error: bool = False  # refused or failed otherwise; the message says why
    pending: int = 0  # local commits not yet on the server
    server_text: str = ""  # what the server said, made visible

    @property
    def ok(self) -> bool:
        return not (self.offline or self.auth_needed or self.rejected_by_server or self.error or self.conflicts or self.other_conflicts)


def check_remote_name(name: str) -> str:
    """``name`` if it is a plain remote name (letters, digits, ``._-``, no leading ``-``)."""
    if not _NAME.fullmatch(name or ""):
        raise RemoteRefused(f"Ongeldige naam voor de gedeelde kaartenbak: '{visible(name)}'.", "Gebruik bijvoorbeeld 'origin'.")
    return name


def check_remote_url(url: str) -> str:
    """``url`` if git can only read it as an address: no option, no command transport (ext::, fd::)."""
    u = (url or "").strip()
    why = ""
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
        raise RemoteRefused(f"Adres geweigerd: '{visible(u)}': {why}.",
                            "Gebruik een https://-, ssh://-, git://-adres, gebruiker@server:pad of een map.")
    return u


def remote_urls(repo: GitRepo, remote: str) -> list[str]:
    """The fetch and push URLs git would use for ``remote`` (after insteadOf), each checked."""
    check_remote_name(remote)
    urls = [u for u in (repo.try_run("remote", "get-url", "--all", remote) or "").splitlines() if u]
    if not urls:
        raise GitError(f"De gedeelde kaartenbak '{remote}' heeft geen adres.", "Stel het in met 'kaartenbak remote ADRES'.")
    urls += [u for u in (repo.try_run("remote", "get-url", "--push", "--all", remote) or "").splitlines() if u]
    for u in urls:
        check_remote_url(u)
    return urls


def set_origin(repo: GitRepo, url: str) -> str:
    """Point ``origin`` at ``url`` (checked first); adds the remote when there is none."""
    u = check_remote_url(url)
    has = "origin" in (repo.try_run("remote") or "").split()
    repo.run("remote", "set-url" if has else "add", "origin", u)
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
        rb = merge[len("refs/heads/"):]
        tracking = repo.try_run("rev-parse", "--symbolic-full-name", "@{upstream}") or ""
        ok = tracking.startswith("refs/remotes/")
        return _Target(remote, branch, rb, tracking if ok else f"refs/remotes/{remote}/{rb}", True)
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
    remote = target.remote if target else None
    if upstream is None:
        return SyncStatus(remote, branch, None, 0, 0, "no_upstream")
    word = {(0, 0): "up_to_date", (1, 0): "to_send", (0, 1): "to_receive"}.get((min(ahead, 1), min(behind, 1)), "diverged")
    return SyncStatus(remote, branch, upstream, ahead, behind, word)


@dataclass(frozen=True)
class _Run:
    code: int
    out: str
    err: str
    timed_out: bool = False


def _env(ssh: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", SSH_ASKPASS="true", SSH_ASKPASS_REQUIRE="never",
               GCM_INTERACTIVE="never", LC_ALL="C", LANGUAGE="C",
               GIT_SSH_COMMAND=f"{ssh} -o BatchMode=yes -o ConnectTimeout=8")
    return env


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)  # ssh and remote helpers too, not only git
        else:
            proc.kill()
    except OSError:
        pass


def run_git(root: Path, args: list[str], timeout: float, ssh: str = "ssh") -> _Run:
    """git with no prompt and a hard ``timeout`` (the whole process group is killed)."""
    try:
        proc = subprocess.Popen(["git", *_NET_CONFIG, *args], cwd=root, env=_env(ssh), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        return _Run(127, "", f"git kan niet worden gestart: {exc}")
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill(proc)
        try:
            out, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            out, err = b"", b""
        timed_out = True
    code = proc.returncode if proc.returncode is not None else -9
    return _Run(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), timed_out)


def _plural(n: int) -> str:
    return f"{n} wijziging" if n == 1 else f"{n} wijzigingen"


def summary(received: int, sent: int) -> str:
    """"3 wijzigingen ontvangen, 2 verstuurd" and its variants."""
    if received and sent:
        return f"{_plural(received)} ontvangen, {sent} verstuurd"
    if received or sent:
        return f"{_plural(received or sent)} {'ontvangen' if received else 'verstuurd'}"
    return "Alles was al gedeeld: niets ontvangen, niets verstuurd"


def _paths(out: str | None) -> list[str]:
    return [p for p in (out or "").split("\0") if p]


def _has_conflict_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("conflict"), list) and bool(data["conflict"])


class _Sync:
    """One sync run: fetch, merge, push (and once more after a non-fast-forward rejection)."""

    def __init__(self, repo: GitRepo, say: Callable[[str], None], timeout: float, target: _Target, urls: list[str]) -> None:
        self.repo, self.say, self.timeout, self.t, self.urls = repo, say, timeout, target, urls
        self.received = 0
        self.ssh = os.environ.get("GIT_SSH_COMMAND") or repo.try_run("config", "--get", "core.sshCommand") or "ssh"

    def count(self, rev: str, *, merges: bool = False) -> int:
        out = self.repo.try_run("rev-list", "--count", *(() if merges else ("--no-merges",)), rev)
        return int(out) if out and out.strip().isdigit() else 0

    def ahead(self, *, merges: bool = False) -> int:
        known = self.repo.try_run("rev-parse", "--verify", "--quiet", self.t.tracking)
        return self.count(f"{self.t.tracking}..HEAD" if known else "HEAD", merges=merges)

    def result(self, **kw: object) -> SyncResult:
        kw.setdefault("received", self.received)
        kw.setdefault("pending", self.ahead())
        return SyncResult(**kw)  # type: ignore[arg-type]

    def run(self) -> SyncResult:
        for _attempt in (1, 2):
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
            self.say("De server heeft intussen nieuwe wijzigingen; opnieuw ophalen en samenvoegen…")
        return self.result(error=True, message="De server kreeg steeds nieuwe wijzigingen; je versies zijn nog niet verstuurd.",
                           advice="Ze blijven hier bewaard. Synchroniseer over een moment opnieuw.")

    def fetch(self) -> SyncResult | None:
        t = self.t
        self.say(f"Ophalen van {t.remote} ({visible(self.urls[0])})…")
        r = run_git(self.repo.root, ["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--", t.remote,
                                     f"+refs/heads/{t.remote_branch}:{t.tracking}"], self.timeout, self.ssh)
        if r.code == 0 or (not r.timed_out and "couldn't find remote ref" in r.err):
            return None  # an empty remote or a new branch: the push creates it
        return self.network_failure(r)

    def network_failure(self, r: _Run) -> SyncResult:
        if not r.timed_out and _AUTH.search(r.err):
            url = self.urls[0]
            if re.match(r"(ssh|git\+ssh|ssh\+git)://", url) or re.match(r"[^/:]+:(?!//)", url):
                advice = ("Maak een SSH-sleutel ('ssh-keygen -t ed25519'), zet de publieke sleutel bij je account op de server, "
                          "en maak één keer verbinding in een terminal ('git fetch') om de sleutel van de server te bevestigen.")
            else:
                advice = ("Sla je inlog op met een credential helper (bijvoorbeeld de Git Credential Manager, of "
                          "'git config --global credential.helper store') en meld je één keer aan met 'git fetch' in een terminal.")
            return self.result(auth_needed=True, message="aanmelden nodig: de server wil weten wie je bent", advice=advice)
        if r.timed_out or _OFFLINE.search(r.err):
            pending = self.ahead()
            return self.result(offline=True, message=OFFLINE + (f" ({_plural(pending)} nog niet gedeeld)" if pending else ""),
                               advice="Synchroniseer opnieuw zodra er verbinding is.")
        last = (r.err.strip().splitlines() or ["onbekende fout"])[-1]
        return self.result(error=True, message=f"Synchroniseren mislukt: git meldt '{visible(last)}'.",
                           advice="Je versies blijven hier bewaard. Controleer het adres met 'kaartenbak remote'.")

    def blocking(self, ff: bool) -> list[str]:
        """Uncommitted files the merge would touch (any staged change blocks a real merge)."""
        repo = self.repo
        changed = repo.try_run("diff", "--name-only", "--no-renames", "-z", f"HEAD...{self.t.tracking}")
        if changed is None:  # no commits yet: everything incoming is new
            changed = repo.try_run("ls-tree", "-r", "--name-only", "-z", self.t.tracking)
        incoming = set(_paths(changed))
        parts = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0")
        found: list[str] = []
        i = 0
        while i < len(parts):
            entry, i = parts[i], i + 1
            if len(entry) < 4:
                continue
            names = [entry[3:]]
            if entry[0] in "RC":
                names.append(parts[i])
                i += 1
            if (entry[0] not in " ?" and not ff) or incoming.intersection(names):
                found.append(names[0])
        return found

    def integrate(self) -> SyncResult | None:
        repo, t = self.repo, self.t
        head = repo.head()
        if not repo.try_run("rev-parse", "--verify", "--quiet", t.tracking) or (head and not self.count(f"HEAD..{t.tracking}", merges=True)):
            return None
        incoming = self.count(f"HEAD..{t.tracking}" if head else t.tracking)
        ff = head is None or repo.try_run("merge-base", "--is-ancestor", "HEAD", t.tracking) is not None
        blocked = self.blocking(ff)
        if blocked:
            return self.result(error=True, message="Bewaar eerst je wijzigingen (commit first): binnengekomen wijzigingen raken "
                               f"{', '.join(visible(p) for p in blocked)}.",
                               advice="Bewaar of verwerp die wijzigingen en synchroniseer opnieuw; er is niets veranderd.")
        if not ff:
            missing = [n for n in explain(repo.state()) if n.code == "no-identity"]
            if missing:
                return self.result(error=True, message=missing[0].message, advice=missing[0].advice)
        if not repo.try_run("config", "--get", "merge.kaartenbak.driver"):
            self.say("Let op: samenvoegen per veld staat in deze kopie niet aan; voer 'kaartenbak init' uit.")
        self.say(f"{_plural(incoming)} ontvangen; samenvoegen…")
        r = run_git(repo.root, ["merge", "--ff", "--no-edit", "--no-autostash", "-m",
                                f"Wijzigingen van {t.tracking.removeprefix('refs/remotes/')} samengevoegd", t.tracking], 900)
        unmerged = _paths(repo.try_run("diff", "--name-only", "--diff-filter=U", "-z"))
        if unmerged or r.code == 0:
            self.received += incoming
            return self.conflicts(unmerged) if unmerged else None
        if "would be overwritten" in r.err:
            return self.result(error=True, message="Bewaar eerst je wijzigingen (commit first): git zou ze overschrijven.",
                               advice="Bewaar je kaarten en synchroniseer opnieuw; er is niets veranderd.")
        last = (r.err.strip().splitlines() or ["onbekende fout"])[-1]
        return self.result(error=True, message=f"Samenvoegen mislukt: git meldt '{visible(last)}'.",
                           advice="Je versies blijven bewaard. Bekijk de toestand met 'kaartenbak status'.")

    def conflicts(self, unmerged: list[str]) -> SyncResult:
        cards = [p for p in unmerged if p.startswith("cards/") and p.endswith(".toml") and _has_conflict_table(self.repo.root / p)]
        other = [p for p in unmerged if p not in cards]
        parts = []
        if cards:
            parts.append(f"Conflict in {len(cards)} kaart(en): {', '.join(map(visible, cards))}; hetzelfde veld is aan beide "
                         "kanten anders gewijzigd en beide waarden staan in de kaart.")
        if other:
            parts.append(f"Niet per veld samen te voegen: {', '.join(map(visible, other))} (met <<<<<<<-markeringen).")
        advice = ("Kies per veld in het conflictscherm" + (" en bewerk de andere bestanden" if other else "") +
                  f"; rond dan af met 'git add -- {' '.join(visible(p) for p in unmerged)}' en 'git commit --no-edit', "
                  "en synchroniseer opnieuw. Je eigen versies blijven bewaard; terug naar vóór het samenvoegen kan met 'git merge --abort'.")
        return self.result(conflicts=tuple(cards), other_conflicts=tuple(other), message=" ".join(parts), advice=advice)

    def push(self) -> int | SyncResult:
        """The number of (non-merge) commits sent, -1 when rejected as not a fast-forward, or a failure."""
        repo, t = self.repo, self.t
        sending = self.ahead()
        self.say(f"{_plural(sending)} versturen naar {t.remote}…")
        r = run_git(repo.root, ["push", "--porcelain", "--", t.remote, f"HEAD:refs/heads/{t.remote_branch}"], self.timeout, self.ssh)
        rejected = [line for line in r.out.splitlines() if line.startswith("!")]
        if r.code == 0 and not rejected:
            repo.run("update-ref", "-m", "kaartenbak sync", t.tracking, "HEAD")
            if not t.upstream_set:
                repo.run("config", "--local", f"branch.{t.branch}.remote", t.remote)
                repo.run("config", "--local", f"branch.{t.branch}.merge", f"refs/heads/{t.remote_branch}")
            return sending
        if any("[rejected]" in line for line in rejected):
            return -1
        if not rejected:
            return self.network_failure(r)
        reason = rejected[0].split("\t")[-1]
        said = "\n".join(line[7:].rstrip() for line in r.err.splitlines() if line.startswith("remote:")).strip()
        text = visible(said)
        return self.result(rejected_by_server=True, server_text=text,
                           message=f"De server weigerde je wijzigingen ({visible(reason)})." + (f" De server zegt: {text}" if text else ""),
                           advice="Je versies blijven hier bewaard en gaan mee bij een volgende synchronisatie. "
                                  "Vraag de beheerder van de server waarom (bijvoorbeeld een beschermde tak).")


def sync(root: str | Path, progress: Callable[[str], None] | None = None, timeout: float = 20) -> SyncResult:
    """Fetch the upstream, merge it (per field), push without force; the result says what happened."""
    say = progress or (lambda _m: None)
    try:
        with GitRepo.open(root) as repo:
            state = repo.state()
            for notice in explain(state):
                if notice.code in _BLOCKING:
                    return SyncResult(error=True, message=f"Synchroniseren kan nu niet. {notice.message}", advice=notice.advice)
            target = _target(repo, state.branch or "")
            if target is None:
                return SyncResult(error=True, message="Er is nog geen gedeelde kaartenbak (remote) ingesteld.",
                                  advice="Stel het adres in met 'kaartenbak remote ADRES'.")
            urls = remote_urls(repo, target.remote)
            return _Sync(repo, say, timeout, target, urls).run()
    except GitError as exc:
        return SyncResult(error=True, message=exc.message, advice=exc.advice)
