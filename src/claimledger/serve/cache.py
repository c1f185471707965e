"""A bounded cache of search pages and of the listings every visit reads, dropped whenever the ledger changes.

The same searches come back again and again (a name in the news, a link shared); a page of bm25-ranked results
costs milliseconds of database work, a cached one microseconds, and the home page's most-quoted speakers count every
statement. Entries are tagged with the ledger generation they were computed under (``ReaderPool.generation``), so
a change made by any connection retires them all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

from claimledger.serve.readers import ReaderPool
from claimledger.store.fts import SearchFilters, SearchKind, match_expression

T = TypeVar("T")


class LedgerCache:
    """Least recently used entries, at most ``size`` of them (0 keeps nothing); safe to share between threads."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, generation: int) -> object | None:
        """The value stored under ``key`` in this ``generation``, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] != generation:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, generation: int, value: object) -> None:
        if not self.size:
            return
        with self._lock:
            self._entries[key] = (generation, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def cached_call(readers: ReaderPool, cache: LedgerCache, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from ``cache`` when it ran under ``key`` since the ledger last changed. The
    value is shared between requests: read it, never change it."""
    generation = readers.generation()
    value = cache.get(key, generation)
    if value is None:
        value = compute()
        cache.put(key, generation, value)
    return value


def cached_search(readers: ReaderPool, cache: LedgerCache, text: str, filters: SearchFilters, kind: SearchKind,
                  limit: int, offset: int) -> tuple[list[dict], int]:
    """The store's ``search`` on this thread's handle, through ``cache``."""
    key = ("search", match_expression(text), filters, kind, limit, offset)
    return cached_call(readers, cache, key, lambda: readers.store().search(text, filters, kind, limit, offset))
