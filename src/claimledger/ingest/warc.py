"""WARC / WARC.gz archives, with warcio: HTML ``response`` records become articles with their target URI."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from claimledger.ingest.html import parse_html
from claimledger.models import Article, Rejection


def read_warc(path: Path, source: str, max_bytes: int) -> Iterator[Article | Rejection]:
    responses = 0
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), 1):
                if record.rec_type != "response":
                    continue
                responses += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}@record{number} ({uri})"
                content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
                if "html" not in content_type.lower():
                    yield Rejection(where, f"not an HTML response ({content_type or 'no content type'})")
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Rejection(where, f"response larger than {max_bytes // 2**20} MB")
                    continue
                yield parse_html(body, uri or where, url=uri)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield Rejection(source, f"broken WARC after {responses} responses: {exc}".strip())
        return
    if responses == 0:
        yield Rejection(source, "WARC with no response records")
