"""Named schema migrations, applied in order inside a transaction and recorded in ``schema_migrations``.

Opening an older database upgrades it; a migration is never edited once released, only followed by a new one.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

MIGRATIONS: list[tuple[str, str]] = [
    (
        "articles",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT,
            outlet TEXT,
            headline TEXT,
            published TEXT,
            section TEXT,
            authors TEXT NOT NULL,      -- JSON list
            language TEXT,
            captions TEXT NOT NULL,     -- JSON [{text, credit}]
            related TEXT NOT NULL,      -- JSON [{text, url}]
            text TEXT NOT NULL,
            blocks TEXT NOT NULL,       -- JSON [{kind, text, start, end}]
            text_hash TEXT NOT NULL UNIQUE,
            minhash BLOB NOT NULL,
            seq INTEGER NOT NULL UNIQUE -- ingest order, for stable listings
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE duplicates (
            source TEXT NOT NULL,
            duplicate_id TEXT NOT NULL,
            kept_id TEXT NOT NULL REFERENCES articles(id),
            kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
            similarity REAL NOT NULL,
            PRIMARY KEY (source, duplicate_id)
        );
        CREATE INDEX duplicates_kept ON duplicates(kept_id);
        """,
    ),
    (
        "extractions",
        """
        CREATE TABLE extractions (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            data TEXT NOT NULL,          -- JSON: Extraction.to_dict()
            model TEXT NOT NULL,         -- the spaCy pipeline that produced it
            extracted_at TEXT NOT NULL
        );
        CREATE TABLE statements (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            speaker TEXT,
            speaker_name TEXT,
            kind TEXT NOT NULL,
            cue TEXT,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            date TEXT
        );
        CREATE INDEX statements_article ON statements(article_id);
        CREATE INDEX statements_speaker ON statements(speaker_name);
        CREATE INDEX statements_date ON statements(date);
        """,
    ),
]


def _statements(sql: str) -> list[str]:
    """The SQL statements of a migration script, in order. A trigger body holds semicolons of its own, so pieces
    are joined until SQLite says the statement is complete (``executescript`` would commit the transaction)."""
    statements: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending)
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending)
    return statements


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, (name, sql) in enumerate(MIGRATIONS, 1):
        if version in done:
            continue
        with conn:
            conn.execute("BEGIN")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
        applied.append(name)
    return applied
