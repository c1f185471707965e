"""HTML pages: trafilatura finds the article and its metadata; htmldate is the fallback for the date."""

from __future__ import annotations

from urllib.parse import urlparse

import htmldate
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from claimledger.ingest.captions import figure_captions
from claimledger.ingest.charsets import decode_html
from claimledger.models import Article, BlockKind, Caption, Rejection

_HEADING_TAGS = {"head"}
_SKIP_TAGS = {"table", "ref", "code"}


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _walk(body: etree._Element, title: str | None, captions: list[Caption]) -> list[tuple[BlockKind, str]]:
    """Block parts from trafilatura's body tree (p, head, list/item, quote), without repeated captions."""
    parts: list[tuple[BlockKind, str]] = []
    caption_texts = {c.text for c in captions} | {f"{c.text} {c.credit}" for c in captions if c.credit}
    seen_paragraph = False
    for element in body:
        tag = element.tag
        if tag in _SKIP_TAGS:
            continue
        if tag == "list":
            parts.extend(("bullet", _text(item)) for item in element.iter("item") if _text(item))
            seen_paragraph = True
            continue
        text = _text(element)
        if not text or text in caption_texts:
            continue
        if tag in _HEADING_TAGS:
            # A heading that repeats the title, or a standfirst above the first paragraph, is not a section label.
            if seen_paragraph and text != title:
                parts.append(("label", text))
            continue
        parts.append(("paragraph", text))
        seen_paragraph = True
    return parts


def parse_html(html: bytes | str, source: str, url: str | None = None,
               content_type: str | None = None) -> Article | Rejection:
    """Extract the article from an HTML page: body without navigation, related lists, share bars or comments.

    A page given as bytes is decoded by its byte-order mark, its declared charset (``content_type``, the HTTP
    header it came with, or its own ``<meta charset>``) or, failing those, charset-normalizer's guess.
    """
    if isinstance(html, bytes):
        html = decode_html(html, content_type)
    try:
        tree = load_html(html)  # parsed once: captions are read from it before trafilatura prunes it
        if tree is None:
            return Rejection(source, "unreadable HTML: no document could be parsed")
        captions = figure_captions(tree)
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False,
        )
    except (ValueError, etree.LxmlError) as exc:
        return Rejection(source, f"unreadable HTML: {exc}")
    if document is None or document.body is None:
        return Rejection(source, "HTML with no article text")
    title = (document.title or "").strip() or None
    parts = _walk(document.body, title, captions)
    if not any(kind != "label" for kind, _ in parts):
        return Rejection(source, "HTML with no article text")
    published = document.date
    if not published:
        published = htmldate.find_date(tree, url=url, extensive_search=False)
    url = url or document.url
    outlet = document.sitename or (document.hostname or (urlparse(url).hostname if url else None))
    categories = document.categories or []
    return Article.from_blocks(
        source, parts, headline=title, url=url, outlet=outlet, published=published,
        section=categories[0] if categories else None,
        authors=tuple(a.strip() for a in (document.author or "").split(";") if a.strip()),
        language=document.language, captions=captions,
    )
