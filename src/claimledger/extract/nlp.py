"""The spaCy pipeline, loaded once per process by the configured model name, and the passes that use it.

Extraction reads a text in two passes over one loaded model (one vocabulary). The cheap pass (entities and
rule-based sentence boundaries) runs over every article: the attribution tagger, actors and statements need no
more. The syntax pass (tagger and parser) runs only over the sentences that need it: over news the parser costs
as much as all the rest, so it must not read every sentence.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Iterator

import numpy
import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import Model, use_ops

CHEAP_COMPONENTS: tuple[str, ...] = ("ner", "sentencizer")
# No attribute ruler: the readers of the syntax pass take word classes from the tags, and the ruler's matcher
# costs a fifth of the pass.
SYNTAX_COMPONENTS: tuple[str, ...] = ("tok2vec", "tagger", "parser")
# Where each doc keeps its recognizer's token vectors (see ``keep_ner_vectors``), and a fingerprint of the encoder
# that made them: vectors are only comparable between identical encoders.
NER_VECTORS_KEY = "claimledger.ner_vectors"
NER_ENCODER_KEY = "claimledger.ner_encoder"


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    """The spaCy pipeline ``model`` with a rule-based sentencizer added, loaded once per process.

    Its layers multiply through numpy (OpenBLAS) rather than thinc's default, blis: the encoders' matrix products
    are most of both passes, and the blis wheel picks its generic C kernel on our AMD EPYC (Zen 4) CPUs, where
    OpenBLAS picks one for the CPU (PolNeAR dev, one process: 159 -> 131 us of CPU a word). The transition
    loops of the parser and the recognizer still call blis. Tags, parses and entities are the same on the 2,523
    FNC-1 bodies and PolNeAR train articles, extractions the same on PolNeAR dev and FNC-1."""
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model, exclude=["senter"])
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    if "claimledger_ner_vectors" not in nlp.pipe_names:
        nlp.add_pipe("claimledger_ner_vectors", last=True)
    return nlp


def keep_ner_vectors(nlp: Language) -> None:
    """Make the entity recognizer leave on each doc the token vectors its encoder computes (under
    ``NER_VECTORS_KEY``, with the encoder's fingerprint under ``NER_ENCODER_KEY``), for the attribution tagger to
    read at no extra cost. Only a recognizer with an encoder of its own (spaCy's CNN pipelines) has them to give;
    with any other, docs carry none.

    The encoder is wrapped, not patched: a thinc layer of ours calls it and keeps what it returns, and thinc's
    ``Model.replace_node`` puts it in the encoder's place in the recognizer's model. Done once per pipeline."""
    if "ner" not in nlp.pipe_names:
        return
    model = nlp.get_pipe("ner").model
    if not model.has_ref("tok2vec") or not model.get_ref("tok2vec").layers:
        return
    encoder = model.get_ref("tok2vec").layers[0]  # before the projection to the recognizer's own width
    if encoder.name == KEEPER_LAYER:
        return
    digest = hashlib.sha256()
    for node in encoder.walk():
        for name in node.param_names:
            if node.has_param(name):
                digest.update(numpy.ascontiguousarray(node.get_param(name)).tobytes())
    model.replace_node(encoder, _keeper(encoder, digest.hexdigest()[:16]))


KEEPER_LAYER = "claimledger_keep_vectors"


def _keeper(encoder: Model, fingerprint: str) -> Model:
    """A layer that runs ``encoder`` and leaves its vectors on each doc it reads."""

    def forward(model: Model, docs, is_train: bool):
        vectors, backprop = model.layers[0](docs, is_train)
        if isinstance(vectors, list) and len(vectors) == len(docs):
            for doc, array in zip(docs, vectors):
                if isinstance(doc, Doc) and len(array) == len(doc):
                    doc.user_data[NER_VECTORS_KEY] = numpy.asarray(array, dtype=numpy.float32)
                    doc.user_data[NER_ENCODER_KEY] = fingerprint
        return vectors, backprop

    return Model(KEEPER_LAYER, forward, layers=[encoder],
                 dims={name: encoder.maybe_get_dim(name) for name in encoder.dim_names})


@Language.factory("claimledger_ner_vectors")
def make_ner_vectors_keeper(nlp: Language, name: str):
    """The pipeline component that sets ``keep_ner_vectors`` up when it is added; it does nothing to docs itself,
    since the vectors are kept while the recognizer runs."""
    keep_ner_vectors(nlp)
    return lambda doc: doc


def _disabled(nlp: Language, keep: tuple[str, ...]) -> list[str]:
    return [name for name in nlp.pipe_names if name not in keep]


def cheap_pass(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Docs with tokens, named entities and sentence boundaries."""
    return nlp.pipe(texts, batch_size=batch_size, disable=_disabled(nlp, CHEAP_COMPONENTS))


def syntax_pass(nlp: Language, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
    """``docs`` (from the cheap pass, entities kept) with fine-grained tags (``tag_``, no ``pos_``) and
    dependencies added."""
    return nlp.pipe(docs, batch_size=batch_size, disable=_disabled(nlp, SYNTAX_COMPONENTS))


class SentenceEntities:
    """The entities of each sentence of one document, as ``Span.ents`` gives them (those inside the sentence, up to
    the first that runs past its end), from one reading of ``Doc.ents``: ``Span.ents`` builds every entity span of
    the whole document again at each call, which over news cost a third of settling the sentences."""

    def __init__(self, doc: Doc) -> None:
        self._ents = doc.ents
        self._starts = [ent.start for ent in self._ents]

    def of(self, sentence: Span) -> list[Span]:
        found = []
        i = bisect_left(self._starts, sentence.start)
        while i < len(self._ents) and self._ents[i].end <= sentence.end:
            found.append(self._ents[i])
            i += 1
        return found


def sentence_docs(doc: Doc, sentences: Iterable[Span], entities: SentenceEntities | None = None) -> Iterator[Doc]:
    """Each of ``doc``'s ``sentences`` as a Doc of its own, for the syntax pass: its tokens with their norms, the
    entities inside it and one sentence boundary (so the parser keeps it whole), as ``Span.as_doc`` gives them;
    ``as_doc`` copies every attribute, and over news cost half as much as the parser."""
    norms = doc.to_array(NORM)
    entities = entities or SentenceEntities(doc)
    for sentence in sentences:
        tokens = list(sentence)
        copy = Doc(
            doc.vocab,
            words=[t.text for t in tokens],
            spaces=[bool(t.whitespace_) for t in tokens],
            sent_starts=[True] + [False] * (len(tokens) - 1),
        )
        offset = sentence.start
        copy.ents = [Span(copy, e.start - offset, e.end - offset, label=e.label) for e in entities.of(sentence)]
        # Tokenizer exceptions give some tokens a norm of their own ("N.Y." -> "New York"); the tagger reads norms.
        for i in numpy.flatnonzero(copy.to_array(NORM) != norms[sentence.start : sentence.end]):
            copy[int(i)].norm_ = tokens[i].norm_
        yield copy
