"""WARC and ARC archives (gzip or not), with warcio.

The records that hold a page become articles with their target URI: ``response`` records (the HTTP response as
crawled), ``resource`` records (a page stored without its HTTP exchange) and ``conversion`` records (a page made
from another record), when they are HTML. ARC files, the format before WARC, are read as warcio converts them
(``arc2warc``): each of their records is a response. Other records (requests, metadata, revisits) hold no page.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import IO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from claimledger.ingest.html import parse_html
from claimledger.ingest.sniff import GZIP_MAGIC
from claimledger.models import Article, Rejection

PAGE_RECORDS = ("response", "resource", "conversion")


def _content_type(record) -> str:
    """The page's media type: a response's from its HTTP headers, the other records' from their WARC headers."""
    if record.rec_type == "response":
        return record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
    return record.rec_headers.get_header("Content-Type", "") or ""


def _open_decompressed(path: Path) -> IO[bytes]:
    """The archive's records, uncompressed: gzip decompressed here, so that an archive gzipped whole reads like
    one gzipped record by record (warcio reads only the latter)."""
    with path.open("rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _records(stream: IO[bytes]) -> Iterator[ArcWarcRecord]:
    """warcio's records of ``stream``; the AttributeError warcio (1.8) raises for a response or request record that
    has no WARC-Target-URI is raised as the error of a broken archive."""
    records = ArchiveIterator(stream, arc2warc=True)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except AttributeError as exc:
            raise ArchiveLoadFailed("a record warcio cannot read, such as a response with no WARC-Target-URI") from exc
        yield record


def read_warc(path: Path, source: str, max_bytes: int, archive: str = "WARC") -> Iterator[Article | Rejection]:
    """Articles from the page records of a WARC or ARC file; ``archive`` names the format in messages."""
    pages = 0
    try:
        with _open_decompressed(path) as stream:
            for number, record in enumerate(_records(stream), 1):
                if record.rec_type not in PAGE_RECORDS:
                    continue
                pages += 1
                uri = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{source}@record{number} ({uri})"
                content_type = _content_type(record)
                if "html" not in content_type.lower():
                    yield Rejection(where, f"not an HTML {record.rec_type} ({content_type or 'no content type'})")
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Rejection(where, f"{record.rec_type} larger than {max_bytes // 2**20} MB")
                    continue
                yield parse_html(body, uri or where, url=uri, content_type=content_type)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        yield Rejection(source, f"broken {archive} after {pages} page records: {reason}")
        return
    if pages == 0:
        yield Rejection(source, f"{archive} with no response, resource or conversion records")
