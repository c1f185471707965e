"""The FNC-1 scorer on hand-computed cases, and ``run_eval`` on real FNC-1 rows."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from rich.console import Console

from claimledger.corpora.fnc1 import evaluate, fnc_score
from claimledger.eval.stance import run_eval
from claimledger.link.stance import LABELS

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fnc1"


def test_fnc_score_counts_related_and_exact_labels():
    gold = ["agree", "unrelated", "discuss", "disagree"]
    predicted = ["agree", "unrelated", "agree", "unrelated"]
    # agree right: 0.25 + 0.50 + 0.25; unrelated right: 0.25; discuss as agree: related only, 0.25; disagree
    # as unrelated: nothing. Best: 1 + 0.25 + 1 + 1.
    assert fnc_score(gold, predicted) == (1.5, 3.25)


def test_fnc_score_of_gold_is_the_best():
    gold = ["unrelated", "unrelated", "discuss"]
    assert fnc_score(gold, gold) == (1.5, 1.5)


def test_evaluate_figures_by_hand():
    gold = ["agree", "agree", "disagree", "discuss", "unrelated", "unrelated"]
    predicted = ["agree", "discuss", "disagree", "discuss", "unrelated", "agree"]
    report = evaluate(gold, predicted)
    assert report.confusion["agree"] == {"agree": 1, "disagree": 0, "discuss": 1, "unrelated": 0}
    assert report.confusion["unrelated"]["agree"] == 1
    assert report.accuracy == pytest.approx(4 / 6)
    # agree: tp 1, 2 predicted, 2 gold -> 0.5; disagree 1.0; discuss: tp 1, 2 predicted, 1 gold -> 2/3;
    # unrelated: tp 1, 1 predicted, 2 gold -> 2/3.
    assert report.f1 == pytest.approx({"agree": 0.5, "disagree": 1.0, "discuss": 2 / 3, "unrelated": 2 / 3})
    assert report.macro_f1 == pytest.approx((0.5 + 1.0 + 2 / 3 + 2 / 3) / 4)
    # points: 1 + 0.25 + 1 + 1 + 0.25 + 0 = 3.5 of 1 + 1 + 1 + 1 + 0.25 + 0.25 = 4.5
    assert (report.score, report.max_score) == (3.5, 4.5)
    assert report.relative_score == pytest.approx(3.5 / 4.5)


def test_evaluate_rejects_unknown_labels():
    with pytest.raises(ValueError, match="labels outside"):
        evaluate(["agree"], ["supports"])


@pytest.fixture
def fnc_sample(tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    if not (DATA / "train_stances.csv").exists():
        pytest.skip(f"FNC-1 data not found at {DATA} (shared/data beside the repository)")
    with (DATA / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sample = random.Random(7).sample(rows, 12)
    wanted = {row["Body ID"] for row in sample}
    with (DATA / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = [row for row in csv.DictReader(handle) if row["Body ID"] in wanted]
    headlines = tmp_path / "headlines.csv"
    with headlines.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["Headline", "Body ID", "Stance"])
        writer.writeheader()
        writer.writerows(sample)
    bodies_file = tmp_path / "bodies.csv"
    with bodies_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["Body ID", "articleBody"])
        writer.writeheader()
        writer.writerows(bodies)
    return headlines, bodies_file, sample


def test_run_eval_writes_predictions_and_scores(fnc_sample, tmp_path: Path):
    headlines, bodies, sample = fnc_sample
    out = tmp_path / "out" / "predictions.csv"
    console = Console(file=io.StringIO(), width=120)
    result = run_eval(headlines, bodies, None, out, console)
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["Headline", "Body ID", "Stance"]
        written = list(reader)
    assert [(h, b) for h, b, _ in written] == [(row["Headline"], row["Body ID"]) for row in sample]
    assert {stance for _, _, stance in written} <= set(LABELS)
    assert result["pairs"] == len(sample)
    assert 0.0 <= result["fnc_score"] <= 1.0
    assert "FNC-1 score" in console.file.getvalue()
