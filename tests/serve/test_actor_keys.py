"""A ledger actor is found by any of its keys: slug, id, name, or any name it was filed under, case-insensitively,
in the API and the pages (``/actors/Biden`` and ``/actors/{slug}``), on the sample corpus linked for real."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimledger.serve.api import create_app
from claimledger.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).parent))
from serving import settings_for  # noqa: E402


@pytest.fixture(scope="module")
def linked(linked_ledger: Path):
    with TestClient(create_app(settings_for(linked_ledger)), raise_server_exceptions=False) as client:
        yield client


def test_biden_is_found_by_surname_slug_and_any_case(linked, linked_ledger):
    with SQLiteStore.reader(linked_ledger) as store:
        biden = store.find_actor("Biden")
        assert biden is not None and biden["kind"] == "person"
        assert store.find_actor("biden")["id"] == store.find_actor(biden["slug"])["id"] == biden["id"]
        assert store.find_actor(biden["id"])["id"] == biden["id"]
        assert store.find_actor("Nobody Atall") is None
    for key in ("Biden", biden["slug"], "BIDEN"):
        profile = linked.get(f"/api/actors/{key}")
        assert profile.status_code == 200, (key, profile.text)
        assert profile.json()["slug"] == biden["slug"]
        page = linked.get(f"/actors/{key}")
        assert page.status_code == 200 and "Biden" in page.text
    assert linked.get("/api/actors/Nobody%20Atall").status_code == 404


def test_every_actor_has_a_unique_slug_that_resolves_to_it(linked_ledger):
    with SQLiteStore.reader(linked_ledger) as store:
        rows = store.actor_rows()
        slugs = [row["slug"] for row in rows]
        assert all(slugs) and len(set(slugs)) == len(slugs)
        for row in rows[:40]:
            assert store.find_actor(row["slug"])["id"] == row["id"]
            for alias in row["aliases"][:2]:
                assert store.find_actor(alias) is not None
