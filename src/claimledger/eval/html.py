"""Body-text accuracy of the HTML reader on the article extraction benchmark (real pages with gold bodies).

Scored as that benchmark scores it: word 4-gram shingles counted with multiplicity, true/false positives and
false negatives normalized per page so long pages weigh no more than short ones, precision and recall averaged
over pages, F1 from those averages. The baseline is trafilatura run as the benchmark runs it (comments off).

Since the benchmark is also where the reader's rules were chosen, every figure is given by fold as well (5 folds
fixed by a hash of the page id), ``evaluate(..., ablate=True)`` shows what each rule of the reader earns, and
``cross_validate_share`` chooses the link-density threshold on four folds and scores it on the fifth.
"""

from __future__ import annotations

import gzip
import hashlib
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

from claimledger.ingest.html import RULES, parse_html
from claimledger.models import Rejection

_TOKEN = re.compile(r"\w+")
FOLDS = 5
SHARES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
BASELINE = "trafilatura.extract, comments off"
OURS = "claimledger html reader"

Counts = tuple[float, float, float]
Page = tuple[str, str, bytes, str]


def fold_of(page_id: str, folds: int = FOLDS) -> int:
    """The page's fixed cross-validation fold."""
    return int(hashlib.sha1(page_id.encode("utf-8")).hexdigest(), 16) % folds


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
    folds: tuple[float, ...] = ()  # F1 of each fold's pages (nan for a fold without pages)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def score(counts: list[Counts], seconds: float, page_ids: list[str] | None = None) -> Scores:
    """Benchmark figures of ``counts`` (one per page); given the pages' ids, the F1 of each fold too."""
    def ratio(a: float, b: float, none_wrong: bool) -> float:
        return 1.0 if none_wrong else (a / (a + b) if a + b else 0.0)

    precision = statistics.mean(ratio(tp, fp, fp == fn == 0) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(ratio(tp, fn, fp == fn == 0) for tp, fp, fn in counts if tp + fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    folds: tuple[float, ...] = ()
    if page_ids is not None:
        by_fold: list[list[Counts]] = [[] for _ in range(FOLDS)]
        for one, page_id in zip(counts, page_ids):
            by_fold[fold_of(page_id)].append(one)
        folds = tuple(score(part, 0.0).f1 if part else float("nan") for part in by_fold)
    return Scores(precision, recall, f1, len(counts), seconds, folds)


def load_benchmark(folder: Path) -> list[Page]:
    """(page id, url, html bytes, gold body) for every page of the benchmark."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [(page_id, entry.get("url"), gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()),
             entry.get("articleBody", "")) for page_id, entry in sorted(truth.items())]


def _reader_counts(pages: list[Page], **options: object) -> tuple[list[Counts], float]:
    started = time.perf_counter()
    articles = [parse_html(html, page_id, url=url, **options) for page_id, url, html, _ in pages]
    elapsed = time.perf_counter() - started
    texts = ["" if isinstance(a, Rejection) else a.text for a in articles]
    return [page_counts(gold, text) for (_, _, _, gold), text in zip(pages, texts)], elapsed


def evaluate(pages: list[Page], ablate: bool = False) -> dict[str, Scores]:
    """claimledger's HTML reader and trafilatura as the benchmark runs it (``extract``, comments off), each
    timed; with ``ablate``, the reader once more without each of its rules (``RULES``)."""
    ids = [page_id for page_id, *_ in pages]
    results: dict[str, Scores] = {}
    started = time.perf_counter()
    baseline = [trafilatura.extract(html, include_comments=False) or "" for _, _, html, _ in pages]
    results[BASELINE] = score([page_counts(g, p) for (_, _, _, g), p in zip(pages, baseline)],
                              time.perf_counter() - started, ids)
    counts, elapsed = _reader_counts(pages)
    results[OURS] = score(counts, elapsed, ids)
    for rule in RULES if ablate else ():
        counts, elapsed = _reader_counts(pages, disabled_rules={rule})
        results[f"{OURS} without {rule}"] = score(counts, elapsed, ids)
    return results


def nested_choice(candidates: dict[float, list[Counts]], page_ids: list[str]) -> tuple[float, list[float]]:
    """Cross-validated F1 of choosing among ``candidates`` (a setting's per-page counts): for each fold, the
    setting best on the other folds, scored on that fold's pages; the held-out pages' counts pooled. Returns the
    F1 and the setting picked for each fold."""
    held_out: list[Counts | None] = [None] * len(page_ids)
    picks = []
    for k in range(FOLDS):
        train = [i for i, page_id in enumerate(page_ids) if fold_of(page_id) != k]
        best = max(candidates, key=lambda c: score([candidates[c][i] for i in train], 0.0).f1)
        picks.append(best)
        for i, page_id in enumerate(page_ids):
            if fold_of(page_id) == k:
                held_out[i] = candidates[best][i]
    return score([c for c in held_out if c is not None], 0.0).f1, picks


def cross_validate_share(pages: list[Page], shares: tuple[float, ...] = SHARES,
                         ) -> tuple[float, list[float], dict[float, float]]:
    """The link-density threshold of the link-dense-blocks rule, chosen on four folds and scored on the fifth:
    the cross-validated F1, the share picked for each fold, and each share's F1 on the whole benchmark."""
    ids = [page_id for page_id, *_ in pages]
    candidates = {share: _reader_counts(pages, link_dense_share=share)[0] for share in shares}
    f1, picks = nested_choice(candidates, ids)
    return f1, picks, {share: score(counts, 0.0).f1 for share, counts in candidates.items()}


def run_eval(gold: Path, console: Console, ablate: bool = False, cross_validate: bool = False,
             ) -> dict[str, Scores]:
    """Print the figures of ``evaluate`` (with ``ablate``, a row per rule switched off) and, with
    ``cross_validate``, the cross-validated choice of the link-density threshold (about a minute more)."""
    pages = load_benchmark(gold)
    results = evaluate(pages, ablate=ablate)
    table = Table(title=f"HTML body text on {gold} ({len(pages)} pages; folds fixed by a hash of the page id)")
    for column in ("system", "precision", "recall", "F1", f"F1 by fold (of {FOLDS})", "pages/s"):
        table.add_column(column, justify="right" if column != "system" else "left")
    for name, s in results.items():
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      " ".join(f"{f:.3f}" for f in s.folds), f"{s.pages_per_second:.1f}")
    console.print(table)
    if cross_validate:
        f1, picks, whole = cross_validate_share(pages)
        console.print("link-dense-blocks threshold, F1 on the whole benchmark: "
                      + ", ".join(f"{share:g}: {value:.4f}" for share, value in whole.items()))
        console.print(f"chosen on four folds, scored on the fifth: F1 {f1:.4f} (picks by fold: "
                      + ", ".join(f"{p:g}" for p in picks) + ")")
    return results
