"""``eval quotes --cv``: fixed folds over PolNeAR train and dev, a tagger trained per fold, and a rerun that reuses
what was trained, on a dozen real documents."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from rich.console import Console
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.config import load_settings
from claimledger.corpora.polnear import CV_SPLITS, FOLDS, fold_of, read_cv_corpus
from claimledger.eval.quotes import CV_FIGURES, DONE_FILE, run_ablation, run_cv
from paths import shared


def test_folds_are_fixed_by_name_and_balanced():
    # Pinned: the folds are the same on every machine and in every run, so figures taken on them compare.
    assert fold_of("breitbart_2016-09-12_stealth-over-health-hillary-clin") == 0
    assert fold_of("breitbart_2016-09-15_pat-caddell-democrat-voters-worr") == 2
    assert "test" not in CV_SPLITS
    polnear = shared("polnear")
    names = [d.name for d in read_cv_corpus(polnear)]
    assert len(names) == len(set(names)) > 900
    sizes = Counter(fold_of(name) for name in names)
    assert set(sizes) == set(range(FOLDS))
    assert max(sizes.values()) - min(sizes.values()) < 0.25 * len(names) / FOLDS


def test_cv_trains_a_tagger_per_fold_and_reuses_it(tmp_path):
    polnear = shared("polnear")
    settings = load_settings({}).with_overrides(workers=1)
    console = Console(width=150, record=True)
    summary = run_cv(polnear, tmp_path, console, settings, folds=2, limit=6)
    assert summary["documents"] == 12 and len(summary["folds"]) == 2
    assert sum(fold["documents"] for fold in summary["folds"]) == 12
    for held_out in range(2):
        done = json.loads((tmp_path / f"fold-{held_out}" / DONE_FILE).read_text())
        # Trained on the other fold only: never on the documents it is scored on.
        assert done["crf"]["documents"] == 12 - summary["folds"][held_out]["documents"]
        assert (tmp_path / f"fold-{held_out}" / "attribution.crfsuite").exists()
        assert (tmp_path / f"fold-{held_out}" / "lstm.npz").exists()
    for figure in CV_FIGURES:
        row = summary["claimledger"][figure]
        assert row["min"] <= row["mean"] <= row["max"] and row["sd"] >= 0
    # A tagger trained on a handful of documents finds less than the shipped one trained on all of train.
    assert summary["claimledger"]["content_recall"]["mean"] < 0.6
    text = console.export_text()
    assert "cross-validation" in text and "joint f1" in text
    # Run again: every fold is trained already, so only scoring happens, with the same figures.
    again = Console(width=150, record=True)
    assert run_cv(polnear, tmp_path, again, settings, folds=2, limit=6)["claimledger"] == summary["claimledger"]
    assert ": training on the other" not in again.export_text(clear=False)
    # Ablation on the same folds: the full stack's means are those of the cross-validation, and a rule's
    # contribution is the full figure less the figure without it.
    ablation = run_ablation(polnear, tmp_path, again, settings, folds=2, limit=6, rules=["fill-lone-cues"])
    for figure in CV_FIGURES:
        assert ablation["all"][figure] == pytest.approx(summary["claimledger"][figure]["mean"])
    assert set(ablation["rules"]) == {"fill-lone-cues"}
    text = again.export_text()
    assert ": training on the other" not in text and "What each rule adds" in text


def test_ablation_on_one_split_switches_each_rule_off():
    dev = shared("polnear", "dev")
    console = Console(width=150, record=True)
    settings = load_settings({}).with_overrides(workers=1)
    result = run_ablation(None, dev, console, settings, limit=15, rules=["fill-lone-cues", "signatures"], gold=dev)
    assert set(result["rules"]) == {"fill-lone-cues", "signatures"}
    # The first 15 dev articles hold no signed quotation; a cue with nothing said in its sentence, in several.
    assert all(value == 0 for value in result["rules"]["signatures"].values())
    assert result["rules"]["fill-lone-cues"]["content_recall"] > 0


@pytest.mark.parametrize("args, message", [
    (["eval", "quotes"], "--gold"),
    (["eval", "quotes", "--cv", "--gold", "."], "--cv folds PolNeAR"),
    (["eval", "quotes", "--ablate"], "name one"),
    (["eval", "quotes", "--cv", "--ablate", "--rules", "nope"], "no rule named nope"),
])
def test_cli_asks_for_a_split_or_cv(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert message in result.output
