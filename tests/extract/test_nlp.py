"""The two passes over one model: sentence copies for the syntax pass parse exactly as ``Span.as_doc`` copies do."""

from __future__ import annotations

from spacy.tokens import Doc

from claimledger.config import load_settings
from claimledger.extract.nlp import cheap_pass, load_nlp, sentence_docs, syntax_pass

from paths import SAMPLE_SEED

# "N.Y." and "Sept." carry norms of their own from tokenizer exceptions ("New York", "September"), which the
# tagger reads; "Jill Stein ―" ends with an entity the sentence boundary cuts.
TEXT = (
    "HEMPSTEAD, N.Y., Sept. 26 (UPI) — Green Party candidate Jill Stein was removed by police. "
    "More than 150,000 Russian troops are near Ukraine's border, NATO said in Brussels on Wednesday. "
    + SAMPLE_SEED.read_text(encoding="utf-8")
)


def _reading(doc: Doc) -> list[tuple]:
    return [(t.text, t.whitespace_, t.norm_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in doc] + [
        [(e.start, e.end, e.label_) for e in doc.ents]
    ]


def test_sentence_docs_parse_as_span_as_doc() -> None:
    nlp = load_nlp(load_settings({}).model)
    doc = next(cheap_pass(nlp, [TEXT]))
    sentences = list(doc.sents)
    copies = list(sentence_docs(doc, sentences))
    assert [c.text for c in copies] == [s.text_with_ws for s in sentences]
    assert copies[0][2].norm_ == "New York"
    ours = list(syntax_pass(nlp, copies))
    theirs = list(syntax_pass(nlp, [s.as_doc() for s in sentences]))
    assert [_reading(d) for d in ours] == [_reading(d) for d in theirs]
    assert all(len(list(d.sents)) == 1 for d in ours)  # the parser keeps each sentence whole
