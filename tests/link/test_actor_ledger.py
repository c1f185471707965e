"""Ledger actors on real articles: PolNeAR political news ingested, extracted and resolved into a real SQLite
ledger (actors only: the claim half of linking is not needed here), and the seed ledger linked for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ledgers import SHARED_DATA  # noqa: E402

from claimledger import Ledger  # noqa: E402
from claimledger.config import load_settings  # noqa: E402
from claimledger.eval.ledger_actors import actor_figures, link_actors  # noqa: E402
from claimledger.jobs import extract, ingest  # noqa: E402
from claimledger.link.actors import normalize_name  # noqa: E402
from claimledger.store.sqlite import SQLiteStore  # noqa: E402

POLNEAR = SHARED_DATA / "polnear" / "train" / "text"
# Donald J. Trump and Donald Trump Jr.; Barack Obama (tagged an organization), "Obama" and "Mr. Obama" (a group)
# in one article; Hillary Clinton with and without titles; AP alone, and AP beside the Associated Press.
ARTICLES = ["nyt_2016-07-21_amid-discord-trump-claims-nomina.txt",
            "nyt_2016-01-14_america-the-shiny-or-gloomy-obam.txt",
            "breitbart_2015-11-16_o-malley-campaign-to-shift-staff.txt",
            "breitbart_2016-02-08_lynch-no-outside-influence-on-fb.txt",
            "nyt_2016-02-01_with-wall-st-center-stage-novel-.txt"]


@pytest.fixture(scope="module")
def polnear_db(tmp_path_factory) -> Path:
    if not all((POLNEAR / name).exists() for name in ARTICLES):
        pytest.skip(f"PolNeAR texts not found under {POLNEAR}")
    db = tmp_path_factory.mktemp("polnear") / "ledger.db"
    settings = load_settings({}).with_overrides(db=str(db), workers=1)
    with SQLiteStore(db) as store:
        ingest([POLNEAR / name for name in ARTICLES], store, settings)
        extract(store, settings)
        link_actors(store)
    return db


def test_trump_and_trump_jr_stay_apart(polnear_db):
    with SQLiteStore(polnear_db, create=False) as store:
        junior, senior = store.find_actor("Donald Trump Jr."), store.find_actor("Donald J. Trump")
        assert junior is not None and senior is not None and junior["id"] != senior["id"]
        assert store.find_actor("Donald Trump")["id"] == senior["id"]


def test_mr_obama_joins_barack_obama(polnear_db):
    with SQLiteStore(polnear_db, create=False) as store:
        obama = store.find_actor("Barack Obama")
        assert obama["kind"] == "person" and store.find_actor("Mr. Obama")["id"] == obama["id"]
        assert store.find_actor("Michelle Obama")["id"] != obama["id"]


def test_ap_and_associated_press_are_one_actor(polnear_db):
    with SQLiteStore(polnear_db, create=False) as store:
        ap = store.find_actor("AP")
        assert ap["name"] == "Associated Press" and store.find_actor("Associated Press")["id"] == ap["id"]
        assert store.conn.execute("SELECT COUNT(DISTINCT actor_id) FROM actor_mentions WHERE name = 'AP'"
                                  ).fetchone()[0] == 1


def test_one_actor_per_full_name_and_no_description_actors(polnear_db):
    with SQLiteStore(polnear_db, create=False) as store:
        figures = actor_figures(store)
        clinton = {row["id"] for row in store.actor_rows() if normalize_name(row["name"]).endswith("clinton")
                   and normalize_name(row["name"]).startswith("hillary")}
    assert figures["split_full_names"] == 0 and figures["namesake_merges"] == 0
    assert figures["descriptions"] == 0, figures["description_examples"]
    assert len(clinton) == 1


def test_the_seed_ledger_finds_biden_by_surname_and_slug(seed_db):
    with Ledger(seed_db) as ledger:
        biden = ledger.actor("Biden")
        assert biden is not None and biden.kind == "person" and biden.slug
        assert ledger.actor(biden.slug).actor_id == biden.actor_id
        stoltenberg = ledger.actor("jens-stoltenberg")
        assert stoltenberg is not None and stoltenberg.name == "Jens Stoltenberg"
        by_slug = {c.id for c in ledger.claims(actor="russia")}
        assert by_slug and by_slug == {c.id for c in ledger.claims(actor="Russia")}


def test_cli_lists_slugs_and_filters_claims_by_slug(seed_db):
    def run(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "claimledger.cli", *args], capture_output=True, text=True,
                              check=True).stdout

    listing = [json.loads(line) for line in run("actors", "--db", str(seed_db), "--format", "jsonl").splitlines()]
    assert "jens-stoltenberg" in {row["slug"] for row in listing}
    assert run("claims", "--db", str(seed_db), "--actor", "jens-stoltenberg", "--format", "jsonl").strip()
