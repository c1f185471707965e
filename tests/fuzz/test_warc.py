"""Fuzz the WARC and ARC reader. ``read_file`` on mutated archives (the sample WARC, gzipped record by record; its
records one by one; small WARCs with request, response, resource and conversion records, gzipped or not; a built
ARC) yields well-formed articles and rejections, and raises nothing."""

from __future__ import annotations

from hypothesis import example

from claimledger.config import load_settings

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import read_bytes
from fuzz.mutations import literal, mutants

SETTINGS = load_settings({})
ARCHIVES = [seeds.warc(), *seeds.sample_warc_records(), *seeds.small_warcs(), seeds.arc()]


# A response with no WARC-Target-URI: warcio raised AttributeError (cut short, a real record's header is one too).
@example(archive=literal(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nHTTP/"))
@harness("warc", mutants(ARCHIVES), short=100)
def test_archives_yield_articles_or_rejections(archive) -> None:
    read_bytes(archive.data, SETTINGS)
