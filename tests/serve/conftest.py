"""A ledger built once per session by the real ingest and extract of the sample corpus, and servers over it."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from claimledger import Ledger
from claimledger.jobs import extract, ingest, link
from claimledger.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).parent))
from serving import SAMPLES, serve, settings_for  # noqa: E402


@pytest.fixture(scope="session")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested and extracted into a ledger file, read-only for the tests that share it."""
    path = tmp_path_factory.mktemp("ledger") / "ledger.db"
    settings = settings_for(path)
    with SQLiteStore(path) as store:
        ingest([SAMPLES], store, settings)
        extract(store, settings)
    return path


@pytest.fixture(scope="session")
def linked_ledger(ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shared ledger linked by the real `claimledger link`: actors across articles, claims."""
    path = tmp_path_factory.mktemp("linked") / "ledger.db"
    shutil.copy(ledger, path)
    with SQLiteStore(path) as store:
        link(store, settings_for(path), None)
    return path


@pytest.fixture
def writable_ledger(ledger: Path, tmp_path: Path) -> Path:
    """A copy of the shared ledger that a test may write to."""
    copy = tmp_path / "ledger.db"
    shutil.copy(ledger, copy)
    return copy


@pytest.fixture(scope="module")
def server(ledger: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real `claimledger serve` process over the shared (unlinked) ledger; yields its base URL."""
    yield from serve(ledger, tmp_path_factory.mktemp("server") / "server.log")


@pytest.fixture(scope="module")
def disputes_server(sample_ledger: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real `claimledger serve` process over the sample ledger linked with disputes; yields its base URL."""
    yield from serve(sample_ledger, tmp_path_factory.mktemp("server") / "server.log")


@pytest.fixture(scope="session")
def dated_dispute(sample_ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the sample ledger in which a dispute with a dated supporter has its undated contradiction dated
    too (a day after), so that its claim's chart has a bar on each side of the axis; and that claim's id. (The
    contradiction comes from an FNC-1 body, and those carry no date.)"""
    path = tmp_path_factory.mktemp("dated") / "ledger.db"
    shutil.copy(sample_ledger, path)
    with Ledger(path) as ledger:
        claim = next(c for c in ledger.disputes() if any(e.date for e in c.timeline if e.stance == "supports"))
        supported = max(e.date for e in claim.timeline if e.stance == "supports" and e.date)
        undated = [e.id for e in claim.timeline if e.stance == "contradicts" and not e.date]
    day = (date.fromisoformat(supported[:10]) + timedelta(days=1)).isoformat()
    conn = sqlite3.connect(path)
    conn.executemany("UPDATE claim_statements SET date = ? WHERE id = ?", [(day, entry) for entry in undated])
    conn.commit()
    conn.close()
    return path, claim.id
