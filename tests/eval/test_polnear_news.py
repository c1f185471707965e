"""PolNeAR's articles as the news that `claimledger ingest` reads (corpora.polnear.news_records)."""

from __future__ import annotations

import pytest

from claimledger.corpora.polnear import news_records
from paths import shared


def test_each_record_carries_the_metadata_and_a_body_without_its_headline():
    polnear = shared("polnear")
    records = list(news_records(polnear, ("dev",), limit=5))
    assert len(records) == 5
    for record in records:
        assert record["source"].startswith("polnear/dev/")
        assert record["outlet"] and record["published"]
        if record["headline"]:
            assert not record["text"].startswith(record["headline"])
        assert len(record["text"].split()) > 50


def test_the_test_split_is_never_read():
    with pytest.raises(ValueError, match="held out"):
        next(news_records(shared("polnear"), ("dev", "test")))
