"""Claims group statements across outlets and articles, and each timeline runs in date order (undated reports
after the dated ones): on the sample corpus's FNC-1 stories and on FNC-1 train bodies about one claim."""

from __future__ import annotations

import csv
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ledgers import SAMPLES, SEED_ID, SHARED_DATA, build_ledger  # noqa: E402

from claimledger import Ledger  # noqa: E402
from claimledger.config import load_settings  # noqa: E402
from claimledger.jobs import extract, ingest, link  # noqa: E402
from claimledger.store.sqlite import SQLiteStore  # noqa: E402


def story_claims(ledger: Ledger, *words: str) -> list:
    """Claims whose statements, all together, use every one of ``words``, largest first."""
    found = [c for c in ledger.claims()
             if all(any(w.lower() in s.text.lower() for s in c.timeline) for w in words)]
    return sorted(found, key=lambda c: -len({s.article_id for s in c.timeline}))


def test_boko_haram_claim_groups_reports_across_articles_in_date_order(stories_db):
    with Ledger(stories_db) as ledger:
        # The largest claim of the Boko Haram story that holds dated reports: Shekau's "I have long ago married
        # them off", in a dated report and an undated one. The date order is what is tested here.
        (claim, *_) = [c for c in story_claims(ledger, "girls") if any(s.date for s in c.timeline)]
        articles = {s.article_id for s in claim.timeline}
        # Two outlets' reports meet in one claim; a statement joins only when the stance model is as sure as 0.8
        # cross-validated precision asks, so not every paraphrase does (the ceasefire's reports stay apart).
        assert len(articles) >= 2
        dated = [s.date for s in claim.timeline if s.date]
        assert dated == sorted(dated)
        # Undated statements (text files without a date) come after every dated one.
        undated_from = next((i for i, s in enumerate(claim.timeline) if s.date is None), len(claim.timeline))
        assert all(s.date is None for s in claim.timeline[undated_from:])
        assert claim.first_seen == min(dated)


def test_bale_claims_are_undated_propositions(stories_db):
    with Ledger(stories_db) as ledger:
        claims = story_claims(ledger, "Bale")
    assert claims
    for claim in claims:
        assert claim.first_seen is None  # none of these reports is dated
        assert claim.text[:1].isupper() and not claim.text.rstrip().endswith("?")


def test_stories_stay_apart(stories_db):
    with Ledger(stories_db) as ledger:
        for claim in ledger.claims():
            text = " ".join(s.text for s in claim.timeline).lower()
            assert not ("bale" in text and "boko" in text), claim.text


def test_disputes_have_both_sides(doubtful_stories_db):
    with Ledger(doubtful_stories_db) as ledger:
        disputes = ledger.disputes()
    assert disputes
    for claim in disputes:
        stances = Counter(s.stance for s in claim.timeline)
        assert stances["supports"] and stances["contradicts"]


def test_linking_more_articles_keeps_ids_and_links_only_the_new(seed_db, tmp_path):
    db = tmp_path / "ledger.db"
    shutil.copy(seed_db, db)
    with Ledger(db) as ledger:
        before = {c.id: [s.id for s in c.timeline] for c in ledger.claims()}
        actors_before = {a.name: a.actor_id for a in ledger.actors()}
    settings = load_settings({}).with_overrides(db=str(db), workers=1)
    with SQLiteStore(db) as store:
        assert link(store, settings).articles == 0  # nothing new: nothing to do
        ingest([SAMPLES / "feeds" / "boko-haram.rss"], store, settings)
        extract(store, settings)
        report = link(store, settings)
        assert report.articles == 4
    with Ledger(db) as ledger:
        after = {c.id: [s.id for s in c.timeline if s.article_id == SEED_ID] for c in ledger.claims()}
        actors_after = {a.name: a.actor_id for a in ledger.actors()}
    for claim_id, statement_ids in before.items():
        assert after[claim_id] == statement_ids
    assert all(actors_after[name] == actor_id for name, actor_id in actors_before.items())


FNC1 = SHARED_DATA / "fnc1"
# A train headline (never the competition test set) with bodies that agree and disagree; the bodies become
# articles with neutral headlines, so only their text can group them.
HEADLINE = "Meteorite leaves crater in Nicaraguan capital Managua"


@pytest.fixture(scope="module")
def meteorite_db(tmp_path_factory) -> Path:
    if not (FNC1 / "train_stances.csv").exists():
        pytest.skip(f"FNC-1 train data not found at {FNC1} (shared/data beside the repository)")
    with open(FNC1 / "train_bodies.csv", encoding="utf-8") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with open(FNC1 / "train_stances.csv", encoding="utf-8") as handle:
        related = [row for row in csv.DictReader(handle)
                   if row["Headline"] == HEADLINE and row["Stance"] in {"agree", "disagree"}]
    # The shortest bodies keep extraction quick on a shared machine.
    chosen = sorted({row["Body ID"] for row in related}, key=lambda b: len(bodies[b]))[:6]
    folder = tmp_path_factory.mktemp("meteorite")
    for body_id in chosen:
        (folder / f"fnc1-{body_id}.txt").write_text(f"FNC-1 body {body_id}\n\n{bodies[body_id]}\n", encoding="utf-8")
    db = folder / "ledger.db"
    build_ledger(db, [folder])
    return db


def test_fnc1_bodies_on_one_claim_are_claims_of_support(meteorite_db):
    with Ledger(meteorite_db) as ledger:
        claims = story_claims(ledger, "meteor")
    assert claims, "no claim speaks of the meteorite"
    # Every report that joined another article's claim supports it (no contradiction reaches the shipped bar).
    for claim in claims:
        assert {s.stance for s in claim.timeline if not s.reported} == {"supports"}, claim.text
