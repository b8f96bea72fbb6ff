"""Snapshot tags (``refs/tags/snapshot/*``) travel with sync: fetched beside the branch, pushed after it.

Fetched tags land in a private mirror (``refs/kaartenbak/snapshots/<remote>/*``) first, so a
remote tag never overwrites a local one: a snapshot that only the remote has is adopted, a
snapshot with the same tag but another object on both sides stays as it is here (and is not
pushed). Local snapshots the remote lacks are pushed without force after the branch.
"""

from __future__ import annotations

from tui.core.git.gitrepo import GitRepo

TAGS = "refs/tags/snapshot/"


def mirror(remote: str) -> str:
    """Where the remote's snapshot tags are kept after a fetch."""
    return f"refs/kaartenbak/snapshots/{remote}/"


def fetch_refspec(remote: str) -> str:
    """The refspec that fetches the remote's snapshot tags into the mirror."""
    return f"+{TAGS}*:{mirror(remote)}*"


def _refs(repo: GitRepo, prefix: str) -> dict[str, str]:
    out = repo.try_run("for-each-ref", "--format=%(objectname) %(refname)", prefix.rstrip("/")) or ""
    refs: dict[str, str] = {}
    for line in out.splitlines():
        obj, _, ref = line.partition(" ")
        if ref.startswith(prefix):
            refs[ref.removeprefix(prefix)] = obj
    return refs


def adopt(repo: GitRepo, remote: str) -> list[str]:
    """Create local tags for the snapshots only the remote has; returns their names."""
    local = _refs(repo, TAGS)
    made = []
    for name, obj in _refs(repo, mirror(remote)).items():
        if name not in local and repo.try_run("update-ref", f"{TAGS}{name}", obj, "") is not None:
            made.append(name)
    return made


def to_push(repo: GitRepo, remote: str) -> list[str]:
    """Refspecs for the local snapshots the remote does not have (as of the last fetch)."""
    theirs = _refs(repo, mirror(remote))
    return [f"{TAGS}{name}:{TAGS}{name}" for name in sorted(_refs(repo, TAGS)) if name not in theirs]


def pushed(repo: GitRepo, remote: str, refspecs: list[str]) -> None:
    """Record in the mirror that ``refspecs`` reached the remote."""
    for spec in refspecs:
        ref = spec.partition(":")[0]
        obj = repo.try_run("rev-parse", "--verify", "--quiet", ref)
        if obj:
            repo.try_run("update-ref", mirror(remote) + ref.removeprefix(TAGS), obj)
