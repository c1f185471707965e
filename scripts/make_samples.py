"""Rebuild samples/corpus/ from ../shared/data: real articles written out in every format claimledger reads.

Run from the repository root: .venv/bin/python scripts/make_samples.py. The output is committed; this script
is how it was made, so its origin can be checked and the corpus regenerated.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import shutil
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "samples" / "corpus"

# FNC-1 bodies about two claims that many outlets covered, each with a headline that the body agrees with or
# discusses (FNC-1 keeps the claim headlines, not each body's own headline).
BOKO_HARAM = ["2403", "1340", "1588", "1821", "2139", "1298", "1761", "2530", "1195", "1896", "2144", "1630"]
BALE_JOBS = ["1157", "1299", "2211", "1131", "1226", "2017", "1019", "1217"]
NEAR_DUPLICATES = ["432", "1162"]  # two outlets printing the same wire copy (shingle Jaccard 0.99)
# Real news pages from the article extraction benchmark.
HTML_PAGES = ["7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f",
              "1ee91d1fce65e09be8b8d2d29eab771546d98ca2ba5c862941e660e9fec12432",
              "e372e42c0a3df7b86e1c0bacf7bc14d042144a01e88833bc5a643d61b3547090"]
WARC_PAGES = ["42aad16bde9288623543642a9ce1a396be83e2db44aa2ff8cbbfe46e14abd7cc",
              "14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f",
              "d90bda7ed14df19574f4ca8b1ccde5752a78f40058af1393e81cc99adb3e8756"]


def fnc1() -> tuple[dict[str, str], dict[str, str]]:
    with (SHARED / "fnc1" / "train_bodies.csv").open(encoding="utf-8") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    headlines: dict[str, str] = {}
    with (SHARED / "fnc1" / "train_stances.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Stance"] in ("agree", "discuss"):
                headlines.setdefault(row["Body ID"], row["Headline"])
    return bodies, headlines


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n") if p.strip()]


def write_text(path: Path, headline: str, body: str) -> None:
    path.write_text(headline + "\n\n" + "\n\n".join(paragraphs(body)) + "\n", encoding="utf-8")


def as_html(headline: str, body: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(body))


def write_feed(path: Path, items: list[tuple[str, str, str | None]]) -> None:
    entries = []
    for number, (body_id, headline, body) in enumerate(items):
        when = format_datetime(datetime(2014, 10, 17 + number % 3, 9, number, tzinfo=timezone.utc))
        content = f"<content:encoded><![CDATA[{as_html(headline, body)}]]></content:encoded>" if body else ""
        entries.append(f"<item><title>{html.escape(headline)}</title>"
                       f"<link>https://example.org/fnc1/body/{body_id}</link><guid>fnc1-{body_id}</guid>"
                       f"<pubDate>{when}</pubDate>{content}</item>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                    "<title>FNC-1 sample feed</title><link>https://example.org/fnc1</link>"
                    "<description>FNC-1 bodies as an RSS feed</description>"
                    + "".join(entries) + "</channel></rss>\n", encoding="utf-8")


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for folder in ("text", "html", "feeds", "warc", "jsonl"):
        (OUT / folder).mkdir(parents=True)
    shutil.copy(SHARED / "seed" / "axios-2022-02-16-nato-no-withdrawal.txt", OUT / "text")

    bodies, headlines = fnc1()
    for body_id in BOKO_HARAM[:4] + BALE_JOBS[:2]:
        write_text(OUT / "text" / f"fnc1-{body_id}.txt", headlines[body_id], bodies[body_id])

    feed_items = [(b, headlines[b], bodies[b]) for b in BOKO_HARAM[4:8]]
    # Two entries as feeds often carry them: a title and a link, no story. They are reported, not stored.
    feed_items += [(b, headlines[b], None) for b in BOKO_HARAM[8:10]]
    write_feed(OUT / "feeds" / "boko-haram.rss", feed_items)

    records = [{"source": f"fnc1:{b}", "url": f"https://example.org/fnc1/body/{b}", "headline": headlines[b],
                "text": "\n\n".join(paragraphs(bodies[b]))}
               for b in BALE_JOBS[2:] + BOKO_HARAM[10:] + NEAR_DUPLICATES]
    # The same story again, as a second outlet's copy: an exact duplicate of a text sample.
    records.append({**records[0], "source": "fnc1:republished", "url": "https://example.org/republished"})
    with gzip.open(OUT / "jsonl" / "fnc1.jsonl.gz", "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    truth = json.loads((SHARED / "article-extraction-benchmark" / "ground-truth.json").read_text(encoding="utf-8"))
    for page in HTML_PAGES:
        shutil.copy(SHARED / "article-extraction-benchmark" / "html" / f"{page}.html.gz", OUT / "html")
    write_warc(OUT / "warc" / "pages.warc.gz",
               [(truth[p]["url"], gzip.decompress((SHARED / "article-extraction-benchmark" / "html" /
                                                   f"{p}.html.gz").read_bytes())) for p in WARC_PAGES])


if __name__ == "__main__":
    main()
