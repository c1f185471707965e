"""Store fixtures: a ledger URL for each backend, so that one suite runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import pytest

BACKENDS = ["sqlite", "postgresql"]



@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_url(backend, tmp_path, request) -> str:
    """A new, empty ledger on the backend under test: a SQLite file or a PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_server").create_database()
