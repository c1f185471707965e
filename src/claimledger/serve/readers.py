"""Read-only ledger handles for the web server: one per worker thread, opened on first use and kept.

A request then costs no connection set-up, each thread's connection keeps its caches warm (SQLite's page cache, a
PostgreSQL session), and threads never share a connection (a sqlite3 connection is not safe to use from two
threads at once; a psycopg one would make them take turns). The handles are ``open_store(url, read_only=True)``:
SQLite or PostgreSQL, whichever the ``db`` setting names.
"""

from __future__ import annotations

import threading
from pathlib import Path

from claimledger.config import Settings, load_settings
from claimledger.ledger import Ledger
from claimledger.store import ReadStore, open_store


class ReadLedger(Ledger):
    """``Ledger``'s reads over a store already open (a server thread's read-only handle), so that the API and the
    pages give the very records of ``Ledger`` and the CLI. Closing it leaves the store to its pool."""

    def __init__(self, store: ReadStore, settings: Settings) -> None:  # noqa: Ledger's would open a store
        self.store = store
        self.settings = settings

    def close(self) -> None:
        pass


class ReaderPool:
    """Hands each thread its own read-only store on the ledger ``url`` (a SQLite path or URL, or a PostgreSQL
    URL) and a ``Ledger`` over it; ``close`` closes them all."""

    def __init__(self, url: str | Path, settings: Settings | None = None) -> None:
        self.url = str(url)
        self.settings = settings or load_settings({}).with_overrides(db=self.url)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[ReadStore] = []
        self._has_claims: bool | None = None
        self._generation = 0

    def store(self) -> ReadStore:
        """This thread's handle; a new one in place of one that is closed or lost its connection for good."""
        store = getattr(self._local, "store", None)
        if store is not None and not store.usable():
            self._forget(store)
            store = None
        if store is None:
            store = open_store(self.url, create=False, read_only=True)
            self._local.store = store
            self._local.version = None
            with self._lock:
                self._opened.append(store)
        return store

    def _forget(self, store: ReadStore) -> None:
        self._local.store = None
        with self._lock:
            if store in self._opened:
                self._opened.remove(store)
        try:
            store.close()
        except Exception:  # noqa: BLE001 - a connection already lost may fail to close; it is dropped either way
            pass

    def ledger(self) -> ReadLedger:
        """A ``Ledger`` reading through this thread's handle."""
        return ReadLedger(self.store(), self.settings)

    def generation(self) -> int:
        """A number that grows whenever the ledger has changed since any thread last asked, for caches.

        Each handle's ``data_version`` changes when another connection commits; the first answer of a new handle
        counts as a change too, since the ledger may have changed before it opened."""
        version = self.store().data_version()
        if getattr(self._local, "version", None) != version:
            self._local.version = version
            with self._lock:
                self._generation += 1
        return self._generation

    def has_claims(self) -> bool:
        """Whether linking has found claims in the ledger; once it has, remembered (claims are never dropped)."""
        if not self._has_claims:
            self._has_claims = self.store().has_claims()
        return self._has_claims

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
        self._local = threading.local()
