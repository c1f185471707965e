"""The issue's acceptance on the seed article alone: Russia announces the withdrawal, Stoltenberg contradicts it,
Biden is on the doubting side; and the same from the CLI, as a timeline and as JSON Lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ledgers import SEED_ID  # noqa: E402

from claimledger import Ledger  # noqa: E402


ANNOUNCEMENT = "it was returning some troops and weapons to their permanent bases"
DENIAL = "At the moment, we have not seen any withdrawal of Russian forces"


def withdrawal_claim(ledger: Ledger):
    """The seed's claim that Russia is withdrawing (some) troops: the one Stoltenberg's denial belongs to."""
    claims = [c for c in ledger.claims() if any(s.text == DENIAL for s in c.statements)]
    assert len(claims) == 1, [c.text for c in ledger.claims()]
    return claims[0]


def test_russia_announces_stoltenberg_contradicts_biden_doubts(seed_db):
    with Ledger(seed_db) as ledger:
        claim = withdrawal_claim(ledger)
        by_stance = {stance: {s.speaker_name for s in claim.statements if s.stance == stance}
                     for stance in ("supports", "contradicts", "discusses")}
        assert "Russia" in by_stance["supports"]
        assert "Jens Stoltenberg" in by_stance["contradicts"]
        assert "Biden" in by_stance["contradicts"]
        assert "Biden" not in by_stance["supports"]
        assert "troops" in claim.text and "Russia" in claim.text
        assert "Russia" in claim.subjects
        assert claim.first_seen == "2022-02-16" and claim.first_article == SEED_ID
        assert claim.disputed and claim.id in {c.id for c in ledger.disputes()}


def test_moscows_announcement_is_russia_supporting(seed_db):
    # "... after Moscow had announced it was returning some troops and weapons to their permanent bases": the
    # speaker is Moscow, that is Russia, not Stoltenberg, whose words the sentence opens with.
    with Ledger(seed_db) as ledger:
        claim = withdrawal_claim(ledger)
    (announcement,) = [s for s in claim.statements if s.text == ANNOUNCEMENT]
    assert (announcement.speaker_name, announcement.stance) == ("Russia", "supports")


def test_stoltenberg_says_no_withdrawal_in_his_own_words(seed_db):
    with Ledger(seed_db) as ledger:
        claim = withdrawal_claim(ledger)
    texts = {s.text for s in claim.statements if s.speaker_name == "Jens Stoltenberg" and s.stance == "contradicts"}
    assert DENIAL in texts


def test_biden_is_reported_with_the_phrase_and_its_day(seed_db):
    with Ledger(seed_db) as ledger:
        claim = withdrawal_claim(ledger)
        (biden,) = [s for s in claim.statements if s.speaker_name == "Biden"]
        text = ledger.store.article_text(SEED_ID)
    assert biden.reported and biden.stance_source == "reported-doubt"
    assert biden.evidence == "echoing similar skepticism conveyed by President Biden on Tuesday"
    assert text[biden.evidence_span[0]:biden.evidence_span[1]] == biden.evidence
    # "on Tuesday" in an article of Wednesday 16 February 2022.
    assert biden.date == "2022-02-15"


def test_timeline_is_in_date_order_with_evidence_from_the_article(seed_db):
    with Ledger(seed_db) as ledger:
        claim = withdrawal_claim(ledger)
        text = ledger.store.article_text(SEED_ID)
    dates = [s.date for s in claim.statements]
    assert dates == sorted(dates)
    for s in claim.statements:
        assert text[s.span[0]:s.span[1]] == s.text
        assert text[s.evidence_span[0]:s.evidence_span[1]] == s.evidence
        assert s.stance in {"supports", "contradicts", "discusses"}


def run_cli(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", *args], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_cli_claim_jsonl_shape_and_disputes_timeline(seed_db):
    with Ledger(seed_db) as ledger:
        claim_id = withdrawal_claim(ledger).id
    (line,) = run_cli("claim", claim_id[:6], "--db", str(seed_db), "--format", "jsonl").splitlines()
    obj = json.loads(line)
    assert set(obj["claim"]) >= {"id", "text", "first_seen", "subjects"}
    assert obj["claim"]["id"] == claim_id
    for statement in obj["statements"]:
        assert set(statement) >= {"id", "speaker", "speaker_name", "stance", "text", "date", "article_id", "span"}
    disputes = [json.loads(x) for x in run_cli("disputes", "--db", str(seed_db), "--format", "jsonl").splitlines()]
    assert claim_id in {d["claim"]["id"] for d in disputes}
    table = run_cli("disputes", "--db", str(seed_db))
    for word in ("Stoltenberg", "Biden", "Russia", "contradicts", "supports", "2022-02-15"):
        assert word in table
    russia = [json.loads(x) for x in run_cli("disputes", "--db", str(seed_db), "--actor", "Russia",
                                             "--format", "jsonl").splitlines()]
    assert claim_id in {d["claim"]["id"] for d in russia}
    assert run_cli("disputes", "--db", str(seed_db), "--actor", "Nobody Atall", "--format", "jsonl") == ""


def test_cli_claims_filters_by_actor_and_date(seed_db):
    russia = [json.loads(x)["claim"]["id"] for x in run_cli("claims", "--db", str(seed_db), "--actor", "Russia",
                                                            "--format", "jsonl").splitlines()]
    with Ledger(seed_db) as ledger:
        assert withdrawal_claim(ledger).id in russia
    later = run_cli("claims", "--db", str(seed_db), "--since", "2030-01-01", "--format", "jsonl")
    assert later == ""
