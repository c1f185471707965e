"""A ledger built once per session by the real ingest and extract of the sample corpus, and servers over it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from claimledger.jobs import extract, ingest, link
from claimledger.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).parent))
from serving import SAMPLES, free_port, settings_for  # noqa: E402


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
    """A real `claimledger serve` process on a free localhost port; yields its base URL."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = log_path.open("w")  # a file, not a pipe nobody reads that could fill and stall the server
    process = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(ledger),
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/api/articles?limit=1", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail(f"the server did not start: {log_path.read_text()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
