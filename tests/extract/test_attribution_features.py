"""The CRF's features of a short paragraph, written out by hand: the tagger's weights were trained on these names."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimledger.extract.attribution import paragraph_features


def test_features_of_a_cue_between_a_speaker_and_a_quotation():
    doc = Doc(Vocab(), words=["He", "said", "“", "No", "”"], sent_starts=[True, False, False, False, False])
    features = paragraph_features(doc, 0, len(doc))
    assert len(features) == 5
    assert features[1] == {
        "bias": 1.0,
        "w=said": 1.0,
        "shape=lower": 1.0,
        "suf=aid": 1.0,
        "ent=O": 1.0,
        "cue=say": 1.0,
        "q=": 1.0,
        "in=0": 1.0,
        "punct=0": 1.0,
        "w|in=said|0": 1.0,
        "-3:edge": 1.0,
        "-2:edge": 1.0,
        "-1:w=he": 1.0,
        "-1:ent=O": 1.0,
        "-1:q=": 1.0,
        "-1:in=0": 1.0,
        '1:w="': 1.0,
        "1:ent=O": 1.0,
        "1:q=open": 1.0,
        "1:in=0": 1.0,
        "2:w=no": 1.0,
        "2:ent=O": 1.0,
        "2:q=": 1.0,
        "2:in=1": 1.0,
        '3:w="': 1.0,
        "first_sentence": 1.0,
        "bigram-=he|said": 1.0,
        'bigram+=said|"': 1.0,
        "pos_in_par": 0.02,
        "to_sent_end=near": 1.0,
    }
    # The word inside the quotation sees the cue two tokens back, in its sentence, and the closing mark after it.
    assert features[3]["cue_before=2"] == 1.0 and features[3]["sent_cue_before"] == 1.0
    assert features[3]["1:q=close"] == 1.0 and features[3]["w|in=no|1"] == 1.0
    assert "cue_after=1" in features[0] and "sent_start" in features[0] and "3:edge" in features[4]
    assert all("no_cue" not in f for f in features)
    # How far a reported clause runs: no comma since the cue, and how near the sentence's end is.
    assert features[3]["commas_since_cue=0"] == 1.0 and "commas_since_cue=0" not in features[0]
    assert features[3]["to_sent_end=2"] == 1.0 and features[4]["to_sent_end=1"] == 1.0
