"""Tell an input's format from its first bytes, not from its name."""

from __future__ import annotations

from typing import Literal

Format = Literal["empty", "binary", "warc", "feed", "html", "jsonl", "text"]

GZIP_MAGIC = b"\x1f\x8b"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div", b"<p>")
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
# Bytes that never occur in text: NUL and the C0 controls other than tab, newline, form feed and carriage return.
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13})


def sniff(head: bytes) -> Format:
    """The format of a document whose first bytes (already decompressed) are ``head``."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "empty"
    if stripped.startswith(b"WARC/"):
        return "warc"
    sample = stripped[:8192]
    if sum(sample.count(bytes([c])) for c in _CONTROL) > max(1, len(sample) // 1000):
        return "binary"
    lowered = sample[:4096].lower()
    if stripped.startswith(b"<") and any(marker in lowered for marker in _FEED_MARKERS):
        return "feed"
    if stripped.startswith(b"<") and any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    return "text"
