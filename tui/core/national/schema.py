"""The national database's tables, as SQL.

One row per card as committed at each repository's HEAD (``cards``), one per field value
(``field_values``), the history in the shape of simonw/git-history (``commits`` plus
``card_versions``: each version keeps only the fields it changed, named in ``_changed_fields``),
a full-text index (``cards_fts``, FTS5 over title and prose, kept by triggers) and ``sources``
(one row per repository and the last commit read, so a re-run reads only new commits).

Every figure can be traced back: each row carries ``repo`` (the repository's folder), ``path``
(the card file in it) and a commit hash, so ``git -C REPO show COMMIT:PATH`` shows the source.

Reviews come later: ``FUTURE_DDL`` holds their table and the decisions table. ``build`` creates
them as soon as a repository has a ``reviews/`` folder or a card has a ``besluiten`` field;
``decisions`` is filled with the current decisions of every card (one row per decision).
"""

from __future__ import annotations

SCHEMA_VERSION = 2  # PRAGMA user_version; a database of another version is rebuilt from scratch
APPLICATION_ID = 0x4B42_4E4C  # "KBNL": PRAGMA application_id marks a file as ours

DDL = """
CREATE TABLE IF NOT EXISTS sources (
    repo TEXT PRIMARY KEY,          -- the repository's folder, absolute
    name TEXT NOT NULL,             -- its folder name
    remote TEXT,                    -- origin's URL, when there is one
    region TEXT,                    -- the region code(s) of its cards, comma-separated
    branch TEXT,
    head TEXT,                      -- last commit read: the next run starts after it
    commits_read INTEGER NOT NULL DEFAULT 0,   -- commits read by the last run
    commits_total INTEGER NOT NULL DEFAULT 0,
    cards INTEGER NOT NULL DEFAULT 0,
    read_at TEXT
);

CREATE TABLE IF NOT EXISTS commits (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL REFERENCES sources(repo),
    hash TEXT NOT NULL,
    parents TEXT,                   -- space-separated parent hashes
    author TEXT,
    email TEXT,
    date TEXT,                      -- author date, ISO 8601
    message TEXT,
    UNIQUE (repo, hash)
);

CREATE TABLE IF NOT EXISTS cards (
    _id INTEGER PRIMARY KEY,
    id TEXT NOT NULL,               -- the card's own id, e.g. WBW/T1/1.5
    region TEXT,
    kind TEXT,
    number TEXT,
    title TEXT,
    theme TEXT,                     -- the card's theme; NULL when it names several (see themes)
    themes TEXT,                    -- JSON list of every theme the card names (theme or themas)
    programme TEXT,
    status TEXT,                    -- lifecycle status code (concept … gestopt); Nieuw/Lopend: field_values
    fte REAL,                       -- an exact or estimated FTE figure; NULL for a range or none
    fte_min REAL,                   -- low end: equals fte for a single figure
    fte_max REAL,                   -- high end: equals fte for a single figure
    fte_status TEXT,                -- number | estimate | range | niet_mogelijk | ntb | ontbreekt
    fte_field TEXT,                 -- the field the figure came from (impact_fte, fte_raming)
    body TEXT,                      -- prose of the card, for the full-text index
    path TEXT NOT NULL,             -- card file inside the repository
    repo TEXT NOT NULL REFERENCES sources(repo),
    head_commit TEXT NOT NULL,      -- the commit whose tree this row was read from
    changed_in TEXT,                -- the last commit that changed this card's file
    blob TEXT NOT NULL,             -- git blob id of the file
    data TEXT NOT NULL,             -- the whole card as JSON
    UNIQUE (repo, path)
);
CREATE INDEX IF NOT EXISTS cards_region_theme ON cards (region, theme);
CREATE INDEX IF NOT EXISTS cards_id ON cards (id);

CREATE TABLE IF NOT EXISTS field_values (
    card INTEGER NOT NULL REFERENCES cards(_id),
    card_id TEXT NOT NULL,
    region TEXT,
    field TEXT NOT NULL,            -- dotted path: randvoorwaarden.bekostiging, impact_fte.waarde
    label TEXT,                     -- the schema's Dutch label
    value TEXT,                     -- text as is; numbers, booleans, lists as JSON
    number REAL,                    -- the value when it is a number
    type TEXT,                      -- text | integer | float | boolean | list | table
    changed_in TEXT,                -- the last commit that set this value (its source: git show COMMIT:PATH)
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (card, field)
);
CREATE INDEX IF NOT EXISTS field_values_field ON field_values (field, region);

CREATE TABLE IF NOT EXISTS card_versions (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL,
    path TEXT NOT NULL,             -- a card is its file: file names never change
    card_id TEXT,                   -- the card's id in this version
    region TEXT,
    version INTEGER NOT NULL,       -- 1, 2, 3 ... per card file
    commit_id INTEGER NOT NULL REFERENCES commits(id),
    commit_hash TEXT NOT NULL,
    changes TEXT NOT NULL,          -- JSON: only the changed fields, dotted path -> new value (null: removed)
    _changed_fields TEXT NOT NULL,  -- JSON list of the changed dotted paths
    deleted INTEGER NOT NULL DEFAULT 0,
    error TEXT,                     -- why this version could not be read, if it could not
    blob TEXT,                      -- git blob id of this version (git-history's _item_full_hash)
    UNIQUE (repo, path, version)
);
CREATE INDEX IF NOT EXISTS card_versions_card ON card_versions (card_id);
CREATE INDEX IF NOT EXISTS card_versions_commit ON card_versions (commit_id);

CREATE VIEW IF NOT EXISTS card_versions_detail AS
SELECT commits.date AS _commit_at, commits.author AS _author, commits.message AS _message, card_versions.*
FROM card_versions JOIN commits ON commits.id = card_versions.commit_id;

CREATE VIRTUAL TABLE IF NOT EXISTS cards_fts USING fts5(
    title, body, content="cards", content_rowid="_id", tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS cards_ai AFTER INSERT ON cards BEGIN
    INSERT INTO cards_fts(rowid, title, body) VALUES (new._id, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS cards_ad AFTER DELETE ON cards BEGIN
    INSERT INTO cards_fts(cards_fts, rowid, title, body) VALUES ('delete', old._id, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS cards_au AFTER UPDATE OF title, body ON cards BEGIN
    INSERT INTO cards_fts(cards_fts, rowid, title, body) VALUES ('delete', old._id, old.title, old.body);
    INSERT INTO cards_fts(rowid, title, body) VALUES (new._id, new.title, new.body);
END;
"""

# The place for reviews and decisions (issue #17, later parts). Created empty when a repository
# shows signs of them; filled by the part that brings reviews/ files and ``besluiten`` fields.
FUTURE_DDL = """
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL,
    path TEXT NOT NULL,             -- the review file in reviews/
    card_id TEXT,
    region TEXT,
    reviewer TEXT,
    verdict TEXT,
    body TEXT,
    commit_hash TEXT,
    data TEXT                       -- the whole review as JSON
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL,
    path TEXT NOT NULL,             -- the card file holding the besluiten field
    card_id TEXT,
    region TEXT,
    date TEXT,                      -- datum: the date of the meeting, YYYY-MM-DD
    decision TEXT,                  -- besluit
    meeting TEXT,                   -- vergadering
    action_holder TEXT,             -- actiehouder, when given
    deadline TEXT,                  -- deadline, when given (YYYY-MM-DD)
    field TEXT,                     -- where in the card: besluiten.0, besluiten.1, ...
    commit_hash TEXT,               -- the last commit that changed the card's decisions: git show COMMIT:PATH
    head_commit TEXT,               -- the commit whose tree this row was read from
    data TEXT                       -- the decision as JSON
);
CREATE INDEX IF NOT EXISTS decisions_region ON decisions (region, deadline);
"""

OUR_TABLES = ("sources", "commits", "cards", "field_values", "card_versions", "cards_fts", "reviews", "decisions")
