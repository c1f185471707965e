"""One API: the CLI's ``--format jsonl``, ``Ledger`` and the HTTP API give the same records, with the same field
names and values, for articles, statements, actors, claims, timelines, disputes and search, and read their filters
the same way (outlets and names in any case, dates as years, months or days), on the sample corpus ingested,
extracted and linked for real (the CLI as a process, the API in process through FastAPI's client)."""

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


def test_articles_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "articles")
    assert len(listed) == 26
    assert listed == [a.to_dict() for a in ledger.articles()] == every_page(api, "/api/articles")
    filtered = cli(sample_ledger, "articles", "--outlet", "al jazeera", "--since", "2014", "--until", "2019-11")
    assert filtered and filtered == [a.to_dict() for a in ledger.articles(outlet="AL JAZEERA", since="2014",
                                                                           until="2019-11")]
    # The API reads the outlet in any case and dates as years, months or days, as the CLI and Ledger do.
    assert filtered == every_page(api, "/api/articles", outlet="Al Jazeera", since="2014-01-01", until="2019-11-30")
    assert filtered == every_page(api, "/api/articles", outlet="al jazeera", since="2014", until="2019-11")
    for number, summary in enumerate(listed):
        shown = ledger.article(summary["id"]).to_dict()
        if number < 3:  # a process each: a few are enough to show the CLI prints the Ledger's record
            assert cli(sample_ledger, "show", summary["id"][:8]) == [shown]
        assert api.get(f"/api/articles/{summary['id']}").json() == shown
        assert {k: shown[k] for k in summary if k != "statements"} == {k: v for k, v in summary.items()
                                                                        if k != "statements"}
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
    assert by_speaker == every_page(api, "/api/statements", actor="JENS STOLTENBERG")
    # A speaker named by their ledger actor's slug: every name their statements were filed under.
    shekau = ledger.actor("abubakar-shekau")
    assert shekau is not None
    by_slug = [s.to_dict() for s in ledger.statements(speaker=shekau.slug)]
    assert by_slug and by_slug == every_page(api, "/api/statements", actor=shekau.slug)
    in_2014 = [s.to_dict() for s in ledger.statements(since="2014", until="2014-10", outlet="fnc-1 SAMPLE feed")]
    assert in_2014 and in_2014 == every_page(api, "/api/statements", since="2014", until="2014-10",
                                             outlet="fnc-1 SAMPLE feed")


def test_actors_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "actors")
    assert len(listed) > 100
    assert listed == [a.to_dict() for a in ledger.actors()]
    # The API has no list of ledger actors (/api/actors lists speakers by the names statements give them), but
    # every ledger actor has a profile at its slug.
    for actor in listed:
        assert api.get("/api/actors/" + quote(actor["slug"], safe="")).status_code == 200, actor


def test_actor_profiles_report_the_actor_their_slug_names(ledger, api):
    wrong = []
    for actor in ledger.actors():
        profile = api.get("/api/actors/" + quote(actor.slug, safe="")).json()
        if (profile["actor_id"], profile["slug"]) != (actor.actor_id, actor.slug):
            wrong.append((actor.slug, profile["slug"]))
    assert not wrong
    # danladi-ahmadu is quoted as "Ahmadu", which is also the name of another actor: still he, not the other.
    ahmadu = api.get("/api/actors/danladi-ahmadu").json()
    assert ahmadu["slug"] == "danladi-ahmadu" and ahmadu["actor_id"] == ledger.actor("danladi-ahmadu").actor_id


def test_speakers_listed_name_the_actor_their_profile_names(ledger, api):
    speakers = every_page(api, "/api/actors")
    linked = [s for s in speakers if s["actor_id"]]
    assert len(linked) > len(speakers) / 2
    slugs = {a.actor_id: a.slug for a in ledger.actors()}
    for speaker in speakers:
        profile = api.get("/api/actors/" + quote(speaker["name"], safe="")).json()
        assert (profile["actor_id"], profile["slug"]) == (speaker["actor_id"], speaker["slug"]), speaker["name"]
        if speaker["actor_id"]:
            assert slugs[speaker["actor_id"]] == speaker["slug"]


def assert_claim_agrees(api: TestClient, ours: dict) -> None:
    """A claim of the CLI or Ledger (``to_dict``) is what ``/api/claims/{id}`` gives, and its timeline what
    ``/api/claims/{id}/timeline`` gives, page after page; by an unambiguous beginning of its id too."""
    assert api.get(f"/api/claims/{ours['id']}").json() == ours
    assert every_page(api, f"/api/claims/{ours['id']}/timeline") == ours["timeline"]
    assert api.get(f"/api/claims/{ours['id'][:9]}").json()["id"] == ours["id"]


def test_claims_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "claims")
    assert len(listed) > 50
    claims = ledger.claims()
    assert listed == [c.summary().to_dict() for c in claims]
    from_api = {row["id"]: row for row in every_page(api, "/api/claims")}
    assert set(from_api) == {row["id"] for row in listed}
    for row in listed:
        assert row == from_api[row["id"]]
    assert any(row["subjects"] for row in listed)
    for number, claim in enumerate(claims):
        shown = claim.to_dict()
        if number < 3:
            assert cli(sample_ledger, "claim", claim.id[:7]) == [shown]
        assert_claim_agrees(api, shown)


def test_disputes_agree(sample_ledger, ledger, api):
    listed = cli(sample_ledger, "disputes")
    assert listed, "linked at a dispute threshold of 0.1, the sample corpus has disputes"
    assert listed == [c.to_dict() for c in ledger.disputes()]
    from_api = every_page(api, "/api/claims", disputed="true")
    assert [row["id"] for row in from_api] == [row["id"] for row in listed]  # the surest, then the largest first
    assert every_page(api, "/api/disputes") == listed
    for claim in listed:
        assert_claim_agrees(api, claim)
    by_actor = cli(sample_ledger, "disputes", "--actor", "abubakar shekau")
    assert by_actor and by_actor == every_page(api, "/api/disputes", actor="abubakar shekau")


@pytest.mark.parametrize("query, params", [("NATO", {}), ("troops", {"type": "statements"}),
                                           ("Boko Haram", {"type": "articles", "since": "2014-10-01"})])
def test_search_agrees(ledger, api, query, params):
    response = api.get("/api/search", params={"q": query, **params, "limit": MAX_PAGE})
    assert response.status_code == 200
    from_api = response.json()["results"]
    ours = [r.to_dict() for r in ledger.search(query, **params, limit=MAX_PAGE)]
    assert from_api and len(ours) == len(from_api)
    assert ours == from_api  # article matches too have every field, the statement ones null
    # Scores are relevances: higher is better, the best first.
    scores = [r["score"] for r in ours]
    assert all(score > 0 for score in scores) and scores == sorted(scores, reverse=True)


def test_search_reads_outlet_and_speaker_in_any_case(ledger, api):
    mine = [r.to_dict() for r in ledger.search("girls", speaker="abubakar shekau", outlet="FNC-1 SAMPLE FEED")]
    theirs = api.get("/api/search", params={"q": "girls", "actor": "abubakar shekau",
                                            "outlet": "FNC-1 SAMPLE FEED"}).json()
    assert mine and theirs["results"] == mine and theirs["total"] == len(mine)
