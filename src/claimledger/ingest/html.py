"""HTML pages: trafilatura finds the article and its metadata; htmldate is the fallback for the date.

trafilatura's body tree is read block by block (paragraphs, labels, bullets), with the text it keeps between
blocks and at its line breaks. Then the reader's own rules (``RULES``, in the order applied, each switched off by
name with ``parse_html(..., disabled_rules=...)``; ``claimledger.eval.html.evaluate(..., ablate=True)`` measures
what each earns on the article extraction benchmark) drop what trafilatura keeps but the article does not say.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urljoin, urlparse

import htmldate
import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from claimledger.ingest.captions import figure_captions
from claimledger.ingest.charsets import decode_html
from claimledger.models import Article, BlockKind, Caption, Link, Rejection, clean_text

_HEADING_TAGS = {"head"}
_SKIP_TAGS = {"table", "ref", "code"}
# Elements of the page whose text is not shown: left out of the page text that blocks are looked up in.
_HIDDEN_TAGS = {"script", "style", "noscript", "template"}

RULES: dict[str, str] = {
    "caption-repeats": "a paragraph that repeats a figure caption is the caption, kept once among the captions",
    "standfirst-headings": "a heading above the first paragraph (kicker, standfirst) or repeating the title is "
                           "no section label",
    "link-dense-blocks": "a paragraph or bullet whose text on the page is mostly link text is a teaser for "
                         "another page (Read more: ..., related stories), kept as a related link",
}
# Share of a block's characters inside <a> from which it is a teaser. Chosen by 5-fold cross-validation on the
# article extraction benchmark (``claimledger.eval.html.cross_validate_share``: folds by sha1 of the page id,
# shares 0.5 to 1.0): 0.6 was picked on 4 folds of 5, 0.8 on the fifth; 0.6 to 0.8 score alike.
LINK_DENSE_SHARE = 0.6
# Blocks longer than this (characters, spaces left out) are never looked up: teasers are short.
_MAX_TEASER_CHARS = 600


def _squeeze(text: str) -> str:
    """The text without any whitespace: the key that finds a block of trafilatura's tree on the page."""
    return "".join(text.split())


def _text(element: etree._Element) -> str:
    """The element's text, whitespace collapsed (line breaks are spaces: ``_mark_line_breaks``)."""
    return " ".join("".join(element.itertext()).split())


def _mark_line_breaks(body: etree._Element) -> None:
    """Give each line break (``lb``) of trafilatura's tree a space, so that lines do not run together."""
    for line_break in body.iter("lb"):
        line_break.text = " "


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def _link_dense(tree: etree._Element, share_from: float) -> dict[str, etree._Element]:
    """The page's short elements whose text is at least ``share_from`` link text, by their squeezed text.

    One pass from the leaves up, each element's text joined from its children's, and none longer than
    ``_MAX_TEASER_CHARS``, so that the page's long texts are never joined. A text that also stands on the page
    outside links (a paragraph and its copy in a share bar) is not link-dense: the lowest share counts.
    """
    elements = list(tree.iter())  # keeps the proxies alive, so that they can be dictionary keys
    short: dict[etree._Element, tuple[str, int]] = {}  # element -> (squeezed text, characters inside <a>)
    share: dict[str, float] = {}
    holder: dict[str, etree._Element] = {}
    for element in reversed(elements):  # every element after all of its descendants
        if not isinstance(element.tag, str) or element.tag in _HIDDEN_TAGS:
            short[element] = ("", 0)
            continue
        pieces, linked = [_squeeze(element.text or "")], 0
        for child in element:
            if child not in short:
                break
            pieces += [short[child][0], _squeeze(child.tail or "")]
            linked += short[child][1]
        else:
            text = "".join(pieces)
            if len(text) <= _MAX_TEASER_CHARS:
                linked = len(text) if element.tag == "a" else linked
                short[element] = (text, linked)
                if text:
                    share[text] = min(share.get(text, 1.0), linked / len(text))
                    holder.setdefault(text, element)
    return {text: holder[text] for text, value in share.items() if value >= share_from}


def _links(element: etree._Element, base: str | None) -> list[Link]:
    """The element's links, their addresses made absolute against the page's; none where that is no web page."""
    links = []
    for anchor in element.iter("a"):
        text = " ".join("".join(anchor.itertext()).split())
        href = urljoin(base or "", (anchor.get("href") or "").strip())
        if text:
            links.append(Link(text, href if urlparse(href).scheme in ("http", "https") else None))
    return links


def _walk(body: etree._Element, title: str | None, captions: list[Caption],
          disabled: Collection[str]) -> list[tuple[BlockKind, str]]:
    """Block parts from trafilatura's body tree (p, head, list/item, quote), with the text between blocks."""
    parts: list[tuple[BlockKind, str]] = []
    caption_texts = set() if "caption-repeats" in disabled else (
        {c.text for c in captions} | {f"{c.text} {c.credit}" for c in captions if c.credit})
    seen_paragraph = False

    def add_tail(text: str) -> None:
        nonlocal seen_paragraph
        if text:
            parts.append(("paragraph", text))
            seen_paragraph = True

    add_tail(_collapse(body.text))
    for element in body:
        tag = element.tag
        if tag in _SKIP_TAGS:
            pass
        elif tag == "list":
            parts.extend(("bullet", _text(item)) for item in element.iter("item") if _text(item))
            seen_paragraph = True
        elif (text := _text(element)) and text not in caption_texts:
            if tag not in _HEADING_TAGS:
                parts.append(("paragraph", text))
                seen_paragraph = True
            elif "standfirst-headings" in disabled or (seen_paragraph and text != title):
                parts.append(("label", text))
        add_tail(_collapse(element.tail))
    return parts


def _drop_teasers(parts: list[tuple[BlockKind, str]], tree: etree._Element, base: str | None,
                  share_from: float) -> tuple[list[tuple[BlockKind, str]], list[Link]]:
    """Parts without the paragraphs and bullets that are mostly link text on the page, and those links."""
    dense = _link_dense(tree, share_from)
    kept: list[tuple[BlockKind, str]] = []
    related: list[Link] = []
    for kind, text in parts:
        element = dense.get(_squeeze(text)) if kind != "label" else None
        if element is None:
            kept.append((kind, text))
        else:
            related.extend(_links(element, base))
    return kept, related


def parse_html(html: bytes | str, source: str, url: str | None = None, content_type: str | None = None, *,
               disabled_rules: Collection[str] = (), link_dense_share: float = LINK_DENSE_SHARE,
               ) -> Article | Rejection:
    """Extract the article from an HTML page: body without navigation, related lists, share bars or comments.

    A page given as bytes is decoded by its byte-order mark, its declared charset (``content_type``, the HTTP
    header it came with, or its own ``<meta charset>``) or, failing those, charset-normalizer's guess.
    ``disabled_rules`` names rules of ``RULES`` to leave out; ``link_dense_share`` is the link-dense-blocks
    threshold (the evaluation's cross-validation varies it).
    """
    unknown = set(disabled_rules) - set(RULES)
    if unknown:
        raise ValueError(f"unknown HTML reader rules: {', '.join(sorted(unknown))}")
    if isinstance(html, bytes):
        html = decode_html(html, content_type)
    try:
        tree = load_html(html)  # parsed once: captions and links are read from it before trafilatura prunes it
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
    _mark_line_breaks(document.body)
    parts = _walk(document.body, title, captions, disabled_rules)
    related: list[Link] = []
    if "link-dense-blocks" not in disabled_rules:
        parts, related = _drop_teasers(parts, tree, url or document.url, link_dense_share)
    if not any(kind != "label" and clean_text(text).strip() for kind, text in parts):  # not only a "\ufeff"
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
        language=document.language, captions=captions, related=related,
    )
