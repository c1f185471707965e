"""Join the drawn stance pairs (labels/stance_pairs_todo*.jsonl) with the labels given to them
(labels/stance_pairs_<batch>.jsonl: {"pair", "stance", "claim_checkable", "note"}) into labels/stance_pairs.jsonl,
the file training and evaluation read: each line the pair's texts, its origin, and its label.

Run from the repository root: .venv/bin/python scripts/merge_stance_labels.py
"""

from __future__ import annotations

import json
from pathlib import Path

LABELS = Path(__file__).resolve().parents[1] / "labels"
STANCES = {"supports", "contradicts", "discusses", "unrelated"}


def main() -> None:
    drawn = {}
    for path in sorted(LABELS.glob("stance_pairs_todo*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            drawn[row["pair"]] = row
    merged = {}
    for path in sorted(LABELS.glob("stance_pairs_*.jsonl")):
        if path.name.startswith("stance_pairs_todo"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            label = json.loads(line)
            if label["stance"] not in STANCES:
                raise SystemExit(f"{path}: pair {label['pair']}: unknown stance {label['stance']!r}")
            if label["pair"] in merged:
                raise SystemExit(f"{path}: pair {label['pair']} labelled twice")
            merged[label["pair"]] = {**drawn[label["pair"]], "stance": label["stance"],
                                     "claim_checkable": label["claim_checkable"], "note": label.get("note", ""),
                                     "label_file": path.name}
    with open(LABELS / "stance_pairs.jsonl", "w", encoding="utf-8") as sink:
        for number in sorted(merged):
            sink.write(json.dumps(merged[number], ensure_ascii=False) + "\n")
    print(f"{len(merged)} labelled pairs of {len(drawn)} drawn -> {LABELS / 'stance_pairs.jsonl'}")


if __name__ == "__main__":
    main()
