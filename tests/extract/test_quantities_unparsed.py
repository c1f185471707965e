"""find_quantities_unparsed: on the sentences it settles without the parse, the same quantities as
find_quantities on the sentence parsed on its own, over real FNC-1 bodies; and None where the parse decides."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from claimledger.config import load_settings
from claimledger.extract.nlp import cheap_pass, load_nlp, sentence_docs, syntax_pass
from claimledger.extract.pipeline import _may_hold_quantity
from claimledger.extract.quantities import find_quantities, find_quantities_unparsed

from paths import fnc1_bodies



@pytest.fixture(scope="module")
def two_pass_nlp() -> Language:
    return load_nlp(load_settings({}).model)


def _sentence(nlp: Language, text: str) -> Doc:
    doc = next(iter(cheap_pass(nlp, [text])))
    return next(sentence_docs(doc, [next(doc.sents)]))


def _read(found) -> list[tuple]:
    return [(q.text, q.value, q.unit, q.qualifier, q.span) for q in found]


def test_a_count_of_a_plural_noun_is_settled(two_pass_nlp: Language) -> None:
    found = find_quantities_unparsed(_sentence(two_pass_nlp, "Russia has massed more than 150,000 troops."))
    assert _read(found) == [("more than 150,000 troops", 150000.0, "troops", "more than", (18, 42))]


def test_money_and_percent_are_settled(two_pass_nlp: Language) -> None:
    found = find_quantities_unparsed(_sentence(two_pass_nlp, "Sales grew by 5.2% to $1.2 billion."))
    assert [(q.text, q.unit) for q in found] == [("5.2%", "percent"), ("$1.2 billion", "USD")]


def test_a_year_is_no_quantity(two_pass_nlp: Language) -> None:
    assert find_quantities_unparsed(_sentence(two_pass_nlp, "The war began in 2014.")) == []


def test_number_words_and_labels_need_the_parse(two_pass_nlp: Language) -> None:
    assert find_quantities_unparsed(_sentence(two_pass_nlp, "Two men were held on Flight 370.")) is None


def test_settled_sentences_agree_with_the_parse(two_pass_nlp: Language) -> None:
    bodies = fnc1_bodies(60)
    settled = 0
    for doc in cheap_pass(two_pass_nlp, bodies):
        sentences = [s for s in doc.sents if _may_hold_quantity(s)]
        copies = list(sentence_docs(doc, sentences))
        unparsed = [find_quantities_unparsed(copy) for copy in copies]
        for found, parsed in zip(unparsed, syntax_pass(two_pass_nlp, copies)):
            if found is None:
                continue
            settled += 1
            assert _read(found) == _read(find_quantities(parsed)), parsed.text
    assert settled > 20
