"""Train and cross-validate the statement stance model (``claimledger.link.statement_stance``) on the hand-labelled
statement pairs in ``labels/``.

Folds are fixed by the claim's article (a hash of its id, five folds), so that no article's claims are judged by a
model that saw them; every figure printed is the mean over the five held-out folds. The threshold at which a
contradiction counts as a dispute is chosen here, from the cross-validated precision, and written with the
weights, and so is the threshold at which a statement joins a claim as its support.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from claimledger.link.claims import default_encoder, proposition_text
from claimledger.link.statement_stance import (CLASSES, FEATURES, Side, StatementStanceModel, negated_scope,
                                               pair_features, save_model)

FOLDS = 5
# Labels as the model sees them: discussing and unrelated statements take no side.
TO_CLASS = {"supports": "supports", "contradicts": "contradicts", "discusses": "neither", "unrelated": "neither"}
# A statement joins a claim as support, and a contradiction makes a dispute, from the lowest threshold whose
# cross-validated precision reaches TARGET_PRECISION.
TARGET_PRECISION = 0.8
DEFAULT_THRESHOLD = 0.5
# A threshold earns trust only from enough calls: one right call out of one is no precision.
MIN_CALLS = 5
C = 1.0


@dataclass(frozen=True)
class LabelledPair:
    number: int
    claim: Side
    statement: Side
    label: str  # one of CLASSES
    fold: int


def fold_of(article_id: str) -> int:
    """The fixed fold of a claim's article."""
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % FOLDS


def _sentence_key(context: str) -> int:
    return int(hashlib.sha1(context.encode("utf-8")).hexdigest()[:7], 16)


def read_pairs(labels_dir: Path) -> list[LabelledPair]:
    """The labelled pairs of ``labels_dir/stance_pairs.jsonl`` (pair texts, origin and label on each line)."""
    pairs = []
    with open(labels_dir / "stance_pairs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            origin = row["origin"]
            claim_article = origin["claim_statement"].split(":")[0]
            article = origin["statement"].split(":")[0]
            claim = Side(row["claim"], row.get("claim_speaker"), claim_article, _sentence_key(row["claim_context"]))
            statement = Side(proposition_text(row["statement"], row["kind"], row.get("speaker")), row.get("speaker"),
                             article, _sentence_key(row["context"]), row.get("cue"), row["kind"], row.get("speaker"))
            pairs.append(LabelledPair(row["pair"], claim, statement, TO_CLASS[row["stance"]], fold_of(claim_article)))
    return pairs


def featurize(pairs: Sequence[LabelledPair]) -> np.ndarray:
    encoder = default_encoder()
    claims = encoder.encode([p.claim.text for p in pairs])
    statements = encoder.encode([p.statement.text for p in pairs])
    cosines = np.einsum("ij,ij->i", claims, statements)
    scopes = [negated_scope(p.statement.text) for p in pairs]
    present = [i for i, scope in enumerate(scopes) if scope]
    scope_cosines = np.zeros(len(pairs))
    if present:
        vectors = encoder.encode([scopes[i] for i in present])
        scope_cosines[present] = np.einsum("ij,ij->i", claims[present], vectors)
    return np.vstack([pair_features(p.claim, p.statement, float(c), float(sc))
                      for p, c, sc in zip(pairs, cosines, scope_cosines)])


def fit(features: np.ndarray, labels: Sequence[str], info: dict) -> StatementStanceModel:
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit((features - mean) / scale, labels)
    order = [list(model.classes_).index(c) if c in model.classes_ else None for c in CLASSES]
    coef = np.vstack([model.coef_[i] if i is not None else np.zeros(len(FEATURES)) for i in order])
    # A class absent from the training folds gets a probability near zero, never a share of the softmax.
    intercept = np.array([model.intercept_[i] if i is not None else -30.0 for i in order])
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes
        coef = np.zeros((len(CLASSES), len(FEATURES)))
        intercept = np.full(len(CLASSES), -30.0)
        positive, negative = CLASSES.index(model.classes_[1]), CLASSES.index(model.classes_[0])
        coef[positive], intercept[positive] = model.coef_[0], model.intercept_[0]
        intercept[negative] = 0.0
    return StatementStanceModel(mean, scale, coef, intercept, info)


def cross_validate(pairs: Sequence[LabelledPair], features: np.ndarray) -> np.ndarray:
    """Held-out probabilities of ``CLASSES`` for every pair, each from the model trained on the other folds."""
    labels = [p.label for p in pairs]
    folds = np.array([p.fold for p in pairs])
    probabilities = np.zeros((len(pairs), len(CLASSES)))
    for fold in range(FOLDS):
        test = folds == fold
        if not test.any():
            continue
        model = fit(features[~test], [l for l, t in zip(labels, test) if not t], {})
        probabilities[test] = model.predict_proba(features[test])
    return probabilities


def figures(pairs: Sequence[LabelledPair], probabilities: np.ndarray) -> dict:
    """Per-class precision, recall and F1 of the most probable class, their macro mean, and the precision and
    recall of ``contradicts`` at each threshold."""
    gold = np.array([p.label for p in pairs])
    predicted = np.array([CLASSES[i] for i in probabilities.argmax(axis=1)])
    result: dict = {"pairs": len(pairs), "classes": {}}
    for name in CLASSES:
        tp = int(((predicted == name) & (gold == name)).sum())
        precision = tp / max(1, int((predicted == name).sum()))
        recall = tp / max(1, int((gold == name).sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result["classes"][name] = {"gold": int((gold == name).sum()), "precision": round(precision, 3),
                                   "recall": round(recall, 3), "f1": round(f1, 3)}
    result["macro_f1"] = round(float(np.mean([c["f1"] for c in result["classes"].values()])), 3)
    for name in ("supports", "contradicts"):
        column = probabilities[:, CLASSES.index(name)]
        result[f"{name}_at"] = {}
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            called = column >= threshold
            tp = int((called & (gold == name)).sum())
            result[f"{name}_at"][str(threshold)] = {
                "called": int(called.sum()), "precision": round(tp / called.sum(), 3) if called.any() else None,
                "recall": round(tp / max(1, int((gold == name).sum())), 3)}
    return result


def threshold_for(result: dict, name: str) -> float:
    """The lowest threshold (of 0.5 and up) whose cross-validated precision for ``name`` reaches
    ``TARGET_PRECISION`` with at least ``MIN_CALLS`` calls, else the highest one tried."""
    for threshold, row in result[f"{name}_at"].items():
        if row["precision"] is not None and row["precision"] >= TARGET_PRECISION and row["called"] >= MIN_CALLS \
                and float(threshold) >= DEFAULT_THRESHOLD:
            return float(threshold)
    return max(float(t) for t in result[f"{name}_at"])


def train(labels_dir: Path, out_dir: Path | None, out: Callable[[str], None] = print) -> dict:
    """Cross-validate on the labelled pairs, print the figures, then fit on all of them and write the weights
    (with the chosen dispute threshold and the figures) to ``out_dir`` when given."""
    pairs = read_pairs(labels_dir)
    features = featurize(pairs)
    result = figures(pairs, cross_validate(pairs, features))
    threshold = threshold_for(result, "contradicts")
    supports = threshold_for(result, "supports")
    out(f"{len(pairs)} labelled pairs, {FOLDS} folds by the claim's article")
    for name, row in result["classes"].items():
        out(f"  {name:12} gold {row['gold']:4}  P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}")
    out(f"  macro F1 {result['macro_f1']:.3f}")
    for name in ("supports", "contradicts"):
        for t, row in result[f"{name}_at"].items():
            precision = "-" if row["precision"] is None else f"{row['precision']:.3f}"
            out(f"  {name} at >= {t}: {row['called']:4} called, precision {precision}, recall {row['recall']:.3f}")
    out(f"support threshold: {supports}; dispute threshold: {threshold}")
    if out_dir is not None:
        model = fit(features, [p.label for p in pairs],
                    {"pairs": len(pairs), "cross_validated": result, "dispute_threshold": threshold,
                     "support_threshold": supports,
                     "folds": f"{FOLDS}, sha1(claim article id) mod {FOLDS}", "C": C})
        out(f"wrote {save_model(model, out_dir)}")
    return result
