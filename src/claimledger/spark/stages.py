"""The Spark side of ingest and extract: parse and extract in the executors, deduplicate and write on the driver
(see the package's docstring for what runs where)."""

from __future__ import annotations

import json
from functools import partial
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from claimledger.config import Settings
from claimledger.ingest.readers import list_files, read_file
from claimledger.jobs import ArticleExtractor, ExtractReport, FileReader, IngestReport, _extractable, ingest
from claimledger.models import Article, Extraction, Rejection
from claimledger.store import Store

# Batches of articles per Spark job of `spark extract --db`: the driver holds one job's articles at a time (4,096
# news articles are some 20 MB) and writes the previous job's extractions while the next one runs.
BATCHES_PER_JOB = 1024
# Partitions per core: several, so that a partition of long articles does not leave the other cores idle.
PARTITIONS_PER_CORE = 4


def partitions(spark, jobs: int) -> int:
    """Partitions for ``jobs`` items: several a core, never more than the items."""
    return max(1, min(jobs, spark.sparkContext.defaultParallelism * PARTITIONS_PER_CORE))


def _read_one(job: tuple[int, str], settings: Settings) -> tuple[int, list[Article | Rejection]]:
    index, path = job
    return index, list(read_file(Path(path), settings))


def file_reader(spark) -> FileReader:
    """A ``jobs.ingest`` file reader that parses the files in Spark tasks, yielding them back in file order."""

    def read(files: list[Path], settings: Settings) -> Iterator[tuple[Path, list[Article | Rejection]]]:
        if not files:
            return
        jobs = list(enumerate(str(f) for f in files))
        rdd = spark.sparkContext.parallelize(jobs, partitions(spark, len(jobs))).map(
            partial(_read_one, settings=settings))
        for index, items in rdd.toLocalIterator(prefetchPartitions=True):
            yield files[index], items

    return read


def _extract_partition(batches: Iterable[list[Article]], settings: Settings) -> Iterator[Extraction]:
    from claimledger.extract.pipeline import Extractor

    extractor = Extractor(settings)
    for batch in batches:
        yield from extractor.extract_batch(batch)


def article_extractor(spark) -> ArticleExtractor:
    """A ``jobs.extract`` extractor that spreads the CLI's batches of articles over the executors, yielding the
    extractions back in input order."""
    from claimledger.extract.pipeline import BATCH_SIZE, _batches

    def extract(articles: Iterable[Article], settings: Settings) -> Iterator[Extraction]:
        batches = _batches(articles, BATCH_SIZE)
        while job := list(islice(batches, BATCHES_PER_JOB)):
            rdd = spark.sparkContext.parallelize(job, partitions(spark, len(job))).mapPartitions(
                partial(_extract_partition, settings=settings))
            yield from rdd.toLocalIterator(prefetchPartitions=True)

    return extract


# --- Parquet: `spark extract --out DIR`, read back by `claimledger import` ----------------------------------------

PARQUET_COLUMNS = ("file_index", "item_index", "source", "article_id", "record", "extraction", "skipped", "model")


def parquet_schema():
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    return StructType([StructField(name, LongType() if name.endswith("_index") else StringType(),
                                   nullable=not name.endswith("_index")) for name in PARQUET_COLUMNS])


def _skip_reason(article: Article) -> str | None:
    """Why extraction skips ``article`` (as ``jobs.extract`` judges it), or None."""
    report = ExtractReport()
    if list(_extractable([article], report)):
        return None
    return "too long" if report.too_long else f"language {next(iter(report.skipped_languages))}"


def _read_and_extract(jobs: Iterable[tuple[int, str]], settings: Settings) -> Iterator[tuple]:
    """The Parquet rows of a partition's files: one per article or rejection, each article with its extraction
    (its articles extracted together, in batches across its files)."""
    from claimledger.extract.pipeline import Extractor

    rows: list[list] = []
    to_extract: list[tuple[list, Article]] = []
    for file_index, path in jobs:
        for item_index, item in enumerate(read_file(Path(path), settings)):
            if isinstance(item, Rejection):
                rows.append([file_index, item_index, path, None, json.dumps({"source": item.source, "reason":
                             item.reason}, ensure_ascii=False), None, None, settings.model])
                continue
            row = [file_index, item_index, path, item.id, json.dumps(item.to_dict(), ensure_ascii=False), None,
                   _skip_reason(item), settings.model]
            rows.append(row)
            if row[6] is None:
                to_extract.append((row, item))
    extractions = Extractor(settings).extract_batch(article for _, article in to_extract)
    for (row, _), extraction in zip(to_extract, extractions):
        row[5] = json.dumps(extraction.to_dict(), ensure_ascii=False)
    return (tuple(row) for row in rows)


def extract_to_parquet(spark, paths: list[Path], out: Path, settings: Settings) -> tuple[int, list[Rejection]]:
    """Read and extract ``paths`` in Spark tasks, writing one Parquet row per article or rejected input to the
    new folder ``out``. Returns the rows written and the paths that do not exist."""
    files, missing = list_files(paths)
    jobs = list(enumerate(str(f) for f in files))
    rdd = spark.sparkContext.parallelize(jobs, partitions(spark, len(jobs))).mapPartitions(
        partial(_read_and_extract, settings=settings))
    frame = spark.createDataFrame(rdd, parquet_schema())
    frame.write.parquet(str(out))
    return spark.read.parquet(str(out)).count(), missing


def read_parquet_rows(folder: Path) -> list[dict]:
    """The rows of a ``spark extract --out`` folder, in input order (file, then item within the file)."""
    import pyarrow.parquet as pq

    table = pq.read_table(folder, columns=list(PARQUET_COLUMNS))
    return sorted(table.to_pylist(), key=lambda row: (row["file_index"], row["item_index"]))


def parquet_file_reader(rows: list[dict]) -> FileReader:
    """A ``jobs.ingest`` file reader over Parquet rows: each input file's articles and rejections, in order."""

    def read(_: list[Path], settings: Settings) -> Iterator[tuple[Path, list[Article | Rejection]]]:
        grouped: dict[int, tuple[str, list]] = {}
        for row in rows:
            record = json.loads(row["record"])
            item = Article.from_dict(record) if row["article_id"] else Rejection(**record)
            grouped.setdefault(row["file_index"], (row["source"], []))[1].append(item)
        for source, items in grouped.values():
            yield Path(source), items

    return read


def parquet_extractions(rows: list[dict]) -> tuple[dict[str, Extraction], str | None]:
    """The extractions in Parquet rows by article id (the first of an id read twice), and the model named."""

    found: dict[str, Extraction] = {}
    model = None
    for row in rows:
        if row["extraction"] is not None and row["article_id"] not in found:
            found[row["article_id"]] = Extraction.from_dict(row["article_id"], json.loads(row["extraction"]))
            model = model or row["model"]
    return found, model


@dataclass
class ImportReport:
    ingest: IngestReport
    extracted: int = 0  # extractions written
    not_extracted: int = 0  # articles kept whose extraction the folder does not hold (skipped, or stored earlier)


def import_parquet(folder: Path, store: Store, settings: Settings) -> ImportReport:
    """Load a ``spark extract --out`` folder into ``store``: its articles deduplicated and written exactly as
    ``jobs.ingest`` writes the same inputs, then the extractions of the articles kept, in the order and batches
    of ``jobs.extract``."""
    rows = read_parquet_rows(folder)
    store.check_writable()
    report = ImportReport(ingest([folder], store, settings, read_files=parquet_file_reader(rows)))
    extractions, model = parquet_extractions(rows)
    pending: list[Extraction] = []
    with store.exclusive("extract"):
        for article_id in dict.fromkeys(report.ingest.article_ids):
            extraction = extractions.get(article_id)
            if extraction is None:
                report.not_extracted += 1
                continue
            pending.append(extraction)
            report.extracted += 1
            if len(pending) >= settings.batch_size:
                store.write_extractions(pending, model or settings.model)
                pending.clear()
        if pending:
            store.write_extractions(pending, model or settings.model)
    return report
