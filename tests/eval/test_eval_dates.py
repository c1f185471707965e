"""run_eval on a few real TempEval-3 documents: figures in range and claimledger ahead of the dateparser baseline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from claimledger.eval.dates import run_eval
from claimledger.corpora.timeml import read_timeml


def shared_data() -> Path:
    """The ``shared/data`` folder that sits beside the repository root."""
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


TEMPEVAL = shared_data() / "tempeval3" / "train-tbaq"
# A handful of short documents from both halves, so that the dateparser baseline stays quick.
SUBSET = ("TimeBank/APW19980213.1310.tml", "TimeBank/wsj_0122.tml", "AQUAINT/APW19990206.0090.tml")


@pytest.fixture(scope="module")
def gold_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not TEMPEVAL.exists():
        pytest.skip("../shared/data/tempeval3 not present")
    folder = tmp_path_factory.mktemp("tempeval3")
    for name in SUBSET:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to((TEMPEVAL / name).resolve())
    return folder


def test_reader_offsets_slice_to_the_gold_text() -> None:
    if not TEMPEVAL.exists():
        pytest.skip("../shared/data/tempeval3 not present")
    document = read_timeml(TEMPEVAL / SUBSET[0])
    assert document.dct
    assert document.timexes
    assert all(document.text[t.span[0] : t.span[1]] == t.text for t in document.timexes)


def test_run_eval_figures_and_baseline(gold_dir: Path) -> None:
    console = Console(file=io.StringIO(), width=160)
    results = run_eval(gold_dir, console)
    assert set(results) == {"claimledger", "baseline"}
    for figures in results.values():
        for key in ("precision", "recall", "f1", "value_accuracy", "value_f1"):
            assert 0.0 <= figures[key] <= 1.0
        assert figures["documents"] == len(SUBSET)
        assert figures["gold"] > 0
    assert results["claimledger"]["value_f1"] > results["baseline"]["value_f1"]
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "claimledger" in printed and "baseline" in printed
