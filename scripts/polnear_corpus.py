"""Write PolNeAR's train and dev articles (real 2016 US political news) as JSON Lines that `claimledger ingest`
reads, with outlet, date and headline from its metadata: the real-news corpus the ledger is tried on beyond the
demo. Run from the repository root: .venv/bin/python scripts/polnear_corpus.py out/polnear.jsonl [SPLIT ...]

The articles are not copied into the project (PolNeAR states no license); the output goes under out/.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from claimledger.corpora.polnear import CV_SPLITS, news_records

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"


def main(out: Path, splits: tuple[str, ...]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(out, "w", encoding="utf-8") as sink:
        for record in news_records(POLNEAR, splits):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    print(f"{written} articles -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), tuple(sys.argv[2:]) or CV_SPLITS)
