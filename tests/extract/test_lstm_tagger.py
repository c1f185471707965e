"""The BiLSTM attribution tagger: numpy inference against PyTorch's, its inputs, the recognizer vectors it reads,
and the best-path decoding of the averaged probabilities."""

from __future__ import annotations

import itertools
from importlib import resources

import numpy
import pytest
import torch
from hypothesis import given, settings, strategies as st

from claimledger.config import load_settings
from claimledger.extract.attribution import O_WEIGHT, best_paths, load_tagger
from claimledger.extract.lstm_tagger import (
    FEATURES,
    LABELS,
    TABLES_FILE,
    WEIGHTS_FILE,
    LstmTagger,
    load_lstm_tagger,
    token_inputs,
)
from claimledger.extract.nlp import NER_ENCODER_KEY, NER_VECTORS_KEY, cheap_pass, load_nlp
from claimledger.train.lstm import save

SEED_SENTENCES = (
    "NATO Secretary General Jens Stoltenberg said Wednesday that the alliance has not seen any signs of Russian "
    "troops pulling back.\n\n“We have not seen any withdrawal,” he added. Moscow had announced a “partial "
    "withdrawal” on Tuesday."
)


def _doc(text: str = SEED_SENTENCES):
    return next(cheap_pass(load_nlp(load_settings({}).model), [text]))


def test_shipped_weights_are_small_and_read_the_default_models_vectors():
    folder = resources.files("claimledger").joinpath("data/attribution")
    assert folder.joinpath(WEIGHTS_FILE).is_file() and folder.joinpath(TABLES_FILE).is_file()
    assert len(folder.joinpath(WEIGHTS_FILE).read_bytes()) < 5 * 1024 * 1024
    doc = _doc()
    assert doc.user_data[NER_VECTORS_KEY].shape == (len(doc), 96)
    # The shipped BiLSTM was trained on this very encoder's vectors, so extraction uses it.
    assert load_lstm_tagger().reads(doc)


def _random_model(hidden: int, vector_width: int, seed: int = 1) -> tuple[dict, dict]:
    """A PyTorch BiLSTM with random weights in the layout ``claimledger.train.lstm`` trains, and feature tables for it."""
    torch.manual_seed(seed)
    tables = {name: ["<unknown>"] + [f"{name}{i}" for i in range(5)] for name in FEATURES}
    widths = {"words": 6, "cue": 3, "role": 2, "ent": 4, "shape": 3}
    state = {f"emb.{k}.weight": torch.randn(len(tables[name]), widths[name]) for k, name in enumerate(FEATURES)}
    lstm = torch.nn.LSTM(vector_width + sum(widths.values()) + 1, hidden, batch_first=True, bidirectional=True)
    state.update({f"lstm.{name}": value for name, value in lstm.state_dict().items()})
    out = torch.nn.Linear(2 * hidden, len(LABELS))
    state.update({f"out.{name}": value for name, value in out.state_dict().items()})
    return state, tables


def test_an_ensemble_averages_its_members_probabilities(tmp_path):
    for seed, name in ((1, WEIGHTS_FILE), (2, "lstm-wide.npz")):
        state, tables = _random_model(hidden=8, vector_width=5, seed=seed)
        save(state, tables, "fingerprint", tmp_path, name)
    ensemble = load_lstm_tagger(str(tmp_path))
    first, second = (LstmTagger.load(tmp_path, name) for name in (WEIGHTS_FILE, "lstm-wide.npz"))
    width = state["lstm.weight_ih_l0"].shape[1]
    sequences = [numpy.random.default_rng(0).normal(size=(n, width)).astype(numpy.float32) for n in (4, 9)]
    averaged = ensemble.probabilities([(s, s) for s in sequences])
    for found, a, b in zip(averaged, first.probabilities(sequences), second.probabilities(sequences)):
        assert not numpy.allclose(a, b)
        numpy.testing.assert_allclose(found, (a + b) / 2, atol=1e-6)


def test_numpy_inference_is_pytorchs_on_paragraphs_of_any_length(tmp_path):
    state, tables = _random_model(hidden=8, vector_width=5)
    save(state, tables, "fingerprint", tmp_path)
    tagger = LstmTagger.load(tmp_path)
    lstm = torch.nn.LSTM(state["lstm.weight_ih_l0"].shape[1], 8, batch_first=True, bidirectional=True)
    lstm.load_state_dict({name[5:]: value for name, value in state.items() if name.startswith("lstm.")})
    generator = numpy.random.default_rng(0)
    width = state["lstm.weight_ih_l0"].shape[1]
    sequences = [generator.normal(size=(n, width)).astype(numpy.float32) for n in (7, 1, 12, 3, 12)]
    found = tagger.probabilities(sequences)
    for sequence, probabilities in zip(sequences, found):
        with torch.no_grad():
            states, _ = lstm(torch.from_numpy(sequence)[None])
            expected = torch.softmax(states[0] @ state["out.weight"].T + state["out.bias"], -1).numpy()
        assert probabilities.shape == (len(sequence), len(LABELS))
        numpy.testing.assert_allclose(probabilities, expected, atol=1e-5)


def test_inputs_read_from_token_arrays_are_those_training_read():
    ensemble = load_lstm_tagger()
    assert len(ensemble.members) == 2
    doc = _doc()
    start, end = 0, len(doc)
    found = token_inputs(doc, start, end)
    for tagger, matrix in zip(ensemble.members, ensemble.inputs(doc, start, end)):
        expected = [doc.user_data[NER_VECTORS_KEY][start:end]]
        for name, table in zip(FEATURES, tagger._embeddings):
            expected.append(table[[tagger._index[name].get(v, 0) for v in getattr(found, name)]])
        expected.append(numpy.asarray(found.sentence_start, dtype=numpy.float32)[:, None])
        numpy.testing.assert_array_equal(matrix, numpy.concatenate(expected, axis=1))
    assert found.cue[found.words.index("said")] == "say"
    assert found.role[found.words.index("withdrawal")] == "in"


def _score(path: tuple[int, ...], log_probabilities: numpy.ndarray) -> float:
    return sum(log_probabilities[i, label] for i, label in enumerate(path))


def _well_formed(labels: list[str]) -> bool:
    return all(
        not label.startswith("I-") or (i > 0 and labels[i - 1][2:] == label[2:] and labels[i - 1] != "O")
        for i, label in enumerate(labels)
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(0, 2**32 - 1))
def test_best_paths_are_the_best_well_formed_sequences(lengths, seed):
    generator = numpy.random.default_rng(seed)
    probabilities = [generator.dirichlet(numpy.ones(len(LABELS)), size=n) for n in lengths]
    for found, p in zip(best_paths(probabilities), probabilities):
        assert _well_formed(found)
        log_p = numpy.log(p + 1e-9) + numpy.log([O_WEIGHT if label == "O" else 1.0 for label in LABELS])
        best = max(
            (path for path in itertools.product(range(len(LABELS)), repeat=len(p))
             if _well_formed([LABELS[i] for i in path])),
            key=lambda path: _score(path, log_p),
        )
        assert _score(tuple(LABELS.index(label) for label in found), log_p) == pytest.approx(_score(best, log_p))


def test_doc_without_recognizer_vectors_is_tagged_by_the_crf_alone():
    doc = _doc("The minister said that the talks would resume next week.")
    with_vectors = load_tagger().tag(doc, [(0, len(doc))])
    del doc.user_data[NER_VECTORS_KEY], doc.user_data[NER_ENCODER_KEY]
    assert not load_lstm_tagger().reads(doc)
    alone = load_tagger().tag(doc, [(0, len(doc))])
    for labels in (with_vectors, alone):
        by_word = dict(zip([t.text for t in doc], labels))
        assert by_word["said"].endswith("CUE") and by_word["talks"].endswith("CONTENT")
