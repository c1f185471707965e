"""Stance of a text towards a claim: agree, disagree, discuss or unrelated (the FNC-1 labels).

The shipped model (``data/stance/``, trained by ``claimledger.train.stance`` on FNC-1) stacks two learners:
a logistic regression over the words of the claim, of the text's sentences nearest the claim and of the text's
lead, which says how the text reports the claim; and gradient-boosted trees over similarity and cue features
plus that regression's probabilities, which make the final four-way call. The weights are loaded once per
process; the sentence encoder (MiniLM) is loaded on the first prediction.
"""

from __future__ import annotations

import gzip
import pickle
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from claimledger.link.stance_features import Encoder, MiniLMEncoder, PairFeaturizer

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED_LABELS = ("agree", "disagree", "discuss")
MODEL_FILE = "stance_model.pkl.gz"


@dataclass
class StanceModel:
    """A fitted featurizer, word model and tree model; ``predict_proba`` columns follow ``LABELS``."""

    featurizer: PairFeaturizer
    word_model: LogisticRegression
    classifier: HistGradientBoostingClassifier
    info: dict = field(default_factory=dict)
    encoder: Encoder | None = field(default=None, repr=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        # The encoder is a torch model from site-packages, never part of the shipped weights.
        state["encoder"] = None
        return state

    def _encoder(self) -> Encoder | None:
        if not self.featurizer.use_embeddings:
            return None
        if self.encoder is None:
            self.encoder = MiniLMEncoder()
        return self.encoder

    def stacked_features(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The tree model's input for ``pairs``: dense features, then the word model's related-class probabilities."""
        features = self.featurizer.transform(pairs, self._encoder())
        return stack_features(features.dense, self.word_model.predict_proba(features.words))

    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities of the four labels (columns in ``LABELS`` order) for each (claim, text) pair."""
        if not pairs:
            return np.zeros((0, len(LABELS)))
        probabilities = self.classifier.predict_proba(self.stacked_features(pairs))
        order = [list(self.classifier.classes_).index(label) for label in LABELS]
        return probabilities[:, order]

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """The most probable label for each (claim, text) pair."""
        return [LABELS[i] for i in self.predict_proba(pairs).argmax(axis=1)]


def stack_features(dense: np.ndarray, word_probabilities: np.ndarray) -> np.ndarray:
    """Dense pair features with the word model's probabilities appended as the last columns."""
    return np.hstack([dense, word_probabilities]).astype(np.float32)


def fit_classifier(features: np.ndarray, labels: Sequence[str], weight_power: float, seed: int = 0):
    """Gradient-boosted trees over stacked features, each pair weighted by (unrelated share / its class share) **
    ``weight_power``, so rare stances (disagree above all) are not drowned by unrelated pairs."""
    labels = np.asarray(labels)
    shares = {label: float(np.mean(labels == label)) for label in LABELS}
    weights = np.array([(shares["unrelated"] / shares[y]) ** weight_power for y in labels])
    # Half the features per split and early stopping on a 10% slice: both held up better on held-out topics.
    classifier = HistGradientBoostingClassifier(
        max_iter=400, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=40, l2_regularization=1.0,
        max_features=0.5, early_stopping=True, validation_fraction=0.1, n_iter_no_change=10, random_state=seed,
    )  # fmt: skip
    return classifier.fit(features, labels, sample_weight=weights)


def save_model(model: StanceModel, out_dir: Path) -> Path:
    """Write ``model`` to ``out_dir/stance_model.pkl.gz`` and return the path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_FILE
    # mtime=0 keeps the file identical when the same weights are written again.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        pickle.dump(model, handle, protocol=5)
    return path


def read_model(path: Path) -> StanceModel:
    """A model written by ``save_model``. Only load files this project wrote: they are pickles."""
    with gzip.open(path, "rb") as handle:
        model = pickle.load(handle)
    if not isinstance(model, StanceModel):
        raise ValueError(f"{path}: not a stance model")
    return model


_shipped: StanceModel | None = None
_shipped_lock = threading.Lock()


def load_model() -> StanceModel:
    """The shipped model, read from the package data on the first call and shared afterwards."""
    global _shipped
    with _shipped_lock:
        if _shipped is None:
            with resources.as_file(resources.files("claimledger").joinpath(f"data/stance/{MODEL_FILE}")) as path:
                _shipped = read_model(path)
        return _shipped


def predict(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The stance label of each (claim, text) pair with the shipped model."""
    return load_model().predict(pairs)


def score_stance(claim: str, text: str) -> tuple[str, dict[str, float]]:
    """The stance of ``text`` towards ``claim`` and the probability of each of the four labels.

    ``text`` may be a whole article body or a single statement; ``claim`` is a short claim or headline.
    """
    probabilities = load_model().predict_proba([(claim, text)])[0]
    scores = {label: float(p) for label, p in zip(LABELS, probabilities)}
    return max(scores, key=scores.__getitem__), scores
