"""``eval quotes``: the PolNeAR reader and the scoring, on a handful of real dev documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from claimledger.config import load_settings
from claimledger.corpora.polnear import read_split
from claimledger.eval.quotes import Prediction, _Tally, is_direct_quote, names_someone, run_eval

POLNEAR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polnear"
DEV = POLNEAR / "dev"


@pytest.fixture(scope="module")
def dev_documents():
    if not DEV.exists():
        pytest.skip(f"PolNeAR dev not present at {DEV}")
    return list(read_split(DEV, limit=4))


def test_reader_offsets_slice_to_gold_text(dev_documents):
    first = dev_documents[0]
    assert first.published and first.attributions
    for attribution in first.attributions:
        for start, end in attribution.content + attribution.cue + attribution.source:
            assert 0 <= start < end <= len(first.text)
    assert first.text[slice(*first.attributions[0].source[0])] == "The New York Post"


def test_paragraphs_are_stripped_blocks(dev_documents):
    for document in dev_documents:
        for start, end in document.paragraphs():
            piece = document.text[start:end]
            assert piece and piece == piece.strip() and "\n\n" not in piece


def test_names_and_direct_quotes():
    assert names_someone("The New York Post") and names_someone("Clinton aides")
    assert not names_someone("he") and not names_someone("sources") and not names_someone("the source")
    assert is_direct_quote("“We are ready.”") and not is_direct_quote("that “keep the details under wraps.”")


def test_scoring_lenient_and_strict(dev_documents):
    document = dev_documents[0]
    gold = document.attributions[:1]
    start, end = gold[0].content_extent
    short = Prediction(((start, start + (end - start) // 3),), "New York Post")
    tally = _Tally()
    tally.add(document.text, [short], gold)
    figures = tally.figures()
    assert figures["content_f1"] == 1.0 and figures["joint_f1"] == 1.0
    assert figures["strict_content_f1"] == 0.0


def test_run_eval_prints_both_systems(dev_documents):
    console = Console(record=True, width=120)
    results = run_eval(DEV, console, load_settings({}).with_overrides(workers=1), limit=3)
    table = console.export_text()
    assert "claimledger" in table and "baseline" in table and "joint f1" in table
    ours, theirs = results["claimledger"], results["baseline"]
    assert results["documents"] == 3
    assert ours["content_recall"] > theirs["content_recall"]
    assert 0.0 <= ours["strict_joint_f1"] <= ours["joint_f1"] <= 1.0
