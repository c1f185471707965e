"""HTML pages: trafilatura finds the article and its metadata; htmldate is the fallback for the date."""

from __future__ import annotations

from urllib.parse import urlparse

import htmldate
import trafilatura
from lxml import etree

from claimledger.models import Article, BlockKind, Caption, Rejection

_HEADING_TAGS = {"head"}
_SKIP_TAGS = {"table", "ref", "code"}


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _walk(body: etree._Element, title: str | None) -> tuple[list[tuple[BlockKind, str]], list[Caption]]:
    """Block parts and captions from trafilatura's body tree (p, head, list/item, quote, graphic)."""
    parts: list[tuple[BlockKind, str]] = []
    captions: list[Caption] = []
    seen_paragraph = False
    for element in body:
        tag = element.tag
        if tag in _SKIP_TAGS:
            continue
        if tag == "graphic":
            caption = (element.get("title") or element.get("alt") or "").strip()
            if caption and caption not in {c.text for c in captions}:
                captions.append(Caption(caption))
            continue
        if tag == "list":
            parts.extend(("bullet", _text(item)) for item in element.iter("item") if _text(item))
            seen_paragraph = True
            continue
        text = _text(element)
        if not text:
            continue
        if tag in _HEADING_TAGS:
            # A heading that repeats the title, or a standfirst above the first paragraph, is not a section label.
            if seen_paragraph and text != title:
                parts.append(("label", text))
            continue
        parts.append(("paragraph", text))
        seen_paragraph = True
    return parts, captions


def parse_html(html: bytes | str, source: str, url: str | None = None) -> Article | Rejection:
    """Extract the article from an HTML page: body without navigation, related lists, share bars or comments."""
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=True, deduplicate=False,
        )
    except (ValueError, etree.LxmlError) as exc:
        return Rejection(source, f"unreadable HTML: {exc}")
    if document is None or document.body is None:
        return Rejection(source, "HTML with no article text")
    title = (document.title or "").strip() or None
    parts, captions = _walk(document.body, title)
    if not any(kind != "label" for kind, _ in parts):
        return Rejection(source, "HTML with no article text")
    published = document.date
    if not published:
        published = htmldate.find_date(html, url=url, extensive_search=False)
    url = url or document.url
    outlet = document.sitename or (document.hostname or (urlparse(url).hostname if url else None))
    categories = document.categories or []
    return Article.from_blocks(
        source, parts, headline=title, url=url, outlet=outlet, published=published,
        section=categories[0] if categories else None,
        authors=tuple(a.strip() for a in (document.author or "").split(";") if a.strip()),
        language=document.language, captions=captions,
    )
