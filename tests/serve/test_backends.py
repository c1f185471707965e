"""`claimledger serve --db postgresql://...` serves what it serves from SQLite: the same sample corpus, ingested,
extracted and linked by the real jobs into each backend, gives the same API records and the same pages.

The one documented difference is search (``store/fts_postgres.py``): PostgreSQL ranks by ``ts_rank`` and cuts
snippets with ``ts_headline``, so search results are compared without ``score`` and ``snippet``, as sets, and a
search page is compared by the results it links to.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from claimledger.serve.api import MAX_PAGE, create_app

sys.path.insert(0, str(Path(__file__).parent))
from serving import SAMPLES, settings_for  # noqa: E402

SEARCHES = [{"q": "troops"}, {"q": '"said"', "type": "statements"}, {"q": "NATO withdrawal", "type": "articles",
                                                                    "since": "2022"},
            {"q": "Ukraine", "outlet": "axios"}, {"q": "girls", "actor": "shekau"}]


@pytest.fixture(scope="module")
def clients(sample_ledger: Path, pg_sample_ledger: str):
    """An application over the SQLite sample ledger and one over its PostgreSQL copy."""
    with TestClient(create_app(settings_for(sample_ledger))) as lite, \
            TestClient(create_app(settings_for(pg_sample_ledger))) as pg:
        yield lite, pg


def get(client: TestClient, url: str, **params: object):
    response = client.get(url, params=params)
    assert response.status_code == 200, f"{url}: {response.text[:500]}"
    return response.json() if response.headers["content-type"].startswith("application/json") else response.text


def both(clients, url: str, **params: object) -> tuple:
    return tuple(get(client, url, **params) for client in clients)


def test_listings_give_the_same_records(clients):
    lite, _ = clients
    speakers = [row["name"] for row in get(lite, "/api/actors", limit=8)["results"]]
    claims = [row["id"] for row in get(lite, "/api/claims", limit=5)["results"]]
    assert speakers and claims
    urls = [("/api/articles", {"limit": MAX_PAGE}),
            ("/api/articles", {"outlet": "AL JAZEERA", "since": "2014", "until": "2019-11"}),
            ("/api/articles", {"actor": speakers[0]}),
            ("/api/statements", {"limit": MAX_PAGE}),
            ("/api/statements", {"kind": "direct", "offset": 3}),
            ("/api/statements", {"actor": speakers[1], "since": "2022-02"}),
            ("/api/actors", {"limit": MAX_PAGE}),
            ("/api/actors", {"q": "o", "offset": 2, "limit": 5}),
            ("/api/claims", {"limit": MAX_PAGE}),
            ("/api/claims", {"disputed": "true"}),
            ("/api/disputes", {"limit": MAX_PAGE}),
            *[(f"/api/actors/{quote(name)}", {}) for name in speakers],
            *[(f"/api/actors/{quote(name)}/statements", {}) for name in speakers[:3]],
            *[(f"/api/claims/{claim_id}", {}) for claim_id in claims],
            *[(f"/api/claims/{claim_id[:8]}/timeline", {"limit": 3}) for claim_id in claims[:2]]]
    for url, params in urls:
        on_sqlite, on_postgres = both(clients, url, **params)
        assert on_postgres == on_sqlite, (url, params)
    article_ids = [row["id"] for row in get(lite, "/api/articles", limit=MAX_PAGE)["results"]]
    for article_id in article_ids:
        on_sqlite, on_postgres = both(clients, f"/api/articles/{article_id}")
        assert on_postgres == on_sqlite, article_id


def _unranked(page: dict) -> tuple[int, dict]:
    """A search page's total and its records by (type, id), without what the backends rank and cut differently."""
    return page["total"], {(row["type"], row["id"]): {k: v for k, v in row.items() if k not in ("score", "snippet")}
                           for row in page["results"]}


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: p["q"])
def test_search_finds_the_same_records(clients, params):
    on_sqlite, on_postgres = both(clients, "/api/search", limit=MAX_PAGE, **params)
    assert on_sqlite["total"] <= MAX_PAGE  # the whole result set, so that ranking cannot pick another page
    assert _unranked(on_postgres) == _unranked(on_sqlite)
    assert all("<mark>" in row["snippet"] for row in on_postgres["results"] if row["type"] == "statement")
    scores = [row["score"] for row in on_postgres["results"]]
    assert scores == sorted(scores, reverse=True)  # higher is better, on both


def test_pages_are_the_same(clients):
    lite, _ = clients
    speakers = [row["name"] for row in get(lite, "/api/actors", limit=3)["results"]]
    claims = [row["id"] for row in get(lite, "/api/claims", limit=3)["results"]]
    disputes = [row["id"] for row in get(lite, "/api/disputes", limit=2)["results"]]
    articles = [row["id"] for row in get(lite, "/api/articles", limit=5)["results"]]
    urls = ["/", "/articles", "/actors", "/claims", "/disputes", *[f"/articles/{a}" for a in articles],
            *[f"/actors/{quote(name)}" for name in speakers], *[f"/claims/{c}" for c in claims + disputes]]
    for url in urls:
        on_sqlite, on_postgres = both(clients, url)
        assert on_postgres == on_sqlite, url
    on_sqlite, on_postgres = both(clients, "/search", q="troops")
    links = re.compile(r'href="(/(?:articles|actors)/[^"#]+)')
    assert sorted(links.findall(on_postgres)) == sorted(links.findall(on_sqlite))


def test_an_upload_is_stored_and_seen_by_the_cache_on_postgresql(pg_server):
    """Uploads go through the store's writes; every write bumps the ledger's data version, so that the search
    cached before the upload is not served after it."""
    from claimledger.jobs import ingest
    from claimledger.store import open_store

    url = pg_server.create_database()
    with open_store(url) as store:
        ingest([SAMPLES / "text"], store, settings_for(url))
    document = ("Ministers promise a quick recount\n\n"
                "The election board said on Monday that every ballot in the northern district would be counted "
                "again by hand before Friday, after observers reported missing seals on 40 ballot boxes.")
    with TestClient(create_app(settings_for(url), token="s3cret")) as client:
        assert get(client, "/api/search", q="recount ballot", type="articles")["total"] == 0  # now cached
        stored = client.post("/api/articles", files={"file": ("recount.txt", document.encode(), "text/plain")},
                             headers={"Authorization": "Bearer s3cret"})
        assert stored.status_code == 201, stored.text
        (article_id,) = stored.json()["stored"]
        assert get(client, f"/api/articles/{article_id}")["source"] == "upload:recount.txt"
        found = get(client, "/api/search", q="recount ballot", type="articles")
        assert [row["id"] for row in found["results"]] == [article_id]


def test_a_lost_postgresql_connection_is_reopened(pg_sample_ledger: str):
    """What a server restart does to the server threads' connections (PostgreSQL ends every session) does not
    leave the pages failing: the next request reconnects."""
    import psycopg

    with TestClient(create_app(settings_for(pg_sample_ledger))) as client:
        before = get(client, "/api/articles", limit=5)
        with psycopg.connect(pg_sample_ledger, autocommit=True) as admin:
            ended = admin.execute("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t").fetchone()
        assert ended[0] >= 1  # the app's connections were there, and are gone
        for _ in range(3):  # whichever thread answers, each reconnects
            assert get(client, "/api/articles", limit=5) == before
            assert get(client, "/api/statements", limit=3)["results"]
