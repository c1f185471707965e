"""Store: the ledger's schema, migrations and reads/writes, behind the interfaces of ``store.base``.

``open_store(url)`` opens a ledger by the ``db`` setting (``--db``, ``CLAIMLEDGER_DB``): a plain path or
``sqlite:///path`` is a SQLite file, ``postgresql://...`` (or ``postgres://``) a PostgreSQL database.
"""

from __future__ import annotations

import re
from pathlib import Path

from claimledger.store.base import ExtractStore, IngestStore, LinkStore, ReadStore, Store, StoreError

__all__ = ["ExtractStore", "IngestStore", "LinkStore", "ReadStore", "Store", "StoreError", "open_store",
           "is_postgres", "sqlite_path", "database_errors",
           "redacted"]


def is_postgres(url: str | Path) -> bool:
    return isinstance(url, str) and url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str | Path) -> Path | None:
    """The file a SQLite ledger URL or path names; None for a PostgreSQL URL."""
    if is_postgres(url):
        return None
    text = str(url)
    if text.startswith("sqlite:///"):
        return Path(text[len("sqlite://"):])  # sqlite:///abs/path -> /abs/path
    if text.startswith("sqlite://"):
        return Path(text[len("sqlite://"):])
    return Path(text)


def open_store(url: str | Path, *, create: bool = True, read_only: bool = False) -> Store:
    """The ledger at ``url``, migrated to the current schema. ``create=False``: a missing ledger raises
    ``StoreError`` instead of starting an empty one. ``read_only``: an existing ledger, nothing migrated, every
    write refused."""
    if is_postgres(url):
        from claimledger.store.postgres import PostgresStore

        return PostgresStore(str(url), create=create, read_only=read_only)
    from claimledger.store.sqlite import SQLiteStore

    path = sqlite_path(url)
    return SQLiteStore.reader(path) if read_only else SQLiteStore(path, create=create)


def database_errors() -> tuple[type[Exception], ...]:
    """The exceptions the backends' drivers raise when a read fails (``sqlite3.Error``, ``psycopg.Error``), for a
    caller that must answer them without naming a driver (the web server's error page)."""
    import sqlite3

    errors: list[type[Exception]] = [sqlite3.Error]
    try:
        import psycopg
    except ImportError:  # PostgreSQL support not installed: no psycopg error can arise
        pass
    else:
        errors.append(psycopg.Error)
    return tuple(errors)


def redacted(url: str | Path) -> str:
    """The ledger's URL or path as messages may show it: a PostgreSQL URL without its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", str(url))
