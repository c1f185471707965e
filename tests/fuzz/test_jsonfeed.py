"""Fuzz the JSON Feed reader. ``read_json_feed`` on a mutated JSON Feed (built from the sample texts) and on
generated feeds (every field of the right shape or of any other, strings with lone surrogates) yields
well-formed articles and rejections, and raises nothing."""

from __future__ import annotations

import json

from hypothesis import example, strategies as st

from claimledger.ingest.jsonfeed import read_json_feed

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import check_items
from fuzz.json_values import JSON_FEEDS
from fuzz.mutations import generated, literal, mutants

GENERATED = st.builds(lambda feed, ascii, indent: json.dumps(feed, ensure_ascii=ascii, indent=indent)
                      .encode("utf-8", errors="surrogatepass"), JSON_FEEDS, st.booleans(), st.none() | st.just(1))


# A lone surrogate in an item's text: raised in content_id, which hashes the text as UTF-8.
@example(feed=literal(b'{"version": "https://jsonfeed.org/version/1.1", '
                      b'"items": [{"content_text": "Officials said on Monday \\ud800 that talks resume."}]}'))
@example(feed=literal(b"[" * 5000))  # nested deeper than json.loads can go
# A date in the year 0 once in UTC: raised OverflowError.
@example(feed=literal(b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"content_text": "Officials '
                      b'said on Monday that talks resume.", "date_published": "0001-01-01T00:00:00+14:00"}]}'))
@harness("jsonfeed", mutants([seeds.json_feed()]) | generated(GENERATED), short=200)
def test_json_feeds_yield_articles_or_rejections(feed) -> None:
    check_items(read_json_feed(feed.data, "fuzz.json"))
