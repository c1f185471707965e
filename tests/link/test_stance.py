"""The stance classifier: its text helpers, the FNC-1 dev split, and the shipped model on real FNC-1 rows."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from claimledger.link.stance import LABELS, load_model, predict, score_stance
from claimledger.link.stance_features import split_sentences, tokenize
from claimledger.corpora.fnc1 import dev_pairs, read_bodies, read_pairs, train_pairs

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fnc1"


def test_tokenize_keeps_negation_and_questions():
    assert tokenize("Apple didn\u2019t confirm it. Really?") == ["apple", "did", "n't", "confirm", "it", "really", "?"]


def test_split_sentences_at_end_punctuation_and_newlines():
    text = 'He said "no." Then he left.\n\nU.S. officials declined to comment.'
    assert split_sentences(text) == ['He said "no."', "Then he left.", "U.S. officials declined to comment."]


@pytest.fixture(scope="module")
def fnc() -> tuple[dict[int, str], list]:
    if not (DATA / "train_stances.csv").exists():
        pytest.skip(f"FNC-1 data not found at {DATA} (shared/data beside the repository)")
    return read_bodies(DATA / "train_bodies.csv"), read_pairs(DATA / "train_stances.csv")


def test_dev_split_is_the_baseline_hold_out(fnc):
    bodies, pairs = fnc
    dev = dev_pairs(pairs, bodies)
    # The class counts the FNC-1 baseline reports for its hold-out (score 3538.0 of 4448.5).
    assert Counter(p.stance for p in dev) == {"unrelated": 6898, "discuss": 1800, "agree": 762, "disagree": 162}
    assert not {p.body_id for p in dev} & {p.body_id for p in train_pairs(pairs, bodies)}


def test_shipped_model_predicts_real_pairs(fnc):
    bodies, pairs = fnc
    # Training rows of each label: the model has seen them, so it should get nearly all of them right.
    sample = []
    for label in LABELS:
        rows = [p for p in train_pairs(pairs, bodies) if p.stance == label]
        sample += random.Random(3).sample(rows, 4)
    probabilities = load_model().predict_proba([(p.headline, bodies[p.body_id]) for p in sample])
    assert probabilities.shape == (len(sample), 4)
    assert probabilities.sum(axis=1) == pytest.approx([1.0] * len(sample))
    predicted = [LABELS[i] for i in probabilities.argmax(axis=1)]
    correct = sum(guess == p.stance for guess, p in zip(predicted, sample))
    assert correct >= 0.75 * len(sample), list(zip(predicted, [p.stance for p in sample]))
    assert predict([(sample[0].headline, bodies[sample[0].body_id])]) == predicted[:1]


def test_score_stance_on_short_texts():
    label, probabilities = score_stance(
        "Apple is about to launch a smartwatch", "Heavy rain flooded the river town of Ely on Sunday."
    )
    assert set(probabilities) == set(LABELS)
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert label == max(probabilities, key=probabilities.__getitem__)
    assert label == "unrelated"
