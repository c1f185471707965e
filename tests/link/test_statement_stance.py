"""The statement stance model's pair features on real news wording, and the shipped weights with their
cross-validated figures."""

from __future__ import annotations

import numpy as np

from claimledger.link.statement_stance import (CLASSES, FEATURES, Side, judge_pairs, load_model, negated_scope,
                                               pair_features)

CLAIM = Side("Russia was returning some troops and weapons to their permanent bases", "russia", "seed", 0)
DENIAL = Side("NATO has not seen signs of Russian troops pulling back near Ukraine", "stoltenberg", "seed", 0,
              "said", "indirect", "Jens Stoltenberg")


def feature(values: np.ndarray, name: str) -> float:
    return float(values[FEATURES.index(name)])


def test_a_negation_denies_the_words_after_it():
    assert negated_scope(DENIAL.text) == "seen signs of Russian troops pulling back near"  # eight words
    assert negated_scope("we haven\u2019t seen any withdrawal") == "seen any withdrawal"
    assert negated_scope(CLAIM.text) is None


def test_features_read_negation_at_the_shared_words_and_who_speaks_where():
    values = pair_features(CLAIM, DENIAL, 0.6, 0.5)
    assert len(values) == len(FEATURES)
    assert feature(values, "negation_differs") == feature(values, "negation_at_shared_words") == 1.0
    assert feature(values, "same_article") == feature(values, "same_sentence") == 1.0
    assert feature(values, "same_speaker") == 0.0 and feature(values, "negated_scope_cosine") == 0.5
    denied = Side("claims by the Nigerian government that it has signed a truce", "boko", "other", 3,
                  "has dismissed", "indirect", "Boko Haram")
    claim = Side("Boko Haram had agreed to an immediate cease-fire", "badeh", "first", 1)
    values = pair_features(claim, denied, 0.55)
    assert feature(values, "refuting_cue") == feature(values, "speaker_named_in_claim") == 1.0


def test_the_shipped_weights_give_probabilities_and_carry_their_figures():
    model = load_model()
    probabilities = judge_pairs(model, [(CLAIM, DENIAL, 0.6, 0.5), (CLAIM, CLAIM, 1.0, 0.0)])
    assert probabilities.shape == (2, len(CLASSES))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    info = model.info
    assert info["pairs"] >= 682 and 0.5 <= info["dispute_threshold"] <= 0.9
    assert set(info["cross_validated"]["classes"]) == set(CLASSES)
