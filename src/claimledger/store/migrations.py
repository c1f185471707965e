"""Named schema migrations, applied in order inside a transaction and recorded in ``schema_migrations``.

Opening an older database upgrades it; a migration is never edited once released, only followed by a new one.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

MIGRATIONS: list[tuple[str, str]] = [
    (
        "articles",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT,
            outlet TEXT,
            headline TEXT,
            published TEXT,
            section TEXT,
            authors TEXT NOT NULL,      -- JSON list
            language TEXT,
            captions TEXT NOT NULL,     -- JSON [{text, credit}]
            related TEXT NOT NULL,      -- JSON [{text, url}]
            text TEXT NOT NULL,
            blocks TEXT NOT NULL,       -- JSON [{kind, text, start, end}]
            text_hash TEXT NOT NULL UNIQUE,
            minhash BLOB NOT NULL,
            seq INTEGER NOT NULL UNIQUE -- ingest order, for stable listings
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE duplicates (
            source TEXT NOT NULL,
            duplicate_id TEXT NOT NULL,
            kept_id TEXT NOT NULL REFERENCES articles(id),
            kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
            similarity REAL NOT NULL,
            PRIMARY KEY (source, duplicate_id)
        );
        CREATE INDEX duplicates_kept ON duplicates(kept_id);
        """,
    ),
    (
        "extractions",
        """
        CREATE TABLE extractions (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            data TEXT NOT NULL,          -- JSON: Extraction.to_dict()
            model TEXT NOT NULL,         -- the spaCy pipeline that produced it
            extracted_at TEXT NOT NULL
        );
        CREATE TABLE statements (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            speaker TEXT,
            speaker_name TEXT,
            kind TEXT NOT NULL,
            cue TEXT,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            date TEXT
        );
        CREATE INDEX statements_article ON statements(article_id);
        CREATE INDEX statements_speaker ON statements(speaker_name);
        CREATE INDEX statements_date ON statements(date);
        """,
    ),
    (
        "link",
        """
        CREATE TABLE actors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            titles TEXT NOT NULL,          -- JSON list
            affiliation TEXT,
            seq INTEGER NOT NULL UNIQUE    -- creation order, for stable listings
        );
        CREATE TABLE actor_keys (
            key TEXT NOT NULL,             -- a normalized way of naming the actor (full name, surname, alias)
            actor_id TEXT NOT NULL REFERENCES actors(id),
            PRIMARY KEY (key, actor_id)
        );
        CREATE INDEX actor_keys_actor ON actor_keys(actor_id);
        CREATE TABLE actor_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id),
            local_id TEXT NOT NULL,        -- the actor id inside the article's extraction
            actor_id TEXT NOT NULL REFERENCES actors(id),
            name TEXT NOT NULL,            -- the name as extracted
            PRIMARY KEY (article_id, local_id)
        );
        CREATE INDEX actor_mentions_actor ON actor_mentions(actor_id);
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            text TEXT NOT NULL,            -- canonical wording
            statement_id TEXT NOT NULL,    -- the statement the wording comes from
            first_seen TEXT,               -- ISO date of the earliest dated statement
            first_article TEXT NOT NULL REFERENCES articles(id),
            subjects TEXT NOT NULL,        -- JSON list of actor ids
            centroid BLOB NOT NULL,        -- float32 unit vector, mean of the statements' embeddings
            stems TEXT NOT NULL,           -- JSON list of the canonical wording's word stems
            size INTEGER NOT NULL,
            seq INTEGER NOT NULL UNIQUE
        );
        CREATE TABLE claim_keys (
            key TEXT NOT NULL,             -- a blocking key: a subject actor or a word stem
            claim_id TEXT NOT NULL REFERENCES claims(id),
            PRIMARY KEY (key, claim_id)
        );
        CREATE INDEX claim_keys_claim ON claim_keys(claim_id);
        CREATE TABLE claim_statements (
            id TEXT PRIMARY KEY,           -- the statement id, or statement id + '>' + actor id for a reported stance
            claim_id TEXT NOT NULL REFERENCES claims(id),
            statement_id TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id),
            actor_id TEXT REFERENCES actors(id),
            speaker_name TEXT,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            date TEXT,                     -- ISO date, the statement's own or its article's
            stance TEXT NOT NULL CHECK (stance IN ('supports', 'contradicts', 'discusses')),
            stance_source TEXT NOT NULL,   -- what decided the stance: model, polarity, contrast, cue, reported, origin
            evidence TEXT NOT NULL,
            evidence_start INTEGER NOT NULL,
            evidence_end INTEGER NOT NULL,
            similarity REAL NOT NULL,
            reported INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX claim_statements_claim ON claim_statements(claim_id);
        CREATE INDEX claim_statements_article ON claim_statements(article_id);
        CREATE INDEX claim_statements_actor ON claim_statements(actor_id);
        CREATE TABLE linked_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            extracted_at TEXT NOT NULL,    -- the extraction that was linked: a newer one is linked again
            linked_at TEXT NOT NULL
        );
        """,
    ),
    (
        "full_text_search",
        # FTS5 indexes over external content, kept in step by triggers (as sqlite-utils' enable_fts with
        # create_triggers does), so search never needs a rebuild step; 'rebuild' indexes the rows already there.
        # Articles are keyed by their stable ``seq``; statements by their rowid (the ledger is never VACUUMed,
        # which is what could renumber it). Triggers add many small index segments and a query reads every
        # segment, so segments are merged as soon as two share a level (automerge 2, FTS5's default is 4).
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            headline, text, content='articles', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
        );
        INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 2);
        INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, headline, text) VALUES (new.seq, new.headline, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, headline, text)
            VALUES ('delete', old.seq, old.headline, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF seq, headline, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, headline, text)
            VALUES ('delete', old.seq, old.headline, old.text);
            INSERT INTO articles_fts(rowid, headline, text) VALUES (new.seq, new.headline, new.text);
        END;
        CREATE VIRTUAL TABLE statements_fts USING fts5(
            text, speaker_name, content='statements', content_rowid='rowid',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        INSERT INTO statements_fts(statements_fts, rank) VALUES ('automerge', 2);
        INSERT INTO statements_fts(statements_fts) VALUES ('rebuild');
        CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
            INSERT INTO statements_fts(rowid, text, speaker_name) VALUES (new.rowid, new.text, new.speaker_name);
        END;
        CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
            INSERT INTO statements_fts(statements_fts, rowid, text, speaker_name)
            VALUES ('delete', old.rowid, old.text, old.speaker_name);
        END;
        CREATE TRIGGER statements_fts_update AFTER UPDATE OF text, speaker_name ON statements BEGIN
            INSERT INTO statements_fts(statements_fts, rowid, text, speaker_name)
            VALUES ('delete', old.rowid, old.text, old.speaker_name);
            INSERT INTO statements_fts(rowid, text, speaker_name) VALUES (new.rowid, new.text, new.speaker_name);
        END;
        """,
    ),
    (
        "statement-negation",
        """
        -- 1 where the cue says it was not said ("declined to say whether"): reported, not asserted.
        ALTER TABLE statements ADD COLUMN negated INTEGER NOT NULL DEFAULT 0;
        """,
    ),
    (
        "ledger-truth",
        """
        -- A stable, readable id for each actor ("jens-stoltenberg"), resolved by the CLI, the API and the pages.
        ALTER TABLE actors ADD COLUMN slug TEXT;
        CREATE UNIQUE INDEX actors_slug ON actors(slug);
        -- How sure the stance call is (the stance model's probability of the stance it chose; 1 for the statement
        -- that words the claim), and whether the speaker is an unnamed source ("a senior U.S. official").
        ALTER TABLE claim_statements ADD COLUMN confidence REAL NOT NULL DEFAULT 1.0;
        ALTER TABLE claim_statements ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
        """,
    ),
    (
        "actor-lookup",
        """
        -- An actor is found by any name, case-insensitively ("/actors/Biden"): its name or a name it was filed under.
        CREATE INDEX actors_name ON actors(name COLLATE NOCASE);
        CREATE INDEX actor_mentions_name ON actor_mentions(name COLLATE NOCASE);
        """,
    ),
    (
        "ledger-meta",
        """
        -- What the ledger was linked with: dispute_confidence, the probability a contradiction needs to make a
        -- dispute, written by each link run from its settings (the stances' probabilities come from that run).
        CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
]


def _statements(sql: str) -> list[str]:
    """The SQL statements of a migration script, in order. A trigger body holds semicolons of its own, so pieces
    are joined until SQLite says the statement is complete (``executescript`` would commit the transaction)."""
    statements: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending)
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending)
    return statements


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, (name, sql) in enumerate(MIGRATIONS, 1):
        if version in done:
            continue
        with conn:
            conn.execute("BEGIN")
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
        applied.append(name)
    return applied


# --- PostgreSQL ---------------------------------------------------------------------------------------------------
# The same migrations, by the same versions and names, in PostgreSQL's dialect: one ``schema_migrations`` table and
# one history for both backends. Text compares and sorts by code point (COLLATE "C") as SQLite's does; ``end`` is
# quoted (a reserved word); statements get the ``rowid`` SQLite gives every table. Full-text search is a stored,
# generated tsvector per table with a GIN index, where SQLite has FTS5 tables and triggers.
_T = 'TEXT COLLATE "C"'

POSTGRES_MIGRATIONS: dict[str, str] = {
    "articles": f"""
        CREATE TABLE articles (
            id {_T} PRIMARY KEY,
            source {_T} NOT NULL,
            url {_T},
            outlet {_T},
            headline {_T},
            published {_T},
            section {_T},
            authors {_T} NOT NULL,
            language {_T},
            captions {_T} NOT NULL,
            related {_T} NOT NULL,
            text {_T} NOT NULL,
            blocks {_T} NOT NULL,
            text_hash {_T} NOT NULL UNIQUE,
            minhash BYTEA NOT NULL,
            seq BIGINT NOT NULL UNIQUE
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE duplicates (
            source {_T} NOT NULL,
            duplicate_id {_T} NOT NULL,
            kept_id {_T} NOT NULL REFERENCES articles(id),
            kind {_T} NOT NULL CHECK (kind IN ('exact', 'near')),
            similarity DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (source, duplicate_id)
        );
        CREATE INDEX duplicates_kept ON duplicates(kept_id);
        """,
    "extractions": f"""
        CREATE TABLE extractions (
            article_id {_T} PRIMARY KEY REFERENCES articles(id),
            data {_T} NOT NULL,
            model {_T} NOT NULL,
            extracted_at {_T} NOT NULL
        );
        CREATE TABLE statements (
            id {_T} PRIMARY KEY,
            article_id {_T} NOT NULL REFERENCES articles(id),
            speaker {_T},
            speaker_name {_T},
            kind {_T} NOT NULL,
            cue {_T},
            text {_T} NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            date {_T},
            rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
        );
        CREATE INDEX statements_article ON statements(article_id);
        CREATE INDEX statements_speaker ON statements(speaker_name);
        CREATE INDEX statements_date ON statements(date);
        """,
    "link": f"""
        CREATE TABLE actors (
            id {_T} PRIMARY KEY,
            name {_T} NOT NULL,
            kind {_T} NOT NULL,
            titles {_T} NOT NULL,
            affiliation {_T},
            seq BIGINT NOT NULL UNIQUE
        );
        CREATE TABLE actor_keys (
            key {_T} NOT NULL,
            actor_id {_T} NOT NULL REFERENCES actors(id),
            PRIMARY KEY (key, actor_id)
        );
        CREATE INDEX actor_keys_actor ON actor_keys(actor_id);
        CREATE TABLE actor_mentions (
            article_id {_T} NOT NULL REFERENCES articles(id),
            local_id {_T} NOT NULL,
            actor_id {_T} NOT NULL REFERENCES actors(id),
            name {_T} NOT NULL,
            PRIMARY KEY (article_id, local_id)
        );
        CREATE INDEX actor_mentions_actor ON actor_mentions(actor_id);
        CREATE TABLE claims (
            id {_T} PRIMARY KEY,
            text {_T} NOT NULL,
            statement_id {_T} NOT NULL,
            first_seen {_T},
            first_article {_T} NOT NULL REFERENCES articles(id),
            subjects {_T} NOT NULL,
            centroid BYTEA NOT NULL,
            stems {_T} NOT NULL,
            size INTEGER NOT NULL,
            seq BIGINT NOT NULL UNIQUE
        );
        CREATE TABLE claim_keys (
            key {_T} NOT NULL,
            claim_id {_T} NOT NULL REFERENCES claims(id),
            PRIMARY KEY (key, claim_id)
        );
        CREATE INDEX claim_keys_claim ON claim_keys(claim_id);
        CREATE TABLE claim_statements (
            id {_T} PRIMARY KEY,
            claim_id {_T} NOT NULL REFERENCES claims(id),
            statement_id {_T} NOT NULL,
            article_id {_T} NOT NULL REFERENCES articles(id),
            actor_id {_T} REFERENCES actors(id),
            speaker_name {_T},
            text {_T} NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            date {_T},
            stance {_T} NOT NULL CHECK (stance IN ('supports', 'contradicts', 'discusses')),
            stance_source {_T} NOT NULL,
            evidence {_T} NOT NULL,
            evidence_start INTEGER NOT NULL,
            evidence_end INTEGER NOT NULL,
            similarity DOUBLE PRECISION NOT NULL,
            reported INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX claim_statements_claim ON claim_statements(claim_id);
        CREATE INDEX claim_statements_article ON claim_statements(article_id);
        CREATE INDEX claim_statements_actor ON claim_statements(actor_id);
        CREATE TABLE linked_articles (
            article_id {_T} PRIMARY KEY REFERENCES articles(id),
            extracted_at {_T} NOT NULL,
            linked_at {_T} NOT NULL
        );
        """,
    # Weights: A for a headline (and a statement's words), B for an article's text (and a speaker's name); the
    # search gives them the proportions of FTS5's bm25 column weights. 'english': Snowball stems, stop words dropped.
    "full_text_search": """
        ALTER TABLE articles ADD COLUMN fts tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', COALESCE(headline, '')), 'A') || setweight(to_tsvector('english', text), 'B')
        ) STORED;
        CREATE INDEX articles_fts ON articles USING GIN (fts);
        ALTER TABLE statements ADD COLUMN fts tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', text), 'A') || setweight(to_tsvector('english', COALESCE(speaker_name, '')), 'B')
        ) STORED;
        CREATE INDEX statements_fts ON statements USING GIN (fts);
        """,
    "statement-negation": """
        ALTER TABLE statements ADD COLUMN negated INTEGER NOT NULL DEFAULT 0;
        """,
    "ledger-truth": """
        ALTER TABLE actors ADD COLUMN slug TEXT COLLATE "C";
        CREATE UNIQUE INDEX actors_slug ON actors(slug);
        ALTER TABLE claim_statements ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 1.0;
        ALTER TABLE claim_statements ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
        """,
    "actor-lookup": """
        CREATE INDEX actors_name ON actors(lower(name));
        CREATE INDEX actor_mentions_name ON actor_mentions(lower(name));
        """,
    "ledger-meta": f"""
        CREATE TABLE ledger_meta (key {_T} PRIMARY KEY, value {_T} NOT NULL);
        """,
}
assert list(POSTGRES_MIGRATIONS) == [name for name, _ in MIGRATIONS], "each migration needs both dialects"

# Held while migrating a PostgreSQL database, so that two processes opening a new one do not both create it.
MIGRATION_LOCK = 0x636C_6D00


def migrate_postgres(conn) -> list[str]:
    """Apply every migration not yet recorded to a PostgreSQL database (``conn``: a psycopg connection in autocommit
    mode), each in a transaction, under an advisory lock; returns the names applied."""
    applied = []
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, (name, _) in enumerate(MIGRATIONS, 1):
            if version in done:
                continue
            with conn.transaction():
                for statement in POSTGRES_MIGRATIONS[name].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                             (version, name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            applied.append(name)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return applied
