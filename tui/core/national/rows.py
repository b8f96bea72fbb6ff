"""The rows of one repository's new commits and current cards: ``card_versions``, ``cards``, ``field_values``.

``Blobs`` parses each card version once (versions already in ``cards`` are taken from there);
``write_history`` stores each commit and, per card file it changed, only the fields that changed;
``write_cards`` brings ``cards`` and ``field_values`` to HEAD's tree, touching only changed cards.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tui.core.cards.card import Card
from tui.core.cards.parse import parse_bytes
from tui.core.cards.schema import Schema
from tui.core.national import fields as F
from tui.core.national.gitread import ZERO, Commit


class Blobs:
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


def known_blobs(conn: sqlite3.Connection, repo: str, wanted: set[str]) -> dict[str, str]:
    """Of the wanted blobs, those the cards table already holds (the versions before the new commits)."""
    if not wanted:
        return {}
    found = conn.execute(
        "SELECT blob, data FROM cards WHERE repo = ? AND blob IN (SELECT value FROM json_each(?))",
        (repo, json.dumps(sorted(wanted))),
    )
    return dict(found.fetchall())


def write_history(conn: sqlite3.Connection, repo: str, commits: list[Commit], blobs: Blobs) -> set[str]:
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


def write_cards(
    conn: sqlite3.Connection,
    repo: str,
    head: str,
    tree: dict[str, str],
    existing: dict[str, tuple[int, str]],
    blobs: Blobs,
    schema: Schema | None,
    touched: set[str],
    skipped: list[str],
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
            skipped.append(f"{path}: {error}")
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
