"""Atomic, durable file writes with plain-language errors.

A card is never half-written: the new bytes go to a temp file in the same folder, are
fsynced, and replace the old file with ``os.replace``; then the folder is fsynced so the
rename survives a power cut. Any failure leaves the old file untouched.

A file the user may not write (mode 0444, or not writable for this user) is never replaced:
renaming a temp file over it would ignore its own permissions. Temp files left behind by a
killed save carry one recognisable name (``.<name>.<random>.kaartenbak-tmp``) and are removed
by ``clean_interrupted_writes`` when a workspace opens.

Errors carry a ``code`` (``error.write.<what>``) and ``params`` that ``tui/locale`` phrases; the
exception's own text is the Dutch sentence, for logs and for callers that show ``str(exc)``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".kaartenbak-tmp"
# mkstemp(prefix=".<name>.", suffix=TEMP_SUFFIX): the random part is 8 characters of [a-z0-9_]
_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"$")
STALE_TEMP_SECONDS = 60.0


class WriteError(Exception):
    """A write that did not happen, explained for the user; the old file is unchanged.

    ``code`` names the reason for ``tui/locale`` (``error.write.disk_full``, ``error.write.read_only``,
    ``error.write.card_read_only``, ``error.write.exists``, ``error.write.unreadable``,
    ``error.write.failed``); ``params`` fill its placeholders (always ``path``).
    """

    def __init__(
        self,
        message: str,
        path: Path,
        *,
        disk_full: bool = False,
        read_only: bool = False,
        code: str = "error.write.failed",
        params: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.disk_full = disk_full
        self.read_only = read_only
        self.code = code
        self.params: dict[str, str] = {"path": str(path), **(params or {})}


def explain(exc: OSError, path: Path) -> WriteError:
    """Turn an OSError from a write into a WriteError with a Dutch message naming the path."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(
            f"Schijf vol: je wijzigingen zijn niet geschreven naar {path}. "
            "Ze staan nog in de editor en in het conceptbestand.",
            path,
            disk_full=True,
            code="error.write.disk_full",
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return WriteError(
            f"Kan niet schrijven naar {path}: alleen-lezen of geen toestemming. "
            "Je wijzigingen staan nog in de editor en in het conceptbestand; bewaar eventueel een kopie elders.",
            path,
            read_only=True,
            code="error.write.read_only",
        )
    reason = str(exc.strerror or exc)
    return WriteError(f"Schrijven naar {path} mislukt: {reason}", path, params={"reason": reason})


def read_only_file(path: Path) -> WriteError:
    """The error for a file whose own mode forbids writing (it is left as it is)."""
    return WriteError(
        f"{path} is alleen-lezen: Kaartenbak overschrijft het niet. "
        "Je wijzigingen staan nog in de editor en in het conceptbestand; bewaar een kopie elders "
        "of maak het bestand schrijfbaar.",
        path,
        read_only=True,
        code="error.write.card_read_only",
    )


def is_read_only(st: os.stat_result, path: Path) -> bool:
    """Whether a file's own permissions forbid writing it: no write bit at all (root too), or not for this user.

    A file on a read-only file system is not "read-only" here: writing it fails with EROFS,
    which ``explain`` phrases as a read-only disk.
    """
    if not (st.st_mode & 0o222):
        return True
    if os.access(path, os.W_OK):
        return False
    try:
        return not (os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): the file's permissions decide
        return True


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(src: str, dst: Path) -> None:
    """``os.replace``, retried for about two seconds where Windows reports the file busy."""
    deadline = time.monotonic() + 2.0
    while True:
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if os.name != "nt" or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably, or raise WriteError.

    Refuses (``error.write.card_read_only``) when ``path`` exists and its own mode says it is
    not to be written.
    """
    folder = path.parent
    tmp_name = None
    try:
        try:
            st: os.stat_result | None = path.stat()
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode) and is_read_only(st, path):
            raise read_only_file(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, st.st_mode & 0o777)
        _replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise explain(exc, path) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def is_interrupted_write(name: str) -> bool:
    """Whether a file name is one of Kaartenbak's own temp files (``.<name>.<random>.kaartenbak-tmp``)."""
    return bool(_TEMP_NAME.match(name))


def clean_interrupted_writes(folder: Path, *, min_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove temp files of saves that were killed, under ``folder`` (recursively); returns what went.

    Only Kaartenbak's own temp-name pattern is touched, and only files older than ``min_age``
    seconds, so a save running right now in another Kaartenbak is left alone. Problems
    (unreadable folders, a file that vanished) are skipped silently: this is housekeeping.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    stack = [str(folder)]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != ".git":
                            stack.append(entry.path)
                        continue
                    if not is_interrupted_write(entry.name):
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                        if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < min_age:
                            continue
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
                    except OSError:
                        continue
        except OSError:
            continue
    return sorted(removed)
