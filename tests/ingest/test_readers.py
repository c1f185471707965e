import gzip
import json
import shutil

from claimledger.ingest.readers import read_paths
from claimledger.models import Article, Rejection

from paths import SAMPLES


def test_format_is_told_by_content_not_by_name(tmp_path, settings):
    page = gzip.decompress((SAMPLES / "html" / "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f.html.gz"
                            ).read_bytes())
    (tmp_path / "page.txt").write_bytes(page)  # HTML under a text name
    shutil.copy(SAMPLES / "feeds" / "boko-haram.rss", tmp_path / "feed.dat")
    (tmp_path / "lines.gz").write_bytes(gzip.compress(json.dumps(
        {"headline": "Ceasefire", "text": "Officials said on Friday that a ceasefire had been agreed."}).encode()))
    (tmp_path / "story").write_bytes(gzip.compress((SAMPLES / "text" / "fnc1-2403.txt").read_bytes()))
    items = list(read_paths([tmp_path], settings))
    articles = [i for i in items if isinstance(i, Article)]
    assert any("helicopter" in a.text for a in articles)
    assert sum(a.url is not None and "fnc1/body" in a.url for a in articles) == 4
    assert any(a.headline == "Ceasefire" for a in articles)
    assert any(a.headline == "Boko Haram denies it has agreed ceasefire" for a in articles)


def test_folders_are_read_recursively_in_a_stable_order(settings):
    first = [getattr(i, "id", None) or str(i) for i in read_paths([SAMPLES], settings)]
    second = [getattr(i, "id", None) or str(i) for i in read_paths([SAMPLES], settings)]
    assert first == second and len(first) == 30


def test_large_jsonl_streams_instead_of_being_rejected(tmp_path, settings):
    settings = settings.with_overrides(max_document_mb=0.05)
    record = json.dumps({"headline": "H", "text": "Word " * 400})
    (tmp_path / "many.jsonl").write_text("\n".join(record.replace('"H"', f'"H{i}"') for i in range(40)))
    items = list(read_paths([tmp_path / "many.jsonl"], settings))
    assert len(items) == 40 and all(isinstance(i, Article) for i in items)
    (tmp_path / "big.txt").write_text("Headline\n\n" + "Word " * 20000)
    (rejection,) = read_paths([tmp_path / "big.txt"], settings)
    assert isinstance(rejection, Rejection) and "limit" in rejection.reason
