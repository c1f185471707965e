"""Write PolNeAR's train and dev articles (real 2016 US political news) as JSON Lines that `claimledger ingest`
reads, with outlet, date and headline from its metadata: the real-news corpus the ledger is tried on beyond the
demo. Run from the repository root: .venv/bin/python scripts/polnear_corpus.py out/polnear.jsonl [SPLIT ...]

The articles are not copied into the project (PolNeAR states no license); the output goes under out/.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"


def main(out: Path, splits: list[str]) -> None:
    with open(POLNEAR / "metadata.tsv", encoding="utf-8", newline="") as handle:
        meta = {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as sink:
        for split in splits:
            if split == "test":
                raise SystemExit("the test split is held out: never read it")
            for path in sorted((POLNEAR / split / "text").glob("*.txt")):
                row = meta.get(path.stem, {})
                text = path.read_text(encoding="utf-8")
                title = row.get("title") or None
                # The files open with the headline as their first line; the body follows it.
                first, _, rest = text.partition("\n")
                body = rest.strip() if title and first.strip().rstrip(".") == title.strip().rstrip(".") else text
                sink.write(json.dumps({"text": body, "headline": title, "outlet": row.get("publisher"),
                                       "published": row.get("publication_date"),
                                       "source": f"polnear/{split}/{path.name}", "authors": row.get("author") or None},
                                      ensure_ascii=False) + "\n")
                written += 1
    print(f"{written} articles -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:] or ["train", "dev"])
