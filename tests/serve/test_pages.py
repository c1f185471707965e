"""The server-rendered pages over the sample ledger: what a reader sees without any script, and the claim pages
once linking has filled its tables."""

from __future__ import annotations

import html as html_module
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimledger.serve.api import create_app

sys.path.insert(0, str(Path(__file__).parent))
from serving import SEED_ID, settings_for  # noqa: E402


@pytest.fixture(scope="module")
def client(ledger: Path):
    with TestClient(create_app(settings_for(ledger))) as test_client:
        yield test_client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_home_has_a_labelled_search_box_recent_articles_and_the_most_quoted(client):
    html = page(client, "/")
    assert re.search(r'<label for="q">[^<]+</label>', html) and 'id="q" type="search" name="q"' in html
    assert f'href="/articles/{SEED_ID}"' in html
    assert 'href="/actors/Jens%20Stoltenberg"' in html
    assert 'href="/claims"' not in html  # no claims until linking has run


def test_article_page_marks_every_statement_with_its_kind_and_speaker(client):
    html = page(client, f"/articles/{SEED_ID}")
    article = client.get(f"/api/articles/{SEED_ID}").json()
    for statement in article["statements"]:
        opening = re.search(rf'<span class="st k-(\w+)" id="s-{statement["id"]}" data-speaker="([^"]*)"', html)
        assert opening, statement
        assert opening.group(1) == statement["kind"]
        assert html_module.unescape(opening.group(2)) == (statement["speaker_name"] or "")
    assert html.count('class="who" href="/actors/Jens%20Stoltenberg"') == sum(
        s["speaker_name"] == "Jens Stoltenberg" for s in article["statements"])
    assert '<time class="date"' in html and '<data class="qty"' in html
    assert 'class="speaker" href="/actors/Jens%20Stoltenberg"' in html
    assert page(client, f"/articles/{SEED_ID[:10]}") == html  # a beginning of the id redirects to the page


def test_actor_page_has_profile_timeline_and_filtered_statements(client):
    html = page(client, "/actors/Abubakar%20Shekau")
    assert "<svg class=\"timeline\"" in html and "<title id=\"tl-title\">" in html
    assert html.count('<li>\n      <time') >= 3
    october = page(client, "/actors/Abubakar%20Shekau?since=2014-10-01&until=2014-10-31")
    assert 'datetime="2014-08' not in october.split('id="statements"')[1]
    # Each bar of the timeline links to its period's statements (a month or year said included).
    bars = re.findall(r'<a href="(/actors/Abubakar%20Shekau\?since=[^"]+)" aria-label="[^:]+: ([^"]+)"', html)
    assert bars
    for href, label in bars:  # "2014-10-17: 2 direct, 3 indirect"
        listed = page(client, html_module.unescape(href)).split('id="statements"')[1]
        assert listed.count('<li>\n      <time') == sum(int(n) for n in re.findall(r"\d+", label))
    assert client.get("/actors/Nobody%20Here").status_code == 404


def test_search_and_listing_pages(client):
    html = page(client, "/search?q=withdrawal")
    assert "<mark>" in html and f'href="/articles/{SEED_ID}#s-' in html
    assert "matches for" in html
    assert "the search text is empty" in page(client, "/search?q=%22%22")
    assert page(client, "/search").count('class="result"') == 0
    # The search form sends the fields left empty: they mean no filter.
    assert "<mark>" in page(client, "/search?q=troops&type=all&since=&until=&outlet=&actor=")
    assert client.get("/articles?since=someday").status_code == 422
    listing = page(client, "/articles?outlet=Al%20Jazeera")
    assert listing.count('<li><a href="/articles/') == 2
    assert "Jens Stoltenberg" in page(client, "/actors?q=stolten")


@pytest.fixture
def linked_client(writable_ledger: Path):
    """The sample ledger with one claim in the linking tables, as `claimledger link` writes them."""
    conn = sqlite3.connect(writable_ledger)
    rows = conn.execute("SELECT id, article_id, speaker_name, text, start, end FROM statements "
                        "WHERE article_id = ? AND speaker_name = 'Jens Stoltenberg' ORDER BY start LIMIT 2",
                        (SEED_ID,)).fetchall()
    conn.execute("INSERT INTO claims (id, text, statement_id, first_seen, first_article, subjects, centroid, stems, "
                 "size, seq) VALUES ('Ctest', ?, ?, '2022-02-16', ?, '[]', x'', '[]', 2, 1)",
                 (rows[0][3], rows[0][0], SEED_ID))
    for (statement_id, article_id, speaker, text, start, end), stance in zip(rows, ("supports", "contradicts")):
        conn.execute("INSERT INTO claim_statements (id, claim_id, statement_id, article_id, speaker_name, text, "
                     "start, end, date, stance, stance_source, evidence, evidence_start, evidence_end, similarity) "
                     "VALUES (?, 'Ctest', ?, ?, ?, ?, ?, ?, '2022-02-16', ?, 'test', ?, ?, ?, 1.0)",
                     (statement_id, statement_id, article_id, speaker, text, start, end, stance, text, start, end))
    conn.commit()
    conn.close()
    with TestClient(create_app(settings_for(writable_ledger))) as test_client:
        yield test_client


def test_claims_appear_once_linking_has_run(linked_client):
    assert 'href="/claims"' in page(linked_client, "/")
    claims = linked_client.get("/api/claims").json()
    assert claims["total"] == 1 and claims["results"][0]["supports"] == claims["results"][0]["contradicts"] == 1
    # One speaker on both sides is no dispute: a speaker's next sentence never disputes their last.
    assert linked_client.get("/api/claims", params={"disputed": True}).json()["total"] == 0
    assert "Disputed claims" in page(linked_client, "/claims?disputed=true")
    claim = linked_client.get("/api/claims/Ctest").json()
    assert [e["stance"] for e in claim["timeline"]] == ["supports", "contradicts"]
    html = page(linked_client, "/claims/Ctest")
    assert html.count('class="chip stance-') >= 2 and f'href="/articles/{SEED_ID}#s-s' in html
    assert 'href="/claims/Ctest"' in page(linked_client, f"/articles/{SEED_ID}")
    profile = linked_client.get("/api/actors/Jens Stoltenberg").json()
    assert sorted(c["stance"] for c in profile["claims"]) == ["contradicts", "supports"]
    assert 'href="/claims/Ctest"' in page(linked_client, "/actors/Jens%20Stoltenberg")


def test_an_ingested_address_becomes_a_link_only_if_it_is_a_web_one(writable_ledger):
    conn = sqlite3.connect(writable_ledger)
    conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = ?", (SEED_ID,))
    conn.commit()
    conn.close()
    with TestClient(create_app(settings_for(writable_ledger))) as test_client:
        html = page(test_client, f"/articles/{SEED_ID}")
    assert "javascript:" not in html
