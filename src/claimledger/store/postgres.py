"""The ledger in a PostgreSQL database (psycopg 3): the methods of ``SQLiteStore`` with the same results.

The schema comes from the same versioned migrations (``migrations.POSTGRES_MIGRATIONS``); parameters are always
bound. Each write is one transaction holding a transaction-level advisory lock, so that writers take turns as
SQLite's ``BEGIN IMMEDIATE`` makes them (the ``seq`` columns are numbered from what is stored), and conflicting rows
are upserted or ignored by their unique keys as SQLite's ``INSERT OR REPLACE`` / ``OR IGNORE`` do; a whole job step
takes a session-level advisory lock (``exclusive``), so that two runs of ingest, extract or link take turns.
Every write transaction also bumps the ``data_version`` row of ``ledger_meta``: what readers' caches compare
(``data_version``), as SQLite's ``PRAGMA data_version``.

Full-text search uses stored tsvector columns with GIN indexes, ``ts_rank`` and ``ts_headline``; see ``search``
for how it differs from FTS5.
"""

from __future__ import annotations

import json
import re
import zlib
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Iterator, Sequence

import psycopg

from claimledger.models import Article, Extraction
from claimledger.store.profiles import speaker_profile
from claimledger.store.base import StoreError
from claimledger.store.migrations import migrate_postgres
from claimledger.store.sqlite import _ARTICLE_COLUMNS, _article, _claim_row, slugify

# One key for every write transaction (SQLite's single writer), one per job step.
_WRITE_LOCK = 0x636C_6D01
# Every write transaction counts itself in ledger_meta, so that readers' caches see a change (``data_version``).
_BUMP_VERSION = ("INSERT INTO ledger_meta (key, value) VALUES ('data_version', '1') ON CONFLICT (key) "
                 "DO UPDATE SET value = (CAST(ledger_meta.value AS BIGINT) + 1)::text")
_CLAIM_STATEMENT_COLUMNS = ('id, claim_id, statement_id, article_id, actor_id, speaker_name, text, start, "end", '
                            'date, stance, stance_source, evidence, evidence_start, evidence_end, similarity, '
                            'reported, confidence, anonymous')


class Row(tuple):
    """A row read by position or by column name, and ``dict(row)``, as ``sqlite3.Row``."""

    _names: tuple[str, ...] = ()

    def __new__(cls, values: Sequence, names: tuple[str, ...]) -> "Row":
        row = super().__new__(cls, values)
        row._names = names
        return row

    def keys(self) -> tuple[str, ...]:
        return self._names

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)


def _row_factory(cursor):
    names = tuple(c.name for c in cursor.description or ())
    return lambda values: Row(values, names)


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _q(sql: str) -> str:
    """The statement with SQLite's question-mark parameter marks written as psycopg's ``%s``: the queries are
    shared in SQLite's style, and none holds a literal question mark or percent sign."""
    return sql.replace("?", "%s")


def one_of(column: str, value: str | Sequence[str]) -> tuple[str, list]:
    """``column`` equals ``value`` or, given several spellings, any of them."""
    if isinstance(value, str):
        return f"{column} = %s", [value]
    return f"{column} = ANY(%s)", [list(value)]


def _like(text: str) -> str:
    """An ILIKE pattern for text containing ``text``: SQLite's LIKE ignores case too (only ASCII's)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _limit(limit: int | None) -> int | None:
    """A page size as PostgreSQL's LIMIT takes it: a negative one (``Ledger``'s "every row", as SQLite reads it)
    is NULL, no limit."""
    return None if limit is None or limit < 0 else limit


def _step_key(step: str) -> int:
    return 0x636C_0000 + zlib.crc32(step.encode()) % 0xFFFF


class _Reconnecting:
    """A read-only connection that reconnects once when a statement finds the server gone (it restarted, or ended
    the session) and runs the statement again: reads in autocommit hold no transaction to lose. So a long-lived
    reader, such as a web server thread's, outlives a database restart. Everything else is the connection's."""

    def __init__(self, conn: psycopg.Connection, url: str) -> None:
        self._conn = conn
        self._url = url

    def execute(self, *args, **kwargs):
        try:
            return self._conn.execute(*args, **kwargs)
        except psycopg.OperationalError:
            if not self._conn.broken:
                raise
        self._conn = psycopg.connect(self._url, autocommit=True, row_factory=_row_factory)
        self._conn.read_only = True
        return self._conn.execute(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


class PostgresStore:
    """A ledger in a PostgreSQL database. Use as a context manager; every write method commits or rolls back as a
    whole."""

    def __init__(self, url: str, *, create: bool = True, read_only: bool = False) -> None:
        self.url = url
        self.path = _redacted(url)  # what messages name, as SQLiteStore's path
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect: {str(exc).strip()}") from exc
        try:
            if not self._has_ledger() and (not create or read_only):
                self.conn.close()
                raise StoreError(f"{self.path}: no such database (run `claimledger ingest` first)")
            if read_only:
                self.conn.read_only = True
                self.conn = _Reconnecting(self.conn, url)
            elif migrate_postgres(self.conn):
                with self._write():  # a migration may fill or change rows: a change for readers' caches
                    pass
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: {str(exc).strip()}") from exc

    def _has_ledger(self) -> bool:
        return self.conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    def usable(self) -> bool:
        # psycopg marks a connection broken when an operation finds the server gone.
        return not (self.conn.closed or self.conn.broken)

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _all(self, sql: str, params: Sequence = ()) -> list[Row]:
        return self.conn.execute(_q(sql), params).fetchall()

    def _one(self, sql: str, params: Sequence = ()) -> Row | None:
        return self.conn.execute(_q(sql), params).fetchone()

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection]:
        """One write transaction, writers one at a time; database errors become ``StoreError``."""
        try:
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                self.conn.execute(_BUMP_VERSION)
                yield self.conn
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: {str(exc).strip()}") from exc

    def _many(self, sql: str, rows: Sequence[Sequence]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(_q(sql), rows)

    @contextmanager
    def exclusive(self, step: str) -> Iterator[None]:
        """A session-level advisory lock for the whole step: a second run of it waits for the first to end."""
        key = _step_key(step)
        self.conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            if not self.conn.closed:
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    # --- writes ---------------------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise ``StoreError`` now if the ledger cannot be written (a read-only role or server)."""
        try:
            with self.conn.transaction(force_rollback=True):
                self.conn.execute("DELETE FROM schema_migrations WHERE false")
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: {str(exc).strip()}") from exc

    def write_batch(self, articles: Sequence[tuple[Article, str, bytes]],
                    duplicates: Sequence[tuple[str, str, str, str, float]]) -> None:
        """Store new articles ``(article, text_hash, minhash)`` and duplicate records
        ``(source, duplicate_id, kept_id, kind, similarity)`` in one transaction. Rows already present are kept."""
        with self._write():
            next_seq = self._one("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles")[0]
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
            self._many(f"INSERT INTO articles ({_ARTICLE_COLUMNS}, text_hash, minhash, seq) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
            self._many("INSERT INTO duplicates (source, duplicate_id, kept_id, kind, similarity) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", duplicates)

    def write_extractions(self, extractions: Sequence[Extraction], model: str) -> None:
        """Store extractions (replacing earlier ones of the same articles) and their statements, in one transaction."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._write():
            self.conn.execute("DELETE FROM statements WHERE article_id = ANY(%s)",
                              ([e.article_id for e in extractions],))
            self._many("INSERT INTO extractions (article_id, data, model, extracted_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (article_id) DO UPDATE SET data = excluded.data, model = excluded.model, "
                       "extracted_at = excluded.extracted_at",
                       [(e.article_id, json.dumps(e.to_dict(), ensure_ascii=False), model, now)
                        for e in extractions])
            self._many('INSERT INTO statements (id, article_id, speaker, speaker_name, kind, cue, text, start, "end", '
                       "date, negated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                       "article_id = excluded.article_id, speaker = excluded.speaker, "
                       "speaker_name = excluded.speaker_name, kind = excluded.kind, cue = excluded.cue, "
                       'text = excluded.text, start = excluded.start, "end" = excluded."end", date = excluded.date, '
                       "negated = excluded.negated",
                       [(f"{e.article_id}:{s.id}", e.article_id, s.speaker, s.speaker_name, s.kind, s.cue, s.text,
                         s.span[0], s.span[1], s.date, int(s.negated)) for e in extractions for s in e.statements])

    # --- reads ----------------------------------------------------------------------------------------------

    def signatures(self) -> Iterator[tuple[str, str, bytes]]:
        """(id, text_hash, minhash) of every stored article, for the deduplicator."""
        for row in self._all("SELECT id, text_hash, minhash FROM articles ORDER BY seq"):
            yield row[0], row[1], bytes(row[2])

    def article_text(self, article_id: str) -> str:
        return self._one("SELECT text FROM articles WHERE id = ?", (article_id,))[0]

    def article_source(self, article_id: str) -> str:
        return self._one("SELECT source FROM articles WHERE id = ?", (article_id,))[0]

    def unextracted_ids(self) -> list[str]:
        """Ids of stored articles without an extraction yet, in ingest order."""
        return [row[0] for row in self._all(
            "SELECT a.id FROM articles a LEFT JOIN extractions e ON e.article_id = a.id "
            "WHERE e.article_id IS NULL ORDER BY a.seq")]

    def read_articles(self, article_ids: list[str]) -> Iterator[Article]:
        """The articles with these ids, one at a time, on a connection of their own: whichever thread consumes
        the iterator may, while this store's connection writes."""
        conn = psycopg.connect(self.url, autocommit=True, row_factory=_row_factory)
        try:
            for article_id in article_ids:
                row = conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = %s", (article_id,)).fetchone()
                if row is not None:
                    yield _article(row)
        finally:
            conn.close()

    def extraction(self, article_id: str) -> dict | None:
        row = self._one("SELECT data FROM extractions WHERE article_id = ?", (article_id,))
        return json.loads(row[0]) if row else None

    def statements(self, article_id: str | None = None, speaker: str | None = None) -> list[dict]:
        sql = ('SELECT s.id, s.article_id, s.speaker, s.speaker_name, s.kind, s.cue, s.text, s.start, s."end", '
               "s.date, s.negated FROM statements s JOIN articles a ON a.id = s.article_id WHERE 1 = 1")
        params: list[str] = []
        if article_id is not None:
            sql += " AND s.article_id = ?"
            params.append(article_id)
        if speaker is not None:
            sql += " AND s.speaker_name ILIKE ? ESCAPE '\\'"
            params.append(_like(speaker))
        rows = self._all(sql + " ORDER BY a.seq, s.start", params)
        return [{**dict(r), "span": [r["start"], r["end"]], "negated": bool(r["negated"])} for r in rows]

    def count_articles(self) -> int:
        return self._one("SELECT COUNT(*) FROM articles")[0]

    def iter_articles(self, limit: int | None = None) -> Iterator[Article]:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq"
        params: tuple[int, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        for row in self._all(sql, params):
            yield _article(row)

    def get_article(self, article_id: str) -> Article | None:
        rows = self._all(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                         (article_id, article_id + "\uffff"))
        exact = [r for r in rows if r["id"] == article_id]
        if exact:
            return _article(exact[0])
        return _article(rows[0]) if len(rows) == 1 else None

    # --- reads for the web API ------------------------------------------------------------------------------

    _SAID = "CASE WHEN s.date ~ '^[0-9]{4}' THEN s.date ELSE substr(a.published, 1, 10) END"

    def has_table(self, name: str) -> bool:
        return self._one("SELECT to_regclass(?) IS NOT NULL", (name,))[0]

    def data_version(self) -> int:
        """The write count of the ledger: the ``data_version`` row of ``ledger_meta``, which every write
        transaction (``_write``) bumps before it commits. Read in a transaction of its own, it is never ahead of
        the rows a later read sees: a cache that tags what it read with it at worst recomputes once too often."""
        row = self._one("SELECT value FROM ledger_meta WHERE key = 'data_version'")
        return int(row[0]) if row else 0

    def has_claims(self) -> bool:
        return self._one("SELECT EXISTS (SELECT 1 FROM claims)")[0]

    @staticmethod
    def _article_filters(since: str | None, until: str | None,
                         outlet: str | Sequence[str] | None) -> tuple[list[str], list]:
        clauses: list[str] = []
        params: list = []
        if since:
            clauses.append("a.published >= %s")
            params.append(since)
        if until:
            clauses.append("a.published < %s")
            params.append(until + "\uffff")
        if outlet:
            clause, values = one_of("a.outlet", outlet)
            clauses.append(clause)
            params += values
        return clauses, params

    def article_page(self, *, since: str | None = None, until: str | None = None,
                     outlet: str | Sequence[str] | None = None, speaker: str | Sequence[str] | None = None,
                     limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        clauses, params = self._article_filters(since, until, outlet)
        if speaker:
            clause, values = one_of("s.speaker_name", speaker)
            clauses.append(f"EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id AND {clause})")
            params += values
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        total = self.conn.execute(f"SELECT COUNT(*) FROM articles a{where}", params).fetchone()[0]
        rows = self.conn.execute(
            "SELECT a.id, a.headline, a.outlet, a.published, a.section, a.url, a.source, a.authors, "
            "(SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id) AS statements "
            f"FROM articles a{where} ORDER BY a.published DESC NULLS LAST, a.seq DESC LIMIT %s OFFSET %s",
            [*params, _limit(limit), offset]).fetchall()
        return [{**dict(r), "authors": json.loads(r["authors"])} for r in rows], total

    def statement_page(self, *, article_id: str | None = None, speaker: str | Sequence[str] | None = None,
                       kind: str | None = None, since: str | None = None, until: str | None = None,
                       outlet: str | Sequence[str] | None = None,
                       chronological: bool = False, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        clauses, params = self._article_filters(None if chronological else since,
                                                None if chronological else until, outlet)
        said_day = f"substr({self._SAID} || '-01-01', 1, 10)"
        if chronological and since:
            clauses.append(f"{said_day} >= %s")
            params.append(since)
        if chronological and until:
            clauses.append(f"{said_day} <= %s")
            params.append(until)
        for column, value in (("s.article_id", article_id), ("s.speaker_name", speaker), ("s.kind", kind)):
            if value:
                clause, values = one_of(column, value)
                clauses.append(clause)
                params += values
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        total = self.conn.execute(
            f"SELECT COUNT(*) FROM statements s JOIN articles a ON a.id = s.article_id{where}", params).fetchone()[0]
        order = (f"{self._SAID} IS NULL, {self._SAID}, a.seq, s.start" if chronological
                 else "a.published DESC NULLS LAST, a.seq DESC, s.start")
        rows = self.conn.execute(
            'SELECT s.id, s.article_id, s.speaker, s.speaker_name, s.kind, s.cue, s.text, s.start, s."end", s.date, '
            f"s.negated, {self._SAID} AS said, a.headline, a.outlet, a.published "
            f"FROM articles a JOIN statements s ON s.article_id = a.id{where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s", [*params, _limit(limit), offset]).fetchall()
        return [{**dict(r), "span": [r["start"], r["end"]], "negated": bool(r["negated"])} for r in rows], total

    def actor_page(self, *, name: str | None = None, since: str | None = None, until: str | None = None,
                   outlet: str | Sequence[str] | None = None, limit: int = 20,
                   offset: int = 0) -> tuple[list[dict], int]:
        clauses, params = self._article_filters(since, until, outlet)
        clauses.append("s.speaker_name IS NOT NULL")
        if name:
            clauses.append("s.speaker_name ILIKE %s ESCAPE '\\'")
            params.append(_like(name))
        where = " WHERE " + " AND ".join(clauses)
        source = f"FROM statements s JOIN articles a ON a.id = s.article_id{where}"
        total = self.conn.execute(f"SELECT COUNT(DISTINCT s.speaker_name) {source}", params).fetchone()[0]
        names = self.conn.execute(
            f"SELECT s.speaker_name AS name, COUNT(*) AS statements {source} "
            "GROUP BY s.speaker_name ORDER BY statements DESC, name LIMIT %s OFFSET %s",
            [*params, _limit(limit), offset]).fetchall()
        rows = []
        for row in names:
            articles, first, last = self.conn.execute(
                f"SELECT COUNT(DISTINCT s.article_id), MIN({self._SAID}), MAX({self._SAID}) "
                f"{source} AND s.speaker_name = %s", [*params, row["name"]]).fetchone()
            rows.append({**dict(row), "articles": articles, "first": first, "last": last})
        return rows, total

    def actor_profile(self, name: str, max_articles: int = 200) -> dict | None:
        counts = self._one(
            f"SELECT COUNT(*) AS statements, COUNT(DISTINCT s.article_id) AS articles, MIN({self._SAID}) AS first, "
            f"MAX({self._SAID}) AS last FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE s.speaker_name = ?", (name,))
        if not counts["statements"]:
            return None
        kinds = {r[0]: r[1] for r in self._all(
            "SELECT kind, COUNT(*) FROM statements WHERE speaker_name = ? GROUP BY kind", (name,))}
        local = self._all(
            "SELECT l.article_id, l.speaker, a.text, e.data FROM (SELECT DISTINCT article_id, speaker "
            "FROM statements WHERE speaker_name = ? AND speaker IS NOT NULL) l JOIN articles a ON a.id = l.article_id "
            "JOIN extractions e ON e.article_id = l.article_id ORDER BY a.seq DESC LIMIT ?", (name, max_articles))
        return speaker_profile(name, counts, kinds, local)

    def speaker_mentions(self, name: str, max_articles: int = 200) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._all(
            "SELECT substr(a.text, (m.value ->> 0)::int + 1, (m.value ->> 1)::int - (m.value ->> 0)::int) "
            'COLLATE "C" AS mention, COUNT(DISTINCT l.article_id) AS articles '
            "FROM (SELECT article_id, speaker FROM statements WHERE speaker_name = ? AND speaker IS NOT NULL "
            "GROUP BY article_id, speaker ORDER BY MAX(rowid) DESC LIMIT ?) l "
            "JOIN articles a ON a.id = l.article_id JOIN extractions e ON e.article_id = l.article_id "
            "CROSS JOIN LATERAL jsonb_array_elements(e.data::jsonb -> 'actors') actor(value) "
            "CROSS JOIN LATERAL jsonb_array_elements(actor.value -> 'mentions') m(value) "
            "WHERE actor.value ->> 'id' = l.speaker "
            "GROUP BY mention ORDER BY articles DESC, mention", (name, max_articles))]

    def actor_timeline(self, name: str) -> list[tuple[str | None, str, int]]:
        return [tuple(r) for r in self._all(
            f"SELECT {self._SAID} AS said, s.kind, COUNT(*) FROM statements s JOIN articles a ON a.id = s.article_id "
            "WHERE s.speaker_name = ? GROUP BY said, s.kind ORDER BY said NULLS FIRST, s.kind", (name,))]

    def outlets(self) -> list[tuple[str, int]]:
        return [tuple(r) for r in self._all(
            "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY 2 DESC, 1")]

    def count_statements(self) -> int:
        return self._one("SELECT COUNT(*) FROM statements")[0]

    def speaker_names(self) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT DISTINCT speaker_name FROM statements WHERE speaker_name IS NOT NULL ORDER BY speaker_name")]

    _CLAIM_SUMMARY = ("SELECT c.id, c.text, c.first_seen, c.first_article, c.size, c.seq, "
                      "COALESCE(SUM((cs.stance = 'supports')::int), 0) AS supports, "
                      "COALESCE(SUM((cs.stance = 'contradicts')::int), 0) AS contradicts, "
                      "COALESCE(SUM((cs.stance = 'discusses')::int), 0) AS discusses "
                      "FROM claims c LEFT JOIN claim_statements cs ON cs.claim_id = c.id")
    _DISPUTERS = ("FROM claim_statements d WHERE d.claim_id = c.id AND d.stance = 'contradicts' "
                  "AND d.confidence >= COALESCE((SELECT CAST(value AS DOUBLE PRECISION) FROM ledger_meta "
                  "WHERE key = 'dispute_confidence'), 0.5) "
                  "AND d.speaker_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM claim_statements s "
                  "WHERE s.claim_id = c.id AND s.stance = 'supports' AND (s.actor_id = d.actor_id "
                  "OR s.speaker_name = d.speaker_name))")
    _DISPUTED = (f"(EXISTS (SELECT 1 {_DISPUTERS}) AND EXISTS (SELECT 1 FROM claim_statements s "
                 "WHERE s.claim_id = c.id AND s.stance = 'supports'))")
    _DISPUTE_STRENGTH = f"(SELECT MAX(d.confidence) {_DISPUTERS})"

    def claim_page(self, *, disputed: bool = False, limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
        where = f" WHERE {self._DISPUTED}" if disputed else ""
        total = self._one(f"SELECT COUNT(*) FROM claims c{where}")[0]
        rows = self._all(
            f"SELECT * FROM ({self._CLAIM_SUMMARY}{where} GROUP BY c.id) c "
            f"ORDER BY {self._DISPUTED} DESC, {self._DISPUTE_STRENGTH} DESC NULLS LAST, c.size DESC, c.seq "
            "LIMIT ? OFFSET ?", (_limit(limit), offset))
        return [dict(r) for r in rows], total

    def claim_detail(self, claim_id: str) -> dict | None:
        row = self._one(f"{self._CLAIM_SUMMARY} WHERE c.id = ? GROUP BY c.id", (claim_id,))
        if row is None:
            return None
        entries = self._all(
            "SELECT cs.statement_id, cs.article_id, a.headline, a.outlet, cs.speaker_name, cs.text, cs.start, "
            'cs."end", cs.date, cs.stance, cs.evidence, cs.evidence_start, cs.evidence_end '
            "FROM claim_statements cs JOIN articles a ON a.id = cs.article_id WHERE cs.claim_id = ? "
            "ORDER BY cs.date IS NULL, cs.date, a.seq, cs.start", (claim_id,))
        timeline = [{**dict(e), "span": [e["start"], e["end"]], "evidence_span": [e["evidence_start"],
                                                                                   e["evidence_end"]]}
                    for e in entries]
        return {**dict(row), "timeline": timeline}

    def article_claims(self, article_id: str) -> list[dict]:
        return [dict(r) for r in self._all(
            "SELECT c.id, c.text, cs.statement_id, cs.speaker_name, cs.stance FROM claim_statements cs "
            "JOIN claims c ON c.id = cs.claim_id WHERE cs.article_id = ? ORDER BY cs.start, cs.id", (article_id,))]

    def actor_claims(self, name: str, limit: int = 50, actor_id: str | None = None) -> list[dict]:
        column, value = ("cs.actor_id", actor_id) if actor_id is not None else ("cs.speaker_name", name)
        return [dict(r) for r in self._all(
            "SELECT c.id, c.text, c.first_seen, cs.stance, COUNT(*) AS statements FROM claim_statements cs "
            f"JOIN claims c ON c.id = cs.claim_id WHERE {column} = ? GROUP BY c.id, cs.stance "
            "ORDER BY c.size DESC, c.seq, cs.stance LIMIT ?", (value, _limit(limit)))]

    def actor_linked_names(self, name: str) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT other.name FROM (SELECT DISTINCT article_id, speaker FROM statements WHERE speaker_name = ?) s "
            "JOIN actor_mentions m ON m.article_id = s.article_id AND m.local_id = s.speaker "
            "JOIN actor_mentions other ON other.actor_id = m.actor_id WHERE other.name <> ? "
            "GROUP BY other.name ORDER BY COUNT(*) DESC, other.name LIMIT 50", (name, name))]

    def speaker_actors(self, names: Sequence[str]) -> dict[str, dict]:
        if not self.has_table("actor_mentions"):
            return {}
        found: dict[str, dict] = {}
        for name, actor_id, slug in self._all(
                "SELECT s.speaker_name, a.id, a.slug FROM statements s JOIN actor_mentions m "
                "ON m.article_id = s.article_id AND m.local_id = s.speaker JOIN actors a ON a.id = m.actor_id "
                "WHERE s.speaker_name = ANY(?) GROUP BY s.speaker_name, a.id "
                "ORDER BY COUNT(*) DESC, a.seq", (list(names),)):
            found.setdefault(name, {"id": actor_id, "slug": slug})
        return found

    # --- link -------------------------------------------------------------------------------------------------

    def unlinked_articles(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._all(
            "SELECT e.article_id, e.extracted_at FROM extractions e JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN linked_articles l ON l.article_id = e.article_id "
            "WHERE l.article_id IS NULL OR l.extracted_at <> e.extracted_at ORDER BY a.seq")]

    def link_inputs(self, article_ids: Sequence[str]) -> Iterator[tuple[dict, dict]]:
        for article_id in article_ids:
            row = self._one("SELECT a.id, a.seq, a.published, a.text, e.data FROM articles a JOIN extractions e "
                            "ON e.article_id = a.id WHERE a.id = ?", (article_id,))
            if row is not None:
                yield {"id": row[0], "seq": row[1], "published": row[2], "text": row[3]}, json.loads(row[4])

    def actors_by_keys(self, keys: Sequence[str]) -> list[tuple[str, dict]]:
        # Ordered by key position then creation, as SQLite's chunks of keys read them (each chunk by seq).
        return [(row[0], {"id": row[1], "name": row[2], "kind": row[3], "titles": json.loads(row[4]),
                          "affiliation": row[5]})
                for row in self._all(
                    "SELECT k.key, a.id, a.name, a.kind, a.titles, a.affiliation FROM actor_keys k "
                    "JOIN actors a ON a.id = k.actor_id WHERE k.key = ANY(?) ORDER BY a.seq, k.key", (list(keys),))]

    def actor_exists(self, actor_id: str) -> bool:
        return self._one("SELECT 1 FROM actors WHERE id = ?", (actor_id,)) is not None

    def _fill_slugs(self) -> None:
        for actor_id, name in self._all("SELECT id, name FROM actors WHERE slug IS NULL ORDER BY seq"):
            base = slugify(name)
            slug, counter = base, 1
            while self._one("SELECT 1 FROM actors WHERE slug = ?", (slug,)) is not None:
                counter += 1
                slug = f"{base}-{counter}"
            self.conn.execute("UPDATE actors SET slug = %s WHERE id = %s", (slug, actor_id))

    def find_actor(self, key: str) -> dict | None:
        key = " ".join(key.split())
        if not key or not self.has_table("actors"):
            return None
        columns = "a.id, a.slug, a.name, a.kind, a.titles, a.affiliation, a.seq"
        row = (self._one(f"SELECT {columns} FROM actors a WHERE a.id = ?", (key,))
               or self._one(f"SELECT {columns} FROM actors a WHERE a.slug = ?", (key.casefold(),))
               or self._one(f"SELECT {columns} FROM actors a WHERE lower(a.name) = lower(?) "
                            "ORDER BY a.seq LIMIT 1", (key,))
               or self._one(f"SELECT {columns} FROM actors a WHERE a.slug = ?", (slugify(key),))
               or self._one(
                   f"SELECT {columns} FROM actor_mentions m JOIN actors a ON a.id = m.actor_id "
                   "WHERE lower(m.name) = lower(?) GROUP BY a.id "
                   "ORDER BY (SELECT COUNT(*) FROM actor_mentions x WHERE x.actor_id = a.id) DESC, a.seq LIMIT 1",
                   (key,)))
        if row is None:
            return None
        mentions = self._one("SELECT COUNT(*) FROM actor_mentions WHERE actor_id = ?", (row[0],))
        return {"id": row[0], "slug": row[1], "name": row[2], "kind": row[3], "titles": json.loads(row[4]),
                "affiliation": row[5], "mentions": mentions[0]}

    def mention_actor(self, article_id: str, name: str) -> tuple[str, str] | None:
        row = self._one("SELECT a.id, a.name FROM actor_mentions m JOIN actors a ON a.id = m.actor_id "
                        "WHERE m.article_id = ? AND m.name = ?", (article_id, name))
        return (row[0], row[1]) if row else None

    def actor_aliases(self, actor_id: str) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT name FROM actor_mentions WHERE actor_id = ? GROUP BY name ORDER BY COUNT(*) DESC, name",
            (actor_id,))]

    def actor_article_count(self, actor_id: str) -> int:
        return self._one("SELECT COUNT(DISTINCT article_id) FROM actor_mentions WHERE actor_id = ?", (actor_id,))[0]

    def actor_speaker_names(self, actor_id: str) -> list[str]:
        return [r[0] for r in self._all(
            "SELECT s.speaker_name FROM actor_mentions m JOIN statements s ON s.article_id = m.article_id "
            "AND s.speaker = m.local_id WHERE m.actor_id = ? AND s.speaker_name IS NOT NULL "
            "GROUP BY s.speaker_name ORDER BY COUNT(*) DESC, s.speaker_name", (actor_id,))]

    def claims_by_keys(self, keys: Sequence[str], max_postings: int) -> list[tuple[str, dict]]:
        keys = list(keys)
        if not keys:
            return []
        return [(row[0], _claim_row(row[1:])) for row in self._all(
            "SELECT k.key, c.id, c.text, c.statement_id, c.first_seen, c.first_article, c.subjects, "
            "c.centroid, c.stems, c.size, COALESCE(w.actor_id, w.speaker_name) FROM claim_keys k "
            "JOIN claims c ON c.id = k.claim_id LEFT JOIN claim_statements w ON w.id = c.statement_id "
            "WHERE k.key IN (SELECT key FROM claim_keys WHERE key = ANY(?) GROUP BY key HAVING COUNT(*) <= ?) "
            "ORDER BY k.key, c.seq", (keys, max_postings))]

    def claim_members(self, claim_ids: Sequence[str]) -> list[dict]:
        return [dict(r) for r in self._all(
            "SELECT cs.id, cs.claim_id, cs.statement_id, cs.article_id, cs.actor_id, cs.speaker_name, cs.text, "
            'cs.start, cs."end", cs.date, cs.stance, cs.stance_source, cs.evidence, cs.evidence_start, '
            "cs.evidence_end, cs.similarity, cs.reported, cs.confidence, cs.anonymous, "
            "s.kind, s.cue, a.seq AS article_seq, a.headline, a.outlet FROM claim_statements cs "
            "JOIN articles a ON a.id = cs.article_id LEFT JOIN statements s ON s.id = cs.statement_id "
            "WHERE cs.claim_id = ANY(?) ORDER BY cs.id", (list(claim_ids),))]

    def write_link(self, *, actors: Sequence[tuple], actor_keys: Sequence[tuple[str, str]],
                   mentions: Sequence[tuple[str, str, str, str]], claims: Sequence[tuple],
                   claim_keys: Sequence[tuple[str, str]], entries: Sequence[tuple],
                   linked: Sequence[tuple[str, str]], meta: dict[str, object] | None = None) -> None:
        """One linking batch in one transaction; the rows as ``SQLiteStore.write_link`` takes them."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._write():
            next_seq = self._one("SELECT COALESCE(MAX(seq), 0) + 1 FROM actors")[0]
            self._many(
                "INSERT INTO actors (id, name, kind, titles, affiliation, seq) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, titles = excluded.titles, "
                "affiliation = excluded.affiliation",
                [(*row, next_seq + i) for i, row in enumerate(actors)])
            self._many("INSERT INTO actor_keys (key, actor_id) VALUES (?, ?) ON CONFLICT DO NOTHING", actor_keys)
            self._fill_slugs()
            self._many("INSERT INTO actor_mentions (article_id, local_id, actor_id, name) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (article_id, local_id) DO UPDATE SET actor_id = excluded.actor_id, "
                       "name = excluded.name", mentions)
            next_seq = self._one("SELECT COALESCE(MAX(seq), 0) + 1 FROM claims")[0]
            self._many(
                "INSERT INTO claims (id, text, statement_id, first_seen, first_article, subjects, centroid, stems, "
                "size, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "text = excluded.text, statement_id = excluded.statement_id, first_seen = excluded.first_seen, "
                "first_article = excluded.first_article, subjects = excluded.subjects, "
                "centroid = excluded.centroid, stems = excluded.stems, size = excluded.size",
                [(*row, next_seq + i) for i, row in enumerate(claims)])
            self._many("INSERT INTO claim_keys (key, claim_id) VALUES (?, ?) ON CONFLICT DO NOTHING", claim_keys)
            columns = [c.strip() for c in _CLAIM_STATEMENT_COLUMNS.split(",")]
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
            self._many(f"INSERT INTO claim_statements ({_CLAIM_STATEMENT_COLUMNS}) "
                       f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT (id) DO UPDATE SET {updates}", entries)
            self._many("INSERT INTO linked_articles (article_id, extracted_at, linked_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (article_id) DO UPDATE SET extracted_at = excluded.extracted_at, "
                       "linked_at = excluded.linked_at",
                       [(article_id, extracted_at, now) for article_id, extracted_at in linked])
            self._many("INSERT INTO ledger_meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       [(key, str(value)) for key, value in (meta or {}).items()])

    def unlink_articles(self, article_ids: Sequence[str]) -> None:
        ids = list(article_ids)
        with self._write():
            for table in ("claim_statements", "actor_mentions", "linked_articles"):
                self.conn.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s)", (ids,))
            empty = "SELECT id FROM claims WHERE id NOT IN (SELECT claim_id FROM claim_statements)"
            self.conn.execute(f"DELETE FROM claim_keys WHERE claim_id IN ({empty})")
            self.conn.execute(f"DELETE FROM claims WHERE id IN ({empty})")

    def claim_rows(self, actor: str | None = None, since: str | None = None,
                   claim_ids: Sequence[str] | None = None) -> list[dict]:
        sql = ("SELECT c.id, c.text, c.statement_id, c.first_seen, c.first_article, c.subjects, c.size "
               "FROM claims c WHERE 1 = 1")
        params: list = []
        if actor is not None:
            like = _like(actor)
            matching = ("SELECT id FROM actors WHERE name ILIKE ? ESCAPE '\\' UNION "
                        "SELECT actor_id FROM actor_mentions WHERE name ILIKE ? ESCAPE '\\'")
            sql += (f" AND (c.id IN (SELECT claim_id FROM claim_statements WHERE actor_id IN ({matching})) "
                    f"OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.subjects::jsonb) j(value) "
                    f"WHERE j.value IN ({matching})))")
            params += [like, like, like, like]
        if since is not None:
            sql += " AND c.first_seen >= ?"
            params.append(since)
        if claim_ids is not None:
            sql += " AND c.id = ANY(?)"
            params.append(list(claim_ids))
        return [{**dict(r), "subjects": json.loads(r["subjects"])} for r in self._all(sql + " ORDER BY c.seq", params)]

    def find_claim(self, claim_id: str) -> str | None:
        rows = self._all("SELECT id FROM claims WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                         (claim_id, claim_id + "\uffff"))
        if any(r[0] == claim_id for r in rows):
            return claim_id
        return rows[0][0] if len(rows) == 1 else None

    def actor_rows(self) -> list[dict]:
        return [{**dict(r), "titles": json.loads(r["titles"]),
                 "aliases": sorted(set(r["aliases"]) - {r["name"]})}
                for r in self._all(
                    "SELECT a.id, a.slug, a.name, a.kind, a.titles, a.affiliation, "
                    "(SELECT array_agg(DISTINCT m.name) FROM actor_mentions m WHERE m.actor_id = a.id) AS aliases, "
                    "(SELECT COUNT(DISTINCT m.article_id) FROM actor_mentions m WHERE m.actor_id = a.id) AS articles, "
                    "(SELECT COUNT(*) FROM claim_statements cs WHERE cs.actor_id = a.id) AS claim_statements "
                    "FROM actors a WHERE EXISTS (SELECT 1 FROM actor_mentions m WHERE m.actor_id = a.id) "
                    "ORDER BY a.seq")]

    def actor_names(self, actor_ids: Sequence[str]) -> dict[str, str]:
        return {r[0]: r[1] for r in self._all("SELECT id, name FROM actors WHERE id = ANY(?)", (list(actor_ids),))}

    def count_claim_statements(self) -> int:
        return self._one("SELECT COUNT(*) FROM claim_statements")[0]

    def dispute_confidence(self) -> float:
        row = self._one("SELECT value FROM ledger_meta WHERE key = 'dispute_confidence'")
        return float(row[0]) if row else 0.5

    def disputed_claim_ids(self) -> list[str]:
        return [r[0] for r in self._all(
            f"SELECT c.id FROM claims c WHERE {self._DISPUTED} "
            f"ORDER BY {self._DISPUTE_STRENGTH} DESC NULLS LAST, c.size DESC, c.seq")]

    def mention_names(self) -> Iterator[tuple[str, str]]:
        for row in self._all("SELECT article_id, name FROM actor_mentions ORDER BY article_id, local_id"):
            yield row[0], row[1]

    def mark_unlinked(self, article_ids: Sequence[str]) -> None:
        with self._write():
            self.conn.execute("DELETE FROM linked_articles WHERE article_id = ANY(%s)", (list(article_ids),))

    # --- full-text search -------------------------------------------------------------------------------------

    def search(self, text: str, filters=None, kind: str = "all", limit: int = 20,
               offset: int = 0) -> tuple[list[dict], int]:
        """Full-text matches by tsvector, ranked by ``ts_rank``: ``claimledger.store.fts_postgres.search``."""
        from claimledger.store import fts_postgres

        return fts_postgres.search(self.conn, text, filters, kind, limit, offset)
