"""Named points in history ("Stuurgroep december 2026") as annotated git tags ``snapshot/<slug>``.

A snapshot is made from the *committed* state only, so everybody who fetches the tag sees the
same cards. The tag's message holds the human name on its first line and optional text after a
blank line; the tagger is the author. One naming scheme: the slug starts with the year and month
found in the name (``Stuurgroep december 2026`` -> ``snapshot/2026-12-stuurgroep``), else it is
the name slugified. Refusals are :class:`SnapshotError` with a ``code`` (``core.snapshot.<code>``
in ``tui/locale``) and ``params``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tui.core.cards.slug import slugify
from tui.core.git.gitrepo import GitError, GitRepo
from tui.core.git.status import changed_files
from tui.core.language import phrase

PREFIX = "snapshot/"
REF_PREFIX = f"refs/tags/{PREFIX}"
MAX_NAME = 120
_MONTHS = {
    **{m: i for i, m in enumerate(("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                   "september", "oktober", "november", "december"), 1)},
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                                   "dec"), 1)},
    "mar": 3, "may": 5, "oct": 10, "sept": 9,
}  # fmt: skip
_YEAR = re.compile(r"(19|20)\d\d")
_SEP = "\x1f"


class SnapshotError(GitError):
    """A snapshot that cannot be made or found: ``code`` and ``params`` for ``tui/locale``.

    Codes: ``dirty`` (files, count), ``exists`` (name, tag), ``no_identity``, ``empty``,
    ``bad_name`` (name), ``unknown`` (name).
    """

    def __init__(self, code: str, **params: object) -> None:
        self.code = f"snapshot.{code}"
        self.params = params
        super().__init__(phrase(self.code, params), phrase(f"{self.code}_advice", params))


@dataclass(frozen=True)
class Snapshot:
    """One named snapshot: its human name, tag, commit, when and by whom, its text and card count."""

    name: str
    tag: str
    commit: str
    date: datetime
    author: str
    message: str
    cards: int


def snapshot_slug(name: str) -> str:
    """The tag part after ``snapshot/``: year and month first when the name has them, else the slug."""
    words = [w for w in slugify(name).replace(".", "-").split("-") if w]
    year = next((w for w in words if _YEAR.fullmatch(w)), None)
    if year is None:
        return "-".join(words) or "snapshot"
    rest = [w for w in words if w != year]
    month = next((w for w in rest if w in _MONTHS), None)
    if month is not None:
        rest.remove(month)
        return "-".join([year, f"{_MONTHS[month]:02d}", *rest])
    return "-".join([year, *rest])


def _check_name(name: str) -> str:
    clean = (name or "").strip()
    if not clean or len(clean) > MAX_NAME or any(ch in clean for ch in "\r\n\0"):
        raise SnapshotError("bad_name", name=clean[:MAX_NAME])
    return clean


def _cards_at(repo: GitRepo, commit: str) -> int:
    out = repo.run("ls-tree", "-r", "-z", "--name-only", commit, "--", "cards")
    return sum(1 for p in out.split("\0") if p.endswith(".toml"))


def list_snapshots(repo: GitRepo) -> list[Snapshot]:
    """Every ``snapshot/*`` tag, oldest first (by tag date, then tag name)."""
    fmt = _SEP.join(
        (
            "%(refname)",
            "%(objecttype)",
            "%(objectname)",
            "%(*objectname)",
            "%(creatordate:iso-strict)",
            "%(taggername)",
            "%(committername)",
            "%(contents)",
        )
    )
    out = repo.run("for-each-ref", f"--format={fmt}%00", REF_PREFIX.rstrip("/"))
    found: list[Snapshot] = []
    for record in out.split("\0"):
        record = record.lstrip("\n")
        if not record:
            continue
        parts = record.split(_SEP, 7)
        if len(parts) < 8:
            continue
        ref, kind, obj, peeled, date, tagger, committer, contents = parts
        commit = peeled if kind == "tag" else obj
        if not commit or repo.try_run("cat-file", "-t", commit) != "commit":
            continue  # a tag of a tree or blob is no snapshot
        tag = ref.removeprefix("refs/tags/")
        lines = contents.strip("\n").split("\n") if kind == "tag" else []
        title = lines[0].strip() if lines and lines[0].strip() else tag.removeprefix(PREFIX)
        message = "\n".join(lines[1:]).strip()
        try:
            when = datetime.fromisoformat(date)
        except ValueError:
            when = datetime.fromtimestamp(0).astimezone()
        found.append(Snapshot(title, tag, commit, when, tagger or committer, message, _cards_at(repo, commit)))
    return sorted(found, key=lambda s: (s.date, s.tag))


def latest_snapshot(repo: GitRepo) -> Snapshot | None:
    """The newest snapshot, or None when there is none."""
    snaps = list_snapshots(repo)
    return snaps[-1] if snaps else None


def find_snapshot(repo: GitRepo, ref: str) -> Snapshot | None:
    """The snapshot named ``ref``: its human name (any case), its tag, or the slug after ``snapshot/``."""
    want = ref.strip()
    for snap in reversed(list_snapshots(repo)):
        if want in (snap.tag, snap.tag.removeprefix(PREFIX)) or snap.name.casefold() == want.casefold():
            return snap
    return None


def create_snapshot(repo: GitRepo, name: str, message: str = "") -> Snapshot:
    """Tag the committed state (HEAD) as the snapshot ``name``; refuses uncommitted cards and name clashes."""
    clean = _check_name(name)
    head = repo.head()
    if head is None:
        raise SnapshotError("empty")
    who, email = repo.configured_identity()
    if not who or not email:
        raise SnapshotError("no_identity")
    dirty = changed_files(repo)
    if dirty:
        shown = ", ".join(f.path for f in dirty[:5]) + (" …" if len(dirty) > 5 else "")
        raise SnapshotError("dirty", files=shown, count=len(dirty))
    tag = PREFIX + snapshot_slug(clean)
    if repo.try_run("check-ref-format", f"refs/tags/{tag}") is None:
        raise SnapshotError("bad_name", name=clean)
    if repo.try_run("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}") or any(
        s.name.casefold() == clean.casefold() for s in list_snapshots(repo)
    ):
        raise SnapshotError("exists", name=clean, tag=tag)
    text = clean + (f"\n\n{message.strip()}" if message.strip() else "")
    repo.run("tag", "-a", "--cleanup=whitespace", "-m", text, "--", tag, head)
    made = next((s for s in list_snapshots(repo) if s.tag == tag), None)
    if made is None:  # pragma: no cover - git made the tag but cannot list it
        raise SnapshotError("unknown", name=clean)
    return made
