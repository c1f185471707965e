"""FNC-1 stance evaluation: the official weighted score, accuracy, macro-F1 and the 4x4 confusion matrix.

The score follows the FNC-1 scorer (``fnc-1/scorer.py``): +0.25 for every pair whose related/unrelated decision is
right, +0.75 more for a related pair whose agree/disagree/discuss label is right; it is reported as a fraction of
the best score the gold labels allow, as the official scorer's relative score is.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

from claimledger.corpora.fnc1 import FncPair, dev_pairs, read_bodies, read_pairs
from claimledger.link.stance import LABELS, RELATED_LABELS, StanceModel, load_model

@dataclass(frozen=True)
class StanceReport:
    """Figures for predicted against gold labels; ``confusion[gold][predicted]`` counts pairs."""

    score: float
    max_score: float
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    confusion: dict[str, dict[str, int]]
    pairs: int

    @property
    def relative_score(self) -> float:
        """The FNC-1 score as a fraction of the best possible (what FNC-1 papers report)."""
        return self.score / self.max_score if self.max_score else 0.0

    def to_dict(self) -> dict:
        return {
            "fnc_score": round(self.relative_score, 4),
            "fnc_points": self.score,
            "fnc_max_points": self.max_score,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "f1": {label: round(value, 4) for label, value in self.f1.items()},
            "confusion": self.confusion,
            "pairs": self.pairs,
        }


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """The FNC-1 points earned by ``predicted`` and the most that ``gold`` allows, as the official scorer counts."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    score = 0.0
    best = 0.0
    for truth, guess in zip(gold, predicted):
        best += 0.25 if truth == "unrelated" else 1.0
        if truth == guess:
            score += 0.25
            if truth != "unrelated":
                score += 0.50
        if truth in RELATED_LABELS and guess in RELATED_LABELS:
            score += 0.25
    return score, best


def evaluate(gold: Sequence[str], predicted: Sequence[str]) -> StanceReport:
    """All figures for ``predicted`` against ``gold``; labels outside the four FNC-1 ones are an error."""
    unknown = (set(gold) | set(predicted)) - set(LABELS)
    if unknown:
        raise ValueError(f"labels outside {LABELS}: {sorted(unknown)}")
    score, best = fnc_score(gold, predicted)
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for truth, guess in zip(gold, predicted):
        confusion[truth][guess] += 1
    f1 = {}
    for label in LABELS:
        true_positive = confusion[label][label]
        predicted_count = sum(confusion[g][label] for g in LABELS)
        gold_count = sum(confusion[label].values())
        denominator = predicted_count + gold_count
        f1[label] = 2 * true_positive / denominator if denominator else 0.0
    correct = sum(confusion[label][label] for label in LABELS)
    return StanceReport(
        score=score,
        max_score=best,
        accuracy=correct / len(gold) if gold else 0.0,
        macro_f1=sum(f1.values()) / len(LABELS),
        f1=f1,
        confusion=confusion,
        pairs=len(gold),
    )


def confusion_table(report: StanceReport, title: str = "FNC-1 stance") -> Table:
    """The confusion matrix (rows gold, columns predicted) with per-class F1, as a Rich table."""
    table = Table(title=title)
    table.add_column("gold \\ predicted")
    for label in LABELS:
        table.add_column(label, justify="right")
    table.add_column("F1", justify="right")
    for gold in LABELS:
        row = [str(report.confusion[gold][p]) for p in LABELS]
        table.add_row(gold, *row, f"{report.f1[gold]:.3f}")
    return table


def print_report(report: StanceReport, console: Console, title: str) -> None:
    """Print the headline figures and the confusion matrix to a Rich console."""
    console.print(confusion_table(report, title))
    console.print(
        f"FNC-1 score {report.relative_score:.4f} ({report.score:g} of {report.max_score:g}), "
        f"accuracy {report.accuracy:.4f}, macro-F1 {report.macro_f1:.4f}, {report.pairs} pairs"
    )


def write_predictions(path: Path, pairs: Sequence[FncPair], labels: Sequence[str]) -> None:
    """Write ``Headline,Body ID,Stance`` rows, the FNC-1 submission format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for pair, label in zip(pairs, labels):
            writer.writerow([pair.headline, pair.body_id, label])


def _predict_pairs(model: StanceModel, pairs: Sequence[FncPair], bodies: dict[int, str]) -> list[str]:
    missing = sorted({p.body_id for p in pairs if p.body_id not in bodies})
    if missing:
        raise ValueError(f"body ids not in the bodies file: {missing[:10]}")
    return model.predict([(p.headline, bodies[p.body_id]) for p in pairs])


def run_eval(headlines: Path, bodies: Path, stances: Path | None, out: Path | None, console: Console) -> dict:
    """Predict stances for an FNC-1 headlines file against its bodies file.

    Gold labels come from ``stances`` when given, else from a ``Stance`` column of ``headlines`` if it has one;
    with gold labels the figures are printed and returned. With ``out`` the predictions are written there as
    ``Headline,Body ID,Stance``. Returns a dict with ``pairs`` and, when scored, the figures of ``StanceReport``.
    """
    pairs = read_pairs(headlines)
    gold_pairs = read_pairs(stances) if stances is not None else pairs
    if stances is not None:
        if len(gold_pairs) != len(pairs):
            raise ValueError(f"{stances}: {len(gold_pairs)} rows but {headlines} has {len(pairs)}")
        for line, (pair, gold) in enumerate(zip(pairs, gold_pairs), start=2):
            if (pair.headline, pair.body_id) != (gold.headline, gold.body_id):
                raise ValueError(f"{stances}:{line}: row does not match {headlines}:{line}")
    predicted = _predict_pairs(load_model(), pairs, read_bodies(bodies))
    result: dict = {"pairs": len(pairs)}
    if out is not None:
        write_predictions(out, pairs, predicted)
        result["out"] = str(out)
        console.print(f"wrote {len(pairs)} predictions to {out}")
    gold = [p.stance for p in gold_pairs]
    if all(label is not None for label in gold) and gold:
        report = evaluate([str(label) for label in gold], predicted)
        print_report(report, console, f"FNC-1 stance: {headlines.name}")
        result.update(report.to_dict())
    return result


def run_dev_eval(data_dir: Path, console: Console) -> dict:
    """Score the shipped model on our dev hold-out: the FNC-1 baseline's 20% of bodies (seed 1489215).

    ``data_dir`` holds ``train_bodies.csv`` and ``train_stances.csv``. Returns the figures as ``run_eval`` does.
    """
    bodies = read_bodies(data_dir / "train_bodies.csv")
    pairs = dev_pairs(read_pairs(data_dir / "train_stances.csv"), bodies)
    predicted = _predict_pairs(load_model(), pairs, bodies)
    report = evaluate([str(p.stance) for p in pairs], predicted)
    print_report(report, console, "FNC-1 stance: dev hold-out (baseline split)")
    return {"pairs": len(pairs), **report.to_dict()}
