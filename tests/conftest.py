"""Fixtures shared by every test: settings pointing at a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.config import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({}).with_overrides(db=str(tmp_path / "ledger.db"), batch_size=5)
