"""Build (and bring up to date) one SQLite database from the card history of one or more region repositories.

Per repository the build reads only the commits it has not seen (``sources.head`` is the last one
read): one ``git log --raw`` lists the card files each new commit changed, one ``git cat-file
--batch`` brings all those versions, and the current cards are the files of HEAD's tree. So the
database holds **committed** cards only, each row traceable to a commit; uncommitted edits in a
work tree are counted (``SourceReport.uncommitted``) and left out. A repository whose history was
rewritten since the last run (the old head is no longer an ancestor) is read again from scratch.

The whole run is one transaction: a failure leaves the database as it was.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.parse import parse_bytes
from tui.core.cards.schema import Schema, SchemaError
from tui.core.paths import schema_dir
from tui.core.national import fields as F
from tui.core.national.gitread import ZERO, Commit, GitReader, GitReadError
from tui.core.national.schema import APPLICATION_ID, DDL, FUTURE_DDL, OUR_TABLES, SCHEMA_VERSION

CARDS_PREFIX = "cards/"
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


def _create(conn: sqlite3.Connection) -> None:
    """Our tables inside the open transaction; an older layout is dropped first."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        for name in ("card_versions_detail",):
            conn.execute(f"DROP VIEW IF EXISTS {name}")
        for table in OUR_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _statements(DDL):
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
) -> BuildReport:
    """Bring the database at ``db`` up to date with the committed cards and history of ``repos``.

    ``timeout``: seconds to wait for another program's write lock (default ``DEFAULT_TIMEOUT``);
    ``progress(repo, n)`` is called once per repository when its ``n`` new commits are known.
    """
    started = time.perf_counter()
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    roots = list(dict.fromkeys(check_source(r) for r in repos))
    db_path = Path(db).expanduser()
    conn, created = open_db(db_path, timeout)
    report = BuildReport(db=db_path.resolve(), created=created)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise NationalError("locked", path=str(db_path)) if _locked(exc) else exc from None
        _create(conn)
        future = False
        for root in roots:
            source = _read_source(conn, root, progress)
            report.sources.append(source)
            future = future or _has_reviews_or_decisions(conn, root)
        if future:
            for statement in _statements(FUTURE_DDL):
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
            raise NationalError("locked", path=str(db_path)) from None
        if isinstance(exc, sqlite3.OperationalError) and _cannot_write(exc):
            raise NationalError("unwritable", path=str(db_path), reason=str(exc)) from None
        if isinstance(exc, GitReadError):
            raise NationalError("git_failed", path=" ".join(exc.args_used), reason=exc.stderr) from None
        raise
    conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _has_reviews_or_decisions(conn: sqlite3.Connection, root: Path) -> bool:
    if (root / "reviews").is_dir():
        return True
    row = conn.execute(
        "SELECT 1 FROM cards WHERE repo = ? AND json_extract(data, '$.besluiten') IS NOT NULL LIMIT 1", (str(root),)
    ).fetchone()
    return row is not None


def _schema(root: Path) -> Schema | None:
    try:
        return Schema(schema_dir(root))
    except (SchemaError, OSError, ValueError):
        return None


class _Blobs:
    """Card versions by blob id, each parsed once; versions already in the database are not parsed again.

    Every value goes through JSON once, so a version read from the database and one parsed from git
    compare equal when their fields are equal (TOML dates become ISO text either way).
    """

    def __init__(self, raw: dict[str, bytes], known: dict[str, str] | None = None) -> None:
        self.raw = raw
        self.known = known or {}  # blob id -> the card as JSON (from the cards table)
        self.parsed: dict[str, tuple[dict[str, Any] | None, str | None]] = {}

    def get(self, blob: str, path: str) -> tuple[dict[str, Any] | None, str | None]:
        """``(data, None)`` or ``(None, why it cannot be read)``."""
        if blob == ZERO:
            return {}, None
        if blob not in self.parsed:
            if blob in self.known:
                self.parsed[blob] = (json.loads(self.known[blob]), None)
                return self.parsed[blob]
            raw = self.raw.get(blob)
            if raw is None:
                self.parsed[blob] = (None, "missing")
            else:
                loaded = parse_bytes(Path(path), raw)
                self.parsed[blob] = (
                    (json.loads(F.to_json(dict(loaded.data))), None)
                    if isinstance(loaded, Card)
                    else (None, loaded.message)
                )
        return self.parsed[blob]


def _known(conn: sqlite3.Connection, repo: str, wanted: set[str]) -> dict[str, str]:
    """Of the wanted blobs, those the cards table already holds (the versions before the new commits)."""
    if not wanted:
        return {}
    found = conn.execute(
        "SELECT blob, data FROM cards WHERE repo = ? AND blob IN (SELECT value FROM json_each(?))",
        (repo, json.dumps(sorted(wanted))),
    )
    return dict(found.fetchall())


def _is_card(path: str) -> bool:
    return path.startswith(CARDS_PREFIX) and path.endswith(".toml")


def _read_source(conn: sqlite3.Connection, root: Path, progress: Progress | None = None) -> SourceReport:
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

    commits = reader.log(f"{last}..{head}" if last else head, CARDS_PREFIX)
    if progress is not None:
        progress(repo, len(commits))
    for c in commits:
        c.changes = [ch for ch in c.changes if _is_card(ch.path)]
    tree = {p: b for p, b in reader.tree(head, CARDS_PREFIX).items() if _is_card(p)}
    existing = {p: (i, b) for i, p, b in conn.execute("SELECT _id, path, blob FROM cards WHERE repo = ?", (repo,))}
    wanted = {b for p, b in tree.items() if existing.get(p, (0, ""))[1] != b}
    wanted.update(s for c in commits for ch in c.changes for s in (ch.old, ch.new))
    known = _known(conn, repo, wanted)
    blobs = _Blobs(reader.blobs(wanted - set(known)), known)

    touched = _write_history(conn, repo, commits, blobs)
    report.commits_read, report.versions = len(commits), sum(len(c.changes) for c in commits)
    schema = _schema(root)
    report.cards_changed = _write_cards(conn, repo, head, tree, existing, blobs, schema, touched, report)
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


def _write_history(conn: sqlite3.Connection, repo: str, commits: list[Commit], blobs: _Blobs) -> set[str]:
    """Commits and card versions (only the changed fields); returns the card paths that got a version."""
    versions = dict(
        conn.execute("SELECT path, max(version) FROM card_versions WHERE repo = ? GROUP BY path", (repo,)).fetchall()
    )
    flat_cache: dict[str, dict[str, Any]] = {}

    def flat(blob: str, path: str) -> dict[str, Any] | None:
        if blob not in flat_cache:
            data, _error = blobs.get(blob, path)
            if data is None:
                return None
            flat_cache[blob] = F.flatten(data)
        return flat_cache[blob]

    touched: set[str] = set()
    for c in commits:
        cur = conn.execute(
            "INSERT INTO commits (repo, hash, parents, author, email, date, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (repo, c.hash, " ".join(c.parents), c.author, c.email, c.date, c.message),
        )
        commit_id = cur.lastrowid
        rows: list[tuple[Any, ...]] = []
        for ch in c.changes:
            version = versions.get(ch.path, 0) + 1
            versions[ch.path] = version
            touched.add(ch.path)
            old_data, _ = blobs.get(ch.old, ch.path)
            if ch.new == ZERO:
                rows.append(
                    (ch.path, _get(old_data, "id"), _get(old_data, "region"), version, "{}", "[]", 1, None, None)
                )
                continue
            new_data, error = blobs.get(ch.new, ch.path)
            if new_data is None:
                rows.append((ch.path, None, None, version, "{}", "[]", 0, error, ch.new))
                continue
            changes = F.diff(flat(ch.old, ch.path) or {}, flat(ch.new, ch.path) or {})
            rows.append(
                (
                    ch.path,
                    _get(new_data, "id"),
                    _get(new_data, "region"),
                    version,
                    F.to_json(changes),
                    F.to_json(list(changes)),
                    0,
                    None,
                    ch.new,
                )
            )
        conn.executemany(
            "INSERT INTO card_versions (repo, path, card_id, region, version, commit_id, commit_hash, changes,"
            " _changed_fields, deleted, error, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(repo, r[0], r[1], r[2], r[3], commit_id, c.hash, r[4], r[5], r[6], r[7], r[8]) for r in rows],
        )
    return touched


def _get(data: dict[str, Any] | None, key: str) -> str | None:
    if not data:
        return None
    value = data.get(key)
    return None if value is None else str(value)


def _last_changes(conn: sqlite3.Connection, repo: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The last commit that changed a card file, and per field path the last commit that changed it."""
    per_field: dict[str, str] = {}
    last: str | None = None
    for commit, changed, deleted in conn.execute(
        "SELECT commit_hash, _changed_fields, deleted FROM card_versions WHERE repo = ? AND path = ? ORDER BY version",
        (repo, path),
    ):
        last = commit
        if deleted:
            per_field.clear()
            continue
        for name in json.loads(changed):
            per_field[name] = commit
    return last, per_field


def _write_cards(
    conn: sqlite3.Connection,
    repo: str,
    head: str,
    tree: dict[str, str],
    existing: dict[str, tuple[int, str]],
    blobs: _Blobs,
    schema: Schema | None,
    touched: set[str],
    report: SourceReport,
) -> int:
    """Bring ``cards`` and ``field_values`` to HEAD's tree; returns how many cards changed."""
    for path, (card_key, _blob) in existing.items():
        if path not in tree:
            conn.execute("DELETE FROM field_values WHERE card = ?", (card_key,))
            conn.execute("DELETE FROM cards WHERE _id = ?", (card_key,))
    conn.execute("UPDATE cards SET head_commit = ? WHERE repo = ?", (head, repo))
    changed = 0
    for path, blob in tree.items():
        old = existing.get(path)
        if old is not None and old[1] == blob and path not in touched:
            continue
        data, error = blobs.get(blob, path) if old is None or old[1] != blob else (None, None)
        if old is not None and old[1] == blob:  # same content, history grew: refresh the commits only
            last, per_field = _last_changes(conn, repo, path)
            conn.execute("UPDATE cards SET changed_in = ? WHERE _id = ?", (last, old[0]))
            conn.executemany(
                "UPDATE field_values SET changed_in = ? WHERE card = ? AND field = ?",
                [(commit, old[0], name) for name, commit in per_field.items()],
            )
            continue
        if data is None:
            report.skipped.append(f"{path}: {error}")
            if old is not None:
                conn.execute("DELETE FROM field_values WHERE card = ?", (old[0],))
                conn.execute("DELETE FROM cards WHERE _id = ?", (old[0],))
            continue
        changed += 1
        last, per_field = _last_changes(conn, repo, path)
        fte = F.fte_of(data)
        themes = F.themes_of(data)
        values = (
            str(data.get("id", "")),
            _get(data, "region"),
            _get(data, "kind"),
            _get(data, "number"),
            _get(data, "title"),
            themes[0] if len(themes) == 1 else None,
            F.to_json(themes),
            _get(data, "programme"),
            _get(data, "status"),
            fte.value,
            fte.low,
            fte.high,
            fte.status,
            fte.field,
            F.prose(data),
            path,
            repo,
            head,
            last,
            blob,
            F.to_json(data),
        )
        columns = (
            "id, region, kind, number, title, theme, themes, programme, status, fte, fte_min, fte_max, fte_status,"
            " fte_field, body, path, repo, head_commit, changed_in, blob, data"
        )
        if old is None:
            marks = ", ".join("?" * len(values))
            card_key = int(conn.execute(f"INSERT INTO cards ({columns}) VALUES ({marks})", values).lastrowid or 0)
        else:
            card_key = old[0]
            sets = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
            conn.execute(f"UPDATE cards SET {sets} WHERE _id = ?", (*values, card_key))
            conn.execute("DELETE FROM field_values WHERE card = ?", (card_key,))
        kind = str(data.get("kind", ""))
        rows = []
        for name, value in F.flatten(data).items():
            text, number, typ = F.value_row(value)
            rows.append(
                (
                    card_key,
                    values[0],
                    values[1],
                    name,
                    F.label(schema, kind, name),
                    text,
                    number,
                    typ,
                    per_field.get(name),
                    repo,
                    path,
                )
            )
        conn.executemany(
            "INSERT INTO field_values (card, card_id, region, field, label, value, number, type, changed_in, repo,"
            " path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return changed
