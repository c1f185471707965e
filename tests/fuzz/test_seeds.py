"""The seeds the harnesses mutate are inputs the readers accept: each yields at least one article, so that a
harness explores from real articles rather than from inputs rejected at the first check."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.config import load_settings
from claimledger.ingest.readers import read_file
from claimledger.models import Article

from fuzz import seeds
from fuzz.contract import check_items

SETTINGS = load_settings({})


@pytest.mark.parametrize("seed", seeds.files(), ids=repr)
def test_every_seed_file_reads_as_articles(seed, tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_bytes(seed.data)
    items = check_items(read_file(path, SETTINGS))
    assert any(isinstance(item, Article) for item in items), items


@pytest.mark.parametrize("seed", [*seeds.small_warcs(), *seeds.sample_warc_records(), *seeds.small_pages()],
                         ids=repr)
def test_small_seeds_read_as_articles(seed, tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_bytes(seed.data)
    items = check_items(read_file(path, SETTINGS))
    assert sum(isinstance(item, Article) for item in items) >= 1, items
