"""One cards repository seen through git: opened safely, its state read, git's errors explained.

Every git call goes through GitPython's command wrapper with a fixed argument list, no prompts,
``LC_ALL=C`` and an environment that inherited ``GIT_DIR``/``GIT_WORK_TREE``/``GIT_INDEX_FILE``
cannot redirect: GitPython cannot *remove* variables, so they are overridden with what git itself
discovered for this folder in a clean environment. A parent repository is never adopted.

Speed (issue #17): a plain repository (a ``.git`` folder owned by this user, no worktree or
include tricks in its config) is opened from its files without starting git, and the state a
commit needs (branch, HEAD, conflicts) is read from ``.git/HEAD``, the refs and the index where
their format is the plain one; anything unusual falls back to asking git. ``GIT_CALLS`` hooks see
every git process this module starts (tests count them).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TypeVar, cast

import git

from tui.core.cards.text import visible
from tui.core.language import phrase

STALE_AFTER = 600.0  # seconds before an index.lock with no git process is called stale
LOCK_BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.5, 0.75)  # ~2 s in all for a fresh index.lock
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
GIT_CALLS: list[Callable[[tuple[str, ...]], None]] = []  # called with the arguments of every git process started here
_HEX = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_OPERATIONS = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
)


class GitError(Exception):
    """A git problem explained in plain words: what happened and what the user can do.

    Errors made here carry ``code`` (``git.<name>``; words in ``core.git.<name>`` and
    ``core.git.<name>_advice`` of ``tui/locale``) and ``params``; ``message`` and ``advice`` are
    those phrased in the display language when the error was made. ``detail`` is git's own text.
    """

    code: str = ""
    params: dict[str, object]

    def __init__(self, message: str, advice: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message, self.advice, self.detail = message, advice, detail
        if not hasattr(self, "params"):  # a subclass may have set its own before calling this
            self.params = {}

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


E = TypeVar("E", bound=GitError)


def git_words(code: str, params: dict[str, object], advice: bool = True) -> tuple[str, str]:
    """(message, advice) of ``core.git.<code>`` in the display language; advice "" when there is none."""
    return phrase(f"git.{code}", params), phrase(f"git.{code}_advice", params) if advice else ""


def coded(cls: type[E], code: str, detail: str = "", *, advice: bool = True, **params: object) -> E:
    """A ``cls`` error whose words are ``core.git.<code>`` (and ``<code>_advice``), with code and params set."""
    message, words = git_words(code, params, advice)
    error = cls(message, words, detail)
    error.code, error.params = f"git.{code}", dict(params)
    return error


def unmerged_paths(index: Path) -> tuple[str, ...] | None:
    """Paths with an unmerged entry (stage 1–3) in a version 2/3 index file; None when unsure.

    Reads git's index format directly (header, fixed 62-byte entries with sha1 ids, NUL-padded
    names, then extensions and the sha1 checksum, which is checked). Anything else — version 4, a
    split index (``link``), sha256, a checksum that does not match (damage) — is None, and the caller
    asks git. No index file: nothing staged.
    """
    try:
        data = index.read_bytes()
    except FileNotFoundError:
        return ()
    except OSError:
        return None
    if len(data) < 32 or data[:4] != b"DIRC" or hashlib.sha1(data[:-20]).digest() != data[-20:]:
        return None  # not an index, damaged, or sha256/skipHash: git says what it is
    version, count = int.from_bytes(data[4:8], "big"), int.from_bytes(data[8:12], "big")
    if version not in (2, 3):
        return None
    end, off = len(data) - 20, 12
    found: dict[str, None] = {}
    try:
        for _ in range(count):
            flags = (data[off + 60] << 8) | data[off + 61]
            ext = 2 if version == 3 and flags & 0x4000 else 0
            start = off + 62 + ext
            size = flags & 0xFFF
            if size == 0xFFF:
                size = data.index(b"\0", start) - start
            if flags & 0x3000:
                found[data[start : start + size].decode("utf-8", "replace")] = None
            off += (62 + ext + size + 8) & ~7
        while off + 8 <= end:  # extensions: a split index keeps its entries elsewhere
            if data[off : off + 4] == b"link":
                return None
            off += 8 + int.from_bytes(data[off + 4 : off + 8], "big")
    except (IndexError, ValueError):
        return None
    return tuple(found) if off == end else None


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


@contextlib.contextmanager
def _stdin(data: bytes | None) -> Iterator[BinaryIO | None]:
    """A readable file holding ``data`` for a child's stdin (a pipe when it fits, else a temporary file)."""
    if data is None:
        yield None
        return
    if len(data) <= 32_768:  # well inside a pipe's buffer: written before git starts, no deadlock
        r, w = os.pipe()
        with os.fdopen(w, "wb") as writer:
            writer.write(data)
        with os.fdopen(r, "rb") as reader:
            yield reader
        return
    with tempfile.TemporaryFile() as tmp:
        tmp.write(data)
        tmp.seek(0)
        yield tmp


def _bytes(out: object) -> bytes:
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


def _note(args: list[str] | tuple[str, ...]) -> None:
    for hook in GIT_CALLS:
        hook(tuple(args))


_NOT_FALSE = re.compile(r"(?im)^\s*bare\b(?!\s*=\s*false\s*$)")
_UNUSUAL = re.compile(r"(?im)^\s*(?:worktree\b|\[\s*include|objectformat\b|refstorage\b)")


def _plain_git_dir(root: Path) -> Path | None:
    """``root/.git`` when it is a plain repository git would open the same way, None when unsure.

    Git itself is asked (``rev-parse``) for anything else: a ``.git`` file (worktree, submodule),
    a bare repository, a folder owned by someone else (git's ``safe.directory`` check), config that
    moves the work tree or includes other files, sha256 or reftable repositories.
    """
    dot = root / ".git"
    try:
        st_dot, st_root = os.lstat(dot), os.lstat(root)
        if not stat.S_ISDIR(st_dot.st_mode):
            return None
        uid = os.geteuid() if hasattr(os, "geteuid") else -1
        if uid < 0 or (uid == 0 and os.environ.get("SUDO_UID")) or st_dot.st_uid != uid or st_root.st_uid != uid:
            return None
        if (dot / "commondir").exists() or (dot / "config.worktree").exists():
            return None
        if not (dot / "objects").is_dir() or not (dot / "refs").is_dir():
            return None
        head = (dot / "HEAD").read_bytes()[:300].decode("ascii")
        config = (dot / "config").read_text(encoding="utf-8", errors="replace")
    except (OSError, UnicodeDecodeError):
        return None
    if not (head.startswith("ref: refs/") or _HEX.fullmatch(head.strip())):
        return None
    if _NOT_FALSE.search(config) or _UNUSUAL.search(config):
        return None
    return dot


def explain_error(stderr: str, where: Path | None = None, lock: IndexLock | None = None) -> GitError:
    """Turn git's stderr into a GitError in the display language (the raw text is kept in ``detail``)."""
    text, low = stderr.strip(), stderr.strip().lower()
    place = str(where) if where else phrase("git.this_folder", {})
    if "dubious ownership" in low:
        return coded(DubiousOwnership, "dubious", text, place=place)
    if re.search(
        r"object file .* is empty|loose object .* is corrupt|corrupt|bad signature|index file smaller|"
        r"unable to read [0-9a-f]{40}|bad object|packfile .* cannot be accessed",
        low,
    ):
        return coded(CorruptRepository, "corrupt", text, place=place)
    if "index.lock" in low and ("file exists" in low or "unable to create" in low):
        if lock is None:
            lock = IndexLock(where / ".git" / "index.lock" if where else Path("index.lock"), 0.0, False)
        return lock_error(lock, text)
    if "not a git repository" in low:
        return coded(NotARepository, "not_a_repository", text, place=place)
    said = visible(text.splitlines()[-1]) if text else phrase("git.unknown", {})
    return coded(GitError, "failed", text, advice=False, text=said)


def lock_error(lock: IndexLock, detail: str = "") -> IndexLocked:
    """The explanation of a fresh or stale index.lock, in the display language."""
    code = "lock_stale" if lock.stale else "lock_busy"
    params: dict[str, object] = {"path": str(lock.path), "minutes": int(lock.age_seconds // 60)}
    error = IndexLocked(*git_words(code, params), lock, detail)
    error.code, error.params = f"git.{code}", params
    return error


class GitRepo:
    """A git repository at exactly ``root``; use as a context manager so GitPython is closed."""

    def __init__(self, root: Path, git_dir: Path, bare: bool, env: dict[str, str]) -> None:
        self.root, self.git_dir, self.bare = root, git_dir, bare
        self._env = env
        self.common_dir = Path(env.get("GIT_COMMON_DIR", str(git_dir)))
        self.index_file = Path(env["GIT_INDEX_FILE"]) if "GIT_INDEX_FILE" in env else git_dir / "index"
        self._git = git.Git(
            str(git_dir if bare else root)
        )  # the command wrapper only: a git.Repo reads config for nothing
        self.lock = repo_lock(root)
        self.sleep: Callable[[float], None] = time.sleep
        self.git_running: Callable[[], bool] = git_process_running

    @classmethod
    def open(cls, path: str | Path) -> GitRepo:
        """Open the repository whose top folder is ``path``; never a parent repository."""
        root = Path(path).expanduser().resolve()
        if not root.is_dir():
            raise coded(NotARepository, "no_folder", root=str(root))
        dot = _plain_git_dir(root)
        if dot is not None:  # what rev-parse would say for a plain repository, without starting git
            d = str(dot)
            plain = {"GIT_DIR": d, "GIT_INDEX_FILE": str(dot / "index"), "GIT_OBJECT_DIRECTORY": str(dot / "objects")}
            return cls(root, dot, False, {**plain, "GIT_COMMON_DIR": d, "GIT_WORK_TREE": str(root)})
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
            raise coded(NotARepository, "parent_repository", root=str(root), top=str(top))
        env = {"GIT_DIR": git_dir, "GIT_INDEX_FILE": index, "GIT_OBJECT_DIRECTORY": objects, "GIT_COMMON_DIR": common}
        if not bare:
            env["GIT_WORK_TREE"] = str(root)
        return cls(root, Path(git_dir), bare, env)

    @staticmethod
    def _discover(root: Path, *args: str) -> str:
        try:
            with repo_lock(root):
                _note(("rev-parse", *args))
                proc = subprocess.run(
                    [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "rev-parse", *args],
                    cwd=root,
                    env=_clean_env(),
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
        except (OSError, subprocess.SubprocessError) as exc:
            raise coded(GitError, "no_git", str(exc)) from None
        if proc.returncode != 0:
            raise explain_error(proc.stderr or "not a git repository", root)
        return proc.stdout

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop GitPython's helper processes and drop its caches (it leaks in long-running apps)."""
        self._git.clear_cache()

    def run(self, *args: str) -> str:
        """Run ``git ARGS`` (fixed list; paths only after ``--``) and return stdout; errors are GitError."""
        return str(self._execute(list(args), as_text=True))

    def run_bytes(self, *args: str) -> bytes:
        """``run`` returning raw stdout (file contents)."""
        return _bytes(self._execute(list(args), as_text=False))

    def run_input(self, args: list[str], data: bytes) -> bytes:
        """``run_bytes`` with ``data`` on git's stdin (``cat-file --batch`` requests).

        ``cat-file --batch`` reports a damaged object as "missing" and says why only on stderr,
        exiting 0: a stderr that explains a damaged or refused repository is raised all the same.
        """
        out = self._execute(args, as_text=False, stdin=data)
        assert isinstance(out, tuple)
        stdout, stderr = out
        if stderr.strip():
            error = explain_error(stderr.decode("utf-8", "replace"), self.root)
            if isinstance(error, (CorruptRepository, DubiousOwnership, NotARepository)):
                raise error
        return stdout

    def try_run(self, *args: str) -> str | None:
        """``run`` for questions git answers with a non-zero exit (unset config, detached HEAD)."""
        try:
            with self.lock:
                _note(args)
                return str(self._git.execute(["git", *args], env={**self._env, **_fixed_env()}))
        except git.GitCommandNotFound as exc:  # opening a plain repository did not need git; this does
            raise coded(GitError, "no_git", str(exc)) from None
        except git.GitCommandError:
            return None

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository without commits."""
        found = self.read_head()
        if found is not None:
            return found[1]
        return self.try_run("rev-parse", "--verify", "--quiet", "HEAD^{commit}") or None

    def branch(self) -> str | None:
        """The branch HEAD is on (short name), None when detached."""
        found = self.read_head()
        if found is not None:
            return found[0]
        return self.try_run("symbolic-ref", "--quiet", "--short", "HEAD") or None

    def read_head(self) -> tuple[str | None, str | None] | None:
        """(branch, commit) from ``HEAD`` and the refs files; None when only git can tell.

        Only the plain files backend: ``HEAD`` is ``ref: refs/heads/NAME`` (or a commit id when
        detached) and the branch is a loose ref file or a line of ``packed-refs`` (a loose ref wins,
        as in git); no branch in either is an unborn branch (no commits yet).
        """
        if self.bare:
            return None
        try:
            text = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if _HEX.fullmatch(text):
            return None, text
        if not text.startswith("ref: refs/heads/"):
            return None
        ref = text[5:]
        name = ref[len("refs/heads/") :]
        if not name or ".." in name or "\\" in name or name.endswith(("/", ".lock")) or "//" in name:
            return None
        try:
            loose = (self.common_dir / ref).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            loose = None
        except (OSError, UnicodeDecodeError):
            return None
        if loose is not None:
            return (name, loose) if _HEX.fullmatch(loose) else None
        try:
            packed = (self.common_dir / "packed-refs").read_text(encoding="utf-8")
        except FileNotFoundError:
            return name, None
        except (OSError, UnicodeDecodeError):
            return None
        for line in packed.splitlines():
            sha, _, refname = line.partition(" ")
            if refname == ref and _HEX.fullmatch(sha):
                return name, sha
        return name, None

    def conflicted(self) -> tuple[str, ...]:
        """Paths with unmerged entries in the index (read from the index file; git when unsure)."""
        found = unmerged_paths(self.index_file)
        if found is not None:
            return found
        out = self.run("diff", "--name-only", "--diff-filter=U", "-z")
        return tuple(p for p in out.split("\0") if p)

    def _execute(self, args: list[str], as_text: bool, stdin: bytes | None = None) -> str | bytes | tuple[bytes, bytes]:
        env = {**self._env, **_fixed_env()}
        delays = iter(LOCK_BACKOFF)
        while True:
            try:
                with self.lock, _stdin(stdin) as istream:
                    _note(args)
                    out = self._git.execute(
                        ["git", *args],
                        env=env,
                        istream=istream,
                        kill_after_timeout=300,
                        stdout_as_string=as_text,
                        strip_newline_in_stdout=as_text,
                        with_extended_output=stdin is not None,
                    )
                if stdin is not None:  # (status, stdout, stderr)
                    _, stdout, stderr = cast("tuple[int, object, object]", out)
                    return _bytes(stdout), _bytes(stderr)
                return out if isinstance(out, (str, bytes)) else str(out)
            except git.GitCommandNotFound as exc:
                raise coded(GitError, "no_git", str(exc)) from None
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
            raise coded(GitError, "outside", path=str(path), root=str(self.root))
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
            raise coded(GitError, "lock_remove", path=str(lock.path), error=exc.strerror or str(exc)) from None
        return True

    def configured_identity(self) -> tuple[str, str]:
        """``(user.name, user.email)`` as git config has them ("" when unset): the one identity lookup.

        One ``git config --get-regexp`` for both; the last value of a key wins, as with ``--get``.
        """
        out = self.try_run("config", "-z", "--get-regexp", r"^user\.(name|email)$") or ""
        found = {"user.name": "", "user.email": ""}
        for item in out.split("\0"):
            key, _, value = item.partition("\n")
            if key.lower() in found:
                found[key.lower()] = value
        return found["user.name"], found["user.email"]

    def state(self) -> RepoState:
        """Branch, HEAD, operation in progress, lock, conflicts and identity in one look."""
        read = self.read_head()
        branch, head = read if read is not None else (self.branch(), self.head())
        in_progress = next((op for name, op in _OPERATIONS if (self.git_dir / name).exists()), None)
        conflicted: tuple[str, ...] = () if self.bare else self.conflicted()
        name, email = self.configured_identity()
        identity = (name, email) if name and email else None
        return RepoState(
            self.root, branch or None, head, in_progress, self.index_lock(), conflicted, self.bare, identity
        )


@dataclass(frozen=True)
class Notice:
    """A repository state the user should know about: what it means and the way forward.

    ``message`` and ``advice`` are ``core.git.notice_<code>`` (and ``_advice``) in the display
    language, phrased with ``params``.
    """

    code: str  # bare | empty | detached | merge | rebase | cherry-pick | revert | conflicts | lock | no-identity
    message: str
    advice: str
    blocks_commit: bool = True
    params: tuple[tuple[str, object], ...] = ()


def _notice(code: str, words: str = "", blocks_commit: bool = True, **params: object) -> Notice:
    key = f"notice_{(words or code).replace('-', '_')}"
    return Notice(code, *git_words(key, params), blocks_commit=blocks_commit, params=tuple(params.items()))


def explain_state(state: RepoState) -> list[Notice]:
    """Notices in the display language for every hostile state, most blocking first; empty when all is well."""
    notes: list[Notice] = []
    if state.bare:
        notes.append(_notice("bare", root=str(state.root)))
    if state.in_progress:
        op = state.in_progress
        notes.append(_notice(op, "merge" if op == "merge" else "operation", operation=op))
    if state.conflicted:
        count = len(state.conflicted)
        notes.append(
            _notice(
                "conflicts",
                "conflicts_one" if count == 1 else "conflicts",
                count=count,
                files=", ".join(state.conflicted),
            )
        )
    if state.index_lock is not None:
        err = lock_error(state.index_lock)
        notes.append(Notice("lock", err.message, err.advice, state.index_lock.stale, tuple(err.params.items())))
    if state.detached and state.head:
        notes.append(_notice("detached", head=state.head[:7]))
    if state.head is None and not state.bare:
        notes.append(_notice("empty", blocks_commit=False))
    if state.identity is None and not state.bare:
        notes.append(_notice("no-identity"))
    return notes


def explain(state: RepoState) -> list[Notice]:
    """Notices (what it means, the way forward) for every hostile state; empty when all is well."""
    return explain_state(state)
