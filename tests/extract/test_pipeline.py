"""``extract_articles``: the same extractions as one at a time, in input order, across worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.config import load_settings
from claimledger.corpora.polnear import read_split
from claimledger.eval.quotes import gold_article
from claimledger.extract.nlp import cheap_pass, load_nlp
from claimledger.extract.pipeline import _may_hold_quantity, extract_article, extract_articles

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polnear" / "dev"


def test_workers_keep_order_and_results():
    if not DEV.exists():
        pytest.skip(f"PolNeAR dev not present at {DEV}")
    articles = [gold_article(d) for d in read_split(DEV, limit=3)]
    settings = load_settings({}).with_overrides(workers=2)
    streamed = list(extract_articles(iter(articles), settings))
    assert [e.article_id for e in streamed] == [a.id for a in articles]
    assert streamed[1] == extract_article(articles[1], settings)
    for article, extraction in zip(articles, streamed):
        assert extraction.statements
        for statement in extraction.statements:
            assert article.text[statement.span[0] : statement.span[1]] == statement.text


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("One official spoke on the first day.", False),  # "one" and an ordinal alone make no quantity
        ("At least one official spoke.", True),  # a count after a qualifier
        ("Two officials spoke.", True),
    ],
)
def test_sentences_picked_for_a_quantity(text: str, parsed: bool) -> None:
    nlp = load_nlp(load_settings({}).model)
    sentence = next(next(iter(cheap_pass(nlp, [text]))).sents)
    assert _may_hold_quantity(sentence) is parsed
