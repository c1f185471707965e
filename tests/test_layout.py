"""The package layout the README promises: the runtime stages (ingest, extract, link, store, serve) import
neither training, evaluation nor the gold corpora's readers, which sit above them, nor a library only those
need; and nothing but serve imports serve."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "claimledger"
STAGES = ("ingest", "extract", "link", "store", "serve")
ABOVE = ("claimledger.train", "claimledger.eval", "claimledger.corpora")
TRAINING_ONLY = ("textacy", "sklearn.model_selection", "pycrfsuite.Trainer")


def imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at module level or inside functions."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("stage", STAGES)
def test_runtime_stage_imports_no_training_or_evaluation(stage):
    offences = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for name in imports(path):
            if name.startswith(ABOVE) or name.startswith(TRAINING_ONLY):
                offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
            if stage != "serve" and name.startswith("claimledger.serve"):
                offences.append(f"{path.relative_to(PACKAGE)} imports the last stage {name}")
    assert not offences, "\n".join(offences)


def test_corpora_readers_import_no_stage():
    for path in sorted((PACKAGE / "corpora").rglob("*.py")):
        stages = [n for n in imports(path) if n.startswith(tuple(f"claimledger.{stage}" for stage in STAGES))]
        assert not stages, f"{path.name} imports {stages}"


def test_training_imports_no_evaluation():
    # Evaluation sits above training (it may score what training writes); the gold readers and scorers that both
    # use live in corpora/.
    for path in sorted((PACKAGE / "train").rglob("*.py")):
        found = [n for n in imports(path) if n.startswith("claimledger.eval")]
        assert not found, f"{path.name} imports {found}"
