"""The article extraction benchmark's scorer on hand-computed cases, its fixed folds, the choice of a setting
on four folds scored on the fifth, and ``evaluate`` with ablation on real benchmark pages."""

from __future__ import annotations

import math

import pytest

from claimledger.eval.html import (
    BASELINE, FOLDS, OURS, evaluate, fold_of, load_benchmark, nested_choice, page_counts, score,
)
from claimledger.ingest.html import RULES

from paths import shared


def test_page_counts_are_shingles_normalized_per_page():
    gold = "the mayor said the budget would pass"  # 7 words: 4 shingles
    predicted = "the mayor said the budget would pass Share this article"  # 3 shingles more
    tp, fp, fn = page_counts(gold, predicted)
    assert (tp, fp, fn) == pytest.approx((4 / 7, 3 / 7, 0.0))


def test_score_averages_precision_and_recall_over_pages():
    counts = [(0.5, 0.5, 0.0), (1.0, 0.0, 0.0)]  # precision 0.5 and 1, recall 1 and 1
    result = score(counts, 1.0)
    assert (result.precision, result.recall) == pytest.approx((0.75, 1.0))
    assert result.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_folds_are_fixed_by_the_page_id():
    ids = [f"page-{i}" for i in range(200)]
    assert [fold_of(i) for i in ids] == [fold_of(i) for i in ids]
    sizes = [sum(fold_of(i) == k for i in ids) for k in range(FOLDS)]
    assert min(sizes) > 20  # each fold gets a share of the pages


def test_fold_scores_leave_empty_folds_out():
    ids = ["a", "b"]
    result = score([(1.0, 0.0, 0.0), (0.5, 0.0, 0.5)], 1.0, ids)
    assert len(result.folds) == FOLDS
    assert sum(not math.isnan(f) for f in result.folds) == len({fold_of(i) for i in ids})


def test_nested_choice_scores_each_fold_with_the_setting_best_elsewhere():
    ids = [f"page-{i}" for i in range(50)]
    perfect, half = (1.0, 0.0, 0.0), (0.5, 0.5, 0.0)
    # Setting 1 is right everywhere but on fold 0; setting 2 is right on fold 0 only.
    candidates = {1.0: [half if fold_of(i) == 0 else perfect for i in ids],
                  2.0: [perfect if fold_of(i) == 0 else half for i in ids]}
    f1, picks = nested_choice(candidates, ids)
    assert picks == [1.0] * FOLDS  # on every fold's training folds, setting 1 wins
    assert f1 == pytest.approx(score(candidates[1.0], 0.0).f1)


def test_evaluate_with_ablation_on_real_pages():
    pages = load_benchmark(shared("article-extraction-benchmark"))[:4]
    results = evaluate(pages, ablate=True)
    assert set(results) == {BASELINE, OURS} | {f"{OURS} without {rule}" for rule in RULES}
    assert all(0.5 < s.f1 <= 1.0 and len(s.folds) == FOLDS for s in results.values())
