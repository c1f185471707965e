"""Score date normalization on TimeML gold (TempEval-3 task A, DATE expressions only), against dateparser.

Each document's text is given to the system with its creation time (DCT) as the anchor, and the predictions are
scored against the gold TIMEX3s of type DATE:

- relaxed span matching: a prediction and a gold expression match when their character spans overlap;
- precision = predictions overlapping a DATE gold / predictions counted; recall = DATE golds overlapped / DATE
  golds; F1 their harmonic mean;
- predictions that overlap no DATE gold but do overlap a gold DURATION, TIME or SET expression are ignored for
  precision (neither true nor false positives): they found a real temporal expression that this evaluation does
  not score;
- value accuracy: share of matched DATE golds whose value equals that of the prediction overlapping them most;
  week numbers are compared zero-padded ("2000-W7" = "2000-W07"), as the gold writes both;
- value F1 = relaxed F1 x value accuracy (the TempEval-3 headline figure).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from dateparser.search import search_dates
from rich import box
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from claimledger.corpora.timeml import TimeMLDocument, TimeMLError, iter_timeml
from claimledger.extract.dates import find_dates
from claimledger.models import Span

Prediction = tuple[Span, str]
System = Callable[[str, str], list[Prediction]]


def claimledger_system(text: str, dct: str) -> list[Prediction]:
    """Predictions of ``claimledger.extract.dates.find_dates`` anchored at the DCT."""
    return [(m.span, m.value) for m in find_dates(text, dct)]


def dateparser_system(text: str, dct: str) -> list[Prediction]:
    """The baseline: ``dateparser.search.search_dates`` with the DCT as relative base, found strings located in
    the text left to right, each valued as the full date it returns. English is named so that dateparser does
    not guess the language of every document."""
    base = dt.datetime.fromisoformat(dct)
    found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    predictions: list[Prediction] = []
    cursor = 0
    for string, when in found:
        start = text.find(string, cursor)
        if start < 0:
            start = text.find(string)
            if start < 0:
                continue
        cursor = start + len(string)
        predictions.append(((start, start + len(string)), when.date().isoformat()))
    return predictions


SYSTEMS: dict[str, System] = {"claimledger": claimledger_system, "baseline": dateparser_system}


@dataclass
class Tally:
    """Counts for one system over a set of documents."""

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    true_positive: int = 0
    gold_found: int = 0
    value_correct: int = 0

    def figures(self) -> dict[str, float]:
        precision = self.true_positive / self.predicted if self.predicted else 0.0
        recall = self.gold_found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = self.value_correct / self.gold_found if self.gold_found else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "value_accuracy": accuracy,
            "value_f1": f1 * accuracy,
            "documents": float(self.documents),
            "gold": float(self.gold),
        }


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


_WEEK = re.compile(r"-W(\d)(?!\d)")


def normalize_value(value: str) -> str:
    """A TIMEX3 value as compared: week numbers zero-padded."""
    return _WEEK.sub(r"-W0\1", value.strip())


def score_document(document: TimeMLDocument, predictions: Iterable[Prediction], tally: Tally) -> None:
    """Add one document's counts to ``tally`` (see the module docstring for the rules)."""
    dates = [t for t in document.timexes if t.type == "DATE"]
    others = [t for t in document.timexes if t.type != "DATE"]
    predictions = list(predictions)
    tally.documents += 1
    tally.gold += len(dates)
    for span, _ in predictions:
        if any(_overlap(span, g.span) > 0 for g in dates):
            tally.predicted += 1
            tally.true_positive += 1
        elif not any(_overlap(span, g.span) > 0 for g in others):
            tally.predicted += 1
    for gold in dates:
        overlapping = [(_overlap(span, gold.span), value) for span, value in predictions]
        best = max(overlapping, default=(0, ""))
        if best[0] > 0:
            tally.gold_found += 1
            tally.value_correct += normalize_value(best[1]) == normalize_value(gold.value)


def evaluate(documents: Iterable[TimeMLDocument], systems: dict[str, System] = SYSTEMS) -> dict[str, Tally]:
    """Run every system on every document and tally the scores."""
    tallies = {name: Tally() for name in systems}
    for document in documents:
        for name, system in systems.items():
            score_document(document, system(document.text, document.dct), tallies[name])
    return tallies


def _with_progress(documents: list[TimeMLDocument]) -> Iterable[TimeMLDocument]:
    """``documents`` with a transient progress bar on stderr: the dateparser baseline takes a while."""
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("scoring", total=len(documents))
        for document in documents:
            yield document
            progress.advance(task)


def _table(results: dict[str, dict[str, float]], title: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("system", no_wrap=True, min_width=max(map(len, results)))
    for column in ("precision", "recall", "F1", "value accuracy", "value F1", "documents", "gold"):
        # Headers may wrap between words but never inside one, so the table stays readable at 80 columns.
        table.add_column(column, justify="right", min_width=max(5, *map(len, column.split())))
    for name, figures in results.items():
        table.add_row(
            name,
            *(f"{figures[key]:.3f}" for key in ("precision", "recall", "f1", "value_accuracy", "value_f1")),
            f"{figures['documents']:.0f}",
            f"{figures['gold']:.0f}",
        )
    return table


def run_eval(gold: Path, console: Console) -> dict[str, dict[str, float]]:
    """Score claimledger and the dateparser baseline on the TimeML ``*.tml`` files under ``gold`` (recursively).

    Prints one Rich table (rows: systems; columns: precision, recall, F1, value accuracy, value F1, documents,
    gold DATE count) and returns the same figures keyed by system. Unreadable files are reported on ``console``
    and skipped.
    """
    documents: list[TimeMLDocument] = []
    for item in iter_timeml(gold):
        if isinstance(item, TimeMLError):
            console.print(f"[yellow]{item}[/yellow]")
        else:
            documents.append(item)
    results = {name: tally.figures() for name, tally in evaluate(_with_progress(documents)).items()}
    console.print(_table(results, f"DATE expressions in {gold}, relaxed spans, values against the DCT"))
    return results


__all__ = ["evaluate", "normalize_value", "run_eval", "score_document"]
