"""The Python API on a real ledger: records that make tables, filters that ignore case and read partial dates, one
id per statement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimledger import Ledger
from claimledger.config import load_settings
from claimledger.jobs import extract, ingest
from claimledger.ledger import day_range
from claimledger.records import ArticleSummary, Claim, ClaimStatement, LedgerActor, SearchResult, StatementRow
from claimledger.store.sqlite import SQLiteStore, StoreError

from paths import SAMPLES, shared

SEED_ID = "f0b6de449740328a"


@pytest.fixture(scope="module")
def ledger(sample_ledger: Path):
    with Ledger(sample_ledger) as opened:
        yield opened


def test_every_record_is_a_row_of_one_table(ledger):
    """``to_dict()`` is JSON-ready and every record of one kind has the same keys in the same order: a list of
    them is a table (``pandas.DataFrame(rows)``) with a column per field."""
    tables = {
        ArticleSummary: ledger.articles(), StatementRow: ledger.statements(), LedgerActor: ledger.actors(),
        Claim: ledger.claims(), ClaimStatement: [entry for claim in ledger.claims() for entry in claim.timeline],
        SearchResult: ledger.search("Nigeria", limit=50),
    }
    for kind, records in tables.items():
        assert records, kind
        columns = [name for name, _ in kind.columns()]
        for record in records:
            assert isinstance(record, kind)
            row = record.to_dict()
            assert list(row) == columns
            assert json.loads(json.dumps(row)) == row  # only JSON values: no tuples, no objects
    assert {r.type for r in tables[SearchResult]} == {"statement", "article"}


def test_articles_filter_by_outlet_in_any_case_and_by_partial_dates(ledger):
    every = ledger.articles()
    outlet = next(a.outlet for a in every if a.outlet)
    expected = [a for a in every if a.outlet == outlet]
    assert ledger.articles(outlet=outlet.upper()) == ledger.articles(outlet=f" {outlet.lower()} ") == expected
    assert ledger.articles(outlet="no such outlet") == []

    def published_in(since: str, until: str) -> list[ArticleSummary]:
        return [a for a in every if a.published and since <= a.published[:len(since)]
                and a.published[:len(until)] <= until]

    for since, until in (("2014", "2014"), ("2014-10", "2014-10"), ("2014-10-17", "2019-11"), ("2014", "2022-02")):
        found = ledger.articles(since=since, until=until)
        assert found == published_in(since, until), (since, until)
    assert ledger.articles(since="2014-10") == ledger.articles(since="2014-10-01")
    assert ledger.articles(until="2014-10") == ledger.articles(until="2014-10-31")
    assert ledger.articles(since="2014-10", until="2014-10") and not ledger.articles(since="2031")


def test_statements_by_article_speaker_and_page(ledger):
    every = ledger.statements()
    assert len({s.id for s in every}) == len(every)
    seed = ledger.statements(article=SEED_ID[:6])
    assert seed == [s for s in every if s.article_id == SEED_ID] and len(seed) == 12
    assert [s.span for s in seed] == sorted(s.span for s in seed)  # text order within an article
    with pytest.raises(LookupError, match="no article with id 'nope'"):
        ledger.statements(article="nope")
    by_name = ledger.statements(speaker="jens STOLTENBERG")
    assert by_name and {s.speaker_name for s in by_name} == {"Jens Stoltenberg"}
    assert ledger.statements(speaker="jens-stoltenberg") == by_name  # the ledger actor's slug
    part = ledger.statements(speaker="stoltenb")  # no name, no actor: names that contain it
    assert {s.id for s in by_name} <= {s.id for s in part}
    assert ledger.statements(limit=5, offset=3) == every[3:8]
    assert ledger.statements(kind="direct") == [s for s in every if s.kind == "direct"]
    for s in every[:50]:
        text = ledger.article(s.article_id).text
        assert text[s.span[0]:s.span[1]] == s.text


def test_one_article_whole(ledger):
    article = ledger.article(SEED_ID[:8])
    assert article.id == SEED_ID and article.extracted
    assert article.headline == "NATO sees no signs of Russia's troop withdrawal near Ukraine"
    assert article.text == "\n\n".join(b.text for b in article.blocks)
    assert len(article.statements) == 12 and "Jens Stoltenberg" in {a.name for a in article.actors}
    assert all(article.text[d.span[0]:d.span[1]] == d.text for d in article.dates)
    assert ledger.article("nope") is None


def test_actors_with_aliases_and_claims_with_timelines(ledger):
    actors = ledger.actors()
    stoltenberg = ledger.actor("Jens Stoltenberg")
    assert stoltenberg in actors and ledger.actor("JENS-STOLTENBERG") == stoltenberg
    assert ledger.actor("no one at all") is None
    assert any(a.aliases for a in actors) and all(a.name not in a.aliases for a in actors)
    claims = ledger.claims()
    assert [c.id for c in ledger.claims(since="2022")] == [c.id for c in claims if c.first_seen
                                                         and c.first_seen >= "2022"]
    assert [c.id for c in ledger.claims(since="2014-10", until="2014-10")] == [
        c.id for c in claims if c.first_seen and c.first_seen[:7] == "2014-10"]
    for claim in claims:
        summary = claim.summary()
        assert (summary.supports, summary.contradicts, summary.discusses) == tuple(claim.stances().values())
        assert all(entry.claim_id == claim.id for entry in claim.timeline)
    disputes = ledger.disputes()
    assert disputes and all(claim.disputed for claim in disputes)


def test_partial_days_are_checked():
    assert day_range("2022", "2022-02") == ("2022", "2022-02")
    assert day_range(" 2022-02-16 ", None) == ("2022-02-16", None)
    assert day_range("2022-02", "2022-02") == ("2022-02", "2022-02")
    for since, until, message in (("Feb 2022", None, "since: 'Feb 2022' is not a date"),
                                  (None, "2022-13", "until: '2022-13' is not a date"),
                                  ("2022-02-30", None, "is not a date"),
                                  ("2022-03", "2022-02", r"since \(2022-03\) is after until \(2022-02\)")):
        with pytest.raises(ValueError, match=message):
            day_range(since, until)


def test_no_ledger_named_or_found(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMLEDGER_DB", raising=False)
    monkeypatch.delenv("CLAIMLEDGER_CONFIG", raising=False)
    with pytest.raises(StoreError, match="no database named"):
        Ledger()
    with pytest.raises(StoreError, match="no such database"):
        Ledger(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def extracted_statement_ids(db: Path, paths: list[Path]) -> tuple[list[str], int]:
    """The ids of every statement extracted from ``paths`` (ingested into a new ledger ``db``), as the store
    files them (article id, then the statement's own), and how many statement rows the store holds."""
    settings = load_settings({}).with_overrides(db=str(db), workers=1)
    ids: list[str] = []
    with SQLiteStore(db) as store:
        ingest(paths, store, settings)
        extract(store, settings, on_article=lambda e: ids.extend(f"{e.article_id}:{s.id}" for s in e.statements))
        return ids, store.count_statements()


def repeated(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in ids if i in seen or seen.add(i)]


def test_statement_ids_are_unique_in_the_sample_corpus(sample_ledger):
    with SQLiteStore(sample_ledger, create=False) as store:
        stored = [row[0] for row in store.conn.execute("SELECT id FROM statements")]
        extracted = [f"{article_id}:{statement['id']}" for article_id, data in store.conn.execute(
            "SELECT article_id, data FROM extractions") for statement in json.loads(data)["statements"]]
    # The store keeps one row per id: a repeated id in an extraction would have lost a statement there.
    assert not repeated(extracted) and sorted(stored) == sorted(extracted)


def test_statement_ids_are_unique_in_polnear_dev(tmp_path):
    texts = sorted(shared("polnear", "dev", "text").glob("*.txt"))[:30]  # a slice bounds the time: a minute
    folder = tmp_path / "dev"
    folder.mkdir()
    for text in texts:
        shutil.copy(text, folder / text.name)
    ids, stored = extracted_statement_ids(tmp_path / "ledger.db", [folder])
    assert len(ids) > 100 and not repeated(ids) and stored == len(ids)


def test_sample_ids_are_unique_when_extracted_anew(tmp_path):
    ids, stored = extracted_statement_ids(tmp_path / "ledger.db", [SAMPLES / "text"])
    assert ids and not repeated(ids) and stored == len(ids)
