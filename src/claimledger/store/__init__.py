"""Store: the ledger's schema, migrations and reads/writes, behind the interfaces of ``store.base``.

``open_store(url)`` opens a ledger by the ``db`` setting (``--db``, ``CLAIMLEDGER_DB``): a plain path or
``sqlite:///path`` is a SQLite file, ``postgresql://...`` (or ``postgres://``) a PostgreSQL database.
"""

from __future__ import annotations

from pathlib import Path

from claimledger.store.base import ExtractStore, IngestStore, LinkStore, ReadStore, Store, StoreError

__all__ = ["ExtractStore", "IngestStore", "LinkStore", "ReadStore", "Store", "StoreError", "open_store",
           "is_postgres", "sqlite_path"]


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
