"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1): items that carry the full story become articles.

An item's ``content_html`` is read like a feed entry's HTML, its ``content_text`` like a text file; a ``summary``
counts as the story only when it is as long as a feed's would have to be. ``title``, ``url`` (or
``external_url``), ``date_published`` (or ``date_modified``), ``authors`` (1.1) or ``author`` (1), ``tags`` and
``language`` (1.1) fill the article's metadata, the feed's own ``authors`` and ``language`` where the item has
none. No library reads JSON Feed into these fields, and the format is a few keys of plain JSON.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterator

from claimledger.ingest.charsets import lone_surrogate
from claimledger.ingest.feeds import MIN_SUMMARY_WORDS, entry_article
from claimledger.ingest.text import parse_text
from claimledger.models import Article, Rejection

_VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _authors(holder: dict[str, Any]) -> tuple[str, ...]:
    """Names of version 1.1's ``authors`` list, or of version 1's single ``author``."""
    listed = holder.get("authors")
    if not isinstance(listed, list):
        listed = [holder.get("author")]
    return tuple(name for a in listed if isinstance(a, dict) and (name := _text(a.get("name"))))


def _published(item: dict[str, Any]) -> str | None:
    """RFC 3339 ``date_published`` as the feeds reader gives dates: UTC, to the second."""
    value = _text(item.get("date_published")) or _text(item.get("date_modified"))
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):  # no date, or none in UTC (0001-01-01T00:00:00+14:00 is in the year 0)
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _item_article(item: dict[str, Any], where: str, feed: dict[str, Any]) -> Article | Rejection:
    url = _text(item.get("url")) or _text(item.get("external_url"))
    tags = item.get("tags")
    meta: dict[str, Any] = {
        "url": url,
        "headline": _text(item.get("title")),
        "outlet": _text(feed.get("title")),
        "published": _published(item),
        "section": _text(tags[0]) if isinstance(tags, list) and tags else None,
        "authors": _authors(item) or _authors(feed),
        "language": _text(item.get("language")) or _text(feed.get("language")),
    }
    html = _text(item.get("content_html"))
    if html is not None:
        return entry_article(html, where, **meta)
    text = _text(item.get("content_text"))
    summary = _text(item.get("summary"))
    if text is None and summary is not None and len(summary.split()) >= MIN_SUMMARY_WORDS:
        text = summary
    if text is None:
        return Rejection(f"{where} ({url or meta['headline'] or 'untitled'})",
                         "item has no full content (title or summary only)")
    article = parse_text(text, url or where, **meta)
    return Rejection(where, article.reason) if isinstance(article, Rejection) else article


def is_json_feed(document: Any) -> bool:
    """Whether a parsed JSON document is a JSON Feed: an object with a jsonfeed.org ``version``."""
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith(_VERSION_PREFIXES)


def feed_articles(feed: dict[str, Any], source: str) -> Iterator[Article | Rejection]:
    """The articles of a parsed JSON Feed, and a rejection for each item that holds no story."""
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        yield Rejection(source, "JSON Feed with no items")
        return
    for number, item in enumerate(items, 1):
        where = f"{source}#item{number}"
        if not isinstance(item, dict):
            yield Rejection(where, f"expected a JSON object, got {type(item).__name__}")
            continue
        yield _item_article(item, where, feed)


def read_json_feed(data: bytes, source: str) -> Iterator[Article | Rejection]:
    try:
        feed = json.loads(data)  # UTF-8, or UTF-16 or UTF-32 told by json from the first bytes
    except UnicodeDecodeError as exc:
        yield Rejection(source, f"invalid {exc.encoding.upper()} at byte {exc.start}")
        return
    except json.JSONDecodeError as exc:
        yield Rejection(source, f"invalid JSON Feed: {exc.msg} at line {exc.lineno}, column {exc.colno}")
        return
    except RecursionError:
        yield Rejection(source, "invalid JSON Feed: nested deeper than the parser goes")
        return
    if not is_json_feed(feed):
        yield Rejection(source, "JSON document that is not a JSON Feed (no https://jsonfeed.org/version/ "
                                "version) nor JSON Lines (one object a line)")
        return
    if surrogate := lone_surrogate(feed):
        yield Rejection(source, f"invalid JSON Feed: {surrogate} is half of a character (a lone surrogate)")
        return
    yield from feed_articles(feed, source)
