"""Extraction of one article or a stream of them: actors, statements, dates, quantities and places.

The model runs in two passes so that the costly parser only reads what needs it. Every article goes through the
cheap pass (tokens, entities, sentence boundaries); the attribution tagger, actors and statements work from that.
Only sentences that hold a number or a place name are parsed in full, for the quantity and place readers, whose
offsets are then moved back into the article.
"""

from __future__ import annotations

import multiprocessing
from itertools import islice
from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Span

from claimledger.config import Settings
from claimledger.extract.actors import find_actors
from claimledger.extract.attribution import load_tagger
from claimledger.extract.dates import find_dates
from claimledger.extract.nlp import cheap_pass, load_nlp, sentence_docs, syntax_pass
from claimledger.extract.places import find_places
from claimledger.extract.quantities import find_quantities
from claimledger.extract.statements import build_statements
from claimledger.models import Article, Extraction, Place, Quantity

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words that make a quantity without digits. "one" and "half" are left out: nearly always pronoun or idiom.
NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens "
    "percent".split()
)
NOT_QUANTITY_ENTITIES = frozenset({"DATE", "TIME", "ORDINAL"})
# Articles per nlp.pipe batch and per job handed to a worker: small enough that workers share the work evenly
# (with 8, the last jobs of PolNeAR dev left one of two workers idle for a second); entity recognition runs as
# fast on one article at a time as on 64.
BATCH_SIZE = 2
WARM_UP_TEXT = "More than 150,000 troops are near Kyiv, Ukraine, U.S. President Joe Biden said Tuesday."


def article_paragraphs(doc: Doc, article: Article) -> list[tuple[int, int]]:
    """Token ranges of the article's paragraph and bullet blocks; section labels hold no statements."""
    ranges = []
    for block in article.blocks:
        if block.kind == "label":
            continue
        span = doc.char_span(block.start, block.end, alignment_mode="expand")
        if span is not None and len(span):
            ranges.append((span.start, span.end))
    return ranges


def _needs_parse(sentence: Span) -> bool:
    """Whether a sentence may hold a quantity or a place: a number that is no date, or a place name."""
    return any(
        (t.like_num and t.ent_type_ not in NOT_QUANTITY_ENTITIES)
        or t.lower_ in NUMBER_WORDS
        or t.text in ("%", "$", "€", "£")
        or t.ent_type_ in PLACE_LABELS
        for t in sentence
    )


def _quantities_and_places(doc: Doc, settings: Settings) -> tuple[list[Quantity], list[Place]]:
    """Quantities and places of ``doc``, parsing in full only the sentences that may hold one."""
    sentences = [s for s in doc.sents if _needs_parse(s)]
    quantities: list[Quantity] = []
    places: list[Place] = []
    parsed_sentences = syntax_pass(load_nlp(settings.model), sentence_docs(doc, sentences))
    for sentence, parsed in zip(sentences, parsed_sentences):
        shift = sentence.start_char
        for q in find_quantities(parsed):
            quantities.append(Quantity(q.text, q.value, q.unit, q.qualifier, (q.span[0] + shift, q.span[1] + shift)))
        for p in find_places(parsed):
            places.append(Place(p.name, p.country, (p.span[0] + shift, p.span[1] + shift)))
    return quantities, places


def extract_parsed(article: Article, doc: Doc, captions: Sequence[Doc], settings: Settings) -> Extraction:
    """Extraction of ``article`` from its body already run through the cheap pass (and its captions)."""
    paragraphs = article_paragraphs(doc, article)
    labels = load_tagger().tag(doc, paragraphs)
    index = find_actors(doc, captions)
    statements = build_statements(doc, labels, paragraphs, index, article.published)
    quantities, places = _quantities_and_places(doc, settings)
    return Extraction(
        article_id=article.id,
        actors=index.actors(),
        statements=tuple(statements),
        quantities=tuple(quantities),
        dates=tuple(find_dates(article.text, article.published)),
        places=tuple(places),
    )


def _extract_batch(batch: list[Article], settings: Settings) -> list[Extraction]:
    nlp = load_nlp(settings.model)
    docs = list(cheap_pass(nlp, (a.text for a in batch), batch_size=BATCH_SIZE))
    caption_texts = [[c.text for c in a.captions] for a in batch]
    flat = list(cheap_pass(nlp, (text for texts in caption_texts for text in texts)))
    results = []
    for article, doc, texts in zip(batch, docs, caption_texts):
        captions, flat = flat[: len(texts)], flat[len(texts) :]
        results.append(extract_parsed(article, doc, captions, settings))
    return results


def extract_article(article: Article, settings: Settings) -> Extraction:
    """Everything extracted from one article; offsets point into ``article.text``."""
    return _extract_batch([article], settings)[0]


def warm_up(settings: Settings) -> None:
    """Load, in this process, everything an extraction uses: the spaCy model, the attribution tagger and the lazily
    loaded tables (gazetteers, lexicons, dateparser). Workers forked afterwards share them instead of loading them."""
    article = Article.from_blocks("warm-up", [("paragraph", WARM_UP_TEXT)], published="2022-02-16")
    extract_article(article, settings)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    stream = iter(articles)
    while batch := list(islice(stream, size)):
        yield batch


def _worker_batch(args: tuple[list[Article], Settings]) -> list[Extraction]:
    return _extract_batch(*args)


def extract_articles(articles: Iterable[Article], settings: Settings) -> Iterator[Extraction]:
    """Extractions of a stream of articles, in input order, in ``settings.workers`` processes.

    Articles are read lazily in batches; each worker loads the model once and runs ``nlp.pipe`` over its batch.
    """
    if settings.workers <= 1:
        for batch in _batches(articles, BATCH_SIZE):
            yield from _extract_batch(batch, settings)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        # Loaded once here and shared by the forked workers, instead of once in each of them.
        warm_up(settings)
    with multiprocessing.get_context(method).Pool(settings.workers) as pool:
        jobs = ((batch, settings) for batch in _batches(articles, BATCH_SIZE))
        for results in pool.imap(_worker_batch, jobs):
            yield from results
