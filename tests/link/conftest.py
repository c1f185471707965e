"""Session fixtures: the seed article and the sample corpus's FNC-1 stories as real linked ledgers, built once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ledgers import SEED_FILE, STORY_FILES, build_ledger  # noqa: E402


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "ledger.db"
    build_ledger(db, [SEED_FILE])
    return db


@pytest.fixture(scope="session")
def stories_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("stories") / "ledger.db"
    build_ledger(db, STORY_FILES)
    return db


@pytest.fixture(scope="session")
def doubtful_stories_db(tmp_path_factory) -> Path:
    """The stories linked with a dispute threshold of 0.1: contradictions the shipped 0.9 would not show (Boko
    Haram denying the ceasefire), so that the dispute rules have disputes to work on."""
    db = tmp_path_factory.mktemp("doubtful-stories") / "ledger.db"
    build_ledger(db, STORY_FILES, dispute_confidence=0.1)
    return db
