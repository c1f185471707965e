"""Ingest one uploaded document through the CLI's readers and deduplicator into the ledger.

``claimledger.jobs.ingest`` takes paths and names each article's source after its path; an upload lives in a
temporary file whose path means nothing, so this reads the file itself, names the source ``upload:<filename>``
and then judges and stores the articles as that job does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from claimledger.config import Settings
from claimledger.ingest.dedup import Deduplicator
from claimledger.ingest.readers import read_file
from claimledger.models import Article, Rejection
from claimledger.store import IngestStore


@dataclass
class UploadReport:
    stored: list[str] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def ingest_upload(path: Path, filename: str, store: IngestStore, settings: Settings) -> UploadReport:
    """Read ``path`` (any format the CLI reads), skip exact and near duplicates of stored articles and of each
    other, and store the rest in one transaction. Sources are ``upload:<filename>`` (with the reader's suffix)."""
    report = UploadReport()
    new: dict[str, Article] = {}

    def text_of(article_id: str) -> str:
        return new[article_id].text if article_id in new else store.article_text(article_id)

    dedup = Deduplicator(settings.near_duplicate_threshold, settings.shingle_size, settings.minhash_permutations,
                         text_of)
    for article_id, digest, signature in store.signatures():
        dedup.remember(article_id, digest, dedup.from_bytes(signature))
    pending: list[tuple[Article, str, bytes]] = []
    duplicates: list[tuple[str, str, str, str, float]] = []
    prefix = str(path)
    for item in read_file(path, settings):
        # Readers name parts of a file as "<path>#entry3" and the like: keep the part, drop the temporary path.
        source = "upload:" + filename + item.source[len(prefix):] if item.source.startswith(prefix) else item.source
        if isinstance(item, Rejection):
            report.rejected.append(str(Rejection(source, item.reason)))
            continue
        article = replace(item, source=source)
        verdict, digest, signature = dedup.check(article)
        if verdict.kind == "new":
            pending.append((article, digest, dedup.to_bytes(signature)))
            new[article.id] = article
            report.stored.append(article.id)
        else:
            report.duplicates.append({"id": article.id, "kept_id": verdict.kept_id, "kind": verdict.kind})
            if verdict.kept_id != article.id:
                duplicates.append((source, article.id, verdict.kept_id, verdict.kind, verdict.similarity))
    if pending or duplicates:
        store.write_batch(pending, duplicates)
    return report
