import gzip
import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.ingest.warc import read_warc
from claimledger.models import Article, Rejection

from paths import SAMPLES

PAGE = SAMPLES / "html" / "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f.html.gz"
MAX = 10 * 2**20


def write(path, records, compress=True):
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for url, kind, content_type, payload in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, kind, payload=io.BytesIO(payload), http_headers=headers if kind == "response" else None))


def test_written_warc_reads_back_with_target_uri(tmp_path):
    html = gzip.decompress(PAGE.read_bytes())
    for compress in (True, False):
        path = tmp_path / f"pages{compress}.warc"
        write(path, [("https://www.aljazeera.com/news/x", "response", "text/html; charset=utf-8", html),
                     ("https://www.aljazeera.com/logo.png", "response", "image/png", b"\x89PNG....")], compress)
        items = list(read_warc(path, str(path), MAX))
        article = next(i for i in items if isinstance(i, Article))
        assert article.url == article.source == "https://www.aljazeera.com/news/x"
        assert "helicopter" in article.text
        (skipped,) = [i for i in items if isinstance(i, Rejection)]
        assert "not an HTML response (image/png)" in skipped.reason


def test_sample_warc():
    items = list(read_warc(SAMPLES / "warc" / "pages.warc.gz", "pages.warc.gz", MAX))
    assert len(items) == 3 and all(isinstance(i, Article) for i in items)
    assert {i.outlet for i in items} == {"Al Jazeera", "ScienceAlert", "PanARMENIAN.Net"}


def test_warc_without_responses_is_rejected(tmp_path):
    path = tmp_path / "requests.warc.gz"
    write(path, [("https://example.org/", "request", "", b"GET / HTTP/1.1\r\n\r\n")])
    (rejection,) = read_warc(path, str(path), MAX)
    assert rejection.reason == "WARC with no response records"
