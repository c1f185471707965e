"""`claimledger eval ledger` on real ledgers against the hand labels of labels/: what it counts, and the pairs it
writes out to label."""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.eval.ledger import evaluate

LABELS = Path(__file__).resolve().parents[2] / "labels"


def test_the_stories_ledger_is_scored_against_the_labels(stories_db, tmp_path):
    todo = tmp_path / "todo.jsonl"
    result = evaluate(stories_db, LABELS, todo)
    for name in ("dispute_precision", "claim_purity", "checkable_claims"):
        row = result[name]
        assert set(row) == {"right", "wrong", "unlabelled", "precision"}
    assert result["disputes"] == result["dispute_precision"]["right"] + result["dispute_precision"]["wrong"] + \
        result["dispute_precision"]["unlabelled"]
    # The sample corpus's claims were labelled in rounds 1-3: some of them are found by their text.
    assert result["checkable_claims"]["right"] + result["checkable_claims"]["wrong"] > 0
    assert result["actors"]["labels"]["labelled"] == 165
    test = result["checkable_test"]
    assert test["labelled"] > 900 and 0 < test["precision"] <= 1 and 0 < test["recall"] <= 1
    rows = [json.loads(line) for line in todo.read_text().splitlines()]
    labelled = max(json.loads(line)["pair"] for line in (LABELS / "stance_pairs.jsonl").read_text().splitlines())
    assert [r["pair"] for r in rows] == list(range(labelled + 1, labelled + 1 + len(rows)))
    for row in rows:
        assert row["origin"]["stratum"] in {"dispute", "member"} and row["claim"] and row["statement"]
