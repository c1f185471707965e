import pytest

from claimledger.ingest.sniff import sniff


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
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (bytes(range(256)) * 4, "binary"),
])
def test_sniff(head, kind):
    assert sniff(head) == kind
