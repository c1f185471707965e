"""The seeds of the harnesses: the real files of ``samples/corpus`` and inputs built from them in the formats the
corpus lacks (Atom, JSON Feed, ARC, single-record WARCs), each of which reads as at least one article
(``test_seeds.py`` checks that, so that a harness starts from inputs that get past the first checks)."""

from __future__ import annotations

import gzip
import html
import io
import json
from functools import cache
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fuzz.mutations import Seed
from paths import SAMPLES


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _name(path: Path) -> str:
    return path.name if len(path.name) < 40 else path.name[:12] + "..." + "".join(path.suffixes)


def _files(folder: str) -> list[Path]:
    return sorted((SAMPLES / folder).iterdir())


@cache
def texts() -> tuple[Seed[str], ...]:
    """The plain-text articles, as text."""
    return tuple(Seed(p.name, p.read_text(encoding="utf-8")) for p in _files("text"))


@cache
def pages() -> tuple[Seed[bytes], ...]:
    """The HTML pages, decompressed."""
    return tuple(Seed(_name(p).removesuffix(".gz"), _read(p)) for p in _files("html"))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _small_page(seed: Seed[str]) -> bytes:
    """A small HTML page holding a text article: cheap to parse, so a harness can try many mutants of it."""
    head, *body = _paragraphs(seed.data)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(head)}</title></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(head)}</h1>{paragraphs}"
            "<figure><img src='a.jpg'><figcaption>A caption. Photo: Jane Roe/Wire</figcaption></figure>"
            "</article><footer>Copyright</footer></body></html>").encode()


@cache
def small_pages() -> tuple[Seed[bytes], ...]:
    return tuple(Seed(f"{s.name}.html", _small_page(s)) for s in texts())


@cache
def rss() -> Seed[bytes]:
    return Seed("boko-haram.rss", (SAMPLES / "feeds" / "boko-haram.rss").read_bytes())


@cache
def atom() -> Seed[bytes]:
    """An Atom feed of the text articles: HTML content, text content, a summary-only teaser."""
    entries = []
    for number, seed in enumerate(texts()[:3]):
        head, *body = _paragraphs(seed.data)
        paragraphs = html.escape("".join(f"<p>{p}</p>" for p in body))
        entries.append(
            f"<entry><title>{html.escape(head)}</title><link href='https://wire.example/{number}'/>"
            f"<id>urn:wire:{number}</id><updated>2022-02-16T10:00:00Z</updated><author><name>Jane Roe</name>"
            f"</author><category term='World'/><content type='html'>{paragraphs}</content></entry>")
    entries.append("<entry><title>Teaser</title><id>urn:wire:t</id><summary>Read more.</summary></entry>")
    return Seed("built.atom", (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='en'>"
        "<title>Wire</title><id>urn:wire</id><updated>2022-02-16T10:00:00Z</updated>"
        + "".join(entries) + "</feed>").encode())


@cache
def json_feed() -> Seed[bytes]:
    """A JSON Feed 1.1 of the text articles: ``content_html``, ``content_text``, a teaser and a non-item."""
    items: list[object] = []
    for number, seed in enumerate(texts()[:3]):
        head, *body = _paragraphs(seed.data)
        content = ({"content_html": "".join(f"<p>{html.escape(p)}</p>" for p in body)} if number % 2
                   else {"content_text": "\n\n".join(body)})
        items.append({"id": str(number), "url": f"https://wire.example/{number}", "title": head,
                      "date_published": "2022-02-16T10:00:00-05:00", "authors": [{"name": "Jane Roe"}],
                      "tags": ["World"], **content})
    items += [{"id": "t", "title": "Teaser", "summary": "Read more."}, "not an item"]
    return Seed("built.json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Wire", "language": "en",
        "author": {"name": "Desk"}, "items": items}, ensure_ascii=False, indent=1).encode())


@cache
def jsonl() -> Seed[bytes]:
    return Seed("fnc1.jsonl", _read(SAMPLES / "jsonl" / "fnc1.jsonl.gz"))


@cache
def warc() -> Seed[bytes]:
    """The sample WARC as it is: three response records, each gzipped on its own."""
    return Seed("pages.warc.gz", (SAMPLES / "warc" / "pages.warc.gz").read_bytes())


def _record(writer: WARCWriter, url: str, kind: str, payload: bytes, content_type: str = "text/html") -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, kind, payload=io.BytesIO(payload), http_headers=http if kind == "response" else None,
        warc_content_type=None if kind == "response" else content_type))


@cache
def small_warcs() -> tuple[Seed[bytes], ...]:
    """WARCs of small pages, gzipped by record and not: a request, a response, a resource, a conversion, and
    a response that is no page."""
    built = []
    for compress in (True, False):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=compress)
        page_a, page_b, page_c = (s.data for s in small_pages()[:3])
        _record(writer, "https://wire.example/a", "request", b"GET /a HTTP/1.1\r\nHost: wire.example\r\n\r\n",
                "application/http; msgtype=request")
        _record(writer, "https://wire.example/a", "response", page_a, "text/html; charset=utf-8")
        _record(writer, "https://wire.example/b", "resource", page_b)
        _record(writer, "https://wire.example/c", "conversion", page_c)
        _record(writer, "https://wire.example/logo.png", "response", b"\x89PNG\r\n\x1a\n", "image/png")
        built.append(Seed("small.warc.gz" if compress else "small.warc", out.getvalue()))
    return tuple(built)


@cache
def sample_warc_records() -> tuple[Seed[bytes], ...]:
    """Each record of the sample WARC as a WARC of its own, uncompressed."""
    seeds = []
    with gzip.open(SAMPLES / "warc" / "pages.warc.gz", "rb") as stream:
        for number, record in enumerate(ArchiveIterator(stream), 1):
            out = io.BytesIO()
            WARCWriter(out, gzip=False).write_record(record)
            seeds.append(Seed(f"pages.warc#record{number}", out.getvalue()))
    return tuple(seeds)


def _arc_record(url: str, date: str, content_type: str, payload: bytes) -> bytes:
    return f"{url} 192.0.2.1 {date} {content_type} {len(payload)}\n".encode() + payload + b"\n"


@cache
def arc() -> Seed[bytes]:
    """An ARC (version 1) file: its file description, a small page and an image, as the Internet Archive wrote
    them before WARC."""
    version = b"1 0 claimledger\nURL IP-address Archive-date Content-type Archive-length\n"
    description = _arc_record("filedesc://fuzz.arc", "20220216000000", "text/plain", version)
    pages_ = b"".join(
        _arc_record(f"https://wire.example/{n}", "20220216100000", "text/html",
                    b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + seed.data)
        for n, seed in enumerate(small_pages()[:2]))
    image = _arc_record("https://wire.example/logo.gif", "20220216100000", "image/gif",
                        b"HTTP/1.0 200 OK\r\nContent-Type: image/gif\r\n\r\nGIF89a")
    return Seed("built.arc", description + b"\n" + pages_ + image)


def files() -> tuple[Seed[bytes], ...]:
    """Every file of the corpus as its bytes on disk (gzip included), and the built inputs of other formats."""
    corpus = tuple(Seed(_name(p), p.read_bytes()) for folder in ("text", "html", "feeds", "jsonl", "warc")
                   for p in _files(folder))
    return corpus + (atom(), json_feed(), arc(), *small_warcs()[1:])
