"""Bytes to text in whatever charset a document is in.

A byte-order mark says UTF-8, UTF-16 or UTF-32 (LE or BE) for certain; then, for HTML, the charset the HTTP
header or the page itself declares (``<meta charset>``, ``<?xml encoding>``), read by w3lib as browsers read
it (``iso-8859-1`` means windows-1252); then UTF-8; then charset-normalizer's guess. Feeds are left to
feedparser, which reads XML declarations and byte-order marks itself; JSON is UTF-8 or has a byte-order mark.
"""

from __future__ import annotations

import codecs
import io
import json
from typing import IO, Iterator

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom


class CharsetError(ValueError):
    """Bytes that are not text in the charset they declare, nor in any charset that fits them."""


def as_utf8(head: bytes) -> bytes:
    """The first bytes of a document as UTF-8 without a byte-order mark, for telling its format: a UTF-16 or
    UTF-32 head (cut anywhere, even inside a character) is transcoded; any other is returned as it is."""
    codec, bom = read_bom(head)
    if codec is None or bom is None:
        return head
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    return decoder.decode(head[len(bom):], final=False).encode("utf-8")


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise CharsetError(f"invalid {_name(codec)} at byte {exc.start}") from exc


def _name(codec: str) -> str:
    return codecs.lookup(codec).name.upper().replace("UTF-16-", "UTF-16").replace("UTF-32-", "UTF-32")


def _guess(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else None


def decode_text(data: bytes) -> str:
    """Plain text: by its byte-order mark, else UTF-8, else the charset charset-normalizer finds fits best.

    Raises CharsetError when the bytes break the byte-order mark's encoding or no charset fits them.
    """
    codec, bom = read_bom(data)
    if codec is not None and bom is not None:
        return _strict(data[len(bom):], codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        guessed = _guess(data)
        if guessed is None:
            raise CharsetError(f"invalid UTF-8 at byte {exc.start}, and no other charset fits") from exc
        return guessed


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """An HTML page: by its byte-order mark; else as UTF-8 when it is UTF-8 with non-ASCII characters (a page
    saved again as UTF-8 keeps its old ``<meta charset>``, while text in a legacy charset almost never forms
    valid UTF-8 sequences); else in the charset ``content_type`` or the page declares, when the bytes are text
    in it; else UTF-8; else charset-normalizer's guess; else UTF-8 with replacement characters."""
    codec, bom = read_bom(data)
    if codec is not None and bom is not None:
        return data[len(bom):].decode(codec, errors="replace")
    try:
        utf8: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and not utf8.isascii():
        return utf8
    declared = http_content_type_encoding(content_type) if content_type else None
    for charset in (declared, html_body_declared_encoding(data)):
        if charset and not charset.startswith(("utf-16", "utf-32")):  # declared without a BOM: not to be trusted
            try:
                return data.decode(charset)
            except UnicodeDecodeError:
                continue  # the declaration is wrong: the bytes are not text in it
    if utf8 is not None:
        return utf8
    return _guess(data) or data.decode("utf-8", errors="replace")


def utf8_lines(stream: IO[bytes], codec: str) -> Iterator[bytes]:
    """The lines of a text stream in ``codec`` (its byte-order mark skipped), each as UTF-8 bytes.

    Lines end at ``\\n`` only, as they do for bytes read line by line, so a U+2028 inside a JSON string stays in
    its line. Raises UnicodeDecodeError where the stream breaks the encoding.
    """
    # The BOM-reading codecs: "utf-16" and "utf-32" take the byte order from the mark and drop it.
    reading = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
               "utf-32-le": "utf-32", "utf-32-be": "utf-32"}.get(codec, codec)
    text = io.TextIOWrapper(stream, encoding=reading, newline="\n")
    try:
        for line in text:
            yield line.encode("utf-8")
    finally:
        text.detach()  # the caller closes the stream it opened


def lone_surrogate(document: object) -> str | None:
    """The first lone surrogate in the strings of a parsed JSON document, as its escape (``\\ud800``), or None.

    json.loads decodes an escaped surrogate that pairs with no other into a string that is not Unicode text,
    which neither the store nor the JSON output can write.
    """
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"\\u{ord(exc.object[exc.start]):04x}"
    return None


__all__ = ["CharsetError", "as_utf8", "decode_html", "decode_text", "lone_surrogate", "read_bom", "utf8_lines"]
