import gzip
import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.ingest.readers import read_file
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
    assert rejection.reason == "WARC with no response, resource or conversion records"


def story(title: str, charset: str = "utf-8") -> bytes:
    paragraphs = "".join(f"<p>Officials said on Monday that the {title.lower()} would resume, sentence {i}.</p>"
                         for i in range(6))
    return (f'<html><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode(charset)


def test_resource_and_conversion_records_are_read_like_responses(tmp_path):
    path = tmp_path / "stored.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warc_record(
            "https://wire.example/talks", "resource", payload=io.BytesIO(story("Talks")),
            warc_content_type="text/html; charset=utf-8"))
        writer.write_record(writer.create_warc_record(
            "https://wire.example/report.pdf", "conversion", payload=io.BytesIO(story("Café talks", "cp1252")),
            warc_content_type="text/html; charset=windows-1252"))
        writer.write_record(writer.create_warc_record(
            "https://wire.example/report.txt", "conversion", payload=io.BytesIO(b"Plain words."),
            warc_content_type="text/plain"))
    resource, conversion, plain = read_warc(path, str(path), MAX)
    assert isinstance(resource, Article) and resource.url == "https://wire.example/talks"
    assert resource.headline == "Talks" and "talks would resume" in resource.text
    assert isinstance(conversion, Article) and conversion.headline == "Café talks"
    assert conversion.url == "https://wire.example/report.pdf"
    assert isinstance(plain, Rejection) and "not an HTML conversion (text/plain)" in plain.reason


def arc_record(url: str, content_type: str, body: bytes) -> bytes:
    return f"{url} 192.0.2.1 20050614070144 {content_type} {len(body)}\n".encode() + body + b"\n"


def test_arc_file_is_read_as_an_archive(tmp_path, settings):
    html = story("Talks")
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(html)}\r\n\r\n".encode() + html)
    version = b"1 0 Example Crawl\nURL IP-address Archive-date Content-type Archive-length\n\n"
    records = [arc_record("filedesc://crawl.arc", "text/plain", version),
               arc_record("http://wire.example/talks", "text/html", http)]
    for name, data in (("crawl.arc", b"".join(records)), ("crawl.arc.gz", b"".join(map(gzip.compress, records))),
                       ("whole.arc.gz", gzip.compress(b"".join(records)))):
        (tmp_path / name).write_bytes(data)
        (article,) = read_file(tmp_path / name, settings)
        assert isinstance(article, Article), article
        assert article.url == article.source == "http://wire.example/talks"
        assert article.headline == "Talks" and "HTTP/1.1" not in article.text
