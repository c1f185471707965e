"""The ledger cache: bounded, least recently used first out, and blind to entries of an older ledger."""

from claimledger.serve.cache import LedgerCache


def test_entries_of_another_generation_are_not_served():
    cache = LedgerCache(4)
    cache.put("q", 1, "page")
    assert cache.get("q", 1) == "page"
    assert cache.get("q", 2) is None and cache.get("q", 1) is None  # retired once seen stale


def test_the_least_recently_used_entry_goes_first():
    cache = LedgerCache(2)
    cache.put("a", 1, "A")
    cache.put("b", 1, "B")
    cache.get("a", 1)
    cache.put("c", 1, "C")
    assert cache.get("b", 1) is None and cache.get("a", 1) == "A" and cache.get("c", 1) == "C"


def test_size_zero_keeps_nothing():
    cache = LedgerCache(0)
    cache.put("a", 1, "A")
    assert cache.get("a", 1) is None
