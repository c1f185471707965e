import json

from claimledger.ingest.jsonfeed import read_json_feed
from claimledger.models import Article, Rejection

PARAGRAPHS = [f"Officials said on Monday that the talks on rents would resume, sentence {i} of the story."
              for i in range(6)]


def feed_v1_1() -> dict:
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "City Wire",
        "home_page_url": "https://wire.example/",
        "language": "en-US",
        "authors": [{"name": "Desk"}],
        "items": [
            {"id": "1", "url": "https://wire.example/rents", "title": "Rents talks resume",
             "content_html": "".join(f"<p>{p}</p>" for p in PARAGRAPHS),
             "date_published": "2022-02-16T10:00:00-05:00", "authors": [{"name": "Jane Roe"}], "tags": ["City"]},
            {"id": "2", "url": "https://wire.example/council", "title": "Council meets",
             "content_text": "\n\n".join(PARAGRAPHS), "date_published": "2022-02-17T08:30:00Z"},
            {"id": "3", "url": "https://wire.example/teaser", "title": "Read more", "summary": "A short teaser."},
            "not an item",
        ],
    }


def test_json_feed_items_with_html_or_text_become_articles_and_teasers_are_reported():
    items = list(read_json_feed(json.dumps(feed_v1_1()).encode(), "wire.json"))
    html, text, teaser, broken = items
    assert isinstance(html, Article) and isinstance(text, Article)
    assert html.url == html.source == "https://wire.example/rents"
    assert html.headline == "Rents talks resume" and html.outlet == "City Wire"
    assert html.published == "2022-02-16T15:00:00"  # in UTC, as the RSS and Atom reader gives dates
    assert html.authors == ("Jane Roe",) and html.section == "City" and html.language == "en-US"
    assert [b.text for b in html.blocks] == PARAGRAPHS
    assert text.text == "\n\n".join(PARAGRAPHS) and text.headline == "Council meets"
    assert text.authors == ("Desk",) and text.published == "2022-02-17T08:30:00"
    assert isinstance(teaser, Rejection) and "no full content" in teaser.reason
    assert teaser.source == "wire.json#item3 (https://wire.example/teaser)"
    assert isinstance(broken, Rejection) and "expected a JSON object" in broken.reason


def test_json_feed_version_1_with_a_single_author():
    feed = {"version": "https://jsonfeed.org/version/1", "title": "Wire",
            "items": [{"id": "a", "url": "https://wire.example/a", "title": "Talks", "author": {"name": "Jo Doe"},
                       "content_html": "".join(f"<p>{p}</p>" for p in PARAGRAPHS)}]}
    (article,) = read_json_feed(json.dumps(feed).encode(), "v1.json")
    assert isinstance(article, Article) and article.authors == ("Jo Doe",)


def test_json_feed_in_utf16_and_broken_ones():
    (first, *_) = read_json_feed(json.dumps(feed_v1_1()).encode("utf-16"), "wide.json")
    assert isinstance(first, Article)
    (empty,) = read_json_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "empty.json")
    assert empty.reason == "JSON Feed with no items"
    (cut,) = read_json_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "cut.json")
    assert "invalid JSON Feed" in cut.reason and "line 1" in cut.reason
