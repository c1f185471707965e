"""Plain-text articles in wire / newsletter style.

The shape, as in the seed article: an optional dateline (``Feb 16, 2022 - World``), the headline, photo captions
(often printed twice, the second time with ``Photo: credit``), then the body: paragraphs, bullets (``•``), section
labels (``Why it matters:``), ``Go deeper: X`` related links, and dangling page furniture. No library reads this
layout, so it is parsed here with small rules whose vocabularies live in ``data/ingest/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from dateutil import parser as dateutil_parser

from claimledger.data import table_lines
from claimledger.ingest.captions import credit_pattern
from claimledger.models import Article, BlockKind, Caption, Link, Rejection, clean_text

_BULLET = re.compile(r"^\s*[•·▪◦●\-*–]\s+")
_DATELINE = re.compile(r"^(?P<date>[A-Z][a-z]{2,9}\.? \d{1,2},? \d{4}(?:,? \d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?)"
                       r"(?:\s+[-–—|]\s+(?P<section>[^\n]{1,60}))?$", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_HEADLINE_MAX_WORDS = 30


@dataclass(frozen=True)
class Dateline:
    published: str  # ISO date, or date and time when the dateline gives one
    section: str | None


def parse_dateline(line: str) -> Dateline | None:
    """``Feb 16, 2022 - World`` -> Dateline("2022-02-16", "World"); None when the line is not a dateline."""
    match = _DATELINE.match(line.strip())
    if not match or not _YEAR.search(match["date"]):
        return None
    try:
        when = dateutil_parser.parse(match["date"], default=datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    has_time = ":" in match["date"]
    published = when.strftime("%Y-%m-%dT%H:%M") if has_time else when.date().isoformat()
    section = match["section"].strip() if match["section"] else None
    return Dateline(published, section or None)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], re.Pattern[str]]:
    labels = sorted(table_lines("ingest/section_labels.txt"), key=len, reverse=True)
    label_re = re.compile(r"^(?P<label>(?:" + "|".join(re.escape(x) for x in labels) + r")):\s*(?P<rest>.*)$",
                          re.IGNORECASE | re.DOTALL)
    related = frozenset(x.casefold() for x in table_lines("ingest/related_prefixes.txt"))
    boilerplate = frozenset(x.casefold() for x in table_lines("ingest/boilerplate_lines.txt"))
    return label_re, related, boilerplate, credit_pattern()


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, with each bullet line its own paragraph."""
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.splitlines() if line.strip()]
        current: list[str] = []
        for line in lines:
            if _BULLET.match(line) and current:
                out.append("\n".join(current))
                current = []
            current.append(line)
        if current:
            out.append("\n".join(current))
    return [" ".join(p.split()) if not _BULLET.match(p) else _BULLET.sub("• ", " ".join(p.split()), count=1)
            for p in out]


def _looks_like_headline(paragraph: str) -> bool:
    words = paragraph.split()
    return 0 < len(words) <= _HEADLINE_MAX_WORDS and not paragraph.rstrip().endswith((".", ":", ";", ","))


def parse_text(text: str, source: str, **meta: object) -> Article | Rejection:
    """Parse a plain-text article; ``meta`` (url, outlet, ...) fills what the text itself does not say."""
    label_re, related_prefixes, boilerplate, credit_re = _vocabulary()
    paragraphs = _paragraphs(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not paragraphs:
        return Rejection(source, "no text")

    published = meta.pop("published", None)
    section = meta.pop("section", None)
    headline = meta.pop("headline", None)
    dateline = parse_dateline(paragraphs[0])
    if dateline:
        paragraphs.pop(0)
        published = published or dateline.published
        section = section or dateline.section
    if headline is None and len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        headline = paragraphs.pop(0)

    captions: list[Caption] = list(meta.pop("captions", None) or ())
    related: list[Link] = list(meta.pop("related", None) or ())
    parts: list[tuple[BlockKind, str]] = []
    for i, paragraph in enumerate(paragraphs):
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if nxt.startswith(paragraph) and credit_re.match(nxt) and credit_re.match(nxt)["text"] == paragraph:
            continue  # the caption printed once bare and once with its credit: keep the credited one
        credited = credit_re.match(paragraph)
        if credited and not _BULLET.match(paragraph):
            captions.append(Caption(credited["text"].strip(), credited["credit"].strip().rstrip(".")))
            continue
        if paragraph.casefold().rstrip(".:") in boilerplate:
            continue
        if _BULLET.match(paragraph):
            parts.append(("bullet", _BULLET.sub("", paragraph, count=1)))
            continue
        labelled = label_re.match(paragraph)
        if labelled:
            parts.append(("label", labelled["label"] + ":"))
            rest = labelled["rest"].strip()
            if labelled["label"].casefold() in related_prefixes:
                if rest:
                    related.append(Link(rest))
            elif rest:
                parts.append(("paragraph", rest))
            continue
        parts.append(("paragraph", paragraph))

    body = [text for kind, text in parts if kind != "label" and clean_text(text).strip()]  # not only a "\ufeff"
    if not body or (len(body) == 1 and headline is None and _looks_like_headline(body[0])):
        return Rejection(source, "no article text (only a headline, captions or labels)")
    return Article.from_blocks(source, parts, headline=headline, published=published, section=section,
                               captions=captions, related=related, **meta)
