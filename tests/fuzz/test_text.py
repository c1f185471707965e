"""Fuzz the plain-text reader. ``parse_text`` on mutated sample articles and on generated paragraphs gives a
well-formed article or a rejection; ``decode_text`` on their bytes, re-encoded and broken, gives text or raises
``CharsetError``, nothing else."""

from __future__ import annotations

from hypothesis import example, strategies as st

from claimledger.ingest.charsets import CharsetError, decode_text
from claimledger.ingest.text import parse_text

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import check_items
from fuzz.mutations import TEXT_TOKENS, Seed, generated, literal, mutants, text_mutants

# Paragraphs built of the pieces the text reader looks for: datelines, bullets, labels, captions and credits.
PARAGRAPHS = st.lists(st.sampled_from(TEXT_TOKENS) | st.text(max_size=40), max_size=60).map("".join)


@example(text=literal("\x00\n\n\ufeff"))  # a body of one byte-order mark: an article with no text
@harness("text", text_mutants(seeds.texts()) | generated(PARAGRAPHS))
def test_parse_text_gives_an_article_or_a_rejection(text) -> None:
    check_items([parse_text(text.data, "fuzz.txt")])


@harness("text-bytes", mutants([Seed(s.name, s.data.encode()) for s in seeds.texts()]) | generated(st.binary()))
def test_decode_text_gives_text_or_a_charset_error(data) -> None:
    try:
        text = decode_text(data.data)
    except CharsetError as exc:
        assert str(exc)
        return
    assert isinstance(text, str)
    check_items([parse_text(text, "fuzz.txt")])
