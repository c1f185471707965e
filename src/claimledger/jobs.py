"""Jobs that run pipeline stages over inputs and the store. The CLI and the Python API both call these."""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from claimledger.config import Settings
from claimledger.ingest.dedup import Deduplicator
from claimledger.ingest.language import language_code
from claimledger.ingest.readers import list_files, read_file
from claimledger.models import Article, Extraction, Rejection
from claimledger.store import ExtractStore, IngestStore, LinkStore


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)  # every article read, as the id of the one kept

    @property
    def failed(self) -> bool:
        """Nothing could be read at all: no article stored, none found already present."""
        return self.stored == 0 and self.duplicates == 0


# Reads the listed files: each file with what it holds, in file order (``_read_files``, or Spark's in
# ``claimledger.spark``, or a Parquet file's rows in ``claimledger import``).
FileReader = Callable[[list[Path], Settings], Iterator[tuple[Path, Iterable[Article | Rejection]]]]


def ingest(paths: list[Path], store: IngestStore, settings: Settings,
           on_file: Callable[[Path, IngestReport], None] | None = None,
           on_start: Callable[[int], None] | None = None, read_files: FileReader | None = None) -> IngestReport:
    """Read ``paths``, skip exact and near duplicates, and store the rest in batches of ``settings.batch_size``.

    Deterministic: the same inputs give the same database, and an interrupted run resumed gives the same
    database as an uninterrupted one, because each batch commits whole and duplicates are judged against what
    is stored. Two runs into one database take turns (``store.exclusive``), so each judges against the other's.
    ``read_files`` parses the files (default: here, in ``settings.workers`` processes); deduplication and writes
    stay in this process, in file order, whoever parses.
    """
    with store.exclusive("ingest"):
        return _ingest(paths, store, settings, on_file, on_start, read_files or _read_files)


def _ingest(paths: list[Path], store: IngestStore, settings: Settings,
            on_file: Callable[[Path, IngestReport], None] | None,
            on_start: Callable[[int], None] | None, read_files: FileReader) -> IngestReport:
    report = IngestReport()
    unflushed: dict[str, Article] = {}  # new articles not yet written, for duplicate checks
    dedup = Deduplicator(settings.near_duplicate_threshold, settings.shingle_size, settings.minhash_permutations,
                         lambda article_id: unflushed[article_id].text if article_id in unflushed
                         else store.article_text(article_id))

    def kept_source(article_id: str) -> str:
        return unflushed[article_id].source if article_id in unflushed else store.article_source(article_id)

    for article_id, digest, signature in store.signatures():
        dedup.remember(article_id, digest, dedup.from_bytes(signature))

    files, missing = list_files(paths)
    report.rejected.extend(missing)
    if files:
        store.check_writable()
    if on_start:
        on_start(len(files))

    pending: list[tuple[Article, str, bytes]] = []
    duplicates: list[tuple[str, str, str, str, float]] = []

    def flush() -> None:
        if pending or duplicates:
            store.write_batch(pending, duplicates)
            pending.clear()
            unflushed.clear()
            duplicates.clear()

    for file, items in read_files(files, settings):
        for item in items:
            report.read += 1
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            verdict, digest, signature = dedup.check(item)
            report.article_ids.append(item.id if verdict.kind == "new" else verdict.kept_id)
            if verdict.kind == "new":
                pending.append((item, digest, dedup.to_bytes(signature)))
                unflushed[item.id] = item
                report.stored += 1
            else:
                report.duplicates += 1
                # The same input read again is not a duplicate of itself; another source with the same story is.
                if verdict.kept_id != item.id or kept_source(item.id) != item.source:
                    duplicates.append((item.source, item.id, verdict.kept_id, verdict.kind, verdict.similarity))
            if len(pending) + len(duplicates) >= settings.batch_size:
                flush()
        if on_file:
            on_file(file, report)
    flush()
    return report


def _read_whole_file(job: tuple[Path, Settings]) -> list[Article | Rejection]:
    return list(read_file(*job))


def _read_files(files: list[Path], settings: Settings) -> Iterator[tuple[Path, Iterable[Article | Rejection]]]:
    """Each file with what it holds, in file order. With several workers, files are parsed in a process pool
    (parsing HTML is most of ingest's time); deduplication and writes stay in this process, in file order, so
    the database is the same either way."""
    if settings.workers <= 1 or len(files) < 2:
        for file in files:
            yield file, read_file(file, settings)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(settings.workers) as pool:
        yield from zip(files, pool.imap(_read_whole_file, ((f, settings) for f in files)))


# What extraction reads: the spaCy pipeline, the attribution taggers, the rule tables and the date parser are
# English. An article in another language is stored (with its language) and skipped, never read as English.
EXTRACTED_LANGUAGES = frozenset({"en"})
# The longest text the spaCy pipeline reads (its ``Language.max_length``): a longer article (no news story is; a
# page of one megabyte-long line may be) is stored, reported and not extracted.
MAX_EXTRACT_CHARS = 1_000_000


@dataclass
class ExtractReport:
    articles: int = 0
    actors: int = 0
    statements: int = 0
    skipped_languages: dict[str, int] = field(default_factory=dict)  # articles not extracted, by language
    too_long: list[str] = field(default_factory=list)  # ids of articles longer than MAX_EXTRACT_CHARS

    @property
    def skipped(self) -> int:
        return sum(self.skipped_languages.values())


def _extractable(articles: Iterable[Article], report: ExtractReport) -> Iterator[Article]:
    """The articles in a language extraction reads, or of no known language, and not too long to read; the
    others are counted."""
    for article in articles:
        language = language_code(article.language)  # stored before languages were normalized: "en-US"
        if len(article.text) > MAX_EXTRACT_CHARS:
            report.too_long.append(article.id)
        elif language is None or language in EXTRACTED_LANGUAGES:
            yield article
        else:
            report.skipped_languages[language] = report.skipped_languages.get(language, 0) + 1


# Extracts a stream of articles, yielding their extractions in input order (``extract_articles``, or Spark's).
ArticleExtractor = Callable[[Iterable[Article], Settings], Iterator[Extraction]]


def extract(store: ExtractStore, settings: Settings, article_ids: list[str] | None = None,
            on_article: Callable[[Extraction], None] | None = None,
            on_start: Callable[[int], None] | None = None,
            extract_stream: ArticleExtractor | None = None) -> ExtractReport:
    """Extract the stored articles not yet extracted (or exactly ``article_ids``), writing in batches; articles
    in a language other than English are skipped and counted in the report's ``skipped_languages``.

    Idempotent and resumable: what was written stays, and a run again picks up the articles still missing. Two
    runs into one database take turns (``store.exclusive``): the second finds the first's work done.
    ``extract_stream`` does the extracting (default: ``extract_articles``, in ``settings.workers`` processes).
    """
    with store.exclusive("extract"):
        return _extract(store, settings, article_ids, on_article, on_start, extract_stream)


def _extract(store: ExtractStore, settings: Settings, article_ids: list[str] | None,
             on_article: Callable[[Extraction], None] | None,
             on_start: Callable[[int], None] | None,
             extract_stream: ArticleExtractor | None) -> ExtractReport:
    if article_ids is None:
        article_ids = store.unextracted_ids()
    if article_ids:
        store.check_writable()  # before spaCy loads and a batch is extracted in vain

    if extract_stream is None:
        from claimledger.extract.pipeline import extract_articles  # loads spaCy: only for commands that extract

        extract_stream = extract_articles

    if on_start:
        on_start(len(article_ids))
    report = ExtractReport()
    articles = _extractable(store.read_articles(article_ids), report)
    pending: list[Extraction] = []
    for extraction in extract_stream(articles, settings):
        pending.append(extraction)
        report.articles += 1
        report.actors += len(extraction.actors)
        report.statements += len(extraction.statements)
        if on_article:
            on_article(extraction)
        if len(pending) >= settings.batch_size:
            store.write_extractions(pending, settings.model)
            pending.clear()
    if pending:
        store.write_extractions(pending, settings.model)
    return report


def link(store: LinkStore, settings: Settings, aliases: Path | None = None,
         on_batch: Callable[[int], None] | None = None, on_start: Callable[[int], None] | None = None,
         runner: Callable[..., object] | None = None):
    """Link every extracted article not linked yet (or extracted again since): ledger actors, claims, stances.

    Incremental and resumable like ``extract``; ``aliases`` is a TOML file that forces actors together or apart
    (``claimledger.link.actors.read_alias_file``). ``runner`` does the linking (default:
    ``claimledger.link.pipeline.link``, in this process; ``claimledger.spark`` passes its own), called as
    ``runner(store, settings, rules=..., on_batch=..., on_start=...)``. Returns a
    ``claimledger.link.pipeline.LinkReport``.
    """
    if aliases or store.unlinked_articles():
        store.check_writable()  # before the models load
    # Loads the sentence encoder and the stance model: only for commands that link.
    from claimledger.link.actors import AliasRules, read_alias_file
    from claimledger.link.pipeline import link as run_link

    rules = read_alias_file(aliases) if aliases else AliasRules()
    with store.exclusive("link"):  # claims are grouped against the whole ledger: one link run at a time
        return (runner or run_link)(store, settings, rules=rules, on_batch=on_batch, on_start=on_start)
