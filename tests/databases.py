"""Ledger files for tests: as an older claimledger left them (for the tests of the migrations that upgrade them),
and copies of a ledger to run a command on again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from claimledger.store.migrations import MIGRATIONS, POSTGRES_MIGRATIONS, _statements


def database_before(path: Path, migration: str) -> sqlite3.Connection:
    """A connection (autocommit) to a new database at ``path`` with every migration before the one named
    ``migration`` applied and recorded, as a release before it would have left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    before = [i for i, (name, _) in enumerate(MIGRATIONS) if name == migration][0]
    for version, (name, sql) in enumerate(MIGRATIONS[:before], 1):
        for statement in _statements(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    return conn


def postgres_before(url: str, migration: str):
    """A psycopg connection (autocommit) to the empty PostgreSQL database ``url`` with every migration before the
    one named ``migration`` applied and recorded, as a release before it would have left it."""
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    before = [i for i, (name, _) in enumerate(MIGRATIONS) if name == migration][0]
    for version, (name, _) in enumerate(MIGRATIONS[:before], 1):
        for statement in POSTGRES_MIGRATIONS[name].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, 'then')", (version, name))
    return conn


def copy_ledger(source: Path, target: Path) -> Path:
    """A copy of a ledger file, through SQLite's backup (the WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
