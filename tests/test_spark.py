"""`claimledger spark ...` and `claimledger import`: the same inputs give, row by row, the ledger the plain CLI
gives; and ``Extractor`` gives what ``extract_articles`` gives.

The ledgers are compared on every table but the full-text indexes and the migration log, each column but the
timestamps (``*_at``). The link test takes 200 PolNeAR articles (dev, then train) and the sample corpus's FNC-1
reports. A ledger is linked from the first 100 articles and most reports; then the next 100 and one more report
are ingested, extracted and linked into it, by the plain CLI and by Spark, in batches of 15. So Spark's linking
meets the ledger's claims, the claims of earlier batches of its own run, and several batches at once. It takes
under 3 minutes on 2 cores.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from paths import SAMPLES, SHARED_DATA

POLNEAR = SHARED_DATA / "polnear"
ARTICLES = 200
BATCH = "15"  # articles per link batch in the link test
CLI = [sys.executable, "-m", "claimledger.cli"]
SKIPPED_TABLES = ("schema_migrations",)

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java: no `java` on PATH"),
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-4000:]
    return result


def ledger_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of ``db`` (but the full-text indexes), without timestamps, in key order."""
    with sqlite3.connect(db) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' ORDER BY name")
            if name not in SKIPPED_TABLES]
        rows = {}
        for table in tables:
            columns = [c[1] for c in connection.execute(f"PRAGMA table_info({table})") if not c[1].endswith("_at")]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[table] = connection.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}").fetchall()
    return rows


def assert_same_ledgers(expected: Path, actual: Path, tables: tuple[str, ...] | None = None) -> None:
    want, got = ledger_rows(expected), ledger_rows(actual)
    assert sorted(want) == sorted(got)
    for table in tables or tuple(want):
        assert len(got[table]) == len(want[table]), table
        for want_row, got_row in zip(want[table], got[table]):
            assert got_row == want_row, table


@pytest.fixture(scope="module")
def polnear_jsonl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The first and the second half of the PolNeAR articles, as two JSON Lines files."""
    if not (POLNEAR / "metadata.tsv").exists():
        pytest.skip(f"PolNeAR is not in {POLNEAR}")
    from claimledger.corpora.polnear import news_records

    folder = tmp_path_factory.mktemp("polnear")
    records = list(itertools.islice(news_records(POLNEAR, ("dev", "train")), ARTICLES))
    halves = folder / "first.jsonl", folder / "second.jsonl"
    for path, part in zip(halves, (records[:ARTICLES // 2], records[ARTICLES // 2:])):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    return halves


def test_extractor_gives_what_extract_articles_gives(settings):
    from claimledger.extract.pipeline import Extractor, extract_articles
    from claimledger.ingest.readers import read_paths
    from claimledger.models import Article

    articles = [a for a in read_paths([SAMPLES / "text", SAMPLES / "jsonl"], settings) if isinstance(a, Article)]
    expected = [repr(e) for e in extract_articles(articles, settings.with_overrides(workers=1))]
    got = [repr(e) for e in Extractor(settings).extract_batch(iter(articles))]
    assert got == expected and len(got) == len(articles)


def test_extraction_round_trips_through_json(settings):
    from claimledger.extract.pipeline import Extractor
    from claimledger.ingest.readers import read_paths
    from claimledger.models import Article, Extraction

    articles = [a for a in read_paths([SAMPLES / "text"], settings) if isinstance(a, Article)]
    for extraction in Extractor(settings).extract_batch(articles):
        data = json.loads(json.dumps(extraction.to_dict()))
        assert Extraction.from_dict(extraction.article_id, data) == extraction


def test_spark_link_gives_the_cli_ledger(polnear_jsonl, tmp_path):
    pytest.importorskip("pyspark", reason="pyspark is not installed (the spark extra)")
    # The sample corpus's FNC-1 articles join the first half, and one more report of their story the second, so
    # that statements of the second half have the ledger's claims to join.
    first = [str(polnear_jsonl[0]), str(SAMPLES / "jsonl")]
    second = [str(polnear_jsonl[1]), str(SAMPLES / "text" / "fnc1-1299.txt")]
    batches = {"CLAIMLEDGER_BATCH_SIZE": BATCH}
    plain, spark = tmp_path / "plain.db", tmp_path / "spark.db"
    run("ingest", *first, "--db", str(plain), env=batches)
    run("extract", "--db", str(plain), env=batches)
    run("link", "--db", str(plain), env=batches)
    shutil.copy(plain, spark)
    linked_first = {row[0] for row in ledger_rows(plain)["linked_articles"]}
    run("ingest", *second, "--db", str(plain), env=batches)
    run("extract", "--db", str(plain), env=batches)
    run("link", "--db", str(plain), env=batches)
    result = run("spark", "link", *second, "--db", str(spark), "--master", "local[2]", env=batches)
    assert "spark link (local[2])" in result.stdout
    assert_same_ledgers(plain, spark)
    rows = ledger_rows(spark)
    assert len(rows["linked_articles"]) > ARTICLES
    assert rows["statements"], "nothing was extracted"
    articles_by_claim = {}
    for row in rows["claim_statements"]:
        articles_by_claim.setdefault(row[1], set()).add(row[3])
    # Statements of the second half joined claims of the first: the ledger's claims were met.
    assert any(articles & linked_first and articles - linked_first for articles in articles_by_claim.values())


def test_spark_parquet_imported_gives_the_cli_ledger(tmp_path):
    """The sample corpus (text, HTML, feeds, WARC, JSON Lines, with duplicates and rejected inputs) extracted into
    Parquet by Spark and imported, against `claimledger extract` of the same inputs."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (the spark extra)")
    plain, imported, parquet = tmp_path / "plain.db", tmp_path / "imported.db", tmp_path / "parquet"
    run("extract", str(SAMPLES), "--db", str(plain))
    run("spark", "extract", str(SAMPLES), "--out", str(parquet), "--master", "local[2]")
    run("import", str(parquet), "--db", str(imported))
    assert_same_ledgers(plain, imported)
    assert ledger_rows(imported)["duplicates"], "the sample corpus holds duplicates"
