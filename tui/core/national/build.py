"""Build (and bring up to date) one SQLite database from the card history of one or more region repositories.

Per repository the build reads only the commits it has not seen (``sources.head`` is the last one
read): one ``git log --raw`` lists the card files each new commit changed, one ``git cat-file
--batch`` brings all those versions, and the current cards are the files of HEAD's tree. So the
database holds **committed** cards only, each row traceable to a commit; uncommitted edits in a
work tree are counted (``SourceReport.uncommitted``) and left out. A repository whose history was
rewritten since the last run (the old head is no longer an ancestor) is read again from scratch.

The whole run is one transaction: a failure leaves the database as it was. A new database is
built in a temporary file beside the target and renamed when whole (see ``build``). From scratch,
every distinct version is parsed once, on every core (``parse``), and the rows go in with one
``executemany`` per table where the order allows it.
"""

from __future__ import annotations

import contextlib
import os
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.cards.schema import Schema, SchemaError
from tui.core.paths import schema_dir
from tui.core.national.gitread import ZERO, GitReader, GitReadError
from tui.core.national.parse import Parser
from tui.core.national.rows import Blobs, known_blobs, write_cards, write_history
from tui.core.national.schema import APPLICATION_ID, DDL, FUTURE_DDL, OUR_TABLES, SCHEMA_VERSION

CARDS_PREFIX = "cards/"
PARTIAL_SUFFIX = ".building"  # a new database while it is being built (renamed when whole)
DEFAULT_TIMEOUT = 5.0  # seconds to wait for another writer before calling the database locked
Progress = Callable[[str, int], None]  # (repository, new commits about to be read)


class NationalError(Exception):
    """A problem building the national database: a ``code`` (``national.error.<code>`` in tui/locale) and parameters."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(f"{code}: {params}")


@dataclass
class SourceReport:
    """What one run did with one repository."""

    repo: Path
    head: str
    region: str = ""
    commits_read: int = 0
    versions: int = 0
    cards: int = 0
    cards_changed: int = 0
    rebuilt: bool = False  # the history was rewritten: the repository was read again from scratch
    uncommitted: int = 0  # card files that differ from HEAD in the work tree (not in the database)
    skipped: list[str] = field(default_factory=list)  # card files at HEAD that could not be read
    git_processes: int = 0
    seconds: float = 0.0


@dataclass
class BuildReport:
    """What one run did: per repository, plus the database it wrote."""

    db: Path
    created: bool
    sources: list[SourceReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def commits_read(self) -> int:
        return sum(s.commits_read for s in self.sources)

    @property
    def cards(self) -> int:
        return sum(s.cards for s in self.sources)


# -- checking the inputs before anything is written ------------------------------------------


def check_source(path: str | Path) -> Path:
    """The repository's top folder, after checking it is a kaartenbak repository with committed cards."""
    root = Path(path).expanduser()
    if not root.is_dir():
        raise NationalError("not_a_repo", path=str(root), reason="missing")
    root = root.resolve()
    reader = GitReader(root)
    try:
        bare = reader.run("rev-parse", "--is-bare-repository", check=False).decode().strip()
        top = "" if bare != "false" else reader.run("rev-parse", "--show-toplevel", check=False).decode().strip()
    except OSError as exc:
        raise NationalError("git_failed", path=str(root), reason=str(exc)) from None
    if bare not in ("true", "false"):
        raise NationalError("not_a_repo", path=str(root), reason="not_git")
    if bare == "true" and Path(reader.run("rev-parse", "--absolute-git-dir").decode().strip()).resolve() != root:
        raise NationalError("not_a_repo", path=str(root), reason="parent")  # a folder inside a bare repository
    if bare == "false" and (not top or Path(top).resolve() != root):
        raise NationalError("not_a_repo", path=str(root), reason="parent")
    head = reader.head()
    if head is None:
        raise NationalError("no_commits", path=str(root))
    if not reader.tree(head, CARDS_PREFIX):
        raise NationalError("not_a_repo", path=str(root), reason="no_cards")
    return root


def _check_target(db: Path) -> None:
    if db.is_dir():
        raise NationalError("unwritable", path=str(db), reason="is_dir")
    if not db.parent.is_dir():
        raise NationalError("unwritable", path=str(db), reason="no_folder")


def _locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _cannot_write(exc: sqlite3.OperationalError) -> bool:
    """SQLite's words for a file or disk that cannot take the write (read-only, full, I/O error)."""
    text = str(exc).lower()
    return any(w in text for w in ("unable to open", "readonly", "read-only", "disk", "full", "i/o"))


def open_db(db: Path, timeout: float = DEFAULT_TIMEOUT) -> tuple[sqlite3.Connection, bool]:
    """The database at ``db`` with our tables (created when new); whether it was new.

    Refuses a file that is some other SQLite database (or not one at all), so an ``-o`` pointing at
    the wrong file never wipes it. A database of an older layout is rebuilt.
    """
    _check_target(db)
    created = not db.exists() or db.stat().st_size == 0
    try:
        conn = sqlite3.connect(str(db), timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise NationalError("unwritable", path=str(db), reason=str(exc)) from None
    try:
        if not created:
            _check_ours(conn, db)
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
            raise NationalError("locked", path=str(db)) from None
        raise NationalError("not_our_db", path=str(db)) from None
    except NationalError:
        conn.close()
        raise
    return conn, created


def _check_ours(conn: sqlite3.Connection, db: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if app_id != APPLICATION_ID and tables:
        raise NationalError("not_our_db", path=str(db))


def _create(conn: sqlite3.Connection, *, fts_later: bool = False) -> None:
    """Our tables inside the open transaction; an older layout is dropped first.

    ``fts_later``: leave out the triggers that keep the full-text index (a new build fills the
    index in one statement after its inserts, then adds them).
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        for name in ("card_versions_detail",):
            conn.execute(f"DROP VIEW IF EXISTS {name}")
        for table in OUR_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _statements(DDL):
        if not (fts_later and statement.startswith("CREATE TRIGGER")):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _statements(ddl: str) -> Iterable[str]:
    """The statements of a DDL script (triggers keep their inner semicolons)."""
    buf: list[str] = []
    for line in ddl.splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            yield text
            buf = []


# -- the build --------------------------------------------------------------------------------


def build(
    db: str | Path,
    repos: Sequence[str | Path],
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Bring the database at ``db`` up to date with the committed cards and history of ``repos``.

    ``timeout``: seconds to wait for another program's write lock (default ``DEFAULT_TIMEOUT``);
    ``progress(repo, n)`` is called once per repository when its ``n`` new commits are known;
    ``workers``: processes that parse card versions (None: every core for a big input, see
    ``parse.parse_all``; 1: all in this process).

    A new database is built in a temporary file next to ``db`` (without a journal, not synced
    until it is complete) and renamed to ``db`` only when it is whole, so an interrupted first
    build leaves no half database that a later run would take for up to date.
    """
    started = time.perf_counter()
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    roots = list(dict.fromkeys(check_source(r) for r in repos))
    db_path = Path(db).expanduser()
    _check_target(db_path)
    new = not db_path.exists() or (db_path.is_file() and db_path.stat().st_size == 0)
    partial = _partial_file(db_path) if new else None
    try:
        conn, created = open_db(partial or db_path, timeout)
    except BaseException:
        _discard(partial)
        raise
    report = BuildReport(db=db_path.resolve(), created=created)
    try:
        if partial is not None:  # nothing to protect until the file is whole: no journal, no syncing
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -65536")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise NationalError("locked", path=str(db_path)) if _locked(exc) else exc from None
        _create(conn, fts_later=partial is not None)
        future = False
        for root in roots:
            source = _read_source(conn, root, progress, workers)
            report.sources.append(source)
            future = future or _has_reviews_or_decisions(conn, root)
        if future:
            for statement in _statements(FUTURE_DDL):
                conn.execute(statement)
        if partial is not None:  # the full-text index in one go, then the triggers that keep it
            conn.execute("INSERT INTO cards_fts(cards_fts) VALUES ('rebuild')")
            for statement in _statements(DDL):
                if statement.startswith("CREATE TRIGGER"):
                    conn.execute(statement)
        if _has_table(conn, "decisions"):
            for root in roots:
                write_decisions(conn, str(root))
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        _discard(partial)
        if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
            raise NationalError("locked", path=str(db_path)) from None
        if isinstance(exc, sqlite3.OperationalError) and _cannot_write(exc):
            raise NationalError("unwritable", path=str(db_path), reason=str(exc)) from None
        if isinstance(exc, GitReadError):
            raise NationalError("git_failed", path=" ".join(exc.args_used), reason=exc.stderr) from None
        raise
    conn.close()
    if partial is not None:
        _finish(partial, db_path)
    report.seconds = time.perf_counter() - started
    return report


def _partial_file(db: Path) -> Path:
    """An empty temporary file beside ``db`` for a new build (``.NAME.RANDOM.building``)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{db.name}.", suffix=PARTIAL_SUFFIX, dir=db.parent)
    except OSError as exc:
        raise NationalError("unwritable", path=str(db), reason=exc.strerror or str(exc)) from None
    os.close(fd)
    return Path(name)


def _discard(partial: Path | None) -> None:
    if partial is not None:
        with contextlib.suppress(OSError):
            partial.unlink()


def _finish(partial: Path, db: Path) -> None:
    """Make the whole new database durable, then give it its name."""
    try:
        with partial.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, db)
        if os.name != "nt":
            fd = os.open(db.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        _discard(partial)
        raise NationalError("unwritable", path=str(db), reason=exc.strerror or str(exc)) from None


def _has_reviews_or_decisions(conn: sqlite3.Connection, root: Path) -> bool:
    if (root / "reviews").is_dir():
        return True
    row = conn.execute(
        "SELECT 1 FROM cards WHERE repo = ? AND json_extract(data, '$.besluiten') IS NOT NULL LIMIT 1", (str(root),)
    ).fetchone()
    return row is not None


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def write_decisions(conn: sqlite3.Connection, repo: str) -> int:
    """The current decisions (``besluiten``) of one repository's cards, one row each; returns how many.

    Each row names its card, file and place in the card (``besluiten.2``) and the last commit that
    changed the card's decisions, so ``git -C REPO show COMMIT:PATH`` shows it.
    """
    conn.execute("DELETE FROM decisions WHERE repo = ?", (repo,))
    rows = []
    for card_key, card_id, region, path, head, changed_in, data in conn.execute(
        "SELECT _id, id, region, path, head_commit, changed_in, data FROM cards"
        " WHERE repo = ? AND json_extract(data, '$.besluiten') IS NOT NULL ORDER BY id",
        (repo,),
    ).fetchall():
        items = json.loads(data).get("besluiten")
        if not isinstance(items, list):
            continue
        found = conn.execute(
            "SELECT changed_in FROM field_values WHERE card = ? AND field = 'besluiten'", (card_key,)
        ).fetchone()
        commit = (found[0] if found else None) or changed_in
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue

            def text(key: str, item: dict[str, Any] = item) -> str | None:
                value = item.get(key)
                return None if value in (None, "") else str(value)

            rows.append(
                (
                    repo,
                    path,
                    card_id,
                    region,
                    text("datum"),
                    text("besluit"),
                    text("vergadering"),
                    text("actiehouder"),
                    text("deadline"),
                    f"besluiten.{i}",
                    commit,
                    head,
                    json.dumps(item, ensure_ascii=False, default=str),
                )
            )
    conn.executemany(
        "INSERT INTO decisions (repo, path, card_id, region, date, decision, meeting, action_holder, deadline, field,"
        " commit_hash, head_commit, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def _schema(root: Path) -> Schema | None:
    try:
        return Schema(schema_dir(root))
    except (SchemaError, OSError, ValueError):
        return None


def _is_card(path: str) -> bool:
    return path.startswith(CARDS_PREFIX) and path.endswith(".toml")


def _read_source(
    conn: sqlite3.Connection, root: Path, progress: Progress | None = None, workers: int | None = None
) -> SourceReport:
    started = time.perf_counter()
    repo = str(root)
    reader = GitReader(root)
    head = reader.head()
    assert head is not None  # check_source saw a commit
    report = SourceReport(repo=root, head=head)
    row = conn.execute("SELECT head FROM sources WHERE repo = ?", (repo,)).fetchone()
    conn.execute("INSERT OR IGNORE INTO sources (repo, name) VALUES (?, ?)", (repo, root.name))
    last: str | None = row[0] if row else None
    if last is not None and last != head and not reader.is_ancestor(last, head):
        _forget(conn, repo)
        report.rebuilt, last = True, None
    bare = reader.run("rev-parse", "--is-bare-repository").decode().strip() == "true"
    report.uncommitted = 0 if bare else reader.dirty_paths(CARDS_PREFIX)
    if last == head:
        report.cards = conn.execute("SELECT count(*) FROM cards WHERE repo = ?", (repo,)).fetchone()[0]
        report.region = (row and _region(conn, repo)) or ""
        _touch(conn, repo)
        report.git_processes, report.seconds = reader.processes, time.perf_counter() - started
        return report

    # git log runs while the cards at HEAD are read and parsed (on every core): then their history.
    revisions = f"{last}..{head}" if last else head
    # Without merges, the whole log filtered here is the path-limited one at half git's cost.
    linear = not reader.has_merges(revisions)
    running = reader.start_log(revisions, None if linear else CARDS_PREFIX)
    parser = Parser(workers)
    try:
        tree = {p: b for p, b in reader.tree(head, CARDS_PREFIX).items() if _is_card(p)}
        existing = {p: (i, b) for i, p, b in conn.execute("SELECT _id, path, blob FROM cards WHERE repo = ?", (repo,))}
        at_head = {b for p, b in tree.items() if existing.get(p, (0, ""))[1] != b}
        known = known_blobs(conn, repo, at_head)
        where = {b: p for p, b in tree.items()}
        raw = reader.blobs(at_head - set(known))
        parser.add([(b, where[b], data) for b, data in raw.items()])
        commits = running.result()
        if linear:
            commits = [c for c in commits if any(ch.path.startswith(CARDS_PREFIX) for ch in c.changes)]
        if progress is not None:
            progress(repo, len(commits))
        for c in commits:
            c.changes = [ch for ch in c.changes if _is_card(ch.path)]
        for c in commits:
            for ch in c.changes:
                where.setdefault(ch.old, ch.path)
                where.setdefault(ch.new, ch.path)
        older = {s for c in commits for ch in c.changes for s in (ch.old, ch.new)} - at_head - {ZERO}
        known.update(known_blobs(conn, repo, older))
        more = reader.blobs(older - set(known))
        parser.add([(b, where[b], data) for b, data in more.items()])
        raw.update(more)
        blobs = Blobs(raw, known, parser.results())
    finally:
        running.close()
        parser.close()

    touched = write_history(conn, repo, commits, blobs)
    report.commits_read, report.versions = len(commits), sum(len(c.changes) for c in commits)
    schema = _schema(root)
    report.cards_changed = write_cards(conn, repo, head, tree, existing, blobs, schema, touched, report.skipped)
    report.cards = len(tree) - len(report.skipped)
    report.region = _region(conn, repo)
    remote, branch = reader.remote_url(), reader.run("rev-parse", "--abbrev-ref", "HEAD", check=False).decode().strip()
    total = conn.execute("SELECT count(*) FROM commits WHERE repo = ?", (repo,)).fetchone()[0]
    conn.execute(
        "INSERT INTO sources (repo, name, remote, region, branch, head, commits_read, commits_total, cards, read_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repo) DO UPDATE SET name = excluded.name,"
        " remote = excluded.remote, region = excluded.region, branch = excluded.branch, head = excluded.head,"
        " commits_read = excluded.commits_read, commits_total = excluded.commits_total, cards = excluded.cards,"
        " read_at = excluded.read_at",
        (repo, root.name, remote or None, report.region, branch, head, len(commits), total, report.cards, _now()),
    )
    report.git_processes, report.seconds = reader.processes, time.perf_counter() - started
    return report


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _touch(conn: sqlite3.Connection, repo: str) -> None:
    conn.execute("UPDATE sources SET commits_read = 0, read_at = ? WHERE repo = ?", (_now(), repo))


def _region(conn: sqlite3.Connection, repo: str) -> str:
    rows = conn.execute("SELECT DISTINCT region FROM cards WHERE repo = ? AND region != '' ORDER BY 1", (repo,))
    return ",".join(r[0] for r in rows)


def _forget(conn: sqlite3.Connection, repo: str) -> None:
    """Drop everything read from one repository (its history was rewritten)."""
    conn.execute("DELETE FROM field_values WHERE repo = ?", (repo,))
    conn.execute("DELETE FROM cards WHERE repo = ?", (repo,))
    conn.execute("DELETE FROM card_versions WHERE repo = ?", (repo,))
    conn.execute("DELETE FROM commits WHERE repo = ?", (repo,))
    conn.execute("UPDATE sources SET head = NULL WHERE repo = ?", (repo,))
