"""Reader for FNC-1 (Fake News Challenge stage 1): headlines with body ids and stances, and the article bodies; the
FNC-1 baseline's train/dev split of the training bodies; and the FNC-1 scorer.

The score follows the FNC-1 scorer (``fnc-1/scorer.py``): +0.25 for every pair whose related/unrelated decision is
right, +0.75 more for a related pair whose agree/disagree/discuss label is right; it is reported as a fraction of
the best score the gold labels allow, as the official scorer's relative score is.

Dev is the FNC-1 baseline's hold-out: its ``generate_hold_out_split`` shuffles the body ids (in file order) with
``random.Random(1489215)`` and holds out the last 20%, so no body is in both parts.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table

# The four stances of FNC-1, in the order of its scorer.
LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED_LABELS = ("agree", "disagree", "discuss")
SPLIT_SEED = 1489215
TRAIN_FRACTION = 0.8


@dataclass(frozen=True)
class FncPair:
    """One row of an FNC-1 stances (or headlines) file; ``stance`` is None when the file has no such column."""

    headline: str
    body_id: int
    stance: str | None = None


def read_bodies(path: Path) -> dict[int, str]:
    """Body id to body text from an FNC-1 ``Body ID,articleBody`` file, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        missing = {"Body ID", "articleBody"} - set(rows.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not an FNC-1 bodies file, no column {sorted(missing)}")
        return {int(row["Body ID"]): row["articleBody"] for row in rows}


def read_pairs(path: Path) -> list[FncPair]:
    """The rows of an FNC-1 ``Headline,Body ID[,Stance]`` file; a stance outside the four labels is an error."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        missing = {"Headline", "Body ID"} - set(rows.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not an FNC-1 headlines file, no column {sorted(missing)}")
        pairs = []
        for line, row in enumerate(rows, start=2):
            stance = (row.get("Stance") or "").strip() or None
            if stance is not None and stance not in LABELS:
                raise ValueError(f"{path}:{line}: unknown stance {stance!r}")
            try:
                body_id = int(row["Body ID"])
            except (TypeError, ValueError):
                raise ValueError(f"{path}:{line}: Body ID {row['Body ID']!r} is not a number") from None
            pairs.append(FncPair(row["Headline"], body_id, stance))
        return pairs


def hold_out_body_ids(bodies: dict[int, str]) -> set[int]:
    """The dev body ids: the FNC-1 baseline's hold-out (last 20% of the body ids shuffled with seed 1489215)."""
    ids = list(bodies)
    random.Random(SPLIT_SEED).shuffle(ids)
    return set(ids[int(TRAIN_FRACTION * len(ids)) :])


def dev_pairs(pairs: Sequence[FncPair], bodies: dict[int, str]) -> list[FncPair]:
    """The pairs whose body is held out for dev."""
    held_out = hold_out_body_ids(bodies)
    return [p for p in pairs if p.body_id in held_out]


def train_pairs(pairs: Sequence[FncPair], bodies: dict[int, str]) -> list[FncPair]:
    """The pairs whose body is in the 80% used for training."""
    held_out = hold_out_body_ids(bodies)
    return [p for p in pairs if p.body_id not in held_out]


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
