"""JSON Lines: one article per line (gzip or not). A broken line is reported and the others still ingest.

Fields of a line (all optional but one of ``text``, ``html`` or ``blocks``):
``text`` (plain text, read like a text file), ``html`` (a page, read like an HTML file), ``blocks``
(``[{kind, text}]``), ``headline`` or ``title``, ``url``, ``source``, ``outlet``, ``published`` or ``date``,
``section``, ``authors`` (list or string), ``language``, ``captions`` (``[{text, credit}]`` or strings),
``related`` (``[{text, url}]``). The object ``claimledger show --format jsonl`` prints reads back as it is (its
``blocks`` keep the layout), and so does the ``{"article": {...}, "text": ..., "blocks": [...]}`` shape of
``claimledger extract --format jsonl`` (without blocks) and of older ``claimledger articles`` output.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from claimledger.ingest.charsets import lone_surrogate
from claimledger.ingest.html import parse_html
from claimledger.ingest.jsonfeed import feed_articles, is_json_feed
from claimledger.ingest.text import parse_text
from claimledger.models import Article, Caption, Link, Rejection, clean_text


def _captions(value: Any) -> list[Caption]:
    return [Caption(c) if isinstance(c, str) else Caption(c.get("text", ""), c.get("credit")) for c in value or ()]


def _related(value: Any) -> list[Link]:
    return [Link(r) if isinstance(r, str) else Link(r.get("text", ""), r.get("url")) for r in value or ()]


# The fields that hold text: a record with anything else in one (a list for a URL, a number for a date) is malformed.
_TEXT_FIELDS = ("source", "url", "outlet", "headline", "title", "published", "date", "section", "language")


def article_from_record(record: dict[str, Any], where: str) -> Article | Rejection:
    if isinstance(record.get("article"), dict):  # our own export shape
        record = {**record["article"], "text": record.get("text"), "blocks": record.get("blocks")}
    for name in _TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return Rejection(where, f"malformed record: {name} {json.dumps(record[name])[:40]} is not text")
    authors = record.get("authors") or ()
    meta: dict[str, Any] = {
        "url": record.get("url"),
        "outlet": record.get("outlet"),
        "language": record.get("language"),
        "authors": tuple([authors] if isinstance(authors, str) else authors),
        "captions": _captions(record.get("captions")),
        "related": _related(record.get("related")),
    }
    source = record.get("source") or record.get("url") or where
    headline = record.get("headline") or record.get("title")
    published = record.get("published") or record.get("date")
    section = record.get("section")
    if record.get("blocks"):
        parts = [(b.get("kind", "paragraph"), b.get("text", "")) for b in record["blocks"]]
        if not any(clean_text(text).strip() for _, text in parts):  # not only a "\ufeff"
            return Rejection(where, "record has empty blocks")
        return Article.from_blocks(source, parts, headline=headline, published=published, section=section, **meta)
    if isinstance(record.get("text"), str) and record["text"].strip():
        return parse_text(record["text"], source, headline=headline, published=published, section=section, **meta)
    if isinstance(record.get("html"), str) and record["html"].strip():
        article = parse_html(record["html"], source, url=meta["url"])
        if isinstance(article, Rejection):
            return Rejection(where, article.reason)
        overrides = {k: v for k, v in {"headline": headline, "published": published, "section": section,
                                       "outlet": meta["outlet"]}.items() if v}
        return _merge(article, source, overrides)
    return Rejection(where, "record has no text, html or blocks field")


def _merge(article: Article, source: str, overrides: dict[str, Any]) -> Article:
    meta = article.meta_dict()
    meta.update(overrides)
    return Article.from_blocks(
        source, [(b.kind, b.text) for b in article.blocks], headline=meta["headline"], url=meta["url"],
        outlet=meta["outlet"], published=meta["published"], section=meta["section"], authors=article.authors,
        language=article.language, captions=article.captions, related=article.related,
    )


def read_jsonl(stream: Iterable[bytes], source: str) -> Iterator[Article | Rejection]:
    """Articles from the lines of ``stream`` (UTF-8 bytes: a file opened in binary mode, or a UTF-16 or UTF-32
    file's lines transcoded by ``charsets.utf8_lines``)."""
    number = 0
    records = 0
    try:
        for number, raw in enumerate(stream, 1):
            where = f"{source}:{number}"
            if not raw.strip():
                continue
            records += 1
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Rejection(where, f"invalid UTF-8 at byte {exc.start} of the line")
                continue
            except json.JSONDecodeError as exc:
                yield Rejection(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
                continue
            except RecursionError:
                yield Rejection(where, "invalid JSON: nested deeper than the parser goes")
                continue
            if not isinstance(record, dict):
                yield Rejection(where, f"expected a JSON object, got {type(record).__name__}")
                continue
            if surrogate := lone_surrogate(record):
                yield Rejection(where, f"invalid JSON: {surrogate} is half of a character (a lone surrogate)")
                continue
            if is_json_feed(record):  # a JSON Feed on one line, its version too far in to be sniffed
                yield from feed_articles(record, where)
                continue
            try:
                yield article_from_record(record, where)
            except (TypeError, AttributeError, ValueError) as exc:
                # A field of the wrong shape (a number for a list, a string for an object) is a bad record.
                yield Rejection(where, f"malformed record: {exc}")
    except EOFError:
        yield Rejection(source, f"truncated gzip stream after line {number}")
        return
    except UnicodeDecodeError as exc:  # a UTF-16 or UTF-32 stream that breaks its encoding
        yield Rejection(source, f"invalid {exc.encoding.upper()} after line {number}: {exc.reason}")
        return
    except OSError as exc:
        yield Rejection(source, f"cannot read after line {number}: {exc}")
        return
    if records == 0:
        yield Rejection(source, "JSON Lines file with no records")
