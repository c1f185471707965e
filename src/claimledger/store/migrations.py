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
