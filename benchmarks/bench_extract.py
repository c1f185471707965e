"""Extraction speed and memory as users run it: the whole `claimledger extract` command beside the baseline
command (spaCy's small pipeline + textacy ``direct_quotations``, `baseline_extract.py`), on the same articles,
with the same number of worker processes, in turn: A B A B ...

The corpus is real news: PolNeAR's train and dev articles (``--articles N`` of each split, default all, about
920 articles and 700,000 words), ingested once into a ledger that is not timed. Each claimledger run extracts a
fresh copy of that ledger (the copy is not timed); the baseline reads the same ledger's texts. Both are timed as
whole processes, start to end: interpreter start, imports, model loading, reading the articles, the work and
writing what was found. Peak RSS is the largest sum of resident memory over the command's process tree, sampled
every 50 ms, and peak PSS the same with pages shared between processes counted once; CPU time is user + system
of the command and its workers. The ratio is the baseline's time over claimledger's, pair by pair (above 1:
claimledger is faster), and its median is the figure. Prints figures; asserts nothing.

    python benchmarks/bench_extract.py [--articles N] [--runs 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from claimledger.corpora.polnear import news_records

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
WORK = ROOT / "out" / "bench-extract"
BIN = Path(sys.executable).parent
TIMEOUT_S = 1800


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident bytes of ``pid`` and all its descendants, summed (RSS), and their proportional share (PSS), which
    counts a page shared by forked workers once instead of once in each."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(c) for c in handle.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return rss, pss


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> dict:
    """Wall seconds, CPU seconds and peak tree RSS and PSS (MiB) of one run of ``command``, its output thrown
    away."""
    cpu_before, peak, peak_pss, done = _children_cpu(), 0, 0, threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, errors = process.communicate(timeout=TIMEOUT_S)
    finally:
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed (exit {process.returncode}): {errors.strip()[-500:]}")
    return {"wall": wall, "cpu": _children_cpu() - cpu_before, "rss": peak / 2**20, "pss": peak_pss / 2**20}


def prepare(articles: int | None) -> tuple[Path, int]:
    """The ingested ledger of the corpus, made once per corpus size, and the corpus' whitespace words."""
    WORK.mkdir(parents=True, exist_ok=True)
    name = f"polnear-{articles or 'all'}"
    corpus, ledger = WORK / f"{name}.jsonl", WORK / f"{name}.db"
    if not ledger.exists():
        with open(corpus, "w", encoding="utf-8") as sink:
            for record in news_records(POLNEAR, limit=articles):
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        partial = ledger.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        subprocess.run([str(BIN / "claimledger"), "ingest", str(corpus), "--db", str(partial)], check=True,
                       stdout=subprocess.DEVNULL)
        partial.rename(ledger)
    import sqlite3

    connection = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    words = sum(len(text.split()) for (text,) in connection.execute("SELECT text FROM articles"))
    connection.close()
    return ledger, words


def main() -> int:
    parser = argparse.ArgumentParser(description="claimledger extract beside spaCy + textacy, whole commands")
    parser.add_argument("--articles", type=int, default=None, help="articles of each split (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    console = Console(width=150)
    if not POLNEAR.exists():
        console.print(f"skipped: {POLNEAR} not present (the shared data sets live beside the repository)")
        return 0
    ledger, words = prepare(args.articles)
    run_db = WORK / "run.db"
    commands = {
        "baseline": [sys.executable, str(ROOT / "benchmarks" / "baseline_extract.py"), str(ledger),
                     "--workers", str(args.workers)],
        "claimledger": [str(BIN / "claimledger"), "extract", "--db", str(run_db), "--workers", str(args.workers),
                        "--format", "jsonl"],
    }
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(args.runs):
        runs["baseline"].append(timed(commands["baseline"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{run_db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(ledger, run_db)
        runs["claimledger"].append(timed(commands["claimledger"]))

    table = Table(title=f"whole commands on PolNeAR train+dev ({words:,} words), {args.workers} workers, "
                        f"median of {args.runs} runs in turn")
    for column in ("command", "wall s", "words/s", "ratio", "CPU s", "CPU ratio", "peak RSS (MiB)", "peak PSS (MiB)"):
        table.add_column(column, justify="left" if column == "command" else "right")
    labels = {"baseline": "spaCy en_core_web_sm + textacy direct_quotations",
              "claimledger": "claimledger extract (all facts, stored)"}
    pairs = list(zip(runs["baseline"], runs["claimledger"]))
    for name, measured in runs.items():
        wall = statistics.median(r["wall"] for r in measured)
        cpu = statistics.median(r["cpu"] for r in measured)
        ratio = statistics.median(b["wall"] / (r if name == "claimledger" else b)["wall"] for b, r in pairs)
        cpu_ratio = statistics.median(b["cpu"] / (r if name == "claimledger" else b)["cpu"] for b, r in pairs)
        table.add_row(labels[name], f"{wall:.1f}", f"{words / wall:,.0f}", f"{ratio:.2f}", f"{cpu:.1f}",
                      f"{cpu_ratio:.2f}", f"{max(r['rss'] for r in measured):,.0f}", f"{max(r['pss'] for r in measured):,.0f}")
    console.print(table)
    console.print("ratio: the baseline's wall time over this command's, pair by pair, median (the goal's measure; "
                  "above 1 is faster); CPU ratio the same over CPU time, steadier when other jobs share the machine. "
                  "Runs, wall s: " + "; ".join(f"{name} " + ", ".join(f"{r['wall']:.1f}" for r in measured)
                                                for name, measured in runs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
