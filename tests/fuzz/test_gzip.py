"""Fuzz the gzip layer of ``read_file``. Gzipped inputs of every format, with their compressed bytes truncated,
flipped, repeated (a second member) or cut into, yield well-formed articles and rejections, and raise nothing: a
broken stream is reported, wherever in the file it breaks and whichever reader is reading it."""

from __future__ import annotations

import gzip

from claimledger.config import load_settings

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import read_bytes
from fuzz.mutations import Seed, mutants

SETTINGS = load_settings({})


def _gzipped() -> list[Seed[bytes]]:
    """The corpus's own gzip files, and every other seed gzipped (one JSON Lines file twice over)."""
    found = [seed for seed in seeds.files() if seed.data[:2] == b"\x1f\x8b"]
    found += [Seed(f"{seed.name}.gz", gzip.compress(seed.data, mtime=0)) for seed in seeds.files()
              if seed.data[:2] != b"\x1f\x8b"]
    jsonl = seeds.jsonl().data
    found.append(Seed("fnc1.jsonl.gz.gz", gzip.compress(gzip.compress(jsonl, mtime=0), mtime=0)))
    return found


@harness("gzip", mutants(_gzipped(), reencode=False), short=100)
def test_broken_gzip_streams_are_reported(data) -> None:
    read_bytes(data.data, SETTINGS)
