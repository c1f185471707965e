"""Fuzz the quantity parser. ``find_quantities`` (on the parsed text) and ``find_quantities_unparsed`` (on each
sentence of the cheap pass) on mutated sample paragraphs and generated number-laden text give quantities in text
order, each slicing the text to its own words, with a finite value. The spaCy pipeline is loaded once."""

from __future__ import annotations

import math
import re
from functools import cache

from hypothesis import strategies as st
from spacy.language import Language
from threadpoolctl import ThreadpoolController

from claimledger.config import load_settings
from claimledger.extract.nlp import cheap_pass, load_nlp, sentence_docs
from claimledger.extract.quantities import find_quantities, find_quantities_unparsed

from fuzz import seeds
from fuzz.budget import harness
from fuzz.mutations import TEXT_TOKENS, Seed, generated, text_mutants

# Sentences with a number, not whole articles: the parse is the slow part, and a quantity never spans sentences.
SENTENCES = [Seed(f"{seed.name}#{n}", sentence) for seed in seeds.texts()
             for n, sentence in enumerate(re.split(r"(?<=[.!?])\s+", seed.data)) if re.search(r"\d", sentence)]
TEXTS = text_mutants(SENTENCES, max_edits=4) | generated(
    st.lists(st.sampled_from(TEXT_TOKENS) | st.text(max_size=8), max_size=16).map(" ".join))


# One BLAS thread while parsing, as extraction runs it: on inputs this small a thread pool costs ten times the parse.
THREADS = ThreadpoolController()


@cache
def _nlp() -> Language:
    return load_nlp(load_settings({}).model)


def _check(quantities, text: str) -> None:
    previous_end = 0
    for quantity in quantities:
        start, end = quantity.span
        assert previous_end <= start < end <= len(text), quantity
        assert text[start:end] == quantity.text, quantity
        assert math.isfinite(quantity.value), quantity
        previous_end = end


@harness("quantities", TEXTS, short=100)
def test_every_quantity_slices_to_its_text(text) -> None:
    nlp = _nlp()
    with THREADS.limit(limits=1, user_api="blas"):
        parsed = nlp(text.data)
        doc = next(iter(cheap_pass(nlp, [text.data])))
    _check(find_quantities(parsed), text.data)
    for sentence in sentence_docs(doc, doc.sents):
        found = find_quantities_unparsed(sentence)
        if found is not None:
            _check(found, sentence.text)
