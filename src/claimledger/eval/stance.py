"""FNC-1 stance evaluation of the shipped model (or of a predictions file): the official weighted score, accuracy,
macro-F1 and the 4x4 confusion matrix, as ``claimledger.corpora.fnc1`` scores them.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from rich.console import Console

from claimledger.corpora.fnc1 import FncPair, dev_pairs, evaluate, print_report, read_bodies, read_pairs
from claimledger.link.stance import StanceModel, load_model


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
