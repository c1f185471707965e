"""One suite for every store backend (SQLite, PostgreSQL): the same writes give the same reads.

The PostgreSQL runs use a real server that ``tests/postgres.py`` starts; they skip where its binaries are absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimledger.config import load_settings
from claimledger.jobs import ingest
from claimledger.models import Extraction, Statement
from claimledger.store import Store, StoreError, open_store
from claimledger.store.fts import QueryError, SearchFilters
from claimledger.store.migrations import MIGRATIONS

from paths import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


def settings_for(url: str, **overrides):
    return load_settings({}).with_overrides(db=url, batch_size=5, workers=1, **overrides)


def articles_dump(store: Store) -> list[tuple]:
    """Every stored article as the readers see it, and its signature."""
    signatures = {article_id: (digest, minhash) for article_id, digest, minhash in store.signatures()}
    return [(a.to_dict(), signatures[a.id]) for a in store.iter_articles()]


def test_migrations_from_an_empty_database(store_url):
    with open_store(store_url) as store:
        assert isinstance(store, Store)
        assert store.count_articles() == 0
        for table in ("articles", "statements", "claims", "ledger_meta"):
            assert store.has_table(table)
        assert not store.has_table("no_such_table")
    with open_store(store_url) as store:  # reopening applies nothing twice
        assert store.count_articles() == 0
    versions = _migrations(store_url)
    assert versions == [(i + 1, name) for i, (name, _) in enumerate(MIGRATIONS)]


def test_an_older_ledger_is_upgraded_with_its_rows(store_url, tmp_path):
    """A ledger left by a release before full-text search, with an article and a statement in it, opens on either
    backend: the missing migration runs, and the old rows are searchable."""
    from databases import database_before, postgres_before

    rows = [("old:1", "The harbour will reopen on Monday, the mayor said.", "Harbour to reopen"),
            ("old:1:s1", "The harbour will reopen on Monday")]
    if store_url.startswith("sqlite:///"):
        conn, mark = database_before(Path(store_url[len("sqlite://"):]), "full_text_search"), "?"
    else:
        conn, mark = postgres_before(store_url, "full_text_search"), "%s"
    article_id, text, headline = rows[0]
    conn.execute("INSERT INTO articles (id, source, headline, published, authors, captions, related, text, blocks, "
                 f"text_hash, minhash, seq) VALUES ({mark}, 'old', {mark}, '2014-05-01', '[]', '[]', '[]', {mark}, "
                 f"'[]', 'h', {mark}, 1)", (article_id, headline, text, b""))
    end = '"end"' if mark == "%s" else "end"
    conn.execute(f"INSERT INTO statements (id, article_id, speaker_name, kind, text, start, {end}) "
                 f"VALUES ({mark}, {mark}, 'the mayor', 'indirect', {mark}, 0, 33)", (rows[1][0], article_id, rows[1][1]))
    conn.close()
    with open_store(store_url, create=False) as store:  # opening upgrades it
        results, total = store.search("harbour")
        assert total == 2 and {r["type"] for r in results} == {"statement", "article"}
        assert store.count_articles() == 1
    assert _migrations(store_url) == [(i + 1, name) for i, (name, _) in enumerate(MIGRATIONS)]


def _migrations(url: str) -> list[tuple[int, str]]:
    if url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite://"):])
        try:
            return [tuple(r) for r in conn.execute("SELECT version, name FROM schema_migrations ORDER BY version")]
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute("SELECT version, name FROM schema_migrations ORDER BY version")]


def test_a_missing_ledger_is_not_created_when_asked_not_to(store_url):
    with pytest.raises(StoreError, match="no such database"):
        open_store(store_url, create=False)


def test_ingest_stores_the_same_articles_on_every_backend(store_url, tmp_path):
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    results = []
    for url in (reference, store_url):
        with open_store(url) as store:
            report = ingest([SAMPLES], store, settings_for(url))
            assert (report.stored, report.duplicates, len(report.rejected)) == (26, 2, 2)
            results.append((articles_dump(store), store.count_articles(), store.outlets()))
    assert results[0] == results[1]
    with open_store(store_url) as store:  # ingesting again adds nothing
        again = ingest([SAMPLES], store, settings_for(store_url))
        assert again.stored == 0
        assert (articles_dump(store), store.count_articles(), store.outlets()) == results[0]


@pytest.fixture(scope="module")
def both_ledgers(sample_ledger, pg_sample_ledger):
    sqlite_store = open_store(sample_ledger, read_only=True)
    pg_store = open_store(pg_sample_ledger, read_only=True)
    yield sqlite_store, pg_store
    sqlite_store.close()
    pg_store.close()


READS = {
    # name: function of a store, on the linked sample corpus
    "count_articles": lambda s: s.count_articles(),
    "count_statements": lambda s: s.count_statements(),
    "count_claim_statements": lambda s: s.count_claim_statements(),
    "outlets": lambda s: s.outlets(),
    "speaker_names": lambda s: sorted(s.speaker_names()),
    "iter_articles": lambda s: [a.to_dict() for a in s.iter_articles(limit=5)],
    "unextracted_ids": lambda s: s.unextracted_ids(),
    "statements": lambda s: s.statements(),
    "statements_by_speaker": lambda s: s.statements(speaker="stolten"),
    "article_page": lambda s: s.article_page(limit=50),
    "article_page_filtered": lambda s: s.article_page(since="2022-01-01", until="2022-12-31", limit=10, offset=1),
    "statement_page": lambda s: s.statement_page(limit=200),
    "statement_page_chronological": lambda s: s.statement_page(chronological=True, since="2014", limit=200),
    "statement_page_kind": lambda s: s.statement_page(kind="direct", limit=20, offset=3),
    "actor_page": lambda s: s.actor_page(limit=100),
    "actor_page_name": lambda s: s.actor_page(name="o", limit=5, offset=2),
    "claim_page": lambda s: s.claim_page(limit=100),
    "claim_page_disputed": lambda s: s.claim_page(disputed=True, limit=100),
    "disputed_claim_ids": lambda s: s.disputed_claim_ids(),
    "claim_rows": lambda s: s.claim_rows(),
    "claim_rows_actor": lambda s: s.claim_rows(actor="a", since="2000"),
    "actor_rows": lambda s: s.actor_rows(),
    "dispute_confidence": lambda s: s.dispute_confidence(),
    "mention_names": lambda s: sorted(tuple(row) for row in s.mention_names()),
    "unlinked_articles": lambda s: s.unlinked_articles(),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(READS))
def test_reads_agree_on_the_linked_sample_corpus(both_ledgers, name):
    sqlite_store, pg_store = both_ledgers
    assert READS[name](pg_store) == READS[name](sqlite_store)


@pytest.mark.slow
def test_per_item_reads_agree(both_ledgers):
    sqlite_store, pg_store = both_ledgers
    names = [row["name"] for row in sqlite_store.actor_page(limit=15)[0]]
    assert names
    for name in names:
        for call in (lambda s: s.actor_profile(name), lambda s: s.speaker_mentions(name),
                     lambda s: sorted(s.actor_timeline(name), key=repr), lambda s: s.actor_claims(name),
                     lambda s: s.actor_linked_names(name), lambda s: s.find_actor(name),
                     lambda s: s.speaker_actors([name])):
            assert call(pg_store) == call(sqlite_store), name
    for actor in sqlite_store.actor_rows()[:15]:
        for call in (lambda s: s.actor_aliases(actor["id"]), lambda s: s.actor_article_count(actor["id"]),
                     lambda s: s.actor_speaker_names(actor["id"]), lambda s: s.find_actor(actor["slug"]),
                     lambda s: s.actor_names([actor["id"]]), lambda s: s.actor_exists(actor["id"])):
            assert call(pg_store) == call(sqlite_store), actor["id"]
    claims = [row["id"] for row in sqlite_store.claim_page(limit=15)[0]]
    for claim_id in claims:
        for call in (lambda s: s.claim_detail(claim_id), lambda s: s.find_claim(claim_id[:8]),
                     lambda s: sorted(s.claim_members([claim_id]), key=lambda r: r["id"]),
                     lambda s: s.claim_rows(claim_ids=[claim_id])):
            assert call(pg_store) == call(sqlite_store), claim_id
    for article in sqlite_store.iter_articles(limit=10):
        for call in (lambda s: s.get_article(article.id[:10]), lambda s: s.extraction(article.id),
                     lambda s: s.article_claims(article.id), lambda s: s.statements(article_id=article.id)):
            assert call(pg_store) == call(sqlite_store), article.id
        keys = ["nato", "russia", article.id]
        assert sorted(pg_store.actors_by_keys(keys), key=repr) == sorted(sqlite_store.actors_by_keys(keys), key=repr)


@pytest.mark.slow
def test_search_finds_the_same_rows(both_ledgers):
    sqlite_store, pg_store = both_ledgers
    for text, kind, filters in (("troops", "all", SearchFilters()), ('"said"', "statements", SearchFilters()),
                                ("NATO withdrawal", "articles", SearchFilters(since="2022-01-01")),
                                ("Ukraine", "all", SearchFilters(outlet="Axios"))):
        pg_rows, pg_total = pg_store.search(text, filters, kind, limit=200)
        lite_rows, lite_total = sqlite_store.search(text, filters, kind, limit=200)
        assert pg_total == pg_rows.__len__() or pg_total > 200
        assert {(r["type"], r["id"]) for r in pg_rows} == {(r["type"], r["id"]) for r in lite_rows}, text
        assert pg_total == lite_total
        assert all("<mark>" in r["snippet"] for r in pg_rows if r["type"] == "statement") or not pg_rows
        scores = [r["score"] for r in pg_rows]
        assert scores == sorted(scores)  # lower is better, as bm25 on SQLite
    with pytest.raises(QueryError):
        pg_store.search('  "" ')
    assert pg_store.search('NEAR( AND * "')[1] >= 0  # query syntax is searched for, never parsed


def test_extractions_and_links_round_trip(store_url, tmp_path):
    """Write paths of extract and link on each backend: replace, upsert, unlink."""
    with open_store(store_url) as store:
        ingest([SAMPLES / "text"], store, settings_for(store_url))
        ids = store.unextracted_ids()
        assert ids and list(store.read_articles(ids[:2]))[0].id == ids[0]
        said = Statement(id="s1", speaker="a1", speaker_name="Jens Stoltenberg", kind="direct", cue="said",
                         text="We will not withdraw", span=(0, 20), date="2022-02-16", negated=True)
        extraction = Extraction(article_id=ids[0], statements=(said,))
        store.write_extractions([extraction], "m")
        store.write_extractions([extraction], "m")  # again: replaced, not doubled
        assert store.extraction(ids[0])["statements"][0]["text"] == "We will not withdraw"
        rows = store.statements(article_id=ids[0])
        assert [(r["id"], r["span"], r["negated"], r["end"]) for r in rows] == [(f"{ids[0]}:s1", [0, 20], True, 20)]
        assert store.statement_page(speaker="Jens Stoltenberg")[1] == 1
        assert ids[0] not in store.unextracted_ids()
        extracted_at = store.unlinked_articles()[0][1]
        store.write_link(actors=[("A1", "Jens Stoltenberg", "person", "[]", None)],
                         actor_keys=[("stoltenberg", "A1")], mentions=[(ids[0], "a1", "A1", "Stoltenberg")],
                         claims=[], claim_keys=[], entries=[], linked=[(ids[0], extracted_at)],
                         meta={"dispute_confidence": 0.7})
        store.write_link(actors=[("A1", "Jens Stoltenberg", "person", '["Secretary General"]', "NATO")],
                         actor_keys=[("stoltenberg", "A1")], mentions=[(ids[0], "a1", "A1", "Stoltenberg")],
                         claims=[], claim_keys=[], entries=[], linked=[(ids[0], extracted_at)])
        assert store.find_actor("jens-stoltenberg")["titles"] == ["Secretary General"]
        assert store.find_actor("STOLTENBERG")["id"] == "A1"
        assert store.mention_actor(ids[0], "Stoltenberg") == ("A1", "Jens Stoltenberg")
        assert store.dispute_confidence() == 0.7
        assert store.unlinked_articles() == []
        store.mark_unlinked([ids[0]])
        assert store.unlinked_articles() == [(ids[0], extracted_at)]
        store.unlink_articles([ids[0]])
        assert list(store.mention_names()) == []


def test_a_readers_data_version_changes_when_another_handle_writes(store_url):
    """What the web server's caches compare (``ReadStore.data_version``): steady while nothing is written, changed
    by another handle's commit; and ``has_claims`` once linking has stored one."""
    with open_store(store_url) as writer:
        ingest([SAMPLES / "text"], writer, settings_for(store_url))
        reader = open_store(store_url, create=False, read_only=True)
        try:
            before = reader.data_version()
            assert reader.data_version() == before and not reader.has_claims()
            reader.count_articles()
            assert reader.data_version() == before  # reads change nothing
            ids = writer.unextracted_ids()
            said = Statement(id="s1", speaker="a1", speaker_name="Jens Stoltenberg", kind="direct", cue="said",
                             text="We will not withdraw", span=(0, 20))
            writer.write_extractions([Extraction(article_id=ids[0], statements=(said,))], "m")
            after = reader.data_version()
            assert after != before
            writer.write_link(actors=[("A1", "Jens Stoltenberg", "person", "[]", None)], actor_keys=[],
                              mentions=[], claims=[], claim_keys=[], entries=[], linked=[])
            assert reader.data_version() != after
        finally:
            reader.close()


@pytest.mark.slow
def test_has_claims_once_linked(both_ledgers, store_url):
    assert all(store.has_claims() for store in both_ledgers)
    with open_store(store_url) as empty:
        assert not empty.has_claims()


def _ledger_dump(url: str) -> list:
    with open_store(url, create=False) as store:
        return [articles_dump(store), store.article_page(limit=1000), store.statement_page(limit=10000)]


def _once_and_twice_at_once(pg_server, before: list[str], step: list[str], batch_size: str) -> tuple[str, str]:
    """Two new PostgreSQL ledgers, each prepared by the command ``before`` (if any); then ``step`` run once into
    the first and by two processes at once into the second. Returns their URLs."""
    env = {**os.environ, "CLAIMLEDGER_BATCH_SIZE": batch_size, "CLAIMLEDGER_WORKERS": "1"}
    cli = [sys.executable, "-m", "claimledger.cli"]
    one, shared = pg_server.create_database(), pg_server.create_database()
    for url in (one, shared) if before else ():
        done = subprocess.run([*cli, *before, "--db", url], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([*cli, *step, "--db", one], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    runs = [subprocess.Popen([*cli, *step, "--db", shared], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    return one, shared


@pytest.mark.slow
def test_two_ingests_at_once_give_the_ledger_of_one(pg_server):
    """Two ``claimledger ingest`` processes into one PostgreSQL database lose nothing and duplicate nothing."""
    one, shared = _once_and_twice_at_once(pg_server, [], ["ingest", str(SAMPLES)], "3")
    assert _ledger_dump(shared) == _ledger_dump(one)


@pytest.mark.slow
def test_two_extracts_at_once_give_the_ledger_of_one(pg_server):
    """Two ``claimledger extract`` processes over one PostgreSQL ledger extract each article once: the second
    waits for the first's lock, then finds nothing left to do."""
    one, shared = _once_and_twice_at_once(pg_server, ["ingest", str(SAMPLES / "text")], ["extract"], "2")

    def extractions(url: str) -> list:
        with open_store(url, create=False) as store:
            ids = sorted(row["id"] for row in store.article_page(limit=1000)[0])
            return [(article_id, store.extraction(article_id)) for article_id in ids]

    assert extractions(shared) == extractions(one)
    assert _ledger_dump(shared) == _ledger_dump(one)


@pytest.mark.slow
def test_two_links_at_once_give_the_ledger_of_one(pg_server):
    """Two ``claimledger link`` processes over one PostgreSQL ledger link each article once: the second waits for
    the first's lock, then finds nothing left to link; claims, stances and actors are those of one run."""
    one, shared = _once_and_twice_at_once(pg_server, ["extract", str(SAMPLES / "text")], ["link"], "3")

    def links(url: str) -> list:
        with open_store(url, create=False) as store:
            return [store.claim_rows(), sorted(store.actor_rows(), key=lambda row: row["id"]),
                    store.unlinked_articles(), store.claim_page(limit=1000)]

    linked = links(shared)
    assert linked == links(one)
    assert linked[0], "nothing was linked"
    assert not linked[2]


@pytest.mark.slow
def test_eval_ledger_scores_either_backend(sample_ledger, pg_sample_ledger):
    from claimledger.eval.ledger import evaluate

    labels = Path(__file__).resolve().parents[2] / "labels"
    on_sqlite, on_postgres = evaluate(sample_ledger, labels), evaluate(pg_sample_ledger, labels)
    assert on_postgres.pop("ledger").startswith("postgresql://") and on_sqlite.pop("ledger") == str(sample_ledger)
    assert on_postgres == on_sqlite
    assert on_postgres["claims"] and on_postgres["disputes"]
