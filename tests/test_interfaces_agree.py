"""One set of names: the CLI's ``--format jsonl``, ``Ledger`` and the HTTP API give the same records, with the same
field names and values, for articles, statements, actors, claims, disputes and search, on the sample corpus
ingested, extracted and linked for real (the CLI as a process, the API in process through FastAPI's client)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from claimledger import Ledger
from claimledger.config import load_settings
from claimledger.serve.api import MAX_PAGE, create_app

# What the CLI and Ledger give that the API does not (yet). Exactly these: a field the API gains, or one that
# drifts apart, fails the test.
API_LACKS = {
    "article": {"captions", "related"},
    "claim": {"subjects"},
    # The API's timeline entries have no id of their own (statement_id repeats for a reported stance), no claim,
    # no ledger actor, and not what decided the stance or how sure it is.
    "timeline entry": {"id", "claim_id", "actor_id", "stance_source", "reported", "confidence", "anonymous"},
}


def cli(db: Path, *args: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", *args, "--db", str(db), "--format", "jsonl"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def api(sample_ledger: Path):
    with TestClient(create_app(load_settings({}).with_overrides(db=str(sample_ledger)))) as client:
        yield client


@pytest.fixture(scope="module")
def ledger(sample_ledger: Path):
    with Ledger(sample_ledger) as opened:
        yield opened


def every_page(api: TestClient, path: str, **params: object) -> list[dict]:
    """Every result of a paged API listing, page after page."""
    rows: list[dict] = []
    while True:
        response = api.get(path, params={**params, "limit": MAX_PAGE, "offset": len(rows)})
        assert response.status_code == 200, response.text
        page = response.json()
        rows += page["results"]
        if len(rows) >= page["total"]:
            assert len(rows) == page["total"]
            return rows


def without(record: dict, keys: set[str]) -> dict:
    return {k: v for k, v in record.items() if k not in keys}


def test_articles_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "articles")
    assert len(listed) == 26
    assert listed == [a.to_dict() for a in ledger.articles()] == every_page(api, "/api/articles")
    filtered = cli(sample_ledger, "articles", "--outlet", "al jazeera", "--since", "2014", "--until", "2019-11")
    assert filtered and filtered == [a.to_dict() for a in ledger.articles(outlet="AL JAZEERA", since="2014",
                                                                           until="2019-11")]
    assert filtered == every_page(api, "/api/articles", outlet="Al Jazeera", since="2014-01-01", until="2019-11-30")
    for number, summary in enumerate(listed):
        shown = ledger.article(summary["id"]).to_dict()
        if number < 3:  # a process each: a few are enough to show the CLI prints the Ledger's record
            assert cli(sample_ledger, "show", summary["id"][:8]) == [shown]
        from_api = api.get(f"/api/articles/{summary['id']}").json()
        assert set(shown) - set(from_api) == API_LACKS["article"] and not set(from_api) - set(shown)
        assert without(shown, API_LACKS["article"]) == from_api
        assert {k: shown[k] for k in summary if k != "statements"} == without(summary, {"statements"})
        assert summary["statements"] == len(shown["statements"])


def test_statements_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "statements")
    assert len(listed) > 200
    assert listed == [s.to_dict() for s in ledger.statements()] == every_page(api, "/api/statements")
    seed = "f0b6de449740328a"
    by_article = cli(sample_ledger, "statements", "--article", seed[:8], "--kind", "direct")
    assert by_article == [s.to_dict() for s in ledger.statements(article=seed, kind="direct")]
    assert by_article == every_page(api, "/api/statements", article=seed, kind="direct")
    by_speaker = cli(sample_ledger, "statements", "--speaker", "jens stoltenberg")
    assert by_speaker and by_speaker == [s.to_dict() for s in ledger.statements(speaker="JENS STOLTENBERG")]
    assert by_speaker == every_page(api, "/api/statements", actor="Jens Stoltenberg")


def test_actors_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "actors")
    assert len(listed) > 100
    assert listed == [a.to_dict() for a in ledger.actors()]
    # The API has no list of ledger actors (/api/actors lists speakers by the names statements give them), but
    # every ledger actor has a profile at its slug.
    for actor in listed:
        assert api.get("/api/actors/" + quote(actor["slug"], safe="")).status_code == 200, actor


@pytest.mark.xfail(strict=True, reason="API: /api/actors/{slug} looks the ledger actor up again by the speaker name "
                                       "it resolved the slug to (serve.pages.speaker_profile), and can report "
                                       "another actor's actor_id and slug (danladi-ahmadu gives ahmadu's)")
def test_actor_profiles_report_the_actor_their_slug_names(ledger, api):
    wrong = []
    for actor in ledger.actors():
        profile = api.get("/api/actors/" + quote(actor.slug, safe="")).json()
        if (profile["actor_id"], profile["slug"]) != (actor.actor_id, actor.slug):
            wrong.append((actor.slug, profile["slug"]))
    assert not wrong


def assert_claim_agrees(ours: dict, theirs: dict) -> None:
    """A claim of the CLI or Ledger (``to_dict``) and of ``/api/claims/{id}``: the same fields but those the API
    lacks, the same values, the same timeline entries."""
    assert set(ours) - set(theirs) == API_LACKS["claim"] and not set(theirs) - set(ours)
    assert without(ours, API_LACKS["claim"] | {"timeline"}) == without(theirs, {"timeline"})
    lacks = API_LACKS["timeline entry"]
    for entry, api_entry in zip(ours["timeline"], theirs["timeline"]):
        assert set(entry) - set(api_entry) == lacks and not set(api_entry) - set(entry)

    def entries(timeline: list[dict]) -> list[str]:  # the API's order breaks ties otherwise: compared as sets
        return sorted(json.dumps(without(e, lacks), sort_keys=True) for e in timeline)

    assert entries(ours["timeline"]) == entries(theirs["timeline"])


def test_claims_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "claims")
    assert len(listed) > 50
    claims = ledger.claims()
    assert listed == [c.summary().to_dict() for c in claims]
    from_api = {row["id"]: row for row in every_page(api, "/api/claims")}
    assert set(from_api) == {row["id"] for row in listed}
    for row in listed:
        assert without(row, API_LACKS["claim"]) == from_api[row["id"]]
    for number, claim in enumerate(claims):
        shown = claim.to_dict()
        if number < 3:
            assert cli(sample_ledger, "claim", claim.id[:7]) == [shown]
        assert_claim_agrees(shown, api.get(f"/api/claims/{claim.id}").json())


def test_disputes_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "disputes")
    assert listed, "linked at a dispute threshold of 0.1, the sample corpus has disputes"
    assert listed == [c.to_dict() for c in ledger.disputes()]
    from_api = every_page(api, "/api/claims", disputed="true")
    assert [row["id"] for row in from_api] == [row["id"] for row in listed]  # the surest, then the largest first
    for claim in listed:
        assert_claim_agrees(claim, api.get(f"/api/claims/{claim['id']}").json())


@pytest.mark.parametrize("query, params", [("NATO", {}), ("troops", {"type": "statements"}),
                                           ("Boko Haram", {"type": "articles", "since": "2014-10-01"})])
def test_search_agrees(ledger, api, query, params):
    response = api.get("/api/search", params={"q": query, **params, "limit": MAX_PAGE})
    assert response.status_code == 200
    from_api = response.json()["results"]
    ours = [r.to_dict() for r in ledger.search(query, **params, limit=MAX_PAGE)]
    assert from_api and len(ours) == len(from_api)
    for mine, theirs in zip(ours, from_api):
        # An article match leaves out the statement fields the API's schema gives as null; the Ledger's record
        # has them all, None, so that every row of a DataFrame has the same columns.
        assert all(mine[k] is None for k in set(mine) - set(theirs)) and not set(theirs) - set(mine)
        assert {k: mine[k] for k in theirs} == theirs
