"""Atomic, durable file writes with plain-language errors.

A card is never half-written: the new bytes go to a temp file in the same folder, are
fsynced, and replace the old file with ``os.replace``; then the folder is fsynced so the
rename survives a power cut. Any failure leaves the old file untouched.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".kaartenbak-tmp"


class WriteError(Exception):
    """A write that did not happen, explained for the user; the old file is unchanged."""

    def __init__(self, message: str, path: Path, *, disk_full: bool = False, read_only: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.disk_full = disk_full
        self.read_only = read_only


def explain(exc: OSError, path: Path) -> WriteError:
    """Turn an OSError from a write into a WriteError with a Dutch message naming the path."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(
            f"Schijf vol: je wijzigingen zijn niet geschreven naar {path}. "
            "Ze staan nog in de editor en in het conceptbestand.",
            path,
            disk_full=True,
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return WriteError(
            f"Kan niet schrijven naar {path}: alleen-lezen of geen toestemming. "
            "Je wijzigingen staan nog in de editor en in het conceptbestand; bewaar eventueel een kopie elders.",
            path,
            read_only=True,
        )
    return WriteError(f"Schrijven naar {path} mislukt: {exc.strerror or exc}", path)


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
    """Replace ``path`` with ``data`` atomically and durably, or raise WriteError."""
    folder = path.parent
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            try:
                os.chmod(tmp_name, path.stat().st_mode & 0o777)
            except OSError:
                pass
        _replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise explain(exc, path) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
