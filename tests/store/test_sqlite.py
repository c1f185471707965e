import os
import sqlite3
import stat

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from claimledger.jobs import ingest
from claimledger.store.migrations import MIGRATIONS
from claimledger.store.sqlite import SQLiteStore, StoreError

from databases import database_before
from paths import SAMPLES

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file())


def dump(path) -> list[tuple]:
    """Everything a user can read back, in a comparable form."""
    conn = sqlite3.connect(path)
    try:
        articles = conn.execute("SELECT id, source, url, outlet, headline, published, section, authors, language, "
                                "captions, related, text, blocks, text_hash, minhash, seq FROM articles "
                                "ORDER BY seq").fetchall()
        duplicates = conn.execute("SELECT * FROM duplicates ORDER BY source, duplicate_id").fetchall()
        return articles + duplicates
    finally:
        conn.close()


def test_new_database_has_wal_and_migrations(tmp_path):
    with SQLiteStore(tmp_path / "l.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = store.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
        assert [tuple(v) for v in versions] == [(i + 1, name) for i, (name, _) in enumerate(MIGRATIONS)]
    with SQLiteStore(tmp_path / "l.db") as store:  # reopening applies nothing twice
        assert store.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)


def test_sample_corpus_is_stored_with_duplicates_pointing_at_kept_articles(settings):
    with SQLiteStore(settings.db) as store:
        report = ingest([SAMPLES], store, settings)
        assert (report.stored, report.duplicates, len(report.rejected)) == (26, 2, 2)
        rows = store.conn.execute("SELECT d.kind, a.source FROM duplicates d JOIN articles a ON a.id = d.kept_id "
                                  "ORDER BY d.kind").fetchall()
        assert [(r[0], r[1]) for r in rows] == [("exact", "fnc1:2211"), ("near", "fnc1:432")]


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SAMPLE_FILES), min_size=1, max_size=6))
def test_reingest_adds_nothing(tmp_path_factory, files):
    from claimledger.config import load_settings

    db = tmp_path_factory.mktemp("db") / "l.db"
    settings = load_settings({}).with_overrides(db=str(db), batch_size=3)
    with SQLiteStore(db) as store:
        ingest(files, store, settings)
    before = dump(db)
    with SQLiteStore(db) as store:
        again = ingest(files, store, settings)
    assert again.stored == 0
    assert dump(db) == before


def test_missing_database_for_reading(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        SQLiteStore(tmp_path / "none.db", create=False)


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        SQLiteStore(path)
    assert path.read_text().startswith("these are my notes")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_file(settings, tmp_path):
    with SQLiteStore(settings.db) as store:
        ingest([SAMPLES / "text"], store, settings)
    before = dump(settings.db)
    os.chmod(settings.db, stat.S_IRUSR)
    with pytest.raises(StoreError, match="read-only"):
        with SQLiteStore(settings.db) as store:
            ingest([SAMPLES / "html"], store, settings)
    os.chmod(settings.db, stat.S_IRUSR | stat.S_IWUSR)
    assert dump(settings.db) == before


def test_locked_database_fails_cleanly_and_loses_nothing(settings):
    with SQLiteStore(settings.db) as store:
        ingest([SAMPLES / "text"], store, settings)
    before = dump(settings.db)
    locker = sqlite3.connect(settings.db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            with SQLiteStore(settings.db, timeout=0.2) as store:
                ingest([SAMPLES / "html"], store, settings)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert dump(settings.db) == before


def test_statements_stored_before_negation_was_recorded_read_as_asserted(tmp_path):
    path = tmp_path / "old.db"
    conn = database_before(path, "statement-negation")
    conn.execute("INSERT INTO articles (id, source, authors, captions, related, text, blocks, text_hash, minhash, seq) "
                 "VALUES ('a', 'old', '[]', '[]', '[]', 'The port reopens, the mayor said.', '[]', 'h', x'', 1)")
    conn.execute("INSERT INTO statements (id, article_id, speaker_name, kind, cue, text, start, end) "
                 "VALUES ('a:s1', 'a', 'the mayor', 'indirect', 'said', 'The port reopens', 0, 16)")
    conn.close()
    with SQLiteStore(path) as store:  # opening upgrades it
        rows = store.statements()
    assert [(r["text"], r["negated"]) for r in rows] == [("The port reopens", False)]
