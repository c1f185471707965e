"""Shared fixtures: real sample files, the shared data folder, settings pointing at a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED = SHARED_DATA / "seed" / "axios-2022-02-16-nato-no-withdrawal.txt"
SAMPLE_SEED = SAMPLES / "text" / "axios-2022-02-16-nato-no-withdrawal.txt"


def shared(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (the shared data sets live beside the repository)")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({}).with_overrides(db=str(tmp_path / "ledger.db"), batch_size=5)
