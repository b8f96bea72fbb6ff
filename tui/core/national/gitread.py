"""Fast, read-only git plumbing for the national database: one ``git log --raw`` and one ``cat-file --batch``.

Reading a repository's card history costs two git processes however many commits and cards there
are: ``git log -z --raw`` names every blob that changed, ``git cat-file --batch`` streams them all.
Calls run with a fixed argument list, no prompts, ``LC_ALL=C`` and without inherited
``GIT_DIR``/``GIT_WORK_TREE``/``GIT_INDEX_FILE`` (RELIABILITY 31).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ZERO = "0" * 40
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
_HEADER_FIELDS = 6  # hash, parents, author name, author email, author date, message
LOG_FORMAT = "%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%B"


class GitReadError(Exception):
    """A git command failed: the command and git's own words."""

    def __init__(self, args: Iterable[str], stderr: str) -> None:
        self.args_used = list(args)
        self.stderr = stderr.strip()
        super().__init__(f"git {' '.join(self.args_used)}: {self.stderr}")


@dataclass(frozen=True)
class Change:
    """One card file changed by a commit: blob before (``ZERO`` when added) and after (``ZERO`` when deleted)."""

    path: str
    old: str
    new: str


@dataclass
class Commit:
    """A commit as ``git log`` reports it, with the card files it changed."""

    hash: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # ISO 8601 with offset (author date)
    message: str
    changes: list[Change] = field(default_factory=list)


def git_env() -> dict[str, str]:
    """The environment for every git call here: nothing inherited can point git elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANGUAGE": "C", "GIT_OPTIONAL_LOCKS": "0"})
    return env


class GitReader:
    """Read-only git calls in one repository folder (a work tree's top or a bare repository)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = git_env()
        self.processes = 0  # git processes started (the bench and tests read it)

    def run(self, *args: str, check: bool = True) -> bytes:
        """``git ARGS`` → stdout bytes; a non-zero exit raises GitReadError (unless ``check`` is false)."""
        self.processes += 1
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env, capture_output=True, timeout=600)
        if check and proc.returncode != 0:
            raise GitReadError(args, proc.stderr.decode("utf-8", "replace"))
        return proc.stdout if proc.returncode == 0 else b""

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository without commits."""
        out = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).decode().strip()
        return out or None

    def is_ancestor(self, old: str, new: str) -> bool:
        """Whether ``old`` is still in the history of ``new`` (false after a rewrite or when ``old`` is gone)."""
        self.processes += 1
        proc = subprocess.run(
            ["git", "merge-base", "--is-ancestor", old, new], cwd=self.root, env=self.env, capture_output=True
        )
        return proc.returncode == 0

    def remote_url(self) -> str:
        """The ``origin`` remote's URL, or empty."""
        return self.run("config", "--get", "remote.origin.url", check=False).decode("utf-8", "replace").strip()

    def tree(self, commit: str, prefix: str) -> dict[str, str]:
        """``path → blob id`` of every file under ``prefix`` in ``commit``."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix)
        files: dict[str, str] = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            _mode, kind, blob = meta.decode().split()
            if kind == "blob":
                files[path.decode("utf-8", "surrogateescape")] = blob
        return files

    def dirty_paths(self, prefix: str) -> int:
        """How many files under ``prefix`` differ from HEAD in the work tree (0 for a bare repository)."""
        out = self.run("status", "--porcelain", "-z", "--untracked-files=all", "--", prefix, check=False)
        return sum(1 for entry in out.split(b"\0") if len(entry) > 3 and entry[2:3] == b" ")

    def log(self, revisions: str, prefix: str) -> list[Commit]:
        """Commits in ``revisions`` that touch ``prefix``, oldest first, each with its changed files.

        A merge lists only the files that differ from every parent (``dense-combined``): a clean merge
        adds no version of a card (its side branch's commits already did), a resolved conflict does.
        The change of a merge is read against its first parent.
        """
        return self.start_log(revisions, prefix).result()

    def has_merges(self, revisions: str) -> bool:
        """Whether ``revisions`` hold a merge commit (a walk of the commits only, no diffs)."""
        return bool(self.run("rev-list", "--min-parents=2", "--max-count=1", revisions).strip())

    def start_log(self, revisions: str, prefix: str | None) -> RunningLog:
        """``log`` started in the background (its output goes to a temporary file): ``result()`` waits for it.

        ``prefix`` None: every commit with every changed file (no path limiting, about half the
        work for git); the caller keeps what it needs. Only equivalent to a ``prefix`` for a history
        without merges, where path limiting drops exactly the commits that change nothing under it.
        """
        args = [
            "log",
            "--reverse",
            "--date-order",
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--diff-merges=dense-combined",
            f"--format={LOG_FORMAT}",
            revisions,
            *(("--", prefix) if prefix is not None else ()),
        ]
        self.processes += 1
        return RunningLog(self, args)

    def blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The contents of many blobs through one ``git cat-file --batch``."""
        wanted = sorted({i for i in ids if i and i != ZERO})
        if not wanted:
            return {}
        self.processes += 1
        proc = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.root,
            env=self.env,
            input=("\n".join(wanted) + "\n").encode(),
            capture_output=True,
            timeout=600,
        )
        if proc.returncode != 0:
            raise GitReadError(["cat-file", "--batch"], proc.stderr.decode("utf-8", "replace"))
        return dict(_parse_batch(proc.stdout))


class RunningLog:
    """A ``git log`` running beside other work; ``result()`` waits and parses, ``close()`` ends it early."""

    def __init__(self, reader: GitReader, args: list[str]) -> None:
        self.args = args
        self.out, self.err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        try:
            self.proc = subprocess.Popen(
                ["git", *args],
                cwd=reader.root,
                env=reader.env,
                stdin=subprocess.DEVNULL,
                stdout=self.out,
                stderr=self.err,
            )
        except BaseException:
            self._close_files()
            raise

    def result(self) -> list[Commit]:
        try:
            code = self.proc.wait(timeout=600)
            if code != 0:
                self.err.seek(0)
                raise GitReadError(self.args, self.err.read().decode("utf-8", "replace"))
            self.out.seek(0)
            return list(parse_log(self.out.read()))
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()

    def _close_files(self) -> None:
        self.out.close()
        self.err.close()


def _parse_batch(out: bytes) -> Iterator[tuple[str, bytes]]:
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode()
        pos = end + 1
        parts = header.split()
        if len(parts) == 2 and parts[1] == "missing":
            continue
        sha, _kind, size = parts[0], parts[1], int(parts[2])
        yield sha, out[pos : pos + size]
        pos += size + 1  # the content is followed by a newline


def parse_log(out: bytes) -> Iterator[Commit]:
    """Commits from ``git log -z --raw --format=LOG_FORMAT`` output."""
    tokens = out.split(b"\0")
    i, n = 0, len(tokens)
    current: Commit | None = None
    while i < n:
        token = tokens[i]
        stripped = token.lstrip(b"\n")
        if stripped.startswith(b"\x1e") and i + _HEADER_FIELDS <= n:
            if current is not None:
                yield current
            head = [t.decode("utf-8", "replace") for t in tokens[i : i + _HEADER_FIELDS]]
            current = Commit(
                hash=head[0].lstrip("\n")[1:],
                parents=tuple(head[1].split()),
                author=head[2],
                email=head[3],
                date=head[4],
                message=head[5].rstrip("\n"),
            )
            i += _HEADER_FIELDS
            continue
        if stripped.startswith(b":") and current is not None and i + 1 < n:
            colons = len(stripped) - len(stripped.lstrip(b":"))
            fields = stripped[colons:].decode().split()
            # ":old new oldsha newsha S" or, for a merge, "::m1 m2 new sha1 sha2 new SS"
            shas = fields[colons + 1 : 2 * colons + 2]
            path = tokens[i + 1].decode("utf-8", "surrogateescape")
            current.changes.append(Change(path=path, old=shas[0], new=shas[-1]))
            i += 2
            continue
        i += 1
    if current is not None:
        yield current
