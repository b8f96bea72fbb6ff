"""Joining a region: clone its cards repository and set it up as ``kaartenbak init`` does.

``clone_repo`` runs ``git clone`` (never prompting for a password: a URL that needs one fails
with a clear code), then registers the merge and diff drivers and their attributes through
``init_repo`` (per clone, untracked), and says whether git knows who the user is.
Errors carry ``code`` (``core.clone.<code>`` in tui/locale) and ``params``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.git.gitrepo import GitRepo
from tui.core.git.identity import Identity, read_identity
from tui.core.git.init_repo import InitError, init_repo

_GIT_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")
_OFFLINE = (
    "could not resolve host",
    "unable to access",
    "network is unreachable",
    "connection refused",
    "connection timed out",
    "operation timed out",
    "failed to connect",
    "could not read from remote repository",
    "temporary failure in name resolution",
    "no route to host",
)
_BAD_URL = (
    "does not appear to be a git repository",
    "repository not found",
    "not found",
    "does not exist",
    "not a git repository",
    "unable to find remote helper",
    "is not a valid",
)


class CloneError(Exception):
    """Cloning failed: a code (``core.clone.<code>``), parameters and git's own words in ``detail``."""

    def __init__(self, code: str, detail: str = "", **params: object) -> None:
        self.code, self.params, self.detail = code, params, detail
        super().__init__(f"{code} {params}")


@dataclass
class CloneReport:
    """What ``clone_repo`` did: where the clone is, what was set up, who git thinks the user is."""

    root: Path
    done: list[str] = field(default_factory=list)
    identity: Identity | None = None
    has_cards: bool = True


def folder_for(url: str) -> str:
    """The folder ``git clone`` would choose: the last part of the URL without ``.git``."""
    tail = re.split(r"[/:\\]", url.rstrip("/\\"))[-1]
    tail = tail[:-4] if tail.endswith(".git") else tail
    return tail or "kaartenbak"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROP}
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password nobody sees
    env["GIT_ASKPASS"] = "true"
    env["SSH_ASKPASS"] = "true"
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=20")
    return env


def _classify(stderr: str) -> str:
    low = stderr.lower()
    if any(s in low for s in _OFFLINE) and not any(s in low for s in _BAD_URL[:2]):
        return "offline"
    if any(s in low for s in _BAD_URL):
        return "bad_url"
    return "failed"


def clone_repo(
    url: str, dest: Path | None = None, *, program: str | None = None, cwd: Path | None = None
) -> CloneReport:
    """Clone ``url`` into ``dest`` (default: a folder named after the URL) and set it up for Kaartenbak."""
    if not url.strip() or url.startswith("-"):
        raise CloneError("bad_url", url=url)
    base = cwd or Path.cwd()
    root = (dest if dest is not None else base / folder_for(url)).expanduser()
    root = root if root.is_absolute() else (base / root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise CloneError("dest_not_empty", path=str(root))
    created = not root.exists()
    try:
        done = subprocess.run(
            ["git", "clone", "--quiet", "--", url, str(root)],
            cwd=base,
            env=_env(),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise CloneError("no_git") from None
    if done.returncode != 0:
        if created and root.exists():
            shutil.rmtree(root, ignore_errors=True)  # git leaves nothing, but a killed clone may
        detail = (done.stderr or done.stdout).strip()
        raise CloneError(_classify(detail), detail, url=url)
    report = CloneReport(root=root.resolve())
    report.done.append(f"git clone {url}")
    try:
        report.done.extend(init_repo(report.root, program=program).done)
    except InitError as exc:
        raise CloneError("setup_failed", str(exc), path=str(root)) from None
    report.has_cards = (report.root / "cards").is_dir()
    with GitRepo.open(report.root) as repo:
        report.identity = read_identity(repo)
    return report
