"""Reader for FNC-1 (Fake News Challenge stage 1): headlines with body ids and stances, and the article bodies; and
the FNC-1 baseline's train/dev split of the training bodies.

Dev is the FNC-1 baseline's hold-out: its ``generate_hold_out_split`` shuffles the body ids (in file order) with
``random.Random(1489215)`` and holds out the last 20%, so no body is in both parts.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

# The four stances of FNC-1, in the order of its scorer.
LABELS = ("agree", "disagree", "discuss", "unrelated")
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
