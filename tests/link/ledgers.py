"""Real ledgers for the link tests: sample articles ingested, extracted with spaCy and linked."""

from __future__ import annotations

from pathlib import Path

from claimledger.config import Settings, load_settings
from claimledger.jobs import extract, ingest, link
from claimledger.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "corpus"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SEED_FILE = SAMPLES / "text" / "axios-2022-02-16-nato-no-withdrawal.txt"
SEED_ID = "f0b6de449740328a"
# The sample corpus's FNC-1 bodies on one story each: a Boko Haram ceasefire (feed, dated) and Christian Bale
# as Steve Jobs (JSON Lines and text files, undated).
STORY_FILES = [SAMPLES / "feeds" / "boko-haram.rss", SAMPLES / "jsonl" / "fnc1.jsonl.gz",
               *sorted((SAMPLES / "text").glob("fnc1-*.txt"))]


def build_ledger(db: Path | str, paths: list[Path], aliases: Path | None = None,
                 dispute_confidence: float | None = None) -> Settings:
    """A ledger (a SQLite file, or a PostgreSQL URL) with ``paths`` ingested, extracted (one worker: the machine is
    shared) and linked, with ``dispute_confidence`` instead of the shipped setting when given."""
    settings = load_settings({}).with_overrides(db=str(db), workers=1, dispute_confidence=dispute_confidence)
    with open_store(str(db)) as store:
        ingest(paths, store, settings)
        extract(store, settings)
        link(store, settings, aliases)
    return settings
