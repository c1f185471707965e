"""Inputs for the harnesses: real files (seeds) with their bytes or characters mutated.

A mutant is a seed and a short list of edits (truncate, flip a byte, insert a token, delete, repeat, re-encode),
each placed by an integer taken modulo the input's length, so that hypothesis shrinks a failure to few, early
edits, and a failing example prints as ``Mutant('pages.warc.gz', [Truncate(at=812)])`` rather than as the bytes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, Sequence, TypeVar

from hypothesis import strategies as st

T = TypeVar("T", bytes, str)

# Bytes that break readers: byte-order marks, NULs and controls, markup and JSON syntax, bytes that are no UTF-8,
# a lone surrogate encoded, declarations of other charsets, the first bytes of other formats, huge lengths, deep
# nesting.
BYTE_TOKENS: tuple[bytes, ...] = (
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE,
    b"\x00", b"\x00\x00\x00", b"\x07", b"\x1b", b"\x7f", b"\r", b"\r\n", b"\n\n", b"\t", b"\x0c",
    b"\xff", b"\xfe", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x80\xa8", b"\xc2\xa0",
    "\u00ad\u200b\ufeff".encode(), "e\u0301".encode(), "\U0001f600".encode(),
    b"<", b">", b"</", b"/>", b"<p>", b"</p>", b"<br>", b"<div>", b"</div>", b"<html>", b"</html>", b"<body>",
    b"<title>", b"</title>", b"<article>", b"<script>", b"</script>", b"<style>", b"<table>", b"<figure>",
    b"<figcaption>", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<!DOCTYPE html>", b"&", b"&amp;", b"&#0;",
    b"&#xD800;", b"&#1114112;", b"&nbsp;", b"&unknown;", b'<!ENTITY x "xx">', b"<x:y xmlns:x=''>",
    b'<?xml version="1.0" encoding="utf-16"?>', b'<?xml version="1.0" encoding="ebcdic-unknown"?>',
    b'<meta charset="utf-32">', b'<meta charset="shift_jis">', b'<meta charset="x-no-such">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
    b"<rss>", b"<rss version='2.0'>", b"<channel>", b"<item>", b"</item>", b"<entry>", b"<feed>", b"<rdf:RDF>",
    b"<content:encoded>", b"<description>", b"<pubDate>", b"Mon, 32 Feb 99999 25:61:00 +9999", b"<updated>",
    b"{", b"}", b"[", b"]", b'"', b":", b",", b"\\", b"\\u0000", b"\\ud800", b"\\udfff", b"null", b"1e999",
    b"-0", b"NaN", b'"text":', b'"html":', b'"blocks":', b'"items":',
    b'"version":"https://jsonfeed.org/version/1"',
    b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"WARC-Type: resource\r\n", b"Content-Length: 99999999999\r\n",
    b"Content-Length: -1\r\n", b"Content-Type: text/html\r\n", b"\r\n\r\n", b"filedesc://", b"HTTP/1.1 200 OK\r\n",
    b"Transfer-Encoding: chunked\r\n", b"Content-Encoding: gzip\r\n", b"\x1f\x8b", b"\x1f\x8b\x08\x00\x00\x00",
    b"[" * 5000, b'{"a":' * 5000, b"<div>" * 5000,  # nesting deeper than the recursion limit
)

# Characters that break text parsers: separators and controls, invisible and combining characters, scripts and
# digits other than ASCII, and the pieces of datelines, dates and quantities.
TEXT_TOKENS: tuple[str, ...] = (
    "\x00", "\r", "\r\n", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\ufeff",
    "\u00ad", "\u200b", "\u200d", "\u0301", "\u0338", "\ufb01", "\u2163", "\u00bd", "\u0663", "\uff11", "ß", "İ",
    "\U0001f600", "\U0001f1fa\U0001f1f8", "Ω", "日本", "ﷺ", "  ", "•", "· ", "- ", "* ", "– ", "—", "“", "”", "’",
    ":", ";", ",", ".", "Photo:", "Go deeper:", "Why it matters:", "Feb 16, 2022 - World", "Feb. 16, 2022",
    "Sept. 31", "February 29, 2023", "Jan 1, 0001", "Dec 31, 9999, 23:59 p.m. EST", "9999", "0000", "1e999",
    "Monday", "last Tuesday", "next year", "the 1990s", "'90s", "Q4", "H3", "first quarter", "the 21st century",
    "five months ago", "two decades ago", "Easter", "Thanksgiving", "nineteen ninety-nine", "the year two thousand",
    "2022-02-30", "13/45/2022", "May", "March of", "$", "€", "£", "¥", "%", "percent", "$1.2bn", "3.5bn", "150,000",
    "1,2,3", "0.0", "1e5", "12m.", "twenty-five", "one hundred and five", "a third of", "half a dozen",
    "tens of thousands of", "dozens", "more than", "up to", "troops", "people", "Smith, 45,", "Flight 370", "-",
)


@dataclass(frozen=True)
class Seed(Generic[T]):
    """A real (or built) input, named by where it comes from; a generated one shows its data instead."""

    name: str
    data: T = field(repr=False)

    def __repr__(self) -> str:
        return f"Seed({self.data!r})" if self.name == GENERATED else f"Seed({self.name!r})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # how hypothesis prints a failing example
        printer.text(repr(self))


GENERATED = "generated"


@dataclass(frozen=True)
class Truncate:
    at: int

    def apply(self, data: T) -> T:
        return data[: self.at % (len(data) + 1)]


@dataclass(frozen=True)
class Flip:
    """XOR one byte (or character code) with ``mask``."""

    at: int
    mask: int

    def apply(self, data: T) -> T:
        if not data:
            return data
        i = self.at % len(data)
        if isinstance(data, bytes):
            return data[:i] + bytes([data[i] ^ (self.mask & 0xFF or 1)]) + data[i + 1 :]
        code = ord(data[i]) ^ (self.mask or 1)
        changed = chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        return data[:i] + changed + data[i + 1 :]


@dataclass(frozen=True)
class Insert(Generic[T]):
    at: int
    token: T

    def apply(self, data: T) -> T:
        i = self.at % (len(data) + 1)
        return data[:i] + self.token + data[i:]


@dataclass(frozen=True)
class Delete:
    at: int
    length: int

    def apply(self, data: T) -> T:
        i = self.at % (len(data) + 1)
        return data[:i] + data[i + self.length :]


@dataclass(frozen=True)
class Repeat:
    """Repeat ``length`` bytes (or characters) from ``at`` ``times`` more times."""

    at: int
    length: int
    times: int

    def apply(self, data: T) -> T:
        i = self.at % (len(data) + 1)
        piece = data[i : i + self.length]
        return data[: i + len(piece)] + piece * self.times + data[i + len(piece) :]


# Codecs a document may be re-encoded in: with their byte-order mark, without it, and legacy charsets.
REENCODINGS = ("utf-8-sig", "utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-be", "latin-1", "cp1252",
               "shift_jis", "koi8-r", "utf-7")


@dataclass(frozen=True)
class Reencode:
    """The whole document, read as UTF-8, written in ``codec`` (characters it lacks replaced)."""

    codec: str

    def apply(self, data: bytes) -> bytes:
        return data.decode("utf-8", errors="replace").encode(self.codec, errors="replace")


Edit = Truncate | Flip | Insert | Delete | Repeat | Reencode


@dataclass(frozen=True)
class Mutant(Generic[T]):
    """A seed with ``edits`` applied in order."""

    seed: Seed[T]
    edits: tuple[Edit, ...]

    @cached_property
    def data(self) -> T:
        data = self.seed.data
        for edit in self.edits:
            data = edit.apply(data)
        return data

    def __repr__(self) -> str:
        return f"Mutant({self.seed!r}, {list(self.edits)!r})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(repr(self))


def literal(value: T) -> Mutant[T]:
    """An input as it is (a regression's minimal input, in an ``@example``), as a mutant with no edits."""
    return Mutant(Seed(GENERATED, value), ())


def generated(data: st.SearchStrategy[T]) -> st.SearchStrategy[Mutant[T]]:
    """Generated inputs, as mutants with no edits, so that a harness takes them beside the mutants of seeds."""
    return data.map(literal)


_AT = st.integers(min_value=0, max_value=2**20)


def _edits(token: st.SearchStrategy, reencode: bool) -> st.SearchStrategy[Edit]:
    options = [
        st.builds(Truncate, _AT),
        st.builds(Flip, _AT, st.integers(min_value=1, max_value=0x10FFFF)),
        st.builds(Insert, _AT, token),
        st.builds(Delete, _AT, st.integers(min_value=1, max_value=4096)),
        st.builds(Repeat, _AT, st.integers(min_value=1, max_value=256), st.integers(min_value=1, max_value=8)),
    ]
    if reencode:
        options.append(st.builds(Reencode, st.sampled_from(REENCODINGS)))
    return st.one_of(options)


def mutants(seeds: Sequence[Seed[bytes]], max_edits: int = 6, reencode: bool = True
            ) -> st.SearchStrategy[Mutant[bytes]]:
    """Byte mutants of ``seeds``; inserted tokens are from ``BYTE_TOKENS`` or random bytes."""
    token = st.sampled_from(BYTE_TOKENS) | st.binary(min_size=1, max_size=64)
    return st.builds(Mutant, st.sampled_from(list(seeds)),
                     st.lists(_edits(token, reencode), max_size=max_edits).map(tuple))


def text_mutants(seeds: Sequence[Seed[str]], max_edits: int = 6) -> st.SearchStrategy[Mutant[str]]:
    """Character mutants of ``seeds``; inserted tokens are from ``TEXT_TOKENS`` or random text."""
    token = st.sampled_from(TEXT_TOKENS) | st.text(min_size=1, max_size=24)
    return st.builds(Mutant, st.sampled_from(list(seeds)),
                     st.lists(_edits(token, reencode=False), max_size=max_edits).map(tuple))
