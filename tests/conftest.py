"""Fixtures shared by every test: settings pointing at a fresh SQLite file, and the sample corpus as a linked
ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.config import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({}).with_overrides(db=str(tmp_path / "ledger.db"), batch_size=5)


@pytest.fixture(scope="session")
def sample_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole sample corpus ingested, extracted and linked by the real jobs, read-only for the tests that share
    it. Linked with a dispute threshold of 0.1, so that the ledger has disputes to list."""
    from link.ledgers import SAMPLES, build_ledger

    db = tmp_path_factory.mktemp("sample-ledger") / "ledger.db"
    build_ledger(db, [SAMPLES], dispute_confidence=0.1)
    return db


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of our own (``tests/postgres.py``) for the whole session, shared by the store and serve
    tests; the tests that need one skip without the binaries."""
    from postgres import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer()
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_sample_ledger(pg_server) -> str:
    """The URL of the sample corpus ingested, extracted and linked into PostgreSQL by the real jobs, as
    ``sample_ledger`` is into SQLite (a dispute threshold of 0.1)."""
    from link.ledgers import SAMPLES, build_ledger

    url = pg_server.create_database()
    build_ledger(url, [SAMPLES], dispute_confidence=0.1)
    return url
