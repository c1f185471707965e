"""Where the tests find their real inputs: the sample corpus and ../shared/data (skipping when it is absent).

A module of its own, not conftest.py: several conftest files live under tests/, and `import conftest` would
find whichever was imported first.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"
SAMPLE_SEED = SAMPLES / "text" / "axios-2022-02-16-nato-no-withdrawal.txt"


def shared(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (the shared data sets live beside the repository)")
    return path


def fnc1_bodies(count: int) -> list[str]:
    """The first ``count`` FNC-1 train article bodies, or skip the test when they are absent."""
    with shared("fnc1", "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        return [row["articleBody"] for _, row in zip(range(count), csv.DictReader(handle))]
