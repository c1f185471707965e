"""Read any supported input: a file of any format (gzip or not) or a directory, recursively."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import Iterator

from claimledger.config import Settings
from claimledger.ingest.charsets import CharsetError, decode_text, read_bom, utf8_lines
from claimledger.ingest.feeds import read_feed
from claimledger.ingest.html import parse_html
from claimledger.ingest.jsonfeed import read_json_feed
from claimledger.ingest.jsonl import read_jsonl
from claimledger.ingest.language import with_language
from claimledger.ingest.sniff import GZIP_MAGIC, root_element, sniff
from claimledger.ingest.text import parse_text
from claimledger.ingest.warc import read_warc
from claimledger.models import Article, Rejection

_SNIFF_BYTES = 16384


def iter_files(path: Path) -> Iterator[Path]:
    """``path`` itself, or every file below it in a stable order (hidden files and folders skipped)."""
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def list_files(paths: list[Path]) -> tuple[list[Path], list[Rejection]]:
    """Every file named or below a named folder, and a rejection for each path that does not exist."""
    files: list[Path] = []
    missing: list[Rejection] = []
    for path in paths:
        if path.exists():
            files.extend(iter_files(path))
        else:
            missing.append(Rejection(str(path), "no such file or directory"))
    return files, missing


def read_paths(paths: list[Path], settings: Settings) -> Iterator[Article | Rejection]:
    files, missing = list_files(paths)
    yield from missing
    for file in files:
        yield from read_file(file, settings)


def _open(path: Path, compressed: bool):
    return gzip.open(path, "rb") if compressed else path.open("rb")


def read_file(path: Path, settings: Settings) -> Iterator[Article | Rejection]:
    """Articles from one file, each with its language; every failure becomes a Rejection naming the file and
    the reason."""
    for item in _read_file(path, settings):
        yield with_language(item) if isinstance(item, Article) else item


def _read_file(path: Path, settings: Settings) -> Iterator[Article | Rejection]:
    source = str(path)
    max_bytes = int(settings.max_document_mb * 2**20)
    try:
        with path.open("rb") as raw:
            compressed = raw.read(2) == GZIP_MAGIC
        with _open(path, compressed) as stream:
            head = stream.read(_SNIFF_BYTES)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Rejection(source, f"truncated or corrupt gzip stream ({exc or 'unexpected end of data'})")
        return
    except OSError as exc:
        yield Rejection(source, f"cannot read: {exc.strerror or exc}")
        return

    kind = sniff(head)
    if kind == "empty":
        yield Rejection(source, "empty file")
    elif kind == "binary":
        yield Rejection(source, "binary file, not text, HTML, a feed, WARC, ARC or JSON Lines")
    elif kind == "xml":
        yield Rejection(source, _not_an_article(head))
    elif kind in ("warc", "arc"):
        yield from read_warc(path, source, max_bytes, archive=kind.upper())
    elif kind == "jsonl":
        codec, _ = read_bom(head)
        with _open(path, compressed) as stream:
            yield from read_jsonl(utf8_lines(stream, codec) if codec else stream, source)
    else:
        yield from _read_document(path, compressed, kind, source, max_bytes)


def _not_an_article(head: bytes) -> str:
    """Why an XML document that is neither a feed nor a page is not read, naming its root element."""
    name, namespace = root_element(head) or ("?", None)
    where = f" in namespace {namespace}" if namespace else ""
    return (f"XML document <{name}>{where}: not a feed that is read (RSS, Atom, RDF, JSON Feed) "
            "nor an HTML page, so no article")


def _read_document(path: Path, compressed: bool, kind: str, source: str, max_bytes: int
                   ) -> Iterator[Article | Rejection]:
    """A single-document format (text, HTML, feed, JSON Feed), read whole up to the size limit."""
    try:
        with _open(path, compressed) as stream:
            data = stream.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Rejection(source, f"truncated or corrupt gzip stream ({exc or 'unexpected end of data'})")
        return
    if len(data) > max_bytes:
        yield Rejection(source, f"larger than the {max_bytes / 2**20:g} MB limit for one {kind} document "
                                "(max_document_mb setting)")
        return
    if kind == "feed":
        yield from read_feed(data, source)  # feedparser reads the byte-order mark and the XML declaration itself
    elif kind == "json_feed":
        yield from read_json_feed(data, source)
    elif kind == "html":
        yield parse_html(data, source)
    else:
        try:
            text = decode_text(data)
        except CharsetError as exc:
            yield Rejection(source, str(exc))
            return
        yield parse_text(text, source)
