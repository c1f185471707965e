"""The ledger in one SQLite file: WAL mode, migrations, batched writes in transactions, bound parameters only."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from contextlib import contextmanager
from typing import Iterator, Sequence

from claimledger.models import Article, Block, Caption, Extraction, Link
from claimledger.store.profiles import speaker_profile
from claimledger.store.base import StoreError
from claimledger.store.migrations import migrate

_ARTICLE_COLUMNS = ("id, source, url, outlet, headline, published, section, authors, language, captions, related, "
                    "text, blocks")


def _reason(exc: sqlite3.Error) -> str:
    message = str(exc)
    code = getattr(exc, "sqlite_errorname", None) or ""
    if code == "SQLITE_FULL":
        return "disk full: no space left to write the database"
    if code.startswith("SQLITE_IOERR"):
        # A write refused by the system: EFBIG past a file size limit (ulimit -f), EIO from a failing disk.
        where = "reading" if code in ("SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ") else "writing"
        return (f"disk I/O error {where} the database ({code}): is the disk full, the file over a size limit "
                "or the disk failing?")
    if "readonly" in message:
        return "database is read-only"
    if "locked" in message or "busy" in message:
        return "database is locked by another process"
    if "not a database" in message:
        return "not a SQLite database"
    if "unable to open" in message:
        return "cannot open the database file (missing folder or no permission)"
    return message


class SQLiteStore:
    """A ledger file. Use as a context manager; every write method commits or rolls back as a whole."""

    def __init__(self, path: str | Path, *, create: bool = True, timeout: float = 5.0) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no such database (run `claimledger ingest` first)")
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self.conn)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def exclusive(self, step: str) -> Iterator[None]:
        """Nothing to take: SQLite has one writer at a time, each batch judged against what is stored."""
        yield

    # --- writes ---------------------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise ``StoreError`` now if the ledger cannot be written (a read-only file or folder, another writer
        holding the lock past the busy timeout), before a job spends its time on work it could not store."""
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")  # waits out a lock as a write would, up to the busy timeout
                # A write that changes nothing: in WAL mode BEGIN IMMEDIATE alone succeeds on a read-only file.
                self.conn.execute("DELETE FROM schema_migrations WHERE 0")
                self.conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc

    def write_batch(self, articles: Sequence[tuple[Article, str, bytes]],
                    duplicates: Sequence[tuple[str, str, str, str, float]]) -> None:
        """Store new articles ``(article, text_hash, minhash)`` and duplicate records
        ``(source, duplicate_id, kept_id, kind, similarity)`` in one transaction. Rows already present are kept."""
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                next_seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
                rows = []
                for offset, (article, digest, minhash) in enumerate(articles):
                    rows.append((
                        article.id, article.source, article.url, article.outlet, article.headline,
                        article.published, article.section, json.dumps(list(article.authors)), article.language,
                        json.dumps([asdict(c) for c in article.captions], ensure_ascii=False),
                        json.dumps([asdict(r) for r in article.related], ensure_ascii=False),
                        article.text, json.dumps([asdict(b) for b in article.blocks], ensure_ascii=False),
                        digest, minhash, next_seq + offset,
                    ))
                self.conn.executemany(
                    f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}, text_hash, minhash, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                self.conn.executemany(
                    "INSERT OR IGNORE INTO duplicates (source, duplicate_id, kept_id, kind, similarity) "
                    "VALUES (?, ?, ?, ?, ?)", duplicates)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc

    def write_extractions(self, extractions: Sequence[Extraction], model: str) -> None:
        """Store extractions (replacing earlier ones of the same articles) and their statements, in one transaction."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                ids = [(e.article_id,) for e in extractions]
                self.conn.executemany("DELETE FROM statements WHERE article_id = ?", ids)
                self.conn.executemany(
                    "INSERT OR REPLACE INTO extractions (article_id, data, model, extracted_at) VALUES (?, ?, ?, ?)",
                    [(e.article_id, json.dumps(e.to_dict(), ensure_ascii=False), model, now) for e in extractions])
                self.conn.executemany(
                    "INSERT OR REPLACE INTO statements (id, article_id, speaker, speaker_name, kind, cue, text, start, "
                    "end, date, negated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(f"{e.article_id}:{s.id}", e.article_id, s.speaker, s.speaker_name, s.kind, s.cue, s.text,
                      s.span[0], s.span[1], s.date, int(s.negated)) for e in extractions for s in e.statements])
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc

    # --- reads ----------------------------------------------------------------------------------------------

    def signatures(self) -> Iterator[tuple[str, str, bytes]]:
        """(id, text_hash, minhash) of every stored article, for the deduplicator."""
        yield from self.conn.execute("SELECT id, text_hash, minhash FROM articles ORDER BY seq")

    def article_text(self, article_id: str) -> str:
        return self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]

    def article_source(self, article_id: str) -> str:
        return self.conn.execute("SELECT source FROM articles WHERE id = ?", (article_id,)).fetchone()[0]

    def unextracted_ids(self) -> list[str]:
        """Ids of stored articles without an extraction yet, in ingest order."""
        return [row[0] for row in self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN extractions e ON e.article_id = a.id "
            "WHERE e.article_id IS NULL ORDER BY a.seq")]

    def read_articles(self, article_ids: list[str]) -> Iterator[Article]:
        """The articles with these ids, one at a time, on a read connection of their own: whichever thread
        consumes the iterator (a process pool's feeder does) may, while this store's connection writes."""
        conn = sqlite3.connect(self.path)
        conn.row_factory = sqlite3.Row
        try:
            for article_id in article_ids:
                row = conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
                if row is not None:
                    yield _article(row)
        finally:
            conn.close()

    def extraction(self, article_id: str) -> dict | None:
        """The stored extraction of an article as its JSON dict, or None."""
        row = self.conn.execute("SELECT data FROM extractions WHERE article_id = ?", (article_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def statements(self, article_id: str | None = None, speaker: str | None = None) -> list[dict]:
        """Stored statements in article and text order, filtered by article and by a part of the speaker's name."""
        sql = ("SELECT s.id, s.article_id, s.speaker, s.speaker_name, s.kind, s.cue, s.text, s.start, s.end, s.date, "
               "s.negated FROM statements s JOIN articles a ON a.id = s.article_id WHERE 1 = 1")
        params: list[str] = []
        if article_id is not None:
            sql += " AND s.article_id = ?"
            params.append(article_id)
        if speaker is not None:
            sql += " AND s.speaker_name LIKE ? ESCAPE '\\'"
            params.append("%" + speaker.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        rows = self.conn.execute(sql + " ORDER BY a.seq, s.start", params).fetchall()
        return [{**dict(r), "span": [r["start"], r["end"]], "negated": bool(r["negated"])} for r in rows]

    def count_articles(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def iter_articles(self, limit: int | None = None) -> Iterator[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq"
        params: tuple[int, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        for row in self.conn.execute(sql, params):
            yield _article(row)

    def get_article(self, article_id: str) -> Article | None:
        """The article whose id is ``article_id`` or, when unambiguous, starts with it."""
        rows = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                                 (article_id, article_id + "\uffff")).fetchall()
        exact = [r for r in rows if r["id"] == article_id]
        if exact:
            return _article(exact[0])
        return _article(rows[0]) if len(rows) == 1 else None

    # --- reads for the web API: one page of rows and the total, every filter a bound parameter -----------------

    # When a statement was made: its own ISO date when it has one, else its article's publication day.
    _SAID = "CASE WHEN s.date GLOB '[0-9][0-9][0-9][0-9]*' THEN s.date ELSE substr(a.published, 1, 10) END"

    @classmethod
    def reader(cls, path: str | Path) -> "SQLiteStore":
        """A read-only handle on an existing, migrated ledger: nothing is migrated and every write is refused
        (``PRAGMA query_only``). One thread at a time may use it; it may be closed from another."""
        store = cls.__new__(cls)
        store.path = Path(path)
        if not store.path.exists():
            raise StoreError(f"{store.path}: no such database (run `claimledger ingest` first)")
        try:
            store.conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True,
                                         check_same_thread=False)
            store.conn.row_factory = sqlite3.Row
            store.conn.execute("PRAGMA query_only = ON")
            # Readers map the file instead of copying its pages into a cache of their own, one per connection.
            store.conn.execute("PRAGMA mmap_size = 1073741824")
        except sqlite3.Error as exc:
            raise StoreError(f"{store.path}: {_reason(exc)}") from exc
        return store

    def has_table(self, name: str) -> bool:
        """Whether the ledger has this table (the linking tables arrive with a later migration)."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?",
                                 (name,)).fetchone() is not None

    def usable(self) -> bool:
        try:
            self.conn.total_changes  # raises once the connection is closed
        except sqlite3.ProgrammingError:
            return False
        return True

    def data_version(self) -> int:
        """``PRAGMA data_version``: changes when another connection commits to the file (never for this one's own
        commits); compare answers of this handle only."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def has_claims(self) -> bool:
        """Whether linking has stored any claim (a ledger from before the linking migration has none)."""
        return (self.has_table("claims")
                and self.conn.execute("SELECT 1 FROM claims LIMIT 1").fetchone() is not None)

    @staticmethod
    def _article_filters(since: str | None, until: str | None, outlet: str | None) -> tuple[list[str], list]:
        """SQL conditions on ``articles a`` for a publication date range (ISO days, both ends included)."""
        clauses: list[str] = []
        params: list = []
        if since:
            clauses.append("a.published >= ?")
            params.append(since)
        if until:
            # Published values are ISO dates or datetimes: every one on the last day sorts below day + U+FFFF.
            clauses.append("a.published < ?")
            params.append(until + "\uffff")
        if outlet:
            clauses.append("a.outlet = ?")
            params.append(outlet)
        return clauses, params

    def article_page(self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
                     speaker: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        """Articles newest first (undated last) with their statement counts, and how many match the filters."""
        clauses, params = self._article_filters(since, until, outlet)
        if speaker:
            clauses.append("EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id AND s.speaker_name = ?)")
            params.append(speaker)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        total = self.conn.execute(f"SELECT COUNT(*) FROM articles a{where}", params).fetchone()[0]
        rows = self.conn.execute(
            "SELECT a.id, a.headline, a.outlet, a.published, a.section, a.url, a.source, a.authors, "
            "(SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id) AS statements "
            # NULL sorts lowest, so last when descending; the published index then gives the order.
            f"FROM articles a{where} ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?",
            [*params, limit, offset]).fetchall()
        return [{**dict(r), "authors": json.loads(r["authors"])} for r in rows], total

    def statement_page(self, *, article_id: str | None = None, speaker: str | None = None, kind: str | None = None,
                       since: str | None = None, until: str | None = None, outlet: str | None = None,
                       chronological: bool = False, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        """Statements with their article's headline, outlet and date and ``said`` (the statement's own date or
        the article's), newest article first, and the total. ``chronological``: oldest ``said`` first, and the
        days ``since`` and ``until`` bound ``said`` rather than the publication, as a timeline shows them."""
        clauses, params = self._article_filters(None if chronological else since,
                                                None if chronological else until, outlet)
        # A month or a year said ("2014-08") counts from its first day, as the timeline draws it.
        said_day = f"substr({self._SAID} || '-01-01', 1, 10)"
        if chronological and since:
            clauses.append(f"{said_day} >= ?")
            params.append(since)
        if chronological and until:
            clauses.append(f"{said_day} <= ?")
            params.append(until)
        for column, value in (("s.article_id", article_id), ("s.speaker_name", speaker), ("s.kind", kind)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        articles_filtered = any((since, until, outlet))
        count_from = (f"FROM statements s JOIN articles a ON a.id = s.article_id{where}" if articles_filtered
                      else f"FROM statements s{where}")
        total = self.conn.execute(f"SELECT COUNT(*) {count_from}", params).fetchone()[0]
        # Newest first without a speaker: walk articles down the published index and read their statements
        # (CROSS JOIN fixes that order), instead of sorting every statement. A speaker's few are found by name.
        join = "CROSS JOIN" if not speaker and not chronological else "JOIN"
        joined = f"FROM articles a {join} statements s ON s.article_id = a.id{where}"
        order = (f"{self._SAID} IS NULL, {self._SAID}, a.seq, s.start" if chronological
                 else "a.published DESC, a.seq DESC, s.start")
        rows = self.conn.execute(
            "SELECT s.id, s.article_id, s.speaker, s.speaker_name, s.kind, s.cue, s.text, s.start, s.end, s.date, "
            f"s.negated, {self._SAID} AS said, a.headline, a.outlet, a.published {joined} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset]).fetchall()
        return [{**dict(r), "span": [r["start"], r["end"]], "negated": bool(r["negated"])} for r in rows], total

    def actor_page(self, *, name: str | None = None, since: str | None = None, until: str | None = None,
                   outlet: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        """Speakers, most quoted first: statement and article counts and the first and last day they spoke;
        ``name`` keeps those whose name contains it. Speakers are grouped by the name the extraction gave."""
        clauses, params = self._article_filters(since, until, outlet)
        clauses.append("s.speaker_name IS NOT NULL")
        if name:
            clauses.append("s.speaker_name LIKE ? ESCAPE '\\'")
            params.append("%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        where = " WHERE " + " AND ".join(clauses)
        # Counting by name alone reads only the speaker index; articles are joined where a filter needs them.
        source = (f"FROM statements s JOIN articles a ON a.id = s.article_id{where}" if any((since, until, outlet))
                  else f"FROM statements s{where}")
        total = self.conn.execute(f"SELECT COUNT(DISTINCT s.speaker_name) {source}", params).fetchone()[0]
        names = self.conn.execute(
            f"SELECT s.speaker_name AS name, COUNT(*) AS statements {source} "
            "GROUP BY s.speaker_name ORDER BY statements DESC, name LIMIT ? OFFSET ?",
            [*params, limit, offset]).fetchall()
        rows = []
        for row in names:  # the rest only for the speakers shown
            articles, first, last = self.conn.execute(
                f"SELECT COUNT(DISTINCT s.article_id), MIN({self._SAID}), MAX({self._SAID}) "
                f"FROM statements s JOIN articles a ON a.id = s.article_id{where} AND s.speaker_name = ?",
                [*params, row["name"]]).fetchone()
            rows.append({**dict(row), "articles": articles, "first": first, "last": last})
        return rows, total

    def actor_profile(self, name: str, max_articles: int = 200) -> dict | None:
        """What the extractions say about the speaker called ``name``: kind, titles, affiliations and the other
        names the articles use for them (read from their latest ``max_articles`` articles), statement counts by
        kind and the first and last day they spoke; None when nobody of that name said anything."""
        counts = self.conn.execute(
            f"SELECT COUNT(*) AS statements, COUNT(DISTINCT s.article_id) AS articles, MIN({self._SAID}) AS first, "
            f"MAX({self._SAID}) AS last FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE s.speaker_name = ?", (name,)).fetchone()
        if not counts["statements"]:
            return None
        kinds = dict(self.conn.execute("SELECT kind, COUNT(*) FROM statements WHERE speaker_name = ? GROUP BY kind",
                                       (name,)).fetchall())
        local = self.conn.execute(
            "SELECT l.article_id, l.speaker, a.text, e.data FROM (SELECT DISTINCT article_id, speaker "
            "FROM statements WHERE speaker_name = ? AND speaker IS NOT NULL) l JOIN articles a ON a.id = l.article_id "
            "JOIN extractions e ON e.article_id = l.article_id ORDER BY a.seq DESC LIMIT ?",
            (name, max_articles)).fetchall()
        return speaker_profile(name, counts, kinds, local)

    def speaker_mentions(self, name: str, max_articles: int = 200) -> list[tuple[str, int]]:
        """How the articles name the speaker called ``name``: every mention of the actor behind their statements,
        as written in the text (pronouns and descriptions included), with the number of articles using it, most
        used first; read from the ``max_articles`` articles whose statements of theirs were stored last."""
        # SQLite's JSON functions pick the speaker's mentions out of each extraction without decoding it in Python.
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT substr(a.text, json_extract(m.value, '$[0]') + 1, "
            "json_extract(m.value, '$[1]') - json_extract(m.value, '$[0]')) AS mention, "
            "COUNT(DISTINCT l.article_id) AS articles "
            "FROM (SELECT article_id, speaker FROM statements WHERE speaker_name = ? AND speaker IS NOT NULL "
            "GROUP BY article_id, speaker ORDER BY MAX(rowid) DESC LIMIT ?) l "
            "JOIN articles a ON a.id = l.article_id JOIN extractions e ON e.article_id = l.article_id, "
            "json_each(e.data, '$.actors') actor, json_each(actor.value, '$.mentions') m "
            "WHERE json_extract(actor.value, '$.id') = l.speaker "
            "GROUP BY mention ORDER BY articles DESC, mention", (name, max_articles))]

    def actor_timeline(self, name: str) -> list[tuple[str | None, str, int]]:
        """How many statements of each kind the speaker called ``name`` made on each day (``said``)."""
        return [tuple(r) for r in self.conn.execute(
            f"SELECT {self._SAID} AS said, s.kind, COUNT(*) FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE s.speaker_name = ? GROUP BY said, s.kind ORDER BY said", (name,))]

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with its article count, the largest first."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY 2 DESC, 1")]

    def count_statements(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0]

    def speaker_names(self) -> list[str]:
        """Every name a statement gives its speaker, once each (read from the speaker index)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT speaker_name FROM statements WHERE speaker_name IS NOT NULL")]

    # Reads of the linking tables (claims, claim_statements): call them only where ``has_table`` says so.
    _CLAIM_SUMMARY = ("SELECT c.id, c.text, c.first_seen, c.first_article, c.size, c.seq, "
                      "COALESCE(SUM(cs.stance = 'supports'), 0) AS supports, "
                      "COALESCE(SUM(cs.stance = 'contradicts'), 0) AS contradicts, "
                      "COALESCE(SUM(cs.stance = 'discusses'), 0) AS discusses "
                      "FROM claims c LEFT JOIN claim_statements cs ON cs.claim_id = c.id")

    # A claim is disputed when someone supports it and someone else contradicts it: a contradiction as sure as
    # the ledger's dispute_confidence, by a known speaker who is not also among its supporters (one sentence of a
    # quote never disputes the next).
    _DISPUTERS = ("FROM claim_statements d WHERE d.claim_id = c.id AND d.stance = 'contradicts' "
                  "AND d.confidence >= COALESCE((SELECT CAST(value AS REAL) FROM ledger_meta "
                  "WHERE key = 'dispute_confidence'), 0.5) "
                  "AND d.speaker_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_statements s "
                  "WHERE s.claim_id = c.id AND s.stance = 'supports' AND (s.actor_id = d.actor_id "
                  "OR s.speaker_name = d.speaker_name))")
    _DISPUTED = (f"(EXISTS (SELECT 1 {_DISPUTERS}) AND EXISTS (SELECT 1 FROM claim_statements s "
                 "WHERE s.claim_id = c.id AND s.stance = 'supports'))")
    _DISPUTE_STRENGTH = f"(SELECT MAX(d.confidence) {_DISPUTERS})"

    def claim_page(self, *, disputed: bool = False, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        """Claims, the disputed (the most surely contradicted first) and then the most repeated, with their stance
        counts, only the disputed ones if asked; and the total."""
        where = f" WHERE {self._DISPUTED}" if disputed else ""
        total = self.conn.execute(f"SELECT COUNT(*) FROM claims c{where}").fetchone()[0]
        rows = self.conn.execute(
            f"SELECT * FROM ({self._CLAIM_SUMMARY}{where} GROUP BY c.id) c "
            f"ORDER BY {self._DISPUTED} DESC, {self._DISPUTE_STRENGTH} DESC, c.size DESC, c.seq "
            "LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [dict(r) for r in rows], total

    def claim_detail(self, claim_id: str) -> dict | None:
        """One claim with its stance counts and ``timeline``: every statement that supports, contradicts or
        discusses it, oldest first, with its evidence sentence and article; None for an unknown id."""
        row = self.conn.execute(f"{self._CLAIM_SUMMARY} WHERE c.id = ? GROUP BY c.id", (claim_id,)).fetchone()
        if row is None:
            return None
        entries = self.conn.execute(
            "SELECT cs.statement_id, cs.article_id, a.headline, a.outlet, cs.speaker_name, cs.text, cs.start, "
            "cs.end, cs.date, cs.stance, cs.evidence, cs.evidence_start, cs.evidence_end "
            "FROM claim_statements cs JOIN articles a ON a.id = cs.article_id WHERE cs.claim_id = ? "
            "ORDER BY cs.date IS NULL, cs.date, a.seq, cs.start", (claim_id,)).fetchall()
        timeline = [{**dict(e), "span": [e["start"], e["end"]], "evidence_span": [e["evidence_start"],
                                                                                   e["evidence_end"]]}
                    for e in entries]
        return {**dict(row), "timeline": timeline}

    def article_claims(self, article_id: str) -> list[dict]:
        """The claims this article's statements take part in, with the stance each statement takes."""
        return [dict(r) for r in self.conn.execute(
            "SELECT c.id, c.text, cs.statement_id, cs.speaker_name, cs.stance FROM claim_statements cs "
            "JOIN claims c ON c.id = cs.claim_id WHERE cs.article_id = ? ORDER BY cs.start", (article_id,))]

    def actor_claims(self, name: str, limit: int = 50, actor_id: str | None = None) -> list[dict]:
        """The claims the speaker called ``name`` (or, with ``actor_id``, that ledger actor) took part in, the most
        repeated first: each claim with the stance they took and in how many statements."""
        column, value = ("cs.actor_id", actor_id) if actor_id is not None else ("cs.speaker_name", name)
        return [dict(r) for r in self.conn.execute(
            "SELECT c.id, c.text, c.first_seen, cs.stance, COUNT(*) AS statements FROM claim_statements cs "
            f"JOIN claims c ON c.id = cs.claim_id WHERE {column} = ? GROUP BY c.id, cs.stance "
            "ORDER BY c.size DESC, c.seq, cs.stance LIMIT ?", (value, limit))]

    def actor_linked_names(self, name: str) -> list[str]:
        """The other names under which linking filed the ledger actors that the speaker called ``name`` is,
        across articles, the most used first."""
        return [r[0] for r in self.conn.execute(
            "SELECT other.name FROM (SELECT DISTINCT article_id, speaker FROM statements WHERE speaker_name = ?) s "
            "JOIN actor_mentions m ON m.article_id = s.article_id AND m.local_id = s.speaker "
            "JOIN actor_mentions other ON other.actor_id = m.actor_id WHERE other.name <> ? "
            "GROUP BY other.name ORDER BY COUNT(*) DESC, other.name LIMIT 50", (name, name))]

    # --- link: actors, claims and their statements across articles ------------------------------------------

    def unlinked_articles(self) -> list[tuple[str, str]]:
        """(article id, extracted_at) of every extraction not linked yet, or extracted again since, in ingest order."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT e.article_id, e.extracted_at FROM extractions e JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN linked_articles l ON l.article_id = e.article_id "
            "WHERE l.article_id IS NULL OR l.extracted_at <> e.extracted_at ORDER BY a.seq")]

    def link_inputs(self, article_ids: Sequence[str]) -> Iterator[tuple[dict, dict]]:
        """(article {id, seq, published, text}, extraction dict) of each article, in the order given."""
        for article_id in article_ids:
            row = self.conn.execute(
                "SELECT a.id, a.seq, a.published, a.text, e.data FROM articles a JOIN extractions e "
                "ON e.article_id = a.id WHERE a.id = ?", (article_id,)).fetchone()
            if row is not None:
                yield {"id": row[0], "seq": row[1], "published": row[2], "text": row[3]}, json.loads(row[4])

    def actors_by_keys(self, keys: Sequence[str]) -> list[tuple[str, dict]]:
        """(key, actor row) for every ledger actor filed under one of ``keys``."""
        found: list[tuple[str, dict]] = []
        for chunk in _chunks(list(keys)):
            marks = ", ".join("?" * len(chunk))
            for row in self.conn.execute(
                    f"SELECT k.key, a.id, a.name, a.kind, a.titles, a.affiliation FROM actor_keys k "
                    f"JOIN actors a ON a.id = k.actor_id WHERE k.key IN ({marks}) ORDER BY a.seq", chunk):
                found.append((row[0], {"id": row[1], "name": row[2], "kind": row[3],
                                       "titles": json.loads(row[4]), "affiliation": row[5]}))
        return found

    def actor_exists(self, actor_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone() is not None

    def _fill_slugs(self) -> None:
        """Give every actor without a slug one from its name (``jens-stoltenberg``, then ``-2`` and on where taken),
        in creation order. A slug once given never changes, so links to it keep working when the name grows."""
        rows = self.conn.execute("SELECT id, name FROM actors WHERE slug IS NULL ORDER BY seq").fetchall()
        for actor_id, name in rows:
            base = slugify(name)
            slug, counter = base, 1
            while self.conn.execute("SELECT 1 FROM actors WHERE slug = ?", (slug,)).fetchone() is not None:
                counter += 1
                slug = f"{base}-{counter}"
            self.conn.execute("UPDATE actors SET slug = ? WHERE id = ?", (slug, actor_id))

    def find_actor(self, key: str) -> dict | None:
        """The ledger actor that ``key`` names, case-insensitively: its id, its slug, its name, the slug of the key
        (``Joe Biden`` -> ``joe-biden``), or any name it was filed under (``actor_mentions.name``); a name filed
        under several actors names the one with the most mentions. None when nothing matches or linking has not
        run. The row has id, slug, name, kind, titles, affiliation and mentions."""
        key = " ".join(key.split())
        if not key or not self.has_table("actors"):
            return None
        columns = "a.id, a.slug, a.name, a.kind, a.titles, a.affiliation, a.seq"
        row = (self.conn.execute(f"SELECT {columns} FROM actors a WHERE a.id = ?", (key,)).fetchone()
               or self.conn.execute(f"SELECT {columns} FROM actors a WHERE a.slug = ?", (key.casefold(),)).fetchone()
               or self.conn.execute(f"SELECT {columns} FROM actors a WHERE a.name = ? COLLATE NOCASE "
                                    "ORDER BY a.seq LIMIT 1", (key,)).fetchone()
               or self.conn.execute(f"SELECT {columns} FROM actors a WHERE a.slug = ?", (slugify(key),)).fetchone()
               or self.conn.execute(
                   f"SELECT {columns} FROM actor_mentions m JOIN actors a ON a.id = m.actor_id "
                   "WHERE m.name = ? COLLATE NOCASE GROUP BY a.id "
                   "ORDER BY (SELECT COUNT(*) FROM actor_mentions x WHERE x.actor_id = a.id) DESC, a.seq LIMIT 1",
                   (key,)).fetchone())
        if row is None:
            return None
        mentions = self.conn.execute("SELECT COUNT(*) FROM actor_mentions WHERE actor_id = ?", (row[0],)).fetchone()
        return {"id": row[0], "slug": row[1], "name": row[2], "kind": row[3], "titles": json.loads(row[4]),
                "affiliation": row[5], "mentions": mentions[0]}

    def mention_actor(self, article_id: str, name: str) -> tuple[str, str] | None:
        """(id, name) of the ledger actor that the extracted ``name`` of that article was filed under, or None."""
        row = self.conn.execute(
            "SELECT a.id, a.name FROM actor_mentions m JOIN actors a ON a.id = m.actor_id "
            "WHERE m.article_id = ? AND m.name = ?", (article_id, name)).fetchone()
        return (row[0], row[1]) if row else None

    def search(self, text: str, filters=None, kind: str = "all", limit: int = 20,
               offset: int = 0) -> tuple[list[dict], int]:
        """Full-text matches by FTS5 and bm25: ``claimledger.store.fts.search``."""
        from claimledger.store import fts  # fts imports this module

        return fts.search(self.conn, text, filters or fts.SearchFilters(), kind, limit, offset)

    def actor_aliases(self, actor_id: str) -> list[str]:
        """Every name the ledger actor was filed under, the most used first."""
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM actor_mentions WHERE actor_id = ? GROUP BY name ORDER BY COUNT(*) DESC, name",
            (actor_id,))]

    def actor_article_count(self, actor_id: str) -> int:
        """In how many articles the ledger actor is mentioned."""
        return self.conn.execute("SELECT COUNT(DISTINCT article_id) FROM actor_mentions WHERE actor_id = ?",
                                 (actor_id,)).fetchone()[0]

    def actor_speaker_names(self, actor_id: str) -> list[str]:
        """The names statements give the speaker where the speaker is this ledger actor, the most quoted first."""
        return [r[0] for r in self.conn.execute(
            "SELECT s.speaker_name FROM actor_mentions m JOIN statements s ON s.article_id = m.article_id "
            "AND s.speaker = m.local_id WHERE m.actor_id = ? AND s.speaker_name IS NOT NULL "
            "GROUP BY s.speaker_name ORDER BY COUNT(*) DESC, s.speaker_name", (actor_id,))]

    def speaker_actors(self, names: Sequence[str]) -> dict[str, dict]:
        """The ledger actor behind each of these speaker names: the one that most of their statements' speakers
        were filed under, as ``{name: {"id", "slug"}}``; a name never linked is left out (all of them before
        linking has run)."""
        if not self.has_table("actor_mentions"):
            return {}
        found: dict[str, dict] = {}
        for chunk in _chunks(list(names)):
            marks = ", ".join("?" * len(chunk))
            for name, actor_id, slug in self.conn.execute(
                    "SELECT s.speaker_name, a.id, a.slug FROM statements s JOIN actor_mentions m "
                    "ON m.article_id = s.article_id AND m.local_id = s.speaker JOIN actors a ON a.id = m.actor_id "
                    f"WHERE s.speaker_name IN ({marks}) GROUP BY s.speaker_name, a.id "
                    "ORDER BY COUNT(*) DESC, a.seq", chunk):
                found.setdefault(name, {"id": actor_id, "slug": slug})
        return found

    def claims_by_keys(self, keys: Sequence[str], max_postings: int) -> list[tuple[str, dict]]:
        """(key, claim row) for every claim filed under one of ``keys``; a key filed under more than
        ``max_postings`` claims is too common to narrow anything down and returns none."""
        found: list[tuple[str, dict]] = []
        for chunk in _chunks(list(keys)):
            marks = ", ".join("?" * len(chunk))
            counts = self.conn.execute(f"SELECT key, COUNT(*) FROM claim_keys WHERE key IN ({marks}) GROUP BY key",
                                       chunk).fetchall()
            usable = [key for key, count in counts if count <= max_postings]
            if not usable:
                continue
            marks = ", ".join("?" * len(usable))
            for row in self.conn.execute(
                    f"SELECT k.key, c.id, c.text, c.statement_id, c.first_seen, c.first_article, c.subjects, "
                    f"c.centroid, c.stems, c.size, COALESCE(w.actor_id, w.speaker_name) FROM claim_keys k "
                    f"JOIN claims c ON c.id = k.claim_id LEFT JOIN claim_statements w ON w.id = c.statement_id "
                    f"WHERE k.key IN ({marks})", usable):
                found.append((row[0], _claim_row(row[1:])))
        return found

    def claim_members(self, claim_ids: Sequence[str]) -> list[dict]:
        """Every stored claim statement of these claims, with the statement's kind and cue and its article's
        order, headline and outlet."""
        rows: list[dict] = []
        for chunk in _chunks(list(claim_ids)):
            marks = ", ".join("?" * len(chunk))
            rows += [dict(r) for r in self.conn.execute(
                f"SELECT cs.*, s.kind, s.cue, a.seq AS article_seq, a.headline, a.outlet FROM claim_statements cs "
                f"JOIN articles a ON a.id = cs.article_id LEFT JOIN statements s ON s.id = cs.statement_id "
                f"WHERE cs.claim_id IN ({marks})", chunk)]
        return rows

    def write_link(self, *, actors: Sequence[tuple], actor_keys: Sequence[tuple[str, str]],
                   mentions: Sequence[tuple[str, str, str, str]], claims: Sequence[tuple],
                   claim_keys: Sequence[tuple[str, str]], entries: Sequence[tuple],
                   linked: Sequence[tuple[str, str]], meta: dict[str, object] | None = None) -> None:
        """Write one linking batch in one transaction: actors ``(id, name, kind, titles JSON, affiliation)``,
        actor keys ``(key, actor_id)``, mentions ``(article_id, local_id, actor_id, name)``, claims ``(id, text,
        statement_id, first_seen, first_article, subjects JSON, centroid, stems JSON, size)`` and the blocking keys of
        new ones ``(key, claim_id)`` (a claim's wording, so its keys, never change), claim statements (every
        column of ``claim_statements`` in order), the articles now linked ``(article_id, extracted_at)`` and what they were linked with (``meta``:
        key -> value in ``ledger_meta``)."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                next_seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM actors").fetchone()[0]
                self.conn.executemany(
                    "INSERT INTO actors (id, name, kind, titles, affiliation, seq) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, titles = excluded.titles, "
                    "affiliation = excluded.affiliation",
                    [(*row, next_seq + i) for i, row in enumerate(actors)])
                self.conn.executemany("INSERT OR IGNORE INTO actor_keys (key, actor_id) VALUES (?, ?)", actor_keys)
                self._fill_slugs()
                self.conn.executemany(
                    "INSERT OR REPLACE INTO actor_mentions (article_id, local_id, actor_id, name) VALUES (?, ?, ?, ?)",
                    mentions)
                next_seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM claims").fetchone()[0]
                self.conn.executemany(
                    "INSERT INTO claims (id, text, statement_id, first_seen, first_article, subjects, centroid, stems, "
                    "size, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "text = excluded.text, statement_id = excluded.statement_id, first_seen = excluded.first_seen, "
                    "first_article = excluded.first_article, subjects = excluded.subjects, "
                    "centroid = excluded.centroid, stems = excluded.stems, size = excluded.size",
                    [(*row, next_seq + i) for i, row in enumerate(claims)])
                self.conn.executemany("INSERT OR IGNORE INTO claim_keys (key, claim_id) VALUES (?, ?)", claim_keys)
                self.conn.executemany(
                    f"INSERT OR REPLACE INTO claim_statements ({_CLAIM_STATEMENT_COLUMNS}) "
                    f"VALUES ({', '.join('?' * len(_CLAIM_STATEMENT_COLUMNS.split(', ')))})", entries)
                self.conn.executemany(
                    "INSERT OR REPLACE INTO linked_articles (article_id, extracted_at, linked_at) VALUES (?, ?, ?)",
                    [(article_id, extracted_at, now) for article_id, extracted_at in linked])
                self.conn.executemany("INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, ?)",
                                      [(key, str(value)) for key, value in (meta or {}).items()])
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc

    def unlink_articles(self, article_ids: Sequence[str]) -> None:
        """Forget what linking drew from these articles (before linking a newer extraction of them); claims left
        without statements go too."""
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                ids = [(i,) for i in article_ids]
                self.conn.executemany("DELETE FROM claim_statements WHERE article_id = ?", ids)
                self.conn.executemany("DELETE FROM actor_mentions WHERE article_id = ?", ids)
                self.conn.executemany("DELETE FROM linked_articles WHERE article_id = ?", ids)
                empty = "SELECT id FROM claims WHERE id NOT IN (SELECT claim_id FROM claim_statements)"
                self.conn.execute(f"DELETE FROM claim_keys WHERE claim_id IN ({empty})")
                self.conn.execute(f"DELETE FROM claims WHERE id IN ({empty})")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc

    def claim_rows(self, actor: str | None = None, since: str | None = None,
                   claim_ids: Sequence[str] | None = None) -> list[dict]:
        """Claims in order of first appearance: those whose subjects or speakers include an actor whose name or
        extracted alias contains ``actor``, first seen on or after ``since``, or exactly ``claim_ids``."""
        sql = ("SELECT c.id, c.text, c.statement_id, c.first_seen, c.first_article, c.subjects, c.size "
               "FROM claims c WHERE 1 = 1")
        params: list[str] = []
        if actor is not None:
            like = "%" + actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            matching = ("SELECT id FROM actors WHERE name LIKE ? ESCAPE '\\' UNION "
                        "SELECT actor_id FROM actor_mentions WHERE name LIKE ? ESCAPE '\\'")
            sql += (f" AND (c.id IN (SELECT claim_id FROM claim_statements WHERE actor_id IN ({matching})) "
                    f"OR EXISTS (SELECT 1 FROM json_each(c.subjects) j WHERE j.value IN ({matching})))")
            params += [like, like, like, like]
        if since is not None:
            sql += " AND c.first_seen >= ?"
            params.append(since)
        if claim_ids is not None:
            sql += f" AND c.id IN ({', '.join('?' * len(claim_ids))})"
            params += list(claim_ids)
        return [{**dict(r), "subjects": json.loads(r["subjects"])}
                for r in self.conn.execute(sql + " ORDER BY c.seq", params)]

    def find_claim(self, claim_id: str) -> str | None:
        """The id of the claim whose id is ``claim_id`` or, when unambiguous, starts with it."""
        rows = self.conn.execute("SELECT id FROM claims WHERE id >= ? AND id < ? LIMIT 2",
                                 (claim_id, claim_id + "\uffff")).fetchall()
        if any(r[0] == claim_id for r in rows):
            return claim_id
        return rows[0][0] if len(rows) == 1 else None

    def actor_rows(self) -> list[dict]:
        """Ledger actors still mentioned somewhere, in order of creation, with their extracted names, articles and
        statements counted."""
        return [{**dict(r), "titles": json.loads(r["titles"]),
                 "aliases": sorted(set(json.loads(r["aliases"])) - {r["name"]})}
                for r in self.conn.execute(
                    "SELECT a.id, a.slug, a.name, a.kind, a.titles, a.affiliation, "
                    "(SELECT json_group_array(DISTINCT m.name) FROM actor_mentions m WHERE m.actor_id = a.id) "
                    "AS aliases, "
                    "(SELECT COUNT(DISTINCT m.article_id) FROM actor_mentions m WHERE m.actor_id = a.id) AS articles, "
                    "(SELECT COUNT(*) FROM claim_statements cs WHERE cs.actor_id = a.id) AS claim_statements "
                    "FROM actors a WHERE EXISTS (SELECT 1 FROM actor_mentions m WHERE m.actor_id = a.id) "
                    "ORDER BY a.seq")]

    def actor_names(self, actor_ids: Sequence[str]) -> dict[str, str]:
        """Display name of each of these ledger actors."""
        names: dict[str, str] = {}
        for chunk in _chunks(list(actor_ids)):
            marks = ", ".join("?" * len(chunk))
            names.update(self.conn.execute(f"SELECT id, name FROM actors WHERE id IN ({marks})", chunk).fetchall())
        return names

    def count_claim_statements(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM claim_statements").fetchone()[0]

    def dispute_confidence(self) -> float:
        """The probability a contradiction needs to make a dispute, as the last link run recorded it."""
        row = self.conn.execute("SELECT value FROM ledger_meta WHERE key = 'dispute_confidence'").fetchone()
        return float(row[0]) if row else 0.5

    def disputed_claim_ids(self) -> list[str]:
        """Ids of the disputed claims (supported, and contradicted by someone not among the supporters), the most
        surely contradicted first, then the most repeated, as ``claim_page`` lists them."""
        return [r[0] for r in self.conn.execute(
            f"SELECT c.id FROM claims c WHERE {self._DISPUTED} "
            f"ORDER BY {self._DISPUTE_STRENGTH} DESC, c.size DESC, c.seq")]

    def mention_names(self) -> Iterator[tuple[str, str]]:
        """(article id, extracted name) of every linked actor mention."""
        yield from self.conn.execute("SELECT article_id, name FROM actor_mentions ORDER BY article_id")

    def mark_unlinked(self, article_ids: Sequence[str]) -> None:
        """Have these articles linked again on the next run (when the alias rules that resolve them changed)."""
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany("DELETE FROM linked_articles WHERE article_id = ?", [(i,) for i in article_ids])
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], source=row["source"], text=row["text"],
        blocks=tuple(Block(**b) for b in json.loads(row["blocks"])),
        headline=row["headline"], url=row["url"], outlet=row["outlet"], published=row["published"],
        section=row["section"], authors=tuple(json.loads(row["authors"])), language=row["language"],
        captions=tuple(Caption(**c) for c in json.loads(row["captions"])),
        related=tuple(Link(**r) for r in json.loads(row["related"])),
    )


_CLAIM_STATEMENT_COLUMNS = ("id, claim_id, statement_id, article_id, actor_id, speaker_name, text, start, end, date, "
                            "stance, stance_source, evidence, evidence_start, evidence_end, similarity, reported, "
                            "confidence, anonymous")
# SQLite limits bound parameters per statement; lookups go in chunks well below it.
_CHUNK = 500


def slugify(name: str) -> str:
    """A readable id for a name: ASCII, lowercase, words joined by hyphens (``Jens Stoltenberg`` ->
    ``jens-stoltenberg``); ``actor`` for a name with no letter or digit."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    return re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-") or "actor"


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _claim_row(row: Sequence) -> dict:
    return {"id": row[0], "text": row[1], "statement_id": row[2], "first_seen": row[3], "first_article": row[4],
            "subjects": json.loads(row[5]), "centroid": row[6], "stems": json.loads(row[7]), "size": row[8],
            "speaker": row[9]}
