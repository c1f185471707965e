"""Body-text accuracy of the HTML reader on the article extraction benchmark (real pages with gold bodies).

Scored as that benchmark scores it: word 4-gram shingles counted with multiplicity, true/false positives and
false negatives normalized per page so long pages weigh no more than short ones, precision and recall averaged
over pages, F1 from those averages.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

from claimledger.ingest.html import parse_html
from claimledger.models import Rejection

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalized (tp, fp, fn) of one page."""
    true, pred = _shingles(gold), _shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pages: int
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def score(counts: list[tuple[float, float, float]], seconds: float) -> Scores:
    def ratio(a: float, b: float, none_wrong: bool) -> float:
        return 1.0 if none_wrong else (a / (a + b) if a + b else 0.0)

    precision = statistics.mean(ratio(tp, fp, fp == fn == 0) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(ratio(tp, fn, fp == fn == 0) for tp, fp, fn in counts if tp + fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(counts), seconds)


def load_benchmark(folder: Path) -> list[tuple[str, str, bytes, str]]:
    """(page id, url, html bytes, gold body) for every page of the benchmark."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [(page_id, entry.get("url"), gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()),
             entry.get("articleBody", "")) for page_id, entry in sorted(truth.items())]


def evaluate(pages: list[tuple[str, str, bytes, str]]) -> dict[str, Scores]:
    """claimledger's HTML reader and plain ``trafilatura.extract`` on the same pages, each timed."""
    results: dict[str, Scores] = {}
    started = time.perf_counter()
    baseline = [trafilatura.extract(html, url=url) or "" for _, url, html, _ in pages]
    results["trafilatura.extract"] = score([page_counts(g, p) for (_, _, _, g), p in zip(pages, baseline)],
                                           time.perf_counter() - started)
    started = time.perf_counter()
    ours = [parse_html(html, page_id, url=url) for page_id, url, html, _ in pages]
    elapsed = time.perf_counter() - started
    texts = ["" if isinstance(a, Rejection) else a.text for a in ours]
    results["claimledger html reader"] = score([page_counts(g, p) for (_, _, _, g), p in zip(pages, texts)], elapsed)
    return results


def run_eval(gold: Path, console: Console) -> dict[str, Scores]:
    results = evaluate(load_benchmark(gold))
    table = Table(title=f"HTML body text on {gold} ({next(iter(results.values())).pages} pages)")
    for column in ("system", "precision", "recall", "F1", "pages/s"):
        table.add_column(column, justify="right" if column != "system" else "left")
    for name, s in results.items():
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.pages_per_second:.1f}")
    console.print(table)
    return results
