"""Fuzz the JSON Lines reader. ``read_file`` on mutated sample lines (gzipped or not) and on generated records
(every field of the right shape or of any other, strings with lone surrogates, JSON Feeds on one line) yields
well-formed articles and rejections, and raises nothing."""

from __future__ import annotations

import gzip
import json

from hypothesis import example, strategies as st

from claimledger.config import load_settings

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import read_bytes
from fuzz.json_values import JSON_FEEDS, JSONL_FIELDS, VALUES, records
from fuzz.mutations import Seed, generated, literal, mutants

SETTINGS = load_settings({})
LINES = st.lists(records(JSONL_FIELDS) | JSON_FEEDS | VALUES, min_size=1, max_size=4)
GENERATED = st.builds(lambda lines, ascii: "\n".join(json.dumps(line, ensure_ascii=ascii) for line in lines)
                      .encode("utf-8", errors="surrogatepass"), LINES, st.booleans())
SAMPLE = seeds.jsonl()


STORY = '"text": "Officials said on Monday that the talks would resume."'


@example(lines=literal(f'{{{STORY}, "language": [null]}}'.encode()))  # raised in language_code
@example(lines=literal(f'{{{STORY}, "article": {{"url": [null]}}}}'.encode()))  # an article whose URL was a list
@example(lines=literal(f'{{{STORY}, "authors": ["\\ud800"]}}'.encode()))  # an author the store cannot write
@example(lines=literal(b"{\"a\":" * 5000))  # nested deeper than json.loads can go
@example(lines=literal(b'{"blocks": [{"text": "\\ufeff"}]}'))  # an article with no text once the mark was cleaned
@harness("jsonl", mutants([SAMPLE, Seed("fnc1.jsonl.gz", gzip.compress(SAMPLE.data, mtime=0))])
         | generated(GENERATED), short=200)
def test_json_lines_yield_articles_or_rejections(lines) -> None:
    read_bytes(lines.data, SETTINGS)
