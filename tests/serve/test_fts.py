"""Full-text search: the migration indexes what is already stored, triggers keep the index in step, and user
text can never break FTS5's query syntax."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from claimledger.models import Article, Extraction, Statement
from claimledger.store.fts import QueryError, SearchFilters, marked_snippet, match_expression, search
from claimledger.store.sqlite import SQLiteStore

from databases import database_before

sys.path.insert(0, str(Path(__file__).parent))
from serving import SEED_ID  # noqa: E402


def article(text: str, headline: str, published: str = "2024-05-01") -> Article:
    return Article.from_blocks("test", [("paragraph", text)], headline=headline, published=published,
                               outlet="Test Wire")


def extraction(item: Article, *spans: tuple[int, int], speaker: str = "Ana Ruiz") -> Extraction:
    return Extraction(item.id, statements=tuple(
        Statement(f"s{i}", "a1", speaker, "direct", "said", item.text[a:b], (a, b)) for i, (a, b) in
        enumerate(spans, 1)))


def store_articles(store: SQLiteStore, *articles: Article) -> None:
    store.write_batch([(a, a.id, b"") for a in articles], [])


def index_count(store: SQLiteStore, table: str, word: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (f'"{word}"',)).fetchone()[0]


def test_the_migration_indexes_rows_stored_before_it(tmp_path):
    path = tmp_path / "old.db"
    conn = database_before(path, "full_text_search")
    old = article("The harbour will reopen on Monday, the mayor said.", "Harbour to reopen")
    conn.execute("INSERT INTO articles (id, source, headline, published, authors, captions, related, text, blocks, "
                 "text_hash, minhash, seq) VALUES (?, 'old', ?, ?, '[]', '[]', '[]', ?, '[]', 'h', x'', 1)",
                 (old.id, old.headline, old.published, old.text))
    conn.execute("INSERT INTO statements (id, article_id, speaker_name, kind, text, start, end) "
                 "VALUES (?, ?, 'the mayor', 'indirect', 'The harbour will reopen on Monday', 0, 33)",
                 (old.id + ":s1", old.id))
    conn.close()
    with SQLiteStore(path) as store:  # opening upgrades it
        results, total = search(store.conn, "harbour")
        assert total == 2 and {r["type"] for r in results} == {"statement", "article"}
        assert store.conn.execute("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")


def test_triggers_follow_inserts_and_replaced_extractions(tmp_path):
    with SQLiteStore(tmp_path / "l.db") as store:
        first = article("Ana Ruiz said the bridge is unsafe. Engineers disagree.", "Bridge dispute")
        store_articles(store, first)
        assert index_count(store, "articles_fts", "bridge") == 1
        store.write_extractions([extraction(first, (14, 34))], "test")
        assert index_count(store, "statements_fts", "unsafe") == 1
        # Extracting again replaces the statements: the index forgets the old words and learns the new ones.
        store.write_extractions([extraction(first, (36, 55))], "test")
        assert index_count(store, "statements_fts", "unsafe") == 0
        assert index_count(store, "statements_fts", "engineers") == 1
        for table in ("articles_fts", "statements_fts"):
            store.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        store.conn.execute("DELETE FROM statements")
        store.conn.execute("DELETE FROM extractions")
        store.conn.execute("DELETE FROM articles")
        assert index_count(store, "articles_fts", "bridge") == index_count(store, "statements_fts", "engineers") == 0


def test_filters_ranking_and_escaped_snippets(tmp_path):
    with SQLiteStore(tmp_path / "l.db") as store:
        loud = article("Rain <script>alert(1)</script> rain rain, said Ana Ruiz about the rain.", "Rain rain rain",
                       published="2024-05-02")
        quiet = article("Some rain fell, the weather office said on Tuesday in a long statement about many "
                        "other things as well.", "Weather", published="2023-01-01")
        store_articles(store, loud, quiet)
        results, total = search(store.conn, "rain", kind="articles")
        assert total == 2 and results[0]["id"] == loud.id and results[0]["score"] <= results[1]["score"]
        assert "&lt;script&gt;" in results[0]["snippet"] and "<script>" not in results[0]["snippet"]
        assert "<mark>rain</mark>" in results[0]["snippet"].lower()
        dated, total = search(store.conn, "rain", SearchFilters(since="2024-01-01"), kind="articles")
        assert total == 1 and dated[0]["id"] == loud.id
        assert search(store.conn, "rain", SearchFilters(outlet="Elsewhere"))[1] == 0


def test_the_best_match_of_the_whole_ledger_comes_first_however_old(tmp_path):
    with SQLiteStore(tmp_path / "l.db") as store:
        # The best match is the oldest row, behind 1,200 newer weaker ones: ranking must reach it.
        best = article("The harvest, the harvest: a record harvest.", "Harvest festival", published="2001-01-01")
        store_articles(store, best)
        store_articles(store, *(article(f"Report {i} on many matters of the region, among them the harvest, roads, "
                                        f"schools, the weather and the council's budget for year {i}.", f"Report {i}")
                                for i in range(1200)))
        # Rows without the word, so that it is rare enough for bm25 to weigh it.
        store_articles(store, *(article(f"Notice {i}: roads closed.", f"Notice {i}") for i in range(1500)))
        ranked, total = search(store.conn, "harvest", kind="articles", limit=5)
        assert total == 1201 and len(ranked) == 5
        assert ranked[0]["id"] == best.id
        scores = [r["score"] for r in ranked]
        assert scores == sorted(scores) and scores[0] < scores[1]
        # Later pages continue the same order.
        page = search(store.conn, "harvest", kind="articles", limit=5, offset=3)[0]
        assert [r["id"] for r in page[:2]] == [r["id"] for r in ranked[3:]]


@hsettings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.text(max_size=40))
def test_any_user_text_is_a_valid_query_or_a_clear_refusal(text):
    conn = _index()
    try:
        expression = match_expression(text)
    except QueryError:
        assert not re.sub(r'[\x00-\x1f\x7f"]', " ", text).split()
        return
    conn.execute("SELECT COUNT(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


_CONN: list[sqlite3.Connection] = []


def _index() -> sqlite3.Connection:
    if not _CONN:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='porter unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO t VALUES ('NATO sees no signs of withdrawal: \"NEAR\" AND OR NOT *')")
        _CONN.append(conn)
    return _CONN[0]


@pytest.mark.parametrize("snippet, html", [
    ("a \x02b\x03 <c>", "a <mark>b</mark> &lt;c&gt;"),
    (None, ""),
    ("Tom & \"Jerry\"", "Tom &amp; \"Jerry\""),
])
def test_marked_snippets_are_escaped_html(snippet, html):
    assert marked_snippet(snippet) == html


def test_the_seed_article_is_found_by_its_statements(ledger):
    with SQLiteStore.reader(ledger) as store:
        results, total = search(store.conn, '"not seen any withdrawal"', kind="statements")
        assert total >= 1 and results[0]["article_id"] == SEED_ID
        assert results[0]["speaker_name"] == "Jens Stoltenberg"
        assert json.dumps(results)  # JSON-ready
