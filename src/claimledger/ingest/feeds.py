"""RSS and Atom feeds, with feedparser. Entries that carry the full story become articles; the rest are reported."""

from __future__ import annotations

import html
import time
from typing import Iterator

import feedparser

from claimledger.ingest.html import parse_html
from claimledger.ingest.sniff import root_element
from claimledger.models import Article, Rejection

# An entry's summary is taken as the story itself only when it is this long; shorter ones are teasers.
MIN_SUMMARY_WORDS = 80


def _published(entry: feedparser.FeedParserDict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%dT%H:%M:%S", parsed) if parsed else None


def _full_content(entry: feedparser.FeedParserDict) -> str | None:
    for content in entry.get("content") or ():
        if content.get("value", "").strip():
            return content["value"]
    summary = entry.get("summary") or ""  # None where a broken title swallowed the entry's elements
    if len(summary.split()) >= MIN_SUMMARY_WORDS:
        return summary
    return None


def entry_article(content: str, where: str, *, url: str | None, headline: str | None, outlet: str | None,
                  published: str | None, section: str | None, authors: tuple[str, ...],
                  language: str | None) -> Article | Rejection:
    """An article from a feed entry's HTML content, with the entry's metadata before what the HTML says."""
    page = (f"<html><head><title>{html.escape(headline or '')}</title></head>"
            f"<body><article>{content}</article></body></html>")
    article = parse_html(page, where, url=url)
    if isinstance(article, Rejection):
        return article
    return Article.from_blocks(
        url or where,
        [(b.kind, b.text) for b in article.blocks],
        headline=headline or article.headline, url=url, outlet=outlet or article.outlet,
        published=published or article.published, section=section or article.section,
        authors=authors or article.authors, language=language or article.language, captions=article.captions,
    )


def read_feed(data: bytes, source: str) -> Iterator[Article | Rejection]:
    try:
        feed = feedparser.parse(data)
    except ValueError as exc:
        # feedparser 6.0 raises on an encoding name in the XML declaration that is not UTF-8, and on a character
        # reference to no character (``&#xD800;``, ``&#1114112;``).
        yield Rejection(source, f"unreadable feed: feedparser fails on it ({exc})")
        return
    if not feed.get("version") and not feed.bozo:  # no "version" at all for empty data
        # Well-formed XML that feedparser finds no feed format in (an RSS in a namespace it does not know, a
        # CDF channel): what it takes for entries would be guesses.
        yield Rejection(source, "not a feed format feedparser knows (RSS 0.9x to 2.0, RSS 1.0, Atom): "
                                + _root(data, feed))
        return
    if not feed.entries:
        reason = f"feed with no entries ({feed.bozo_exception})" if feed.bozo else "feed with no entries"
        yield Rejection(source, reason)
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        where = f"{source}#entry{number}"
        link = entry.get("link")
        content = _full_content(entry)
        if content is None:
            yield Rejection(f"{where} ({link or entry.get('title', 'untitled')})",
                            "entry has no full content (title or teaser only)")
            continue
        yield entry_article(
            content, where, url=link, headline=entry.get("title"), outlet=outlet, published=_published(entry),
            section=(entry.get("tags") or [{}])[0].get("term"),
            authors=tuple(a.get("name") for a in entry.get("authors", ()) if a.get("name")),
            language=feed.feed.get("language"),
        )


def _root(data: bytes, feed: feedparser.FeedParserDict) -> str:
    """``root element <RDF> in namespace ...``, with the default namespace the feed's elements are in."""
    name, namespace = root_element(data[:4096]) or ("?", None)
    default = (feed.get("namespaces") or {}).get("")
    return (f"root element <{name}>" + (f" in namespace {namespace}" if namespace else "")
            + (f", elements in namespace {default}" if default and default != namespace else ""))
