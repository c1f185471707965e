"""A dispute is a claim someone supports and someone else contradicts, on the sample corpus's real stories linked
with a low dispute threshold: the SQL the pages and API read and the ``Ledger`` the CLI reads agree, and no speaker
disputes their own words."""

from __future__ import annotations

from claimledger import Ledger


def test_store_and_ledger_agree_on_what_is_disputed(doubtful_stories_db):
    with Ledger(doubtful_stories_db) as ledger:
        in_python = {claim.id for claim in ledger.claims() if claim.disputed}
        in_sql = set(ledger.store.disputed_claim_ids())
        page, total = ledger.store.claim_page(disputed=True, limit=1000)
    assert in_sql and in_sql == in_python
    assert {row["id"] for row in page} == in_sql and total == len(in_sql)


def test_nobody_disputes_a_claim_they_support(doubtful_stories_db):
    with Ledger(doubtful_stories_db) as ledger:
        for claim in ledger.disputes():
            supporters = {s.speaker_name for s in claim.timeline if s.stance == "supports"}
            for disputer in claim.disputers():
                assert disputer.speaker_name not in supporters, claim.text
                assert disputer.stance == "contradicts"


def test_disputes_come_surest_first(doubtful_stories_db):
    with Ledger(doubtful_stories_db) as ledger:
        strengths = [claim.disputers()[0].confidence for claim in ledger.disputes()]
    assert strengths and strengths == sorted(strengths, reverse=True)


def test_every_claim_is_worded_by_a_statement_it_holds(doubtful_stories_db):
    with Ledger(doubtful_stories_db) as ledger:
        for claim in ledger.claims():
            (origin,) = [s for s in claim.timeline if s.stance_source == "origin"]
            assert origin.stance == "supports" and origin.confidence == 1.0
            assert not claim.text.rstrip().endswith("?")
