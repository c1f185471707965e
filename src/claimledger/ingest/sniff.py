"""Tell an input's format from its first bytes, not from its name."""

from __future__ import annotations

import re
from typing import Literal

from lxml import etree
from lxml.html import defs as html_defs

from claimledger.ingest.charsets import as_utf8

Format = Literal["empty", "binary", "warc", "arc", "feed", "json_feed", "html", "xml", "jsonl", "text"]

GZIP_MAGIC = b"\x1f\x8b"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div", b"<p>")
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
# JSON Feed's required top-level "version" (https://jsonfeed.org/version/1.1): what tells it from JSON Lines.
_JSON_FEED_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
# Bytes that never occur in text: NUL and the C0 controls other than tab, newline, form feed and carriage return.
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13})


def root_element(head: bytes) -> tuple[str, str | None] | None:
    """The name and namespace of a markup document's first element (``("rss", "http://example.org/ns")``,
    ``("CHANNEL", None)``), read by lxml from the document's first bytes; None when they hold no element (text
    that starts with ``<``)."""
    parser = etree.XMLPullParser(events=("start",), recover=True, resolve_entities=False, no_network=True)
    try:
        parser.feed(as_utf8(head).lstrip())
    except etree.XMLSyntaxError:
        return None
    for _, element in parser.read_events():
        try:
            name = etree.QName(element)
        except ValueError:  # a name lxml recovered but cannot read back: a prefix bound to no namespace (xmlns:x='')
            return None
        return name.localname, name.namespace
    return None


def _is_html_element(name: str, namespace: str | None) -> bool:
    return namespace in (None, "http://www.w3.org/1999/xhtml") and name.lower() in html_defs.tags


def sniff(head: bytes) -> Format:
    """The format of a document whose first bytes (already decompressed) are ``head``; a UTF-16 or UTF-32 one
    (with its byte-order mark) is told like its UTF-8 transcoding."""
    stripped = as_utf8(head).lstrip(b" \t\r\n")
    if not stripped:
        return "empty"
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"filedesc://"):  # an ARC file's first record (Internet Archive ARC, version 1 or 2)
        return "arc"
    sample = stripped[:8192]
    if sum(sample.count(bytes([c])) for c in _CONTROL) > max(1, len(sample) // 1000):
        return "binary"
    lowered = sample[:4096].lower()
    if stripped.startswith(b"<"):
        if any(marker in lowered for marker in _FEED_MARKERS):
            return "feed"
        if any(marker in lowered for marker in _HTML_MARKERS):
            return "html"
        root = root_element(stripped)
        if root is not None:
            # Markup that is not a known feed: an HTML fragment is read as a page, any other XML is reported.
            return "html" if _is_html_element(*root) else "xml"
    if stripped.startswith(b"{"):
        # A JSON object over several lines is one document, never JSON Lines: read as a JSON Feed, or reported.
        pretty_printed = stripped[1:].lstrip(b" \t\r").startswith(b"\n")
        return "json_feed" if pretty_printed or _JSON_FEED_VERSION.search(sample) else "jsonl"
    return "text"
