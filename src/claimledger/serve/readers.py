"""Read-only ledger handles for the web server: one per worker thread, opened on first use and kept.

A request then costs no connection set-up, SQLite's page cache stays warm per thread, and threads never share a
connection (sqlite3 connections are not safe to use from two threads at once).
"""

from __future__ import annotations

import threading
from pathlib import Path

from claimledger.config import Settings, load_settings
from claimledger.ledger import Ledger
from claimledger.store.sqlite import SQLiteStore


class ReadLedger(Ledger):
    """``Ledger``'s reads over a store already open (a server thread's read-only handle), so that the API and the
    pages give the very records of ``Ledger`` and the CLI. Closing it leaves the store to its pool."""

    def __init__(self, store: SQLiteStore, settings: Settings) -> None:  # noqa: Ledger's would open a store
        self.store = store
        self.settings = settings

    def close(self) -> None:
        pass


class ReaderPool:
    """Hands each thread its own read-only ``SQLiteStore`` on ``path`` (and a ``Ledger`` over it); ``close``
    closes them all."""

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or load_settings({}).with_overrides(db=str(path))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[SQLiteStore] = []
        self._has_claims: bool | None = None
        self._generation = 0

    def store(self) -> SQLiteStore:
        """This thread's handle."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = SQLiteStore.reader(self.path)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def ledger(self) -> ReadLedger:
        """A ``Ledger`` reading through this thread's handle."""
        return ReadLedger(self.store(), self.settings)

    def generation(self) -> int:
        """A number that grows whenever the ledger has changed since any thread last asked, for caches.

        Each connection's ``PRAGMA data_version`` changes when another connection commits; the first answer of
        a new connection counts as a change too, since the ledger may have changed before it opened."""
        version = self.store().conn.execute("PRAGMA data_version").fetchone()[0]
        if getattr(self._local, "version", None) != version:
            self._local.version = version
            with self._lock:
                self._generation += 1
        return self._generation

    def has_claims(self) -> bool:
        """Whether linking has found claims in the ledger; once it has, remembered (claims are never dropped)."""
        if not self._has_claims:
            store = self.store()
            self._has_claims = (store.has_table("claims") and store.has_table("claim_statements")
                                and store.conn.execute("SELECT 1 FROM claims LIMIT 1").fetchone() is not None)
        return self._has_claims

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
        self._local = threading.local()
