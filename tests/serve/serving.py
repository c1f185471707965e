"""Helpers shared by the serve tests (imported by path: the tests folder has no packages)."""

from __future__ import annotations

import socket
from pathlib import Path

from claimledger.config import Settings, load_settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "corpus"
SEED_ID = "f0b6de449740328a"


def settings_for(path: Path) -> Settings:
    return load_settings({}).with_overrides(db=str(path), workers=1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
