import gzip
import json

from claimledger.ingest.dedup import Deduplicator, shingles
from claimledger.models import Article

from paths import SAMPLES


def records():
    with gzip.open(SAMPLES / "jsonl" / "fnc1.jsonl.gz", "rt", encoding="utf-8") as handle:
        return {r["source"]: r for r in map(json.loads, handle)}


def article(text: str, source: str = "x") -> Article:
    return Article.from_blocks(source, [("paragraph", p) for p in text.split("\n\n")])


def test_real_wire_copies_are_near_duplicates_and_the_rest_are_not():
    texts: dict[str, str] = {}
    dedup = Deduplicator(0.9, 5, 128, texts.__getitem__)
    verdicts = {}
    for source, record in records().items():
        item = article(record["text"], source)
        texts[item.id] = item.text
        verdicts[source] = dedup.check(item)[0]
    assert verdicts["fnc1:1162"].kind == "near"
    assert verdicts["fnc1:1162"].kept_id == article(records()["fnc1:432"]["text"]).id
    assert verdicts["fnc1:1162"].similarity >= 0.9
    assert verdicts["fnc1:republished"].kind == "exact"
    assert sum(v.kind == "new" for v in verdicts.values()) == len(verdicts) - 2


def test_exact_duplicate_ignores_spacing_and_quote_style():
    texts: dict[str, str] = {}
    dedup = Deduplicator(0.9, 5, 128, texts.__getitem__)
    first = article("“We are ready,” he said.\n\nTalks go on.")
    texts[first.id] = first.text
    assert dedup.check(first)[0].kind == "new"
    assert dedup.check(article('"We  are ready," he said.\n\nTalks go on.'))[0].kind == "exact"


def test_short_texts_below_the_threshold_are_kept():
    texts: dict[str, str] = {}
    dedup = Deduplicator(0.9, 5, 128, texts.__getitem__)
    one = article("The minister said the talks in Geneva had failed after two days of meetings with rebels.")
    two = article("The minister said the talks in Vienna had succeeded after two days of meetings with rebels.")
    for item in (one, two):
        texts[item.id] = item.text
    assert dedup.check(one)[0].kind == "new"
    assert dedup.check(two)[0].kind == "new"
    assert len(shingles(one.text, 5) & shingles(two.text, 5)) > 0


def test_signature_round_trips_through_bytes():
    dedup = Deduplicator(0.9, 5, 128, lambda _: "")
    signature = dedup.signature("some words that make a few shingles for the test")
    assert dedup.from_bytes(dedup.to_bytes(signature)).jaccard(signature) == 1.0
