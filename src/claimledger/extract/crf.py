"""The attribution CRF's label marginals computed in numpy, for many paragraphs at once.

crfsuite gives a marginal one (label, token) call at a time, after converting each paragraph's features into its
own structures: over news those conversions and calls cost more than the BiLSTM beside the CRF. Here the weights
are read once from crfsuite's own dump of the model, each token's label scores are the sum of its features'
weights, and forward-backward runs over every paragraph of a batch together. The marginals are crfsuite's to
within rounding (tested).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

import numpy
import pycrfsuite


# One entry of the dump: "  (0) w=said --> B-CUE: 1.234". An attribute may hold any character, line breaks
# included (a whitespace token's word), so entries are read from the section's whole text, not line by line.
# The shipped model's dump is 4.5 MB: a temporary folder with less room than this cannot have held it.
MIN_DUMP_ROOM = 8 * 1024 * 1024
_ENTRY = re.compile(r"  \(\d+\) (.*?) --> (O|[BI]-[A-Z]+): (\S+)\n", re.DOTALL)


def _section(text: str, name: str) -> str:
    start = text.index(f"{name} = {{\n") + len(name) + 5
    return text[start : text.index("\n}\n", start) + 1]


class CrfMarginals:
    """A trained crfsuite CRF's weights: ``marginals`` gives each token's label probabilities, columns in
    ``labels`` order."""

    def __init__(self, tagger: pycrfsuite.Tagger, labels: Sequence[str]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / "model.txt"
            try:
                tagger.dump(str(dump))
            except RuntimeError as exc:  # crfsuite says only "Can't close file": tell a full folder by its room
                if shutil.disk_usage(folder).free < MIN_DUMP_ROOM:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), tempfile.gettempdir()) from exc
                raise
            text = dump.read_bytes().decode("utf-8", errors="surrogateescape")
        column = {label: k for k, label in enumerate(labels)}
        self.transitions = numpy.zeros((len(labels), len(labels)))
        for source, target, weight in _ENTRY.findall(_section(text, "TRANSITIONS")):
            self.transitions[column[source], column[target]] = float(weight)
        self._attributes: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        weights: list[float] = []
        for name, label, weight in _ENTRY.findall(_section(text, "STATE_FEATURES")):
            rows.append(self._attributes.setdefault(name, len(self._attributes)))
            columns.append(column[label])
            weights.append(float(weight))
        self._weights = numpy.zeros((len(self._attributes) + 1, len(labels)))  # the last row: unknown attributes
        self._weights[rows, columns] = weights
        self._unknown = len(self._attributes)
        self._exp_transitions = numpy.exp(self.transitions)

    def weights_of(self, groups: Sequence[Sequence[str]]) -> numpy.ndarray:
        """For each group of feature names (each of value 1), their summed weights for each label (groups x
        labels); no group may be empty."""
        index, unknown = self._attributes, self._unknown
        ids: list[int] = []
        starts: list[int] = []
        for names in groups:
            starts.append(len(ids))
            ids.extend(index.get(name, unknown) for name in names)
        return numpy.add.reduceat(self._weights[ids], starts, axis=0)

    def weighted(self, features: Sequence[Sequence[tuple[str, float]]]) -> numpy.ndarray:
        """Each token's score for each label from its (name, value) features."""
        index, unknown = self._attributes, self._unknown
        ids: list[int] = []
        values: list[float] = []
        starts: list[int] = []
        for token in features:
            starts.append(len(ids))
            for name, value in token:
                ids.append(index.get(name, unknown))
                values.append(value)
        return numpy.add.reduceat(self._weights[ids] * numpy.asarray(values)[:, None], starts, axis=0)

    def marginals(self, scores: Sequence[numpy.ndarray]) -> list[numpy.ndarray]:
        """Label probabilities of each token of each paragraph, from its tokens' label scores (tokens x labels),
        by forward-backward over all paragraphs together, scaled at each step so that nothing overflows."""
        if not scores:
            return []
        lengths = numpy.array([len(s) for s in scores])
        batch, steps, labels = len(scores), int(lengths.max()), self.transitions.shape[0]
        # exp of the state scores, each token's row scaled by its largest (scaling cancels in the marginals);
        # padding past a paragraph's end is all ones, which leaves its forward and backward values unchanged in
        # the steps that matter.
        emissions = numpy.ones((steps, batch, labels))
        for row, s in enumerate(scores):
            emissions[: len(s), row] = numpy.exp(s - s.max(axis=1, keepdims=True))
        forward = numpy.empty((steps, batch, labels))
        alpha = emissions[0] / emissions[0].sum(axis=1, keepdims=True)
        forward[0] = alpha
        transitions = self._exp_transitions
        for t in range(1, steps):
            alpha = (alpha @ transitions) * emissions[t]
            alpha /= alpha.sum(axis=1, keepdims=True)
            forward[t] = alpha
        backward = numpy.empty_like(forward)
        beta = numpy.ones((batch, labels))
        ended = (lengths - 1)[None, :] <= numpy.arange(steps)[:, None]  # at or past each paragraph's last token
        for t in range(steps - 1, -1, -1):
            beta = numpy.where(ended[t][:, None], 1.0, beta)
            backward[t] = beta
            beta = (emissions[t] * beta) @ transitions.T
            beta /= beta.sum(axis=1, keepdims=True)
        found = []
        for row, length in enumerate(lengths):
            p = forward[:length, row] * backward[:length, row]
            found.append(p / p.sum(axis=1, keepdims=True))
        return found
