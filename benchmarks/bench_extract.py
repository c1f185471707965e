"""Extraction speed and memory: claimledger's full extraction vs the baseline (spaCy nlp.pipe + textacy
direct_quotations), same texts (PolNeAR dev), same 2 processes, one run each.

Each system runs in a fresh child process; peak RSS is the largest sum of resident memory over that process and
its workers, sampled from /proc every 50 ms. Words/s counts whitespace words over the processing time, after the
models have loaded (spaCy's for both; for claimledger also its tagger and tables, through ``pipeline.warm_up``).
Starting worker processes is timed for both. CPU time (this process and its workers, user and system) is reported
beside it: on a shared machine the wall clock moves with the neighbours, CPU time much less. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
WORKERS = 2
TIMEOUT_S = 1800


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(c) for c in handle.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(system: str) -> dict:
    process = subprocess.Popen([sys.executable, __file__, "--child", system], stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the child and the workers it started
        output = ""
    finally:
        done.set()
        sampler.join()
    lines = output.strip().splitlines()
    if process.returncode != 0 or not lines:
        raise SystemExit(f"{system} run failed (exit {process.returncode}); see its error above")
    return {**json.loads(lines[-1]), "peak_rss_mb": peak / 2**20}


def child(system: str) -> None:
    from claimledger.corpora.polnear import read_split

    documents = list(read_split(DEV))
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    if system == "baseline":
        import spacy
        from textacy.extract.triples import direct_quotations

        from claimledger.config import load_settings

        def quotes_of(doc) -> int:
            try:
                return len(list(direct_quotations(doc)))
            except ValueError:  # textacy bails out on an unclosed quotation mark; the baseline finds nothing there
                return 0

        nlp = spacy.load(load_settings().model)
        cpu_started = _cpu_seconds()
        started = time.perf_counter()
        quotes = sum(quotes_of(doc) for doc in nlp.pipe(texts, n_process=WORKERS, batch_size=8))
        found = {"quotes": quotes}
    else:
        from claimledger.config import load_settings
        from claimledger.eval.quotes import gold_article
        from claimledger.extract.pipeline import extract_articles, warm_up

        settings = load_settings().with_overrides(workers=WORKERS)
        # Models and tables load before the clock starts, as the baseline's model does; extract_articles warms up
        # again (a no-op once loaded), and starting its worker pool stays inside the timing.
        warm_up(settings)
        cpu_started = _cpu_seconds()
        started = time.perf_counter()
        extractions = list(extract_articles((gold_article(d) for d in documents), settings))
        found = {"statements": sum(len(e.statements) for e in extractions)}
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    print(json.dumps({"words": words, "seconds": seconds, "words_per_second": words / seconds,
                      "cpu_us_per_word": cpu / words * 1e6, **found}))


def _cpu_seconds() -> float:
    """CPU time of this process and of its workers that have ended (user and system)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> int:
    console = Console()
    if not DEV.exists():
        console.print(f"skipped: {DEV} not present (the shared data sets live beside the repository)")
        return 0
    results = {name: measure(name) for name in ("baseline", "claimledger")}
    table = Table(title=f"extraction on PolNeAR dev ({results['baseline']['words']} words), {WORKERS} processes")
    for column in ("system", "words/s", "ratio", "seconds", "CPU µs/word", "CPU ratio", "peak RSS (MB)"):
        table.add_column(column, justify="left" if column == "system" else "right")
    base = results["baseline"]["words_per_second"]
    base_cpu = results["baseline"]["cpu_us_per_word"]
    labels = {"baseline": "spaCy en_core_web_sm + textacy direct_quotations",
              "claimledger": "claimledger extract (all facts)"}
    for name, r in results.items():
        table.add_row(labels[name], f"{r['words_per_second']:.0f}", f"{r['words_per_second'] / base:.2f}",
                      f"{r['seconds']:.1f}", f"{r['cpu_us_per_word']:.0f}", f"{base_cpu / r['cpu_us_per_word']:.2f}",
                      f"{r['peak_rss_mb']:.0f}")
    console.print(table)
    console.print("ratio: words/s against the baseline's (wall clock, the goal's measure); CPU ratio: the baseline's "
                  "CPU time per word over this one's, steadier when other jobs share the machine")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        sys.exit(main())
