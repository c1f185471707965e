"""The JSON API over a real ledger of the sample corpus: listings, one article, speakers, search, errors, upload."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimledger.serve.api import MAX_PAGE, create_app
from claimledger.serve.schemas import SearchResult
from claimledger.models import Article
from claimledger.store.sqlite import SQLiteStore, StoreError

sys.path.insert(0, str(Path(__file__).parent))
from serving import SAMPLES, SEED_ID, settings_for  # noqa: E402

STOLTENBERG = "Jens Stoltenberg"


@pytest.fixture(scope="module")
def client(ledger: Path):
    with TestClient(create_app(settings_for(ledger)), raise_server_exceptions=False) as test_client:
        yield test_client


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def test_articles_are_paged_with_a_total_and_filtered(client):
    everything = ok(client.get("/api/articles", params={"limit": MAX_PAGE}))
    assert everything["total"] == len(everything["results"]) == 26
    first = ok(client.get("/api/articles", params={"limit": 5}))
    second = ok(client.get("/api/articles", params={"limit": 5, "offset": 5}))
    assert first["total"] == second["total"] == 26
    assert [a["id"] for a in first["results"] + second["results"]] == [a["id"] for a in everything["results"][:10]]
    dated = [a["published"] for a in everything["results"] if a["published"]]
    assert dated == sorted(dated, reverse=True)
    outlet = ok(client.get("/api/articles", params={"outlet": "Al Jazeera"}))
    assert outlet["total"] == 2 and all(a["outlet"] == "Al Jazeera" for a in outlet["results"])
    days = ok(client.get("/api/articles", params={"since": "2019-11-19", "until": "2019-11-20"}))
    assert days["total"] == 4 and all("2019-11-19" <= a["published"][:10] <= "2019-11-20" for a in days["results"])
    quoting = ok(client.get("/api/articles", params={"actor": STOLTENBERG}))
    assert [a["id"] for a in quoting["results"]] == [SEED_ID]


def test_one_article_has_its_blocks_and_every_fact_with_offsets(client):
    article = ok(client.get(f"/api/articles/{SEED_ID}"))
    text = article["text"]
    assert article["headline"] == "NATO sees no signs of Russia's troop withdrawal near Ukraine"
    assert article["extracted"] and article["blocks"]
    for block in article["blocks"]:
        assert text[block["start"]:block["end"]] == block["text"]
    assert {s["speaker_name"] for s in article["statements"]} >= {STOLTENBERG}
    for statement in article["statements"]:
        assert text[statement["span"][0]:statement["span"][1]] == statement["text"]
    for key in ("dates", "quantities"):
        assert article[key]
        for fact in article[key]:
            assert text[fact["span"][0]:fact["span"][1]] == fact["text"]
    assert ok(client.get(f"/api/articles/{SEED_ID[:8]}"))["id"] == SEED_ID  # an unambiguous beginning will do


def test_statements_filter_by_speaker_and_kind(client):
    page = ok(client.get("/api/statements", params={"actor": STOLTENBERG, "kind": "direct"}))
    assert page["total"] == len(page["results"]) >= 2
    assert all(s["speaker_name"] == STOLTENBERG and s["kind"] == "direct" for s in page["results"])
    by_article = ok(client.get("/api/statements", params={"article": SEED_ID, "limit": MAX_PAGE}))
    starts = [s["span"][0] for s in by_article["results"]]
    assert starts == sorted(starts) and by_article["total"] == len(starts)
    # "It did not disclose how many troops ...": listed, marked as not asserted.
    assert [(s["speaker_name"], s["cue"]) for s in by_article["results"] if s["negated"]] == [
        ("Russia", "did not disclose")]


def test_speakers_with_counts_profile_and_statements_over_time(client):
    actors = ok(client.get("/api/actors", params={"limit": MAX_PAGE}))
    counts = [a["statements"] for a in actors["results"]]
    assert counts == sorted(counts, reverse=True)
    stoltenberg = next(a for a in actors["results"] if a["name"] == STOLTENBERG)
    assert stoltenberg["articles"] == 1 and stoltenberg["statements"] >= 3
    assert ok(client.get("/api/actors", params={"q": "stoltenb"}))["results"][0]["name"] == STOLTENBERG
    profile = ok(client.get(f"/api/actors/{STOLTENBERG}"))
    assert "Secretary General" in profile["titles"] and "NATO" in profile["affiliations"]
    assert "Stoltenberg" in profile["aliases"] and profile["kind"] == "person"
    assert sum(profile["kinds"].values()) == profile["statements"] == stoltenberg["statements"]
    timeline = ok(client.get(f"/api/actors/{STOLTENBERG}/statements"))
    assert timeline["total"] == profile["statements"]
    assert all(s["said"] == "2022-02-16" for s in timeline["results"])
    shekau = ok(client.get("/api/actors/Abubakar Shekau/statements", params={"limit": MAX_PAGE}))
    said = [s["said"] for s in shekau["results"] if s["said"]]
    assert said == sorted(said)


def test_speakers_are_listed_with_their_other_names_as_on_their_profile(client):
    actors = ok(client.get("/api/actors", params={"limit": MAX_PAGE}))["results"]
    by_name = {a["name"]: a for a in actors}
    assert by_name[STOLTENBERG]["aliases"] == ["Stoltenberg"]
    # Mentions by pronoun ("He said") are not other names, nor is the name itself.
    assert "Shekau" in by_name["Abubakar Shekau"]["aliases"] and "He" not in by_name["Abubakar Shekau"]["aliases"]
    for actor in actors[:15]:
        assert actor["name"] not in actor["aliases"]
        assert actor["aliases"] == ok(client.get(f"/api/actors/{actor['name']}"))["aliases"]
    assert ok(client.get("/api/actors", params={"q": "stoltenb"}))["results"][0]["aliases"] == ["Stoltenberg"]


def test_speakers_list_the_names_linking_filed_them_under(linked_ledger):
    with TestClient(create_app(settings_for(linked_ledger))) as linked:
        bale = ok(linked.get("/api/actors", params={"q": "Christian Bale"}))["results"][0]
        # "Bale" names him in his own articles; "Chris Bale" is how another article named the actor that linking
        # found to be him.
        assert bale["name"] == "Christian Bale" and bale["aliases"][0] == "Bale" and "Chris Bale" in bale["aliases"]
        assert bale["aliases"] == ok(linked.get("/api/actors/Christian Bale"))["aliases"]
        html = linked.get("/actors", params={"q": "Bale"}).text
        assert "Chris Bale" in html


def test_search_ranks_with_bm25_and_marks_snippets(client):
    found = ok(client.get("/api/search", params={"q": "withdrawal"}))
    assert found["total"] >= len(found["results"]) > 0
    scores = [r["score"] for r in found["results"]]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0  # a relevance: minus bm25, higher is better
    for result in found["results"]:  # every field of the schema, the statement ones null for an article
        assert set(result) == set(SearchResult.model_fields)
        if result["type"] == "article":
            assert all(result[k] is None for k in ("speaker_name", "kind", "cue", "text", "span", "date"))
    assert all("<mark>" in r["snippet"] for r in found["results"] if r["type"] == "statement")
    assert any(r["article_id"] == SEED_ID for r in found["results"])
    statement = next(r for r in found["results"] if r["type"] == "statement" and r["article_id"] == SEED_ID)
    article = ok(client.get(f"/api/articles/{SEED_ID}"))
    assert article["text"][statement["span"][0]:statement["span"][1]] == statement["text"]
    articles_only = ok(client.get("/api/search", params={"q": "withdrawal", "type": "articles"}))
    assert articles_only["results"] and {r["type"] for r in articles_only["results"]} == {"article"}
    phrase = ok(client.get("/api/search", params={"q": '"pulling back"', "type": "statements"}))
    assert phrase["total"] >= 1 and all("pulling back" in r["text"] for r in phrase["results"])


def test_search_ranks_the_whole_ledger_not_only_its_newest_matches(writable_ledger):
    # 1,100 articles newer than the seed, each naming a withdrawal once in passing in a long text (and 1,300 that
    # do not, so the word stays rare enough to weigh): the seed, whose headline is about it, still comes first.
    passing = " ".join(f"The council discussed item {n} on roads, schools and budgets." for n in range(12))
    filler = [Article.from_blocks("load", [("paragraph", f"Bulletin {i}. {passing} A withdrawal of funds was "
                                                       "noted.")], headline=f"Council bulletin {i}",
                                  published="2023-01-01") for i in range(1100)]
    filler += [Article.from_blocks("load", [("paragraph", f"Notice {i}: roads closed.")], headline=f"Notice {i}",
                                   published="2023-01-02") for i in range(1300)]
    with SQLiteStore(writable_ledger) as store:
        store.write_batch([(a, a.id, b"") for a in filler], [])
    with TestClient(create_app(settings_for(writable_ledger))) as fresh:
        found = ok(fresh.get("/api/search", params={"q": "withdrawal", "type": "articles", "limit": 3}))
        assert found["total"] > 1100
        assert found["results"][0]["id"] == SEED_ID


def test_search_pages_and_filters_agree_with_the_whole_list(client):
    whole = ok(client.get("/api/search", params={"q": "Boko Haram", "limit": MAX_PAGE}))
    assert whole["total"] == len(whole["results"]) > 6
    pages = [ok(client.get("/api/search", params={"q": "Boko Haram", "limit": 3, "offset": o}))
             for o in (0, 3)]
    assert [(r["type"], r["id"]) for p in pages for r in p["results"]] == \
        [(r["type"], r["id"]) for r in whole["results"][:6]]
    feed = ok(client.get("/api/search", params={"q": "Boko Haram", "outlet": "FNC-1 sample feed"}))
    assert 0 < feed["total"] < whole["total"] and all(r["outlet"] == "FNC-1 sample feed" for r in feed["results"])
    said = ok(client.get("/api/search", params={"q": "girls", "actor": "Abubakar Shekau"}))
    assert said["results"] and all(r["speaker_name"] == "Abubakar Shekau" for r in said["results"])
    early = ok(client.get("/api/search", params={"q": "withdrawal", "until": "2020-01-01"}))
    assert all(r["article_id"] != SEED_ID for r in early["results"])


@pytest.mark.parametrize("query", ['NEAR(', '"', 'troops"', "AND", "a OR", "*", "col:umn", "^start", "-x", "((",
                                   "nato\x00", "\x02mark\x03"])
def test_search_syntax_in_user_text_is_searched_for_not_parsed(client, query):
    response = client.get("/api/search", params={"q": query})
    assert response.status_code in (200, 422), response.text
    assert "detail" in response.json() or "results" in response.json()


@pytest.mark.parametrize("url, status", [
    (f"/api/articles/{'0' * 16}", 404),
    ("/api/actors/Nobody At All", 404),
    ("/api/actors/Nobody At All/statements", 404),
    ("/api/claims/nope", 404),
    ("/api/nowhere", 404),
    ("/api/articles?limit=100000", 422),
    (f"/api/search?q=withdrawal&limit={MAX_PAGE + 1}", 422),
    ("/api/articles?limit=0", 422),
    ("/api/articles?offset=-1", 422),
    ("/api/articles?limit=ten", 422),
    ("/api/articles?since=yesterday", 422),
    ("/api/articles?since=2022-02-30", 422),
    ("/api/articles?since=2022-13", 422),
    ("/api/articles?since=0000", 422),
    ("/api/articles?since=1700000000", 422),
    ("/api/articles?since=20220216", 422),
    ("/api/articles?since=2022-03-01&until=2022-02-01", 422),
    ("/api/articles?since=2022-03&until=2022-02-28", 422),
    ("/api/statements?article=0000000000000000", 404),
    ("/api/disputes", 404),
    ("/api/claims/nope/timeline", 404),
    ("/api/statements?kind=shouted", 422),
    ("/api/search", 422),
    ("/api/search?q=", 422),
    ("/api/search?q=%20%20", 422),
    ("/api/search?q=x&type=people", 422),
])
def test_bad_requests_are_json_errors_with_the_right_status(client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert detail and "\n" not in detail and "Traceback" not in response.text


def test_dates_may_be_years_months_or_days_and_filters_any_case(client):
    everything = ok(client.get("/api/articles", params={"limit": MAX_PAGE}))["results"]
    for since, until, first, last in [("2019", "2019", "2019-01-01", "2019-12-31"),
                                      ("2019-11", "2019-11", "2019-11-01", "2019-11-30"),
                                      ("2019-11-19", "2019-11-20", "2019-11-19", "2019-11-20")]:
        found = ok(client.get("/api/articles", params={"since": since, "until": until, "limit": MAX_PAGE}))
        expected = [a for a in everything if a["published"] and first <= a["published"][:10] <= last]
        assert found["results"] == expected and found["total"] == len(expected) > 0, (since, until)
    assert ok(client.get("/api/articles", params={"outlet": "AL JAZEERA"}))["total"] == 2
    shekau = ok(client.get("/api/actors/abubakar shekau/statements", params={"since": "2014-10", "until": "2014-10",
                                                                             "limit": MAX_PAGE}))
    assert shekau["total"] and all(s["said"].startswith("2014-10") for s in shekau["results"])
    assert ok(client.get("/api/statements", params={"actor": "JENS STOLTENBERG"}))["total"] >= 3
    assert ok(client.get("/api/search", params={"q": "girls", "actor": "abubakar SHEKAU"}))["total"] >= 1


def test_openapi_documents_every_field_and_parameter(client):
    spec = ok(client.get("/openapi.json"))
    undocumented = [f"{name}.{field}" for name, schema in spec["components"]["schemas"].items()
                    if name not in ("HTTPValidationError", "ValidationError") and not name.startswith("Body_")
                    for field, prop in schema.get("properties", {}).items() if not prop.get("description")]
    assert not undocumented
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (method, path, parameter["name"])
    assert {"/api/disputes", "/api/claims/{claim_id}/timeline"} <= set(spec["paths"])
    since = next(p for p in spec["paths"]["/api/articles"]["get"]["parameters"] if p["name"] == "since")
    assert "2022-02" in since["description"]


def test_pages_answer_html_errors(client):
    response = client.get(f"/articles/{'0' * 16}")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "no article with id" in response.text
    assert client.get("/articles?page=0").status_code == 422


def test_openapi_documents_the_endpoints(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    # The docs page's scripts are served from here, not a CDN the network may not reach.
    scripts = [s for s in docs.text.split('"') if s.endswith(".js")]
    assert scripts and all(s.startswith("/") for s in scripts)
    assert all(client.get(s).status_code == 200 for s in scripts)
    paths = ok(client.get("/openapi.json"))["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/search", "/api/actors",
            "/api/statements"} <= set(paths)
    assert "post" in paths["/api/articles"]


def test_a_missing_database_is_refused_at_start_up(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        create_app(settings_for(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists()
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(tmp_path / "missing.db")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "missing.db: no such database" in result.stderr
    assert "Traceback" not in result.stderr


def test_upload_is_refused_without_a_configured_token(client):
    with open(SAMPLES / "text" / "fnc1-1157.txt", "rb") as handle:
        response = client.post("/api/articles", files={"file": ("a.txt", handle, "text/plain")})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


def test_upload_with_the_token_ingests_through_the_readers(writable_ledger):
    document = ("Ministers promise a quick recount\n\n"
                "The election board said on Monday that every ballot in the northern district would be counted "
                "again by hand before Friday, after observers reported missing seals on 40 ballot boxes.")
    with TestClient(create_app(settings_for(writable_ledger), token="s3cret")) as client:
        before = ok(client.get("/api/search", params={"q": "recount ballot", "type": "articles"}))
        assert before["total"] == 0  # and now that answer sits in the search cache
        files = {"file": ("recount.txt", document.encode(), "text/plain")}
        assert client.post("/api/articles", files=files).status_code == 401
        wrong = client.post("/api/articles", files=files, headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        stored = client.post("/api/articles", files=files, headers={"Authorization": "Bearer s3cret"})
        assert stored.status_code == 201, stored.text
        (article_id,) = stored.json()["stored"]
        article = ok(client.get(f"/api/articles/{article_id}"))
        assert article["headline"] == "Ministers promise a quick recount"
        assert article["source"] == "upload:recount.txt" and not article["extracted"]
        # The search index follows inserts by itself (no rebuild step) and the cache notices the change.
        found = ok(client.get("/api/search", params={"q": "recount ballot", "type": "articles"}))
        assert [r["id"] for r in found["results"]] == [article_id]
        again = client.post("/articles", files=files, headers={"Authorization": "Bearer s3cret"})
        assert again.status_code == 201 and again.json()["duplicates"][0]["kept_id"] == article_id
        empty = client.post("/api/articles", files={"file": ("e.txt", b"", "text/plain")},
                            headers={"Authorization": "Bearer s3cret"})
        assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    small = settings_for(writable_ledger).with_overrides(max_document_mb=0.001)
    with TestClient(create_app(small, token="s3cret")) as client:
        big = client.post("/api/articles", files={"file": ("big.txt", b"word " * 1000, "text/plain")},
                          headers={"Authorization": "Bearer s3cret"})
        assert big.status_code == 413 and "big.txt" in big.json()["detail"]
