"""Read-only ledger handles for the web server: one per worker thread, opened on first use and kept.

A request then costs no connection set-up, SQLite's page cache stays warm per thread, and threads never share a
connection (sqlite3 connections are not safe to use from two threads at once).
"""

from __future__ import annotations

import threading
from pathlib import Path

from claimledger.store.sqlite import SQLiteStore


class ReaderPool:
    """Hands each thread its own read-only ``SQLiteStore`` on ``path``; ``close`` closes them all."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
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
