"""RSS and Atom feeds, with feedparser. Entries that carry the full story become articles; the rest are reported."""

from __future__ import annotations

import time
from typing import Iterator

import feedparser

from claimledger.ingest.html import parse_html
from claimledger.models import Article, Rejection

# An entry's summary is taken as the story itself only when it is this long; shorter ones are teasers.
_MIN_SUMMARY_WORDS = 80


def _published(entry: feedparser.FeedParserDict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%dT%H:%M:%S", parsed) if parsed else None


def _full_content(entry: feedparser.FeedParserDict) -> str | None:
    for content in entry.get("content") or ():
        if content.get("value", "").strip():
            return content["value"]
    summary = entry.get("summary", "")
    if len(summary.split()) >= _MIN_SUMMARY_WORDS:
        return summary
    return None


def read_feed(data: bytes, source: str) -> Iterator[Article | Rejection]:
    feed = feedparser.parse(data)
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
        page = f"<html><head><title>{entry.get('title', '')}</title></head><body><article>{content}</article></body></html>"
        article = parse_html(page, where, url=link)
        if isinstance(article, Rejection):
            yield article
            continue
        authors = tuple(a.get("name") for a in entry.get("authors", ()) if a.get("name")) or article.authors
        yield Article.from_blocks(
            link or where,
            [(b.kind, b.text) for b in article.blocks],
            headline=entry.get("title") or article.headline, url=link, outlet=outlet or article.outlet,
            published=_published(entry) or article.published,
            section=(entry.get("tags") or [{}])[0].get("term") or article.section,
            authors=authors, language=feed.feed.get("language") or article.language, captions=article.captions,
        )
