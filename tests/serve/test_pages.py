"""The server-rendered pages over the sample ledger: what a reader sees without any script, and the claim, dispute
and actor pages once linking has filled its tables (the sample ledger linked with disputes)."""

from __future__ import annotations

import html as html_module
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from markupsafe import escape

from claimledger import Ledger
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
    # No claims until linking has run: the pages for them say so, and how to find them.
    assert "run <code>claimledger link</code>" in html and 'href="/disputes/' not in html
    for url in ("/claims", "/disputes"):
        assert "run <code>claimledger link</code>" in page(client, url)


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


@pytest.fixture(scope="module")
def disputed(sample_ledger: Path):
    """The pages over the sample corpus linked for real, with disputes; and the ledger's own records."""
    with TestClient(create_app(settings_for(sample_ledger))) as test_client, Ledger(sample_ledger) as ledger:
        yield test_client, ledger


def section(html: str, heading_id: str) -> str:
    """The markup of the section a heading with this id opens."""
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_every_page_has_one_navigation_that_says_where_you_are(disputed):
    client, ledger = disputed
    claim = ledger.disputes()[0]
    for url, current in [("/", "Home"), ("/articles", "Articles"), (f"/articles/{SEED_ID}", "Articles"),
                         ("/actors", "Actors"), ("/actors/Abubakar%20Shekau", "Actors"), ("/claims", "Claims"),
                         (f"/claims/{claim.id}", "Claims"), ("/disputes", "Disputes"),
                         (f"/disputes/{claim.id}", "Disputes"), ("/search?q=girls", "Search")]:
        nav = page(client, url).split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r'<a href="([^"]+)"', nav) == ["/", "/articles", "/actors", "/claims", "/disputes",
                                                         "/search"], url
        assert re.findall(r'aria-current="page">(\w+)<', nav) == [current], url


def test_home_counts_the_ledger_and_lists_the_newest_disputes(disputed):
    client, ledger = disputed
    html = page(client, "/")
    disputes = ledger.disputes()
    counts = dict((label, int(n)) for n, label in re.findall(r'<span class="n">(\d+)</span> (\w+)', html))
    assert counts["articles"] == len(ledger.articles()) and counts["statements"] == len(ledger.statements())
    assert counts["claims"] == len(ledger.claims()) and counts[
        "disputes" if len(disputes) != 1 else "dispute"] == len(disputes) > 0
    newest = section(html, "newest-disputes")
    listed = re.findall(r'href="/disputes/(\w+)"', newest)
    assert sorted(listed) == sorted(d.id for d in disputes)
    # The most recently argued first: the one whose supporters or contradictors spoke last.
    last = {d.id: max((e.date for e in d.timeline if e.date and e.stance != "discusses"), default="")
            for d in disputes}
    assert [last[i] for i in listed] == sorted(last.values(), reverse=True)
    for dispute in disputes:
        for entry in dispute.disputers():
            assert str(escape(entry.speaker_name)) in newest


def test_a_dispute_page_puts_the_two_sides_next_to_each_other(disputed):
    client, ledger = disputed
    for claim in ledger.disputes():
        html = page(client, f"/disputes/{claim.id}")
        assert str(escape(claim.text)) in html
        sides = {"supports": section(html, "supports"), "contradicts": section(html, "contradicts")}
        assert html.index('id="supports"') < html.index('id="contradicts"')
        for entry in claim.timeline:
            side = sides.get(entry.stance)
            if side is None:
                continue
            # Who, when, where, the words, and the source article with those words highlighted.
            entry_html = side.split(str(escape(entry.text)), 1)
            assert len(entry_html) == 2, entry.text
            assert str(escape(entry.speaker_name or "speaker unknown")) in side
            assert (entry.date or "undated") in side and str(escape(entry.outlet or "outlet unknown")) in side
            assert f'href="/articles/{entry.article_id}#s-{entry.statement_id.rsplit(":", 1)[1]}"' in side
        disputers = claim.disputers()
        assert sides["contradicts"].count("disputes it</span>") == len(disputers) > 0
    assert client.get("/disputes/Cnothing").status_code == 404


def test_a_claim_page_charts_its_stances_with_a_table_beside(disputed):
    client, ledger = disputed
    claim = next(c for c in ledger.disputes() if any(e.date for e in c.timeline if e.stance == "supports"))
    html = page(client, f"/claims/{claim.id}")
    svg = re.search(r'<svg class="stance-chart".*?</svg>', html, re.DOTALL).group(0)
    assert 'role="img" aria-labelledby="sc-title sc-desc"' in svg
    assert '<title id="sc-title">' in svg and '<desc id="sc-desc">' in svg
    dated = [e for e in claim.timeline if e.date and e.stance == "supports"]
    assert svg.count('<rect class="up"') == len({e.date for e in dated}) and '<rect class="down"' not in svg
    assert "1 undated that take a side" in svg  # the contradiction: its FNC-1 body has no date
    table = html.split('id="stance-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", table)
    assert rows[-1] == ("undated", "0", "1", "0")
    assert sum(int(r[1]) for r in rows) == claim.stances()["supports"]
    assert f'href="/disputes/{claim.id}"' in html
    assert client.get(f"/claims/{claim.id[:8]}").url.path == f"/claims/{claim.id}"  # a beginning redirects


def test_an_actor_page_lists_their_names_claims_and_the_claims_they_dispute(disputed):
    client, ledger = disputed
    html = page(client, "/actors/abubakar-shekau")
    assert "<h1>Abubakar Shekau</h1>" in html and "<dt>Also called</dt><dd>Shekau" in html
    profile = client.get("/api/actors/abubakar-shekau").json()
    theirs = section(html, "claims")
    for claim in profile["claims"]:
        if claim["stance"] == "supports":
            assert f'href="/claims/{claim["id"]}"' in theirs
    disputes = section(html, "disputes")
    disputed_by_him = [c for c in ledger.disputes() if any(e.speaker_name == "Abubakar Shekau"
                                                           for e in c.disputers())]
    assert disputed_by_him and re.findall(r'href="/disputes/(\w+)"', disputes) == [c.id for c in disputed_by_him]


def test_the_claims_list_marks_the_disputed_and_names_subjects(disputed):
    client, ledger = disputed
    html = page(client, "/claims")
    for claim in ledger.disputes():
        assert f'<a class="chip stance-contradicts" href="/disputes/{claim.id}">disputed</a>' in html
    listing = page(client, "/disputes")
    assert [m for m in re.findall(r'href="/disputes/(\w+)"', listing)] == [c.id for c in ledger.disputes()]
