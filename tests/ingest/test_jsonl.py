import gzip
import io
import json

from claimledger.ingest.jsonl import read_jsonl
from claimledger.models import Article, Rejection

from paths import SAMPLE_SEED, SAMPLES


def test_sample_jsonl_gz():
    with gzip.open(SAMPLES / "jsonl" / "fnc1.jsonl.gz", "rb") as stream:
        items = list(read_jsonl(stream, "fnc1.jsonl.gz"))
    assert len(items) == 11 and all(isinstance(i, Article) for i in items)
    assert items[0].source == "fnc1:2211" and items[0].url.endswith("/2211")
    assert items[0].headline.startswith("Report: Christian Bale")


def test_broken_line_in_the_middle_is_reported_and_the_rest_ingests():
    good = {"headline": "Rates held", "text": "The central bank held rates on Tuesday, its governor said."}
    lines = [json.dumps(good), '{"headline": "broken", "text": "no closing', json.dumps({**good, "headline": "B"}),
             "[1, 2]", json.dumps({"headline": "empty"})]
    items = list(read_jsonl(io.BytesIO("\n".join(lines).encode()), "feed.jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "Rejection", "Article", "Rejection", "Rejection"]
    assert items[1].source == "feed.jsonl:2" and "invalid JSON" in items[1].reason
    assert "expected a JSON object" in items[3].reason
    assert "no text, html or blocks" in items[4].reason


def test_export_shape_reads_back_unchanged():
    from claimledger.ingest.text import parse_text

    seed = parse_text(SAMPLE_SEED.read_text(encoding="utf-8"), "seed.txt")
    (again,) = read_jsonl(io.BytesIO(json.dumps(seed.to_dict()).encode()), "export.jsonl")
    assert again == seed


def test_wrongly_typed_field_is_a_rejection():
    (item,) = read_jsonl(io.BytesIO(b'{"text": "Some body text here.", "captions": 5}'), "bad.jsonl")
    assert isinstance(item, Rejection) and "malformed record" in item.reason


def test_truncated_gzip_keeps_complete_lines(tmp_path):
    record = json.dumps({"headline": "H", "text": "A body of text that says something. " * 20})
    data = gzip.compress(("\n".join([record.replace("H", f"H{i}") for i in range(50)]) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    with gzip.open(path, "rb") as stream:
        items = list(read_jsonl(stream, str(path)))
    assert isinstance(items[-1], Rejection) and "truncated gzip" in items[-1].reason
    assert sum(isinstance(i, Article) for i in items) >= 1


def test_headline_authors_captions_and_links_are_cleaned_like_the_text():
    import unicodedata

    def messy(value):
        """Decomposed accents, a soft hyphen and a zero-width space in every string but URLs."""
        if isinstance(value, dict):
            return {k: v if k == "url" else messy(v) for k, v in value.items()}
        if isinstance(value, list):
            return [messy(v) for v in value]
        return unicodedata.normalize("NFD", value).replace("ll", "l\u00adl\u200b")

    record = {"headline": "Zürich talks stall", "authors": ["Chloé Müller"],
              "text": "Talks in Zürich stalled on Monday, the café owners said.",
              "captions": [{"text": "Café owners in Zürich.", "credit": "Zoë Bell"}],
              "related": [{"text": "Earlier: Zürich rents", "url": "https://x.example/a"}]}
    assert messy(record) != record
    (clean,) = read_jsonl(io.BytesIO(json.dumps(record).encode()), "r.jsonl")
    (read,) = read_jsonl(io.BytesIO(json.dumps(messy(record)).encode()), "r.jsonl")
    assert read == clean
    assert read.headline == "Zürich talks stall" and read.authors == ("Chloé Müller",)
    assert read.captions[0].credit == "Zoë Bell" and read.related[0].text == "Earlier: Zürich rents"
