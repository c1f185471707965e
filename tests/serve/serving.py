"""Helpers shared by the serve tests (imported by path: the tests folder has no packages)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from claimledger.config import Settings, load_settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "corpus"
SEED_ID = "f0b6de449740328a"


def settings_for(path: Path) -> Settings:
    return load_settings({}).with_overrides(db=str(path), workers=1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base: str, process: subprocess.Popen, log_path: Path, seconds: float = 30) -> None:
    """Return once the server ``process`` at ``base`` answers; fail the test with its log if it ends or does not
    answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/api/articles?limit=1", timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {log_path.read_text()}")
            time.sleep(0.2)


def serve(db: Path, log_path: Path) -> Iterator[str]:
    """A real `claimledger serve` process over ``db`` on a free localhost port, logging to ``log_path``; yields
    its base URL and stops it afterwards."""
    port = free_port()
    log = log_path.open("w")  # a file, not a pipe nobody reads that could fill and stall the server
    process = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db),
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, log_path)
    except BaseException:
        log.close()
        raise
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
