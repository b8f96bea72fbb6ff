"""One cards repository seen through git: opened safely, its state read, git's errors explained.

Every git call goes through GitPython's command wrapper with a fixed argument list, no prompts,
``LC_ALL=C`` and an environment that inherited ``GIT_DIR``/``GIT_WORK_TREE``/``GIT_INDEX_FILE``
cannot redirect: GitPython cannot *remove* variables, so they are overridden with what git itself
discovered for this folder in a clean environment. A parent repository is never adopted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import git

from tui.core.cards.text import visible

STALE_AFTER = 600.0  # seconds before an index.lock with no git process is called stale
LOCK_BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.5, 0.75)  # ~2 s in all for a fresh index.lock
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
_OPERATIONS = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)


class GitError(Exception):
    """A git problem explained in plain Dutch: what happened and what the user can do."""

    def __init__(self, message: str, advice: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message, self.advice, self.detail = message, advice, detail

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()


class NotARepository(GitError):
    """The folder is not (the top of) a git repository."""


class DubiousOwnership(GitError):
    """Git refuses a repository owned by another user (CVE-2022-24765)."""


class CorruptRepository(GitError):
    """An object or the index is damaged."""


class IndexLocked(GitError):
    """Another git process holds (or left behind) ``.git/index.lock``."""

    def __init__(self, message: str, advice: str, lock: IndexLock, detail: str = "") -> None:
        super().__init__(message, advice, detail)
        self.lock = lock


class NoIdentity(GitError):
    """No ``user.name``/``user.email``: Kaartenbak never commits under an invented name."""


@dataclass(frozen=True)
class IndexLock:
    """A ``.git/index.lock`` file: how old it is and whether a git process might own it."""

    path: Path
    age_seconds: float
    git_running: bool

    @property
    def stale(self) -> bool:
        return self.age_seconds > STALE_AFTER and not self.git_running


@dataclass(frozen=True)
class RepoState:
    """Everything about the repository that decides whether committing is safe."""

    root: Path
    branch: str | None  # None: detached HEAD
    head: str | None  # None: no commits yet
    in_progress: str | None  # merge | rebase | cherry-pick | revert
    index_lock: IndexLock | None
    conflicted: tuple[str, ...]
    bare: bool
    identity: tuple[str, str] | None  # (user.name, user.email)

    @property
    def detached(self) -> bool:
        return self.branch is None and not self.bare


class RepoLock:
    """The one lock of a repository in this process: git calls on it never overlap.

    Textual's ``exclusive`` worker groups apply per DOM node only, so two screens' workers could
    run git in the same repository at once; every call path in ``GitRepo`` and ``run_git`` takes
    this lock. It is re-entrant, so a workflow can hold it across several steps (resolve, save,
    stage) while each step still takes it. ``waiting`` counts threads blocked on it (for tests).
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._guard = threading.Lock()
        self.waiting = 0

    def __enter__(self) -> RepoLock:
        with self._guard:
            self.waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._guard:
                self.waiting -= 1
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._lock.release()


_LOCKS: dict[str, RepoLock] = {}
_LOCKS_GUARD = threading.Lock()


def repo_lock(root: str | Path) -> RepoLock:
    """The process-wide lock of the repository at ``root`` (one per resolved folder)."""
    key = os.path.normcase(str(Path(root).expanduser().resolve()))
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, RepoLock())


def git_process_running() -> bool:
    """Whether any git process runs on this machine (``pgrep -x git``); False when unknown."""
    pgrep = shutil.which("pgrep")
    try:
        return bool(pgrep) and subprocess.run([str(pgrep), "-x", "git"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _stderr(exc: git.GitCommandError) -> str:
    raw = exc.stderr
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    m = re.fullmatch(r"\s*stderr: '(.*)'\s*", text, re.DOTALL)
    return m.group(1) if m else text


def _clean_env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in _REDIRECTS}, **_fixed_env()}


def _fixed_env() -> dict[str, str]:
    env = {
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
        "LANGUAGE": "C",
        "GIT_LITERAL_PATHSPECS": "1",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    if "GIT_SSH_COMMAND" not in os.environ and "GIT_SSH" not in os.environ:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=10"
    return env


def explain_error(stderr: str, where: Path | None = None, lock: IndexLock | None = None) -> GitError:
    """Turn git's stderr into a Dutch GitError (the raw text is kept in ``detail``)."""
    text, low = stderr.strip(), stderr.strip().lower()
    place = str(where) if where else "deze map"
    if "dubious ownership" in low:
        return DubiousOwnership(
            f"Git vertrouwt {place} niet: de map is van een andere gebruiker.",
            "Is de map van jou of van iemand die je vertrouwt? Laat dan alleen déze map toe met "
            f"'git config --global --add safe.directory {place}', of laat de eigenaar de map aan jou overdragen. "
            "Kaartenbak voegt zelf geen uitzondering toe.",
            text,
        )
    if re.search(
        r"object file .* is empty|loose object .* is corrupt|corrupt|bad signature|index file smaller|"
        r"unable to read [0-9a-f]{40}|bad object|packfile .* cannot be accessed",
        low,
    ):
        return CorruptRepository(
            f"De git-gegevens in {place} zijn beschadigd.",
            "Controleer met 'git fsck'. Herstellen: kopieer eerst de map cards/ naar een veilige plek, "
            "maak daarna een verse kloon en zet je gewijzigde kaarten daarin terug.",
            text,
        )
    if "index.lock" in low and ("file exists" in low or "unable to create" in low):
        if lock is None:
            lock = IndexLock(where / ".git" / "index.lock" if where else Path("index.lock"), 0.0, False)
        return lock_error(lock, text)
    if "not a git repository" in low:
        return NotARepository(
            f"{place} is geen git-repository.",
            f"Maak er een met 'git init' in {place}, of kies een gekloonde kaartenbak.",
            text,
        )
    return GitError(f"git meldt een fout: {visible(text.splitlines()[-1] if text else 'onbekende fout')}", "", text)


def lock_error(lock: IndexLock, detail: str = "") -> IndexLocked:
    """The Dutch explanation of a fresh or stale index.lock."""
    if lock.stale:
        return IndexLocked(
            f"Een oud slotbestand ({lock.path}, {int(lock.age_seconds // 60)} minuten oud) blokkeert git; "
            "waarschijnlijk is een eerder git-programma afgebroken.",
            "Er draait geen git-programma meer, dus het slot mag weg: kies 'oud slot verwijderen'.",
            lock,
            detail,
        )
    return IndexLocked(
        f"Een ander git-programma is bezig in deze repository ({lock.path}).",
        "Wacht tot het klaar is (sluit bijvoorbeeld een andere git-app) en probeer het opnieuw.",
        lock,
        detail,
    )


class GitRepo:
    """A git repository at exactly ``root``; use as a context manager so GitPython is closed."""

    def __init__(self, root: Path, git_dir: Path, bare: bool, env: dict[str, str]) -> None:
        self.root, self.git_dir, self.bare = root, git_dir, bare
        self._env = env
        self._repo = git.Repo(str(git_dir if bare else root))
        self.lock = repo_lock(root)
        self.sleep: Callable[[float], None] = time.sleep
        self.git_running: Callable[[], bool] = git_process_running

    @classmethod
    def open(cls, path: str | Path) -> GitRepo:
        """Open the repository whose top folder is ``path``; never a parent repository."""
        root = Path(path).expanduser().resolve()
        if not root.is_dir():
            raise NotARepository(f"Map bestaat niet: {root}.", "Kies een bestaande map met kaarten.")
        out = cls._discover(
            root,
            "--is-bare-repository",
            "--path-format=absolute",
            "--absolute-git-dir",
            "--git-common-dir",
            "--git-path",
            "index",
            "--git-path",
            "objects",
        )
        bare_s, git_dir, common, index, objects = out.splitlines()[:5]
        bare = bare_s == "true"
        top = Path(git_dir) if bare else Path(cls._discover(root, "--show-toplevel").strip())
        if top.resolve() != root:
            raise NotARepository(
                f"{root} is zelf geen git-repository (git zou {top} gebruiken).",
                "Kaartenbak neemt geen bovenliggende repository over. Maak hier een eigen repository met "
                f"'git init' in {root}, of kloon de kaartenbak.",
            )
        env = {"GIT_DIR": git_dir, "GIT_INDEX_FILE": index, "GIT_OBJECT_DIRECTORY": objects, "GIT_COMMON_DIR": common}
        if not bare:
            env["GIT_WORK_TREE"] = str(root)
        return cls(root, Path(git_dir), bare, env)

    @staticmethod
    def _discover(root: Path, *args: str) -> str:
        try:
            with repo_lock(root):
                proc = subprocess.run(
                    [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "rev-parse", *args],
                    cwd=root,
                    env=_clean_env(),
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
        except (OSError, subprocess.SubprocessError) as exc:
            raise GitError("Git kan niet worden gestart.", "Installeer git en probeer het opnieuw.", str(exc)) from None
        if proc.returncode != 0:
            raise explain_error(proc.stderr or "not a git repository", root)
        return proc.stdout

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop GitPython's helper processes and drop its caches (it leaks in long-running apps)."""
        self._repo.close()

    def run(self, *args: str) -> str:
        """Run ``git ARGS`` (fixed list; paths only after ``--``) and return stdout; errors are GitError."""
        return str(self._execute(list(args), as_text=True))

    def run_bytes(self, *args: str) -> bytes:
        """``run`` returning raw stdout (file contents)."""
        out = self._execute(list(args), as_text=False)
        return out if isinstance(out, bytes) else str(out).encode("utf-8")

    def try_run(self, *args: str) -> str | None:
        """``run`` for questions git answers with a non-zero exit (unset config, detached HEAD)."""
        try:
            with self.lock:
                return str(self._repo.git.execute(["git", *args], env={**self._env, **_fixed_env()}))
        except git.GitCommandError:
            return None

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository without commits."""
        return self.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}") or None

    def _execute(self, args: list[str], as_text: bool) -> str | bytes:
        env = {**self._env, **_fixed_env()}
        delays = iter(LOCK_BACKOFF)
        while True:
            try:
                with self.lock:
                    out = self._repo.git.execute(
                        ["git", *args],
                        env=env,
                        kill_after_timeout=300,
                        stdout_as_string=as_text,
                        strip_newline_in_stdout=as_text,
                    )
                return out if isinstance(out, (str, bytes)) else str(out)
            except git.GitCommandError as exc:
                stderr = _stderr(exc)
                lock = self.index_lock()
                error = explain_error(stderr, self.root, lock)
                if isinstance(error, IndexLocked) and lock is not None and not lock.stale:
                    delay = next(delays, None)
                    if delay is not None:
                        self.sleep(delay)
                        continue
                raise error from None

    def relpath(self, path: str | Path) -> str:
        """``path`` (absolute, or relative to the root) as a repository-relative POSIX path; nothing outside."""
        p = Path(path)
        rel = Path(os.path.relpath((p if p.is_absolute() else self.root / p).resolve(), self.root))
        if not rel.parts or rel.parts[0] in ("..", ".git"):
            raise GitError(f"{path} ligt buiten de repository {self.root}.", "Kies een kaart in deze kaartenbak.")
        return rel.as_posix()

    def index_lock(self) -> IndexLock | None:
        """The index.lock file if there is one, with its age and whether git is running."""
        path = self.git_dir / "index.lock"
        try:
            return IndexLock(path, max(0.0, time.time() - path.stat().st_mtime), self.git_running())
        except OSError:
            return None

    def remove_stale_lock(self) -> bool:
        """Remove a stale index.lock after checking again; False when there was none."""
        lock = self.index_lock()
        if lock is None:
            return False
        if not lock.stale:
            raise lock_error(lock)
        try:
            lock.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise GitError(
                f"Kan {lock.path} niet verwijderen: {exc.strerror or exc}.", "Controleer de rechten van .git."
            ) from None
        return True

    def configured_identity(self) -> tuple[str, str]:
        """``(user.name, user.email)`` as git config has them ("" when unset): the one identity lookup."""
        return (
            self.try_run("config", "--get", "user.name") or "",
            self.try_run("config", "--get", "user.email") or "",
        )

    def state(self) -> RepoState:
        """Branch, HEAD, operation in progress, lock, conflicts and identity in one look."""
        branch = self.try_run("symbolic-ref", "--quiet", "--short", "HEAD")
        head = self.head()
        in_progress = next((op for name, op in _OPERATIONS if (self.git_dir / name).exists()), None)
        conflicted: tuple[str, ...] = ()
        if not self.bare:
            out = self.run("diff", "--name-only", "--diff-filter=U", "-z")
            conflicted = tuple(p for p in out.split("\0") if p)
        name, email = self.configured_identity()
        identity = (name, email) if name and email else None
        return RepoState(
            self.root, branch or None, head, in_progress, self.index_lock(), conflicted, self.bare, identity
        )


@dataclass(frozen=True)
class Notice:
    """A repository state the user should know about: what it means and the way forward."""

    code: str  # bare | empty | detached | merge | rebase | cherry-pick | revert | conflicts | lock | no-identity
    message: str
    advice: str
    blocks_commit: bool = True


_OPERATION_TEXT = {  # operation -> (what is going on, how to finish or abort it)
    op: (
        f"Er is een {name} bezig die nog niet is afgerond.",
        f"Ga verder met 'git {op} --continue' of breek af met 'git {op} --abort'.",
    )
    for op, name in (("rebase", "rebase"), ("cherry-pick", "cherry-pick"), ("revert", "revert"))
}
_OPERATION_TEXT["merge"] = (
    "Er is een samenvoeging (merge) bezig die nog niet is afgerond.",
    "Los de conflicten op met x in Kaartenbak (of met 'git add' en 'git commit'), of breek af met 'git merge --abort'.",
)


def explain_state(state: RepoState) -> list[Notice]:
    """Plain-Dutch notices for every hostile state, most blocking first; empty when all is well."""
    notes: list[Notice] = []
    if state.bare:
        notes.append(
            Notice(
                "bare",
                f"{state.root} is een kale (bare) repository zonder werkmap: hier staan geen kaartbestanden.",
                f"Kloon hem naar een gewone map ('git clone {state.root} kaarten') en open die map.",
            )
        )
    if state.in_progress:
        msg, advice = _OPERATION_TEXT[state.in_progress]
        notes.append(
            Notice(
                state.in_progress,
                msg + " Kaartenbak maakt nu geen nieuwe commits, om die bewerking niet te breken.",
                advice,
            )
        )
    if state.conflicted:
        notes.append(
            Notice(
                "conflicts",
                f"{len(state.conflicted)} bestand(en) hebben een onopgelost conflict: {', '.join(state.conflicted)}.",
                "Kies per kaart welke waarden blijven, sla op en rond de samenvoeging af.",
            )
        )
    if state.index_lock is not None:
        err = lock_error(state.index_lock)
        notes.append(Notice("lock", err.message, err.advice, blocks_commit=state.index_lock.stale))
    if state.detached and state.head:
        notes.append(
            Notice(
                "detached",
                f"Je bekijkt een losse versie ({state.head[:7]}), niet een tak: nieuwe versies zouden zoekraken.",
                "Ga terug naar je tak met 'git switch main' (of maak een tak: 'git switch -c NAAM').",
            )
        )
    if state.head is None and not state.bare:
        notes.append(
            Notice(
                "empty",
                "Deze repository heeft nog geen enkele versie.",
                "De eerste keer bewaren maakt de eerste versie.",
                blocks_commit=False,
            )
        )
    if state.identity is None and not state.bare:
        notes.append(
            Notice(
                "no-identity",
                "Git weet nog niet wie je bent (user.name en user.email ontbreken).",
                "Vul je naam en e-mailadres in; ze komen bij elke versie die je bewaart.",
            )
        )
    return notes


def explain(state: RepoState) -> list[Notice]:
    """Plain-Dutch notices (what it means, the way forward) for every hostile state; empty when all is well."""
    return explain_state(state)
