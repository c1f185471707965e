"""Curated tables kept as data files, and the one way to read them."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def table_lines(name: str) -> tuple[str, ...]:
    """Non-blank, non-comment lines of the data file ``name`` (a path relative to this package)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
