"""Cost of linking 1,000 new articles into ledgers of 10k and 100k statements.

Synthetic load, stated as such: the sample corpus is ingested and extracted once for real, then its extractions
are copied into many articles with varied wording (each copy's actors get other names, and its statements about
a third of their words swapped and three words added, so blocking keys and vectors spread the way a growing
ledger's do). The ledgers are filled with
a cheap hashed bag-of-words encoder, because embedding 100k statements with MiniLM would take most of an hour on
this machine; the 1,000 new articles are then linked with the real MiniLM encoder, whose cost is measured once
and reported apart, and with the real claim index, statement stance model, verb tagger and store. If linking costs
in proportion to the new statements, the two ledger sizes give about the same figure.

Prints figures; asserts nothing. Run with `make bench` or `python benchmarks/bench_link.py [--sizes 10000 100000]`.
The whole `claimledger link` command on real news, beside the previous release, is timed with farm-bench (see
the README's benchmark section).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
import time
from pathlib import Path
from typing import Sequence

import numpy as np
from rich.console import Console
from rich.table import Table

from claimledger.config import load_settings
from claimledger.jobs import extract, ingest
from claimledger.link.claims import default_encoder
from claimledger.link.pipeline import link
from claimledger.models import Actor, Article, Extraction, Statement
from claimledger.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "corpus"
NEW_ARTICLES = 1000
NEW_NUMBERING = 10_000_000
REWORDING = 0.3
console = Console(width=160)

# Words and names mixed into copies so that no two copies of a sample statement are the same text.
VOCABULARY = ("border troops talks deal ceasefire release officials report minister election vote budget "
              "attack forces sanctions market prices oil gas wheat court ruling appeal protest police strike "
              "contract merger shares profit losses vaccine virus hospital school flood storm drought").split()
SURNAMES = ("Abara Belov Castro Dlamini Eriksen Fontaine Gupta Haddad Ivanova Jensen Kowalski Laine Moreau "
            "Nakamura Okafor Petrov Quinn Rossi Sato Tanaka Umarov Varga Weber Xu Yilmaz Zhou").split()


class HashedWords:
    """A cheap encoder for filling ledgers: the normalized sum of a fixed random vector per word."""

    def __init__(self, dimensions: int = 384) -> None:
        self.dimensions = dimensions
        self.words: dict[str, np.ndarray] = {}

    def _word(self, word: str) -> np.ndarray:
        if word not in self.words:
            seed = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
            self.words[word] = np.random.default_rng(seed).standard_normal(self.dimensions).astype(np.float32)
        return self.words[word]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            vector = sum((self._word(w) for w in text.lower().split()), np.zeros(self.dimensions, np.float32))
            rows.append(vector / (np.linalg.norm(vector) or 1.0))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dimensions)


class Memo:
    """An encoder that remembers: the new articles are embedded once, and both ledger sizes reuse the vectors."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.vectors: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            started = time.perf_counter()
            self.vectors.update(zip(missing, self.inner.encode(missing)))
            self.seconds += time.perf_counter() - started
        return np.array([self.vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def sample_extractions(folder: Path) -> list[tuple[Article, dict]]:
    """The sample corpus ingested and extracted for real: (article, extraction dict) of each with statements."""
    settings = load_settings().with_overrides(db=str(folder / "samples.db"), workers=1)
    with SQLiteStore(settings.db) as store:
        ingest([SAMPLES], store, settings)
        extract(store, settings)
        pairs = [(a, store.extraction(a.id)) for a in store.iter_articles()]
    return [(a, e) for a, e in pairs if e and e["statements"]]


def reworded(text: str, rng: random.Random) -> str:
    """``text`` with about a third of its lower-case words swapped for others and three words added."""
    words = [rng.choice(VOCABULARY) if w.isalpha() and w.islower() and rng.random() < REWORDING else w
             for w in text.split()]
    return " ".join(words + rng.sample(VOCABULARY, 3))


def variant(article: Article, extraction: dict, number: int, rng: random.Random) -> tuple[Article, Extraction]:
    """Copy ``number`` of a sample article: a new id, renamed actors, statements with a few words added."""
    article_id = hashlib.sha1(f"{article.id}:{number}".encode()).hexdigest()[:16]
    renames = {a["id"]: (f"{a['name'].split()[0]} {rng.choice(SURNAMES)}{number % 97}" if a["kind"] == "person"
                         else f"{a['name']} {rng.choice(SURNAMES)}") for a in extraction["actors"]}
    actors = tuple(Actor(a["id"], renames[a["id"]], a["kind"], tuple(a["titles"]), a["affiliation"],
                         tuple(tuple(m) for m in a["mentions"])) for a in extraction["actors"])
    statements = tuple(Statement(
        s["id"], s["speaker"], renames.get(s["speaker"], s["speaker_name"]) if s["speaker"] else s["speaker_name"],
        s["kind"], s["cue"], reworded(s["text"], rng), tuple(s["span"]), s["date"],
        tuple(s["cue_span"]) if s.get("cue_span") else None) for s in extraction["statements"])
    copy = Article(article_id, f"synthetic:{article.id}:{number}", article.text, article.blocks,
                   headline=article.headline, outlet=f"outlet {number % 50}", published=article.published)
    return copy, Extraction(article_id, actors, statements)


def add_articles(store: SQLiteStore, samples: list, start: int, count: int, rng: random.Random) -> int:
    """Store ``count`` synthetic articles with their extractions; returns their statements."""
    statements = 0
    for offset in range(0, count, 200):
        batch = [variant(*samples[(start + i) % len(samples)], start + i, rng)
                 for i in range(offset, min(count, offset + 200))]
        store.write_batch([(a, hashlib.sha1(a.source.encode()).hexdigest(), b"") for a, _ in batch], [])
        store.write_extractions([e for _, e in batch], "synthetic")
        statements += sum(len(e.statements) for _, e in batch)
    return statements


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="ledger sizes (statements)")
    parser.add_argument("--new", type=int, default=NEW_ARTICLES, help="new articles to link into each ledger")
    args = parser.parse_args()
    rng = random.Random(7)
    encoder = Memo(default_encoder())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        console.print("[dim]extracting the sample corpus...[/]")
        samples = sample_extractions(folder)
        per_article = sum(len(e["statements"]) for _, e in samples) / len(samples)
        for size in args.sizes:
            settings = load_settings().with_overrides(db=str(folder / f"ledger-{size}.db"), batch_size=200)
            with SQLiteStore(settings.db) as store:
                fill = int(size / per_article)
                console.print(f"[dim]filling a ledger of about {size:,} statements ({fill:,} articles)...[/]")
                started = time.perf_counter()
                add_articles(store, samples, 0, fill, rng)
                link(store, settings, encoder=HashedWords())
                fill_seconds = time.perf_counter() - started
                ledger_statements = store.count_claim_statements()
                ledger_claims = store.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
                # The same new articles for every ledger size (numbered past any fill), so embeddings are reused.
                add_articles(store, samples, NEW_NUMBERING, args.new, random.Random(11))
                embedded_before = encoder.seconds
                started = time.perf_counter()
                report = link(store, settings, encoder=encoder)
                total = time.perf_counter() - started
                embed_seconds = encoder.seconds - embedded_before
                rows.append((size, ledger_statements, ledger_claims, fill_seconds, report, total, embed_seconds,
                             Path(settings.db).stat().st_size))
    table = Table(title=f"link {args.new:,} new articles (synthetic copies of the sample corpus)")
    for column in ("ledger", "claim statements before", "claims before", "new statements", "link s (no embedding)",
                   "ms / new statement", "embedding s", "db MB", "fill s"):
        table.add_column(column, justify="right")
    for size, before, claims, fill_seconds, report, total, embed_seconds, db_bytes in rows:
        linking = total - embed_seconds
        table.add_row(f"{size:,}", f"{before:,}", f"{claims:,}", f"{report.statements:,}", f"{linking:.1f}",
                      f"{1000 * linking / max(report.statements, 1):.2f}", f"{embed_seconds:.1f}",
                      f"{db_bytes / 2**20:.0f}", f"{fill_seconds:.0f}")
    console.print(table)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        ratio = (last[5] - last[6]) / max(first[5] - first[6], 1e-9)
        console.print(f"linking cost at {last[0]:,} vs {first[0]:,} statements: x{ratio:.2f} "
                      f"(x1 means proportional to the new statements only)")
    console.print("embedding is measured once (first ledger) and reused for the second; MiniLM, 1 thread")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
