"""A bidirectional LSTM that reads attribution labels from the named entity recognizer's own token vectors.

The recognizer of ``en_core_web_sm`` encodes every token (a CNN over its word, prefix, suffix and shape, four
tokens either side) before it looks for entities; ``nlp.keep_ner_vectors`` keeps those vectors on the doc, so they
cost nothing more. This tagger adds a few features the CRF reads too (the word, its cue class, its place in or out
of a quotation, its entity label and shape, sentence starts) and runs a BiLSTM over each paragraph, which sees the
whole paragraph where the CRF sees three tokens either side. On PolNeAR dev paragraphs it alone tags better than
the CRF, and their label probabilities averaged better than either (``attribution.AttributionTagger``).

Inference is numpy: the weights are trained with PyTorch (``claimledger.train.lstm``) and saved as arrays, so extraction
needs no PyTorch. All paragraphs of a batch of documents run together, one matrix product per step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, SENT_START, SHAPE
from spacy.tokens import Doc

from claimledger.extract.labels import cue_lexicon, quote_roles, word_forms
from claimledger.extract.nlp import NER_ENCODER_KEY, NER_VECTORS_KEY

LABELS = ("O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT")
WEIGHTS_FILE = "lstm.npz"
# The weights of every member of the ensemble (see ``LstmEnsemble``), the first one ``WEIGHTS_FILE``; all share
# ``TABLES_FILE``.
WEIGHTS_FILES = (WEIGHTS_FILE, "lstm-wide.npz")
TABLES_FILE = "lstm.json"
# The discrete inputs, in the order their embeddings are concatenated after the recognizer's vector.
FEATURES = ("words", "cue", "role", "ent", "shape")
_INDEXES_KEY = "claimledger.lstm_indexes"
_IOB = {0: "", 1: "I", 2: "O", 3: "B"}


@dataclass(frozen=True)
class TokenInputs:
    """What the tagger reads of each token of one paragraph, as the training data stores it."""

    words: list[str]
    cue: list[str]
    role: list[str]
    ent: list[str]
    shape: list[str]
    sentence_start: list[bool]


def token_inputs(doc: Doc, start: int, end: int) -> TokenInputs:
    """The tagger's discrete inputs for ``doc[start:end]`` (one paragraph)."""
    words = word_forms(doc)[start:end]
    lexicon = cue_lexicon()
    tokens = doc[start:end]
    return TokenInputs(
        words=words,
        cue=[(lexicon.get(w) or ("", ""))[1] for w in words],
        role=quote_roles(doc, start, end),
        ent=[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in tokens],
        shape=[t.shape_[:4] for t in tokens],
        sentence_start=[bool(t.is_sent_start) for t in tokens],
    )


class LstmTagger:
    """The trained BiLSTM; ``probabilities`` gives each token's label distribution (columns in ``LABELS`` order)."""

    def __init__(self, weights: dict[str, numpy.ndarray], tables: dict) -> None:
        self.encoder = tables["encoder"]
        self._index = {name: {value: i for i, value in enumerate(tables[name])} for name in FEATURES}
        self._embeddings = [weights[f"emb.{name}"].astype(numpy.float32) for name in FEATURES]
        # Both directions stacked (forward, backward), gates reordered from PyTorch's (input, forget, cell, output)
        # to (input, forget, output, cell): one sigmoid then covers the first three.
        hidden = weights["w_hh_f"].shape[1]
        order = numpy.r_[0 : 2 * hidden, 3 * hidden : 4 * hidden, 2 * hidden : 3 * hidden]
        self._w_input = numpy.stack([weights["w_ih_f"][order].T, weights["w_ih_b"][order].T]).astype(numpy.float32)
        self._b_input = numpy.stack([weights["b_f"][order], weights["b_b"][order]]).astype(numpy.float32)
        self._w_hidden = numpy.stack([weights["w_hh_f"][order].T, weights["w_hh_b"][order].T]).astype(numpy.float32)
        self._w_out = weights["w_out"].T.astype(numpy.float32)
        self._b_out = weights["b_out"].astype(numpy.float32)
        self.hidden = hidden

    @classmethod
    def load(cls, directory: Path, weights_file: str = WEIGHTS_FILE) -> "LstmTagger":
        with numpy.load(directory / weights_file) as arrays:
            weights = {name: arrays[name] for name in arrays.files}
        tables = json.loads((directory / TABLES_FILE).read_text(encoding="utf-8"))
        return cls(weights, tables)

    def reads(self, doc: Doc) -> bool:
        """Whether ``doc`` carries the recognizer vectors this tagger was trained on (another spaCy model's, or
        none, and only the CRF tags)."""
        return doc.user_data.get(NER_ENCODER_KEY) == self.encoder and NER_VECTORS_KEY in doc.user_data

    def inputs(self, doc: Doc, start: int, end: int) -> numpy.ndarray:
        """The input matrix of ``doc[start:end]`` (one paragraph): recognizer vector, embeddings, sentence start."""
        words, cues, ents, shapes, starts = self._token_indexes(doc)
        role_index = self._index["role"]
        roles = [role_index.get(role, 0) for role in quote_roles(doc, start, end)]
        words_table, cue_table, role_table, ent_table, shape_table = self._embeddings
        return numpy.concatenate(
            [
                doc.user_data[NER_VECTORS_KEY][start:end],
                words_table[words[start:end]],
                cue_table[cues[start:end]],
                role_table[roles],
                ent_table[ents[start:end]],
                shape_table[shapes[start:end]],
                starts[start:end, None],
            ],
            axis=1,
        )

    def _token_indexes(self, doc: Doc) -> tuple[numpy.ndarray, ...]:
        """For every token of ``doc``, the table index of its word, cue class, entity label and shape, and whether
        it starts a sentence: read once per document, each distinct value looked up once, to the same values
        ``token_inputs`` gives. The words are ``word_forms``, which the label completion reads too."""
        found = doc.user_data.get(_INDEXES_KEY)
        if found is not None and len(found[0]) == len(doc):
            return found
        strings = doc.vocab.strings
        rows = doc.to_array([ENT_IOB, ENT_TYPE, SHAPE, SENT_START])
        index = self._index
        lexicon = cue_lexicon()
        words = {word: (index["words"].get(word, 0), index["cue"].get((lexicon.get(word) or ("", ""))[1], 0))
                 for word in set(word_forms(doc))}
        words_and_cues = numpy.array([words[word] for word in word_forms(doc)], dtype=numpy.int64).reshape(-1, 2)
        # One-dimensional numpy.unique: over rows (axis=0) it sorts structured values, many times slower.
        kinds, kind_at = numpy.unique(rows[:, 1], return_inverse=True)
        entities = numpy.array([[index["ent"].get(f"{_IOB[iob]}-{strings[kind]}" if kind else "O", 0) for iob in _IOB]
                                for kind in kinds.tolist()], dtype=numpy.int64).reshape(-1, len(_IOB))
        shapes, shape_at = numpy.unique(rows[:, 2], return_inverse=True)
        shape_table = numpy.array([index["shape"].get(strings[shape][:4], 0) for shape in shapes.tolist()],
                                  dtype=numpy.int64)
        found = (
            words_and_cues[:, 0],
            words_and_cues[:, 1],
            entities[kind_at.reshape(-1), rows[:, 0]],
            shape_table[shape_at.reshape(-1)],
            (rows[:, 3] == 1).astype(numpy.float32),
        )
        doc.user_data[_INDEXES_KEY] = found
        return found

    def probabilities(self, sequences: Sequence[numpy.ndarray]) -> list[numpy.ndarray]:
        """Label probabilities of each token of each input matrix (one per paragraph), all run as one batch.

        As PyTorch runs packed sequences: the paragraphs are ordered longest first, so at each step the ones still
        running are the first rows, and no step computes padding."""
        if not sequences:
            return []
        hidden = self.hidden
        order = sorted(range(len(sequences)), key=lambda k: -len(sequences[k]))
        lengths = numpy.array([len(sequences[k]) for k in order])
        steps, batch = int(lengths[0]), len(order)
        # Input gates of every token, both directions, in one product each over the unpadded tokens.
        tokens = numpy.concatenate([sequences[k] for k in order])
        starts = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
        # Step-major layout, padding left out: step t holds the first ``running[t]`` paragraphs, from ``offsets[t]``.
        running = (lengths[None, :] > numpy.arange(steps)[:, None]).sum(axis=1)
        offsets = numpy.concatenate([[0], numpy.cumsum(running)[:-1]])
        row = numpy.repeat(numpy.arange(batch), lengths)  # of each token of ``tokens``
        position = numpy.arange(len(tokens)) - starts[row]
        forward_slot = offsets[position] + row
        backward_slot = offsets[lengths[row] - 1 - position] + row  # read from the paragraph's end
        gates_in = numpy.empty((len(tokens), 2, 4 * hidden), dtype=numpy.float32)
        gates_in[forward_slot, 0] = tokens @ self._w_input[0] + self._b_input[0]
        gates_in[backward_slot, 1] = tokens @ self._w_input[1] + self._b_input[1]
        states = numpy.empty((len(tokens), 2, hidden), dtype=numpy.float32)
        h = numpy.zeros((2, batch, hidden), dtype=numpy.float32)
        c = numpy.zeros_like(h)
        for offset, rows in zip(offsets.tolist(), running.tolist()):
            gates = h[:, :rows] @ self._w_hidden
            gates += gates_in[offset : offset + rows].transpose(1, 0, 2)
            sigmoid = numpy.tanh(gates[..., : 3 * hidden] * 0.5)  # the sigmoid as tanh: scipy's expit is slower
            sigmoid *= 0.5
            sigmoid += 0.5
            c[:, :rows] = sigmoid[..., hidden : 2 * hidden] * c[:, :rows] + sigmoid[..., :hidden] * numpy.tanh(
                gates[..., 3 * hidden :])
            h[:, :rows] = sigmoid[..., 2 * hidden :] * numpy.tanh(c[:, :rows])
            states[offset : offset + rows] = h[:, :rows].transpose(1, 0, 2)
        # Each token's two states side by side, in the order of ``tokens``; one product and softmax for all.
        both = numpy.concatenate([states[forward_slot, 0], states[backward_slot, 1]], axis=1)
        scores = both @ self._w_out + self._b_out
        scores -= scores.max(axis=1, keepdims=True)
        exp = numpy.exp(scores)
        exp /= exp.sum(axis=1, keepdims=True)
        found: list[numpy.ndarray] = [exp] * len(sequences)
        for k, start, length in zip(order, starts, lengths):
            found[k] = exp[start : start + length]
        return found


class LstmEnsemble:
    """BiLSTMs trained alike on the same data, with other sizes (``claimledger.train.lstm.MEMBERS``): each token's label
    probabilities are their average. With the second member the whole extraction tags PolNeAR dev better than with
    the first alone (joint F1 0.801 -> 0.808, strict joint 0.709 -> 0.716), at one more BiLSTM run (CPU in
    bench_extract 134 -> 137 us a word). The members share the feature tables, and so the token indexes each
    document keeps."""

    def __init__(self, members: Sequence[LstmTagger]) -> None:
        self.members = tuple(members)
        self.encoder = self.members[0].encoder

    def reads(self, doc: Doc) -> bool:
        return self.members[0].reads(doc)

    def inputs(self, doc: Doc, start: int, end: int) -> tuple[numpy.ndarray, ...]:
        """Each member's input matrix of ``doc[start:end]``: their embeddings differ in width."""
        return tuple(member.inputs(doc, start, end) for member in self.members)

    def probabilities(self, sequences: Sequence[tuple[numpy.ndarray, ...]]) -> list[numpy.ndarray]:
        """The members' label probabilities of each paragraph (``inputs``), averaged."""
        found = [member.probabilities([s[k] for s in sequences]) for k, member in enumerate(self.members)]
        return [sum(each) / len(each) for each in zip(*found)]


@lru_cache(maxsize=2)
def load_lstm_tagger(model_dir: str | None = None) -> LstmEnsemble | None:
    """The BiLSTMs saved in ``model_dir`` (default: the weights shipped in ``claimledger/data/attribution``), or
    None where none was saved there."""
    if model_dir is not None:
        return _saved(Path(model_dir))
    with resources.as_file(resources.files("claimledger").joinpath("data/attribution")) as directory:
        return _saved(directory)


def _saved(directory: Path) -> LstmEnsemble | None:
    members = [LstmTagger.load(directory, name) for name in WEIGHTS_FILES if (directory / name).exists()]
    return LstmEnsemble(members) if members else None
