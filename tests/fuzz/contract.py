"""The contract every reader keeps, whatever its input: it yields articles and rejections, nothing else, and
raises nothing (a harness fails on any exception); an article is well formed, a rejection says where and why."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Iterable

from claimledger.config import Settings
from claimledger.ingest.readers import read_file
from claimledger.models import Article, Block, Rejection

_ID = re.compile(r"[0-9a-f]{16}")
_OPTIONAL_TEXT = ("headline", "url", "outlet", "published", "section", "language")


def check_article(article: Article) -> None:
    """Text, with each block's offsets slicing it to the block's text, in order; the metadata text or None;
    every string encodable as UTF-8."""
    assert _ID.fullmatch(article.id), article.id
    assert isinstance(article.source, str) and article.source
    assert isinstance(article.text, str) and article.text.strip()
    assert article.blocks and all(isinstance(b, Block) for b in article.blocks)
    previous_end = 0
    for block in article.blocks:
        assert previous_end <= block.start < block.end <= len(article.text), block
        assert article.text[block.start : block.end] == block.text, block
        previous_end = block.end
    for name in _OPTIONAL_TEXT:
        value = getattr(article, name)
        assert value is None or isinstance(value, str), f"{name}={value!r}"
    assert all(isinstance(author, str) for author in article.authors), article.authors
    # Text that the store and the JSON output can write: no lone surrogate (what json.loads gives for "\ud800").
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


def check_rejection(rejection: Rejection) -> None:
    """Where it happened (a file, a line, an entry, a record, a URL) and a reason."""
    assert isinstance(rejection.source, str) and rejection.source.strip(), rejection
    assert isinstance(rejection.reason, str) and rejection.reason.strip(), rejection


def check_items(items: Iterable[Article | Rejection]) -> list[Article | Rejection]:
    """Run a reader to its end and check each thing it yields; return them."""
    found = list(items)
    for item in found:
        if isinstance(item, Article):
            check_article(item)
        else:
            assert isinstance(item, Rejection), f"neither an article nor a rejection: {item!r}"
            check_rejection(item)
    return found


def read_bytes(data: bytes, settings: Settings) -> list[Article | Rejection]:
    """What ``read_file`` makes of a file holding ``data``, checked."""
    with tempfile.TemporaryDirectory(prefix="claimledger-fuzz-") as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        return check_items(read_file(path, settings))
