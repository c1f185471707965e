"""Articles extracted per second by the plain CLI path (``extract_articles``, ``settings.workers`` processes) and
by Spark on ``local[1]`` and ``local[2]``, over the same articles; articles linked per second by the commands
``claimledger link`` and ``claimledger spark link`` on a ledger of them; then, from the measured cost per article,
the cores and machines that 10 million articles a day would need. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_spark.py [--articles 200] [--polnear ../shared/data/polnear]

The Spark figures count the whole job as a user waits for it (session start, each Python worker loading the
models once, shipping the articles, collecting the extractions), not only the extracting.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimledger.config import load_settings
from claimledger.corpora.polnear import news_records
from claimledger.extract.pipeline import Extractor, extract_articles
from claimledger.ingest.jsonl import article_from_record
from claimledger.models import Article

ARTICLES_A_DAY = 10_000_000
SECONDS_A_DAY = 86_400
# Head-room over the mean: news arrives in bursts, and an executor also parses, ships and writes.
PEAK_FACTOR = 2.0
CORES_A_MACHINE = 16


def polnear_articles(folder: Path, count: int) -> list[Article]:
    records = itertools.islice(news_records(folder, ("dev", "train")), count)
    # Read as `claimledger ingest` reads a JSON Lines file of them.
    read = (article_from_record(record, record["source"]) for record in records)
    return [article for article in read if isinstance(article, Article)]


def timed(label: str, run, count: int) -> float:
    started = time.perf_counter()
    done = sum(1 for _ in run())
    elapsed = time.perf_counter() - started
    assert done == count
    print(f"{label:<34} {count:>5} articles in {elapsed:7.1f} s: {count / elapsed:6.2f} articles/s")
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--polnear", type=Path, default=Path("..") / "shared" / "data" / "polnear")
    args = parser.parse_args()
    settings = load_settings({})
    articles = polnear_articles(args.polnear, args.articles)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    print(f"{len(articles)} PolNeAR articles (dev, then train), {words:.0f} words each on average; "
          f"{os.cpu_count()} CPUs visible")

    # The cost of one article in one process, models loaded: the unit the cluster estimate is built on.
    Extractor(settings).warm_up()
    cpu_started = time.process_time()
    one = timed("Extractor, 1 process (warm)", lambda: Extractor(settings).extract_batch(articles), len(articles))
    cpu_per_article = (time.process_time() - cpu_started) / len(articles)
    timed(f"CLI path, {settings.workers} workers", lambda: extract_articles(articles, settings), len(articles))

    from claimledger.spark.session import spark_session
    from claimledger.spark.stages import article_extractor

    for master in ("local[1]", "local[2]"):
        spark = spark_session(master)
        try:
            timed(f"Spark {master} (with start-up)", lambda: article_extractor(spark)(articles, settings),
                  len(articles))
            timed(f"Spark {master} (workers warm)", lambda: article_extractor(spark)(articles, settings),
                  len(articles))
        finally:
            spark.stop()

    link_cpu = link_commands(args.polnear, args.articles)
    per_second = ARTICLES_A_DAY / SECONDS_A_DAY
    cpu_per_article += link_cpu
    cores = per_second * cpu_per_article * PEAK_FACTOR
    print()
    print(f"measured: {(cpu_per_article - link_cpu) * 1000:.0f} ms of CPU an article to extract in one warm process "
          f"({one:.2f} articles/s), {link_cpu * 1000:.0f} ms to link (the whole `claimledger link` command)")
    print(f"10 million articles a day = {per_second:.0f} articles/s on average; at {cpu_per_article * 1000:.0f} ms "
          f"an article that is {per_second * cpu_per_article:.0f} busy cores, {cores:.0f} with x{PEAK_FACTOR:g} "
          f"head-room for bursts, parsing and shipping: about {max(1, round(cores / CORES_A_MACHINE + 0.49))} "
          f"executors of {CORES_A_MACHINE} cores (one Python worker a core, ~1 GB of memory each for the models)")


def command(*args: str) -> tuple[float, float]:
    """Run one claimledger command to its end: (wall seconds, CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "claimledger.cli", *args], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def link_commands(polnear: Path, count: int) -> float:
    """Time `claimledger link` and `claimledger spark link` on local[1] and local[2], each from start to end on a
    fresh copy of one extracted ledger of the articles. Returns the plain command's CPU seconds an article (the
    Spark commands' CPU is in their JVM and Python workers, which this process does not see whole)."""
    with tempfile.TemporaryDirectory() as folder:
        source, extracted = Path(folder) / "articles.jsonl", Path(folder) / "extracted.db"
        records = itertools.islice(news_records(polnear, ("dev", "train")), count)
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        command("ingest", str(source), "--db", str(extracted))
        command("extract", "--db", str(extracted))
        print()
        link_cpu = 0.0
        for label, args in (("claimledger link", ["link"]),
                            ("spark link local[1]", ["spark", "link", "--master", "local[1]"]),
                            ("spark link local[2]", ["spark", "link", "--master", "local[2]"])):
            ledger = Path(folder) / "ledger.db"
            shutil.copy(extracted, ledger)
            wall, cpu = command(*args, "--db", str(ledger))
            print(f"{label:<34} {count:>5} articles in {wall:7.1f} s: {count / wall:6.2f} articles/s (command, "
                  f"start to end)")
            if args == ["link"]:
                link_cpu = cpu / count
            ledger.unlink()
        return link_cpu


if __name__ == "__main__":
    main()
