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
    compare equal when their fields are equal (TOML dates become ISO text either way). ``texts``
    holds what ``parse.Parser`` made of the blobs read from git (each card's JSON, None when it
    cannot be read; missing ones are parsed here); a version that cannot be read is parsed again
    here for its reason, in the display language.
    """

    def __init__(
        self, raw: dict[str, bytes], known: dict[str, str] | None = None, texts: dict[str, str | None] | None = None
    ) -> None:
        self.raw = raw
        self.known = known or {}  # blob id -> the card as JSON (from the cards table)
        self.texts = texts or {}
        self.parsed: dict[str, tuple[dict[str, Any] | None, str | None]] = {}

    def get(self, blob: str, path: str) -> tuple[dict[str, Any] | None, str | None]:
        """``(data, None)`` or ``(None, why it cannot be read)``."""
        if blob == ZERO:
            return {}, None
        if blob not in self.parsed:
            text = self.known.get(blob) or self.texts.get(blob)
            raw = self.raw.get(blob)
            if text is not None:
                self.parsed[blob] = (json.loads(text), None)
            elif raw is None:
                self.parsed[blob] = (None, "missing")
            else:
                loaded = parse_bytes(Path(path), raw)
                self.parsed[blob] = (
                    (json.loads(F.to_json(dict(loaded.data))), None)
                    if isinstance(loaded, Card)
                    else (None, loaded.message)
                )
        return self.parsed[blob]

    def text(self, blob: str) -> str | None:
        """The card's JSON as the ``cards.data`` column holds it (the text ``get`` parsed), when it could be read."""
        return self.known.get(blob) or self.texts.get(blob)


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
    # Ids as SQLite would give them one insert at a time (max + 1), so all rows go in one executemany.
    first_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM commits").fetchone()[0])
    conn.executemany(
        "INSERT INTO commits (id, repo, hash, parents, author, email, date, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (first_id + k, repo, c.hash, " ".join(c.parents), c.author, c.email, c.date, c.message)
            for k, c in enumerate(commits)
        ],
    )
    rows: list[tuple[Any, ...]] = []
    for k, c in enumerate(commits):
        commit_id = first_id + k
        for ch in c.changes:
            version = versions.get(ch.path, 0) + 1
            versions[ch.path] = version
            touched.add(ch.path)
            old_data, _ = blobs.get(ch.old, ch.path)
            if ch.new == ZERO:
                card_id, region = _get(old_data, "id"), _get(old_data, "region")
                rows.append((repo, ch.path, card_id, region, version, commit_id, c.hash, "{}", "[]", 1, None, None))
                continue
            new_data, error = blobs.get(ch.new, ch.path)
            if new_data is None:
                rows.append((repo, ch.path, None, None, version, commit_id, c.hash, "{}", "[]", 0, error, ch.new))
                continue
            changes = F.diff(flat(ch.old, ch.path) or {}, flat(ch.new, ch.path) or {})
            card_id, region = _get(new_data, "id"), _get(new_data, "region")
            changed = (F.to_json(changes), F.to_json(list(changes)))
            rows.append((repo, ch.path, card_id, region, version, commit_id, c.hash, *changed, 0, None, ch.new))
    conn.executemany(
        "INSERT INTO card_versions (repo, path, card_id, region, version, commit_id, commit_hash, changes,"
        " _changed_fields, deleted, error, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return touched


def _get(data: dict[str, Any] | None, key: str) -> str | None:
    if not data:
        return None
    value = data.get(key)
    return None if value is None else str(value)


def _last_changes(
    conn: sqlite3.Connection, repo: str, paths: list[str]
) -> dict[str, tuple[str | None, dict[str, str]]]:
    """Per card file: the last commit that changed it, and per field path the last commit that changed it.

    One query for all the files (a build from scratch asks for every card).
    """
    found: dict[str, tuple[str | None, dict[str, str]]] = {}
    if not paths:
        return found
    last: dict[str, str] = {}
    fields: dict[str, dict[str, str]] = {}
    for path, commit, changed, deleted in conn.execute(
        "SELECT path, commit_hash, _changed_fields, deleted FROM card_versions"
        " WHERE repo = ? AND path IN (SELECT value FROM json_each(?)) ORDER BY path, version",
        (repo, json.dumps(paths)),
    ):
        last[path] = commit
        per_field = fields.setdefault(path, {})
        if deleted:
            per_field.clear()
            continue
        for name in json.loads(changed):
            per_field[name] = commit
    for path in paths:
        found[path] = (last.get(path), fields.get(path, {}))
    return found


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
    todo = [p for p, b in tree.items() if existing.get(p, (0, ""))[1] != b or p in touched]
    history = _last_changes(conn, repo, todo)
    labels: dict[tuple[str, str], str | None] = {}
    for path in todo:
        blob = tree[path]
        old = existing.get(path)
        data, error = blobs.get(blob, path) if old is None or old[1] != blob else (None, None)
        if old is not None and old[1] == blob:  # same content, history grew: refresh the commits only
            last, per_field = history[path]
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
        last, per_field = history[path]
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
            blobs.text(blob) or F.to_json(data),
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
            if (kind, name) not in labels:
                labels[kind, name] = F.label(schema, kind, name)
            rows.append(
                (
                    card_key,
                    values[0],
                    values[1],
                    name,
                    labels[kind, name],
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
