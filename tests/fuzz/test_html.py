"""Fuzz the HTML reader. ``parse_html`` on mutated sample pages (real news pages and small built ones), given as
bytes with or without an HTTP content type, or as text, gives a well-formed article or a rejection."""

from __future__ import annotations

from hypothesis import example, strategies as st

from claimledger.ingest.html import parse_html

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import check_items
from fuzz.mutations import generated, literal, mutants

CONTENT_TYPES = st.none() | st.sampled_from([
    "text/html", "text/html; charset=utf-8", "text/html; charset=ISO-8859-1", "text/html; charset=utf-16",
    "text/html; charset=shift_jis", "text/html; charset=no-such-charset", "text/html; charset=", "application/pdf",
]) | st.text(max_size=40)
PAGES = mutants([*seeds.pages(), *seeds.small_pages()]) | generated(st.binary(max_size=2000))


# A paragraph of one byte-order mark: an article with no text once the mark was cleaned away.
@example(page=literal("<html><body><article>\ufeff</article></body></html>".encode()), content_type=None,
         as_text=False)
@harness("html", PAGES, CONTENT_TYPES, st.booleans(), short=100)
def test_parse_html_gives_an_article_or_a_rejection(page, content_type, as_text) -> None:
    data = page.data
    if as_text:  # as the feed, JSON Lines and JSON Feed readers pass it: already text
        check_items([parse_html(data.decode("utf-8", errors="replace"), "fuzz.html")])
    else:
        check_items([parse_html(data, "fuzz.html", url="https://wire.example/a", content_type=content_type)])
