"""Stance of one statement towards a claim: supports, contradicts, or neither, with a probability.

A multinomial logistic regression over features of the pair (claim wording, statement): how close the two are
(sentence-embedding cosine, shared word stems, shared numbers), how each is worded (negation in either, a
negation right before the words they share, a refuting cue such as "denied", a contrast such as "instead", a
question), and who says them where (the same speaker, the same article, the same sentence, the speaker named
in the claim). Negation and cues
are features the model weighs, not rules that decide: held-out reading found that "a negation anywhere ->
contradicts" was right 2 times in 17.

Trained on hand-labelled statement pairs from real news (``labels/stance_pairs*.jsonl``, see ``labels/README.md``)
by ``claimledger train statement-stance``; the weights ship as JSON in ``data/stance/statement_stance.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from claimledger.link.claims import stem_overlap, stems
from claimledger.link.timeline import contrast, negation, refuting_cue, stance_cues

CLASSES = ("supports", "contradicts", "neither")
MODEL_FILE = "statement_stance.json"
FEATURES = (
    "cosine", "stem_overlap", "stem_jaccard", "claim_negated", "statement_negated", "negation_differs",
    "negation_at_shared_words", "refuting_cue", "contrast", "question", "direct_quote", "same_speaker",
    "unknown_speaker", "same_article", "same_sentence", "numbers_shared", "numbers_differ",
    "cosine_if_negation_differs", "cosine_if_refuting", "overlap_if_refuting", "speaker_named_in_claim",
    "negated_scope_cosine",
)
# How many words after a negation it denies ("we have not seen any withdrawal of Russian forces").
NEGATED_WORDS = 8
_NUMBER = re.compile(r"\d[\d,.]*")
_WORD = re.compile(r"[^\W_]+(?:n't)?", re.UNICODE)
# How many words before a shared word a negation must stand to deny that word ("has not seen any withdrawal").
NEGATION_REACH = 5


@dataclass(frozen=True)
class Side:
    """One side of a pair as the features read it: its words, who said it where, and how."""

    text: str  # the statement's words (for a claim: its wording)
    speaker: str | None  # any key that is equal for the same speaker (a ledger actor id, or a name)
    article: str
    sentence: int  # where its sentence starts in the article; -1 when unknown
    cue: str | None = None
    kind: str = "indirect"
    name: str | None = None  # the speaker's name as the article gives it


def _named_in(name: str | None, text: str) -> bool:
    """Whether the last word of ``name`` (a surname, "Haram", "NATO") occurs in ``text``: the claim is about the
    speaker, as when the accused denies."""
    words = (name or "").replace("\u2019s", "").replace("'s", "").split()
    return bool(words) and len(words[-1]) > 2 and re.search(rf"\b{re.escape(words[-1])}\b", text) is not None


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


def _negation_at_shared(text: str, shared: frozenset[str]) -> bool:
    """Whether a negation stands within ``NEGATION_REACH`` words before a word whose stem both sides share."""
    words = _WORD.findall(text.replace("\u2019", "'"))
    negations = {w.casefold() for w in stance_cues().negations}
    for i, word in enumerate(words):
        lowered = word.casefold()
        if lowered in negations or lowered.endswith("n't"):
            if any(w[:5].casefold() in shared for w in words[i + 1:i + 1 + NEGATION_REACH] if not w[0].isupper()):
                return True
    return False


def negated_scope(text: str) -> str | None:
    """The words a statement's first negation denies (up to ``NEGATED_WORDS``), or None without a negation:
    compared with a claim's wording, they tell a denial of the claim ("has not seen signs of Russian troops
    pulling back" against "Russia was returning some troops") from a negation of something else."""
    found = negation(text)
    if found is None:
        return None
    words = text[found.end():].split()[:NEGATED_WORDS]
    return " ".join(words) if words else None


def pair_features(claim: Side, statement: Side, cosine: float, scope_cosine: float = 0.0) -> np.ndarray:
    """The ``FEATURES`` of one (claim, statement) pair; ``cosine`` is their sentence embeddings' cosine,
    ``scope_cosine`` the cosine of the claim's wording with the words the statement's negation denies (0 without
    one)."""
    a, b = stems(claim.text), stems(statement.text)
    shared = a & b
    claim_negated = negation(claim.text) is not None
    statement_negated = negation(statement.text) is not None
    differs = claim_negated != statement_negated
    refuting = refuting_cue(statement.cue)
    numbers_a, numbers_b = _numbers(claim.text), _numbers(statement.text)
    same_speaker = claim.speaker is not None and claim.speaker == statement.speaker
    values = (
        cosine, stem_overlap(a, b), len(shared) / len(a | b) if a | b else 0.0, claim_negated, statement_negated,
        differs, _negation_at_shared(statement.text, shared) != _negation_at_shared(claim.text, shared), refuting,
        contrast(statement.text),
        statement.text.rstrip(" \"'\u201d\u2019").endswith("?"), statement.kind == "direct", same_speaker,
        statement.speaker is None, claim.article == statement.article,
        claim.article == statement.article and claim.sentence >= 0 and claim.sentence == statement.sentence,
        bool(numbers_a & numbers_b), bool(numbers_a and numbers_b and not numbers_a & numbers_b),
        cosine * differs, cosine * refuting, stem_overlap(a, b) * refuting, _named_in(statement.name, claim.text),
        scope_cosine,
    )
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True)
class StatementStanceModel:
    """Standardized features times ``coef`` plus ``intercept``, softmax over ``CLASSES``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    info: dict

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Probabilities of ``CLASSES`` for each row of ``features`` (rows of ``pair_features``)."""
        features = np.atleast_2d(features)
        logits = ((features - self.mean) / self.scale) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def to_json(self) -> dict:
        return {"classes": list(CLASSES), "features": list(FEATURES), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept.tolist(),
                "info": self.info}

    @classmethod
    def from_json(cls, data: dict) -> "StatementStanceModel":
        if tuple(data.get("features", ())) != FEATURES or tuple(data.get("classes", ())) != CLASSES:
            raise ValueError("statement stance weights were trained on other features or classes: retrain them "
                             "with `claimledger train statement-stance`")
        return cls(np.asarray(data["mean"]), np.asarray(data["scale"]), np.asarray(data["coef"]),
                   np.asarray(data["intercept"]), data.get("info", {}))


def save_model(model: StatementStanceModel, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_FILE
    path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    return path


def read_model(path: Path) -> StatementStanceModel:
    return StatementStanceModel.from_json(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def load_model() -> StatementStanceModel:
    """The shipped weights (``data/stance/statement_stance.json``), read once per process."""
    text = resources.files("claimledger").joinpath(f"data/stance/{MODEL_FILE}").read_text(encoding="utf-8")
    return StatementStanceModel.from_json(json.loads(text))


def judge_pairs(model: StatementStanceModel, pairs: Sequence[tuple[Side, Side, float, float]]) -> np.ndarray:
    """Probabilities of ``CLASSES``, one row per (claim, statement, cosine, scope cosine)."""
    if not pairs:
        return np.zeros((0, len(CLASSES)))
    return model.predict_proba(np.vstack([pair_features(*pair) for pair in pairs]))
