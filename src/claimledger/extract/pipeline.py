"""Extraction of one article or a stream of them: actors, statements, dates, quantities and places.

The model runs in two passes so that the costly parser only reads what needs it. Every article goes through the
cheap pass (tokens, entities, sentence boundaries); the attribution tagger, actors and statements work from that.
Only sentences that hold a number or a place name are parsed in full, for the quantity and place readers, whose
offsets are then moved back into the article.
"""

from __future__ import annotations

import gc
import multiprocessing
from itertools import islice
from typing import Iterable, Iterator, Sequence

import numpy
from spacy.attrs import ENT_TYPE, LIKE_NUM, LOWER
from spacy.tokens import Doc, Span, Token
from threadpoolctl import threadpool_limits

from claimledger.config import Settings
from claimledger.extract.actors import city_names, find_actors
from claimledger.extract.attribution import load_tagger
from claimledger.extract.dates import find_dates, to_anchor
from claimledger.extract.nlp import SentenceEntities, cheap_pass, load_nlp, sentence_docs, syntax_pass
from claimledger.extract.places import find_places, find_places_unparsed
from claimledger.extract.quantities import (
    find_quantities,
    find_quantities_unparsed,
    may_hold_quantity,
    qualifier_last_words,
)
from claimledger.extract.rules import disabled_rules
from claimledger.extract.statements import build_statements
from claimledger.extract.words import ORDINAL_WORDS
from claimledger.models import Article, Extraction, Place, Quantity

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words that make a quantity without digits. "one" and "half" are left out: nearly always pronoun or idiom.
NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens "
    "percent".split()
)
NUMBER_WORDS_AND_SIGNS = NUMBER_WORDS | {"%", "$", "€", "£"}
NOT_QUANTITY_ENTITIES = frozenset({"DATE", "TIME", "ORDINAL"})
# Articles per nlp.pipe batch and per job handed to a worker: small enough that workers share the work evenly
# (with 8, the last jobs of PolNeAR dev left one of two workers idle for a second, and resident memory grew by
# 60 MB), large enough that the BiLSTM's steps serve many paragraphs (2 -> 4: CPU per word on PolNeAR dev
# 182-186 -> 175-177 us); entity recognition runs as fast on one article at a time as on 64.
BATCH_SIZE = 4
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


def _is_one_or_ordinal(token: Token) -> bool:
    """Whether a token spaCy reads as a number is "one" or an ordinal ("first", "21st"), which make no quantity
    alone; an ordinal before "of" may be a fraction ("a third of") and counts as a number."""
    word = token.lower_
    if word == "one":
        # A count after a qualifier ("at least one cache"); elsewhere nearly always a determiner ("one official").
        return not (token.i > 0 and token.nbor(-1).lower_ in qualifier_last_words())
    ordinal = word in ORDINAL_WORDS or (word[-2:] in ("st", "nd", "rd", "th") and word[:-2].isdigit())
    following = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    return ordinal and following != "of"


def _token_flags(doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
    """For each token of ``doc``: whether it makes its sentence one that may hold a quantity (a number that is no
    date, "one" or an ordinal, a number word, or a currency or percent sign), and whether it is part of a place
    name. Read from the token arrays, compared with the ids of the words and labels at once: a Token object is
    made only for the few numbers that may be "one" or an ordinal."""
    strings = doc.vocab.strings
    like_num, ent_type, lower = doc.to_array([LIKE_NUM, ENT_TYPE, LOWER]).T

    def labelled(labels: Iterable[str]) -> numpy.ndarray:
        return numpy.logical_or.reduce([ent_type == strings[label] for label in labels])

    number = like_num.astype(bool) & ~labelled(NOT_QUANTITY_ENTITIES)
    # Signs are their own lower case, so one look-up of the lower-case forms finds the words and the signs.
    words = numpy.array(sorted(strings[word] for word in NUMBER_WORDS_AND_SIGNS), dtype=lower.dtype)
    at = numpy.minimum(numpy.searchsorted(words, lower), len(words) - 1)
    word_or_sign = words[at] == lower
    for i in numpy.flatnonzero(number & ~word_or_sign):
        number[i] = not _is_one_or_ordinal(doc[int(i)])
    return number | word_or_sign, labelled(PLACE_LABELS)


def _may_hold_quantity(sentence: Span) -> bool:
    """Whether a sentence may hold a quantity (see ``_token_flags``)."""
    return bool(_token_flags(sentence.doc)[0][sentence.start : sentence.end].any())


def _settle(doc: Doc) -> tuple[list[tuple[int, Doc]], list[Quantity], list[Place]]:
    """The sentences of ``doc`` to parse (each as a Doc of its own, with the character where it starts), for
    quantities or places the tokens cannot settle, and the quantities and places settled on tokens alone (see
    ``find_quantities_unparsed`` and ``find_places_unparsed``)."""
    quantity_sentences: list[Span] = []
    with_places: list[bool] = []  # for each of quantity_sentences
    places: list[Place] = []
    entities = SentenceEntities(doc)
    quantity_flags, place_flags = _token_flags(doc)
    for sentence in doc.sents:
        has_place = place_flags[sentence.start : sentence.end].any()
        # A sentence read for its places has always had its quantities read too, however they were written
        # ("half of", "12m"): it still is when any reading is possible, so none of them is lost.
        if quantity_flags[sentence.start : sentence.end].any() or (has_place and may_hold_quantity(sentence)):
            quantity_sentences.append(sentence)
            with_places.append(has_place)
        elif has_place:
            settled = find_places_unparsed(sentence, entities.of(sentence))
            if settled is None:
                quantity_sentences.append(sentence)  # as a parsed place sentence, read for quantities too
                with_places.append(True)
            else:
                places.extend(settled)
    to_parse: list[tuple[int, Doc]] = []
    quantities: list[Quantity] = []
    copies = sentence_docs(doc, quantity_sentences, entities)
    for sentence, has_place, copy in zip(quantity_sentences, with_places, copies):
        settled_quantities = find_quantities_unparsed(copy)
        settled_places: list[Place] | None = []
        if settled_quantities is not None and has_place:
            settled_places = find_places_unparsed(sentence, entities.of(sentence))
        if settled_quantities is None or settled_places is None:
            to_parse.append((sentence.start_char, copy))
            continue
        shift = sentence.start_char
        quantities.extend(_shifted_quantity(q, shift) for q in settled_quantities)
        places.extend(settled_places)
    return to_parse, quantities, places


def _shifted(span: tuple[int, int], shift: int) -> tuple[int, int]:
    return span[0] + shift, span[1] + shift


def _shifted_quantity(q: Quantity, shift: int) -> Quantity:
    return Quantity(q.text, q.value, q.unit, q.qualifier, _shifted(q.span, shift))


def _quantities_and_places(docs: Sequence[Doc], settings: Settings) -> list[tuple[list[Quantity], list[Place]]]:
    """Quantities and places of each of ``docs``, parsing in full only the sentences that need it, all of them in
    one syntax pass (fewer, fuller batches than one pass per article)."""
    settled = [_settle(doc) for doc in docs]
    copies = (copy for to_parse, _, _ in settled for _, copy in to_parse)
    parsed_sentences = syntax_pass(load_nlp(settings.model), copies)
    found = []
    for to_parse, quantities, places in settled:
        for (shift, _), parsed in zip(to_parse, parsed_sentences):
            quantities.extend(_shifted_quantity(q, shift) for q in find_quantities(parsed))
            places.extend(Place(p.name, p.country, _shifted(p.span, shift)) for p in find_places(parsed))
        quantities.sort(key=lambda q: q.span)
        places.sort(key=lambda p: p.span)
        found.append((quantities, places))
    return found


def extract_parsed(
    article: Article,
    doc: Doc,
    captions: Sequence[Doc],
    settings: Settings,
    quantities_and_places: tuple[list[Quantity], list[Place]] | None = None,
    labels: list[str] | None = None,
) -> Extraction:
    """Extraction of ``article`` from its body already run through the cheap pass (and its captions), with its
    quantities and places and its attribution labels when they were found already for a whole batch."""
    paragraphs = article_paragraphs(doc, article)
    if labels is None:
        labels = load_tagger(settings.attribution_model or None).tag(doc, paragraphs,
                                                                     disabled_rules(settings.disabled_rules))
    index = find_actors(doc, captions)
    statements = build_statements(doc, labels, paragraphs, index, article.published)
    quantities, places = quantities_and_places or _quantities_and_places([doc], settings)[0]
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
    found = _quantities_and_places(docs, settings)
    # One tagging of the whole batch: the BiLSTM's steps are shared by all its paragraphs.
    tagged = load_tagger(settings.attribution_model or None).tag_many(
        [(doc, article_paragraphs(doc, a)) for a, doc in zip(batch, docs)], disabled_rules(settings.disabled_rules))
    results = []
    for article, doc, texts, facts, labels in zip(batch, docs, caption_texts, found, tagged):
        captions, flat = flat[: len(texts)], flat[len(texts) :]
        results.append(extract_parsed(article, doc, captions, settings, facts, labels))
    return results


def extract_article(article: Article, settings: Settings) -> Extraction:
    """Everything extracted from one article; offsets point into ``article.text``."""
    return _extract_batch([article], settings)[0]


def warm_up(settings: Settings) -> None:
    """Load, in this process, everything an extraction uses: the spaCy model, the attribution tagger and the lazily
    loaded tables (gazetteers, lexicons, dateparser). Workers forked afterwards share them instead of loading them."""
    article = Article.from_blocks("warm-up", [("paragraph", WARM_UP_TEXT)], published="2022-02-16")
    extract_article(article, settings)
    # Tables the warm-up article does not reach, loaded otherwise by the first article that does, in each worker:
    # the gazetteer's city names (a single-word person name) and dateparser's (a free-form date).
    city_names()
    to_anchor("February 16, 2022")
    # What is loaded now lives as long as the process: frozen, the garbage collector no longer walks its 400,000
    # objects at each full collection, nor writes to their pages in forked workers (PolNeAR dev, one process:
    # 167-169 -> 162-164 us of CPU a word).
    gc.freeze()


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    stream = iter(articles)
    while batch := list(islice(stream, size)):
        yield batch


def _one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process. The tagger's matrices are small: with a thread pool of
    its own in each worker, the threads of two workers spun against each other and tagging took several times
    longer (PolNeAR dev, 2 workers: 287 us of CPU per word against 174 in one single-threaded process)."""
    threadpool_limits(limits=1, user_api="blas")


# The settings, by what decides which models and tables a process holds, whose warm-up this process has run: the
# cache that makes every ``Extractor`` of a process (a Spark executor's Python worker, a pool worker) load them once.
_WARMED: set[tuple] = set()


def _model_key(settings: Settings) -> tuple:
    return settings.model, settings.attribution_model, settings.disabled_rules


class Extractor:
    """The public extraction API: ``Extractor(settings).extract_batch(articles)`` yields the ``Extraction`` of each
    article, in order. Cheap to make: the spaCy model, the tagger and the tables are loaded by the first batch a
    process extracts (``warm_up``) and kept for the life of the process, so a Spark partition, a pool worker or a
    notebook can make one per call. The CLI extracts through the same calls (``extract_articles``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def warm_up(self) -> None:
        """Load the models and tables in this process, once per process and model settings."""
        key = _model_key(self.settings)
        if key not in _WARMED:
            warm_up(self.settings)
            _WARMED.add(key)

    def extract_batch(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Extractions of ``articles`` in order, read lazily in batches of ``BATCH_SIZE`` in this process."""
        self.warm_up()
        with threadpool_limits(limits=1, user_api="blas"):
            for batch in _batches(articles, BATCH_SIZE):
                yield from _extract_batch(batch, self.settings)


def _worker_batch(args: tuple[list[Article], Settings]) -> list[Extraction]:
    batch, settings = args
    return list(Extractor(settings).extract_batch(batch))


def extract_articles(articles: Iterable[Article], settings: Settings) -> Iterator[Extraction]:
    """Extractions of a stream of articles, in input order, in ``settings.workers`` processes.

    Articles are read lazily in batches; each worker loads the model once and runs ``nlp.pipe`` over its batch.
    """
    if settings.workers <= 1:
        yield from Extractor(settings).extract_batch(articles)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        # Loaded once here and shared by the forked workers, instead of once in each of them.
        Extractor(settings).warm_up()
    with multiprocessing.get_context(method).Pool(settings.workers, initializer=_one_blas_thread) as pool:
        jobs = ((batch, settings) for batch in _batches(articles, BATCH_SIZE))
        for results in pool.imap(_worker_batch, jobs):
            yield from results
