"""Fuzz the feed reader. ``read_feed`` on mutated RSS 2.0 (the sample) and Atom (built from the sample texts)
yields well-formed articles and rejections, and raises nothing."""

from __future__ import annotations

from hypothesis import example

from claimledger.ingest.feeds import read_feed

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import check_items
from fuzz.mutations import literal, mutants


@example(feed=literal(b""))  # feedparser gives no "version" for empty data
# An unclosed title swallows the entry's content, and feedparser gives its summary as None.
@example(feed=literal(b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>A=/title>"
                      b"<content type='html'>b</content></entry></feed>"))
@example(feed=literal(b'<?xml version="1.0" encoding="\xd5"?><rss/>'))  # feedparser decodes the name as UTF-8
# References to no character, which feedparser encodes as UTF-8: a surrogate, and one past the last code point.
@example(feed=literal(b"<rss><channel><title>a&#55296;</title></channel></rss>"))
@example(feed=literal(b"<rss><channel><title>a&#1114112;</title></channel></rss>"))
@harness("feeds", mutants([seeds.rss(), seeds.atom()]), short=100)
def test_read_feed_yields_articles_or_rejections(feed) -> None:
    check_items(read_feed(feed.data, "fuzz.rss"))
