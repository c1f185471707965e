import codecs

import pytest

from claimledger.ingest.sniff import root_element, sniff

RSS = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Wire</title>'
PAGE = "<!DOCTYPE html><html><body><p>Café</p>"


@pytest.mark.parametrize("head, kind", [
    (b"", "empty"),
    (b"  \n\t", "empty"),
    (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed"),
    (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    (b"<!DOCTYPE html><html><body><p>x</p>", "html"),
    (b"\xef\xbb\xbf<html lang=en>", "html"),
    (b'{"headline": "x", "text": "y"}\n', "jsonl"),
    (b"Feb 16, 2022 - World\n\nHeadline\n", "text"),
    (b"<<< BREAKING >>> Talks resume in Geneva", "text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (bytes(range(256)) * 4, "binary"),
])
def test_sniff(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize("codec, bom", [
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_utf16_and_utf32_with_a_byte_order_mark_are_told_like_utf8(codec, bom):
    assert sniff(bom + RSS.encode(codec)) == "feed"
    assert sniff(bom + PAGE.encode(codec)) == "html"
    assert sniff(bom + b'{"text": "y"}\n'.decode().encode(codec)) == "jsonl"
    assert sniff(bom + "Feb 16, 2022 - World\n\nHeadline\n".encode(codec)) == "text"


@pytest.mark.parametrize("head, kind", [
    (b"filedesc://crawl.arc 0.0.0.0 20050614070159 text/plain 76\n1 0 Alexa Internet\n", "arc"),
    (b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "title": "Wire",\n  "items": [', "json_feed"),
    (b'{"version":"http://jsonfeed.org/version/1","items":[]}', "json_feed"),
    (b'{\n  "author": {"name": "Desk"},\n  "items": [', "json_feed"),  # one JSON document, not JSON Lines
    (b'<?xml version="1.0"?><CHANNEL HREF="http://x.example/"><TITLE>News</TITLE>', "xml"),
    (b'<?xml version="1.0"?><x:rss xmlns:x="http://example.org/unknown/"><x:channel>', "xml"),
    (b"<?xml version='1.0'?><note><to>Tove</to></note>", "xml"),
    (b"<h1>Talks resume</h1><span>Officials said</span>", "html"),
])
def test_archives_json_feeds_and_markup_that_is_no_page(head, kind):
    assert sniff(head) == kind


def test_root_element_names_the_namespace():
    assert root_element(b'<?xml version="1.0"?><!-- x --><x:rss xmlns:x="http://e.org/u"><x:channel>') == (
        "rss", "http://e.org/u")
    assert root_element(b"not markup") is None
