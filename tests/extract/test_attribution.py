"""The attribution tagger: its shipped weights, its span reading and quotation-mark state."""

from __future__ import annotations

from importlib import resources

from claimledger.extract.attribution import MODEL_FILE, load_tagger
from claimledger.extract.labels import labelled_spans, quote_state
from claimledger.extract.nlp import cheap_pass, load_nlp
from claimledger.config import load_settings


def test_shipped_weights_are_small():
    weights = resources.files("claimledger").joinpath("data/attribution", MODEL_FILE)
    assert weights.is_file()
    assert len(weights.read_bytes()) < 5 * 1024 * 1024


def test_labelled_spans_reads_bio_and_repairs_stray_inside():
    labels = ["B-SOURCE", "B-CUE", "I-CONTENT", "I-CONTENT", "O", "B-CONTENT", "B-CONTENT", "I-CUE"]
    spans = [(s.label, s.start, s.end) for s in labelled_spans(labels)]
    assert spans == [("SOURCE", 0, 1), ("CUE", 1, 2), ("CONTENT", 2, 4), ("CONTENT", 5, 6), ("CONTENT", 6, 7), ("CUE", 7, 8)]


def test_quote_state_curly_straight_and_apostrophes():
    nlp = load_nlp(load_settings({}).model)
    doc = next(cheap_pass(nlp, ['“We are ready,” Russia’s envoy said, "and so are they."']))
    inside = dict(zip([t.text for t in doc], quote_state(doc, 0, len(doc))))
    assert inside["We"] and inside["ready"] and inside["they"]
    assert not inside["envoy"] and not inside["said"] and not inside["Russia"]


def test_tagger_marks_a_plain_attribution():
    nlp = load_nlp(load_settings({}).model)
    doc = next(cheap_pass(nlp, ["The minister said that the talks would resume next week."]))
    labels = load_tagger().tag(doc, [(0, len(doc))])
    by_word = dict(zip([t.text for t in doc], labels))
    assert by_word["said"].endswith("CUE")
    assert by_word["minister"].endswith("SOURCE")
    assert by_word["talks"].endswith("CONTENT")


def test_numpy_marginals_are_crfsuites():
    import numpy

    from claimledger.extract.attribution import _CrfScores, paragraph_parts
    from claimledger.extract.crf import CrfMarginals
    from claimledger.extract.lstm_tagger import LABELS

    nlp = load_nlp(load_settings({}).model)
    doc = next(cheap_pass(nlp, [
        "“We have not seen any withdrawal,” NATO Secretary General Jens Stoltenberg said Wednesday.\n\nMoscow had "
        "announced on Tuesday that it was returning some troops to their bases, a move Ukraine's leaders doubted.",
    ]))
    crfsuite = load_tagger()._tagger
    scores = _CrfScores(CrfMarginals(crfsuite, LABELS))
    paragraphs = [paragraph_parts(doc, 0, 19), paragraph_parts(doc, 20, len(doc)), paragraph_parts(doc, 3, 5)]
    found = scores.crf.marginals([scores.scores(p) for p in paragraphs])
    for parts, marginals in zip(paragraphs, found):
        crfsuite.set(parts.dicts())
        expected = [[crfsuite.marginal(label, i) for label in LABELS] for i in range(len(parts.kinds))]
        numpy.testing.assert_allclose(marginals, expected, atol=1e-4)
