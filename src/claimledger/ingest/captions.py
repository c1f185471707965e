"""Photo captions and their credits, shared by the text and HTML readers."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import html as lxml_html

from claimledger.data import table_lines
from claimledger.models import Caption

_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source|attribution", re.IGNORECASE)
_MIN_CAPTION_WORDS = 3


@lru_cache(maxsize=1)
def credit_pattern() -> re.Pattern[str]:
    """``text Photo: credit`` (or ``(Photo: credit)``, ``Credit: ...``): groups ``text`` and ``credit``."""
    credits = sorted(table_lines("ingest/caption_credits.txt"), key=len, reverse=True)
    return re.compile(r"^(?P<text>.*?)\s*\(?(?:" + "|".join(re.escape(x) for x in credits) +
                      r")\s*:\s*(?P<credit>[^\n]{2,160}?)\)?$", re.IGNORECASE | re.DOTALL)


def split_credit(text: str) -> Caption:
    """A caption with its trailing credit split off, when it has one."""
    match = credit_pattern().match(text.strip())
    if match and match["text"].strip():
        return Caption(match["text"].strip(), match["credit"].strip().rstrip("."))
    return Caption(text.strip())


@lru_cache(maxsize=1)
def _prefix_pattern() -> re.Pattern[str]:
    prefixes = sorted(table_lines("ingest/caption_prefixes.txt"), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(p) for p in prefixes) + r")\s*:?\s+", re.IGNORECASE)


def _text(element: lxml_html.HtmlElement) -> str:
    # itertext, not text_content: adjacent elements (a credit span, then the caption) must not run together.
    return " ".join(" ".join(element.itertext()).split())


def _clean_credit(credit: str) -> str:
    """``(Image credit: AFP)`` -> ``AFP``."""
    credit = credit.strip().strip("()").strip()
    match = credit_pattern().match(credit)
    if match and not match["text"].strip():
        credit = match["credit"].strip()
    return credit.rstrip(".").strip()


def figure_captions(tree: lxml_html.HtmlElement) -> list[Caption]:
    """Captions of the page's figures (``figcaption``), credits from credit-classed children or a ``Photo:`` tail.

    Read before trafilatura prunes the tree; image alt texts are not used, since on news pages they are as often
    logos and related-story titles as captions.
    """
    captions: list[Caption] = []
    seen: set[str] = set()
    for figcaption in tree.iter("figcaption"):
        credit = None
        parts = []
        for node in figcaption.iter():
            if node is not figcaption and _CREDIT_CLASS.search(node.get("class", "") or ""):
                credit = _text(node) or credit
        full = _prefix_pattern().sub("", _text(figcaption))
        if credit and credit in full:
            rest = full.replace(credit, " ").strip(" |/—-")
            caption = Caption(" ".join(rest.split()), _clean_credit(credit))
        else:
            caption = split_credit(full)
        parts.append(caption)
        for item in parts:
            if len(item.text.split()) >= _MIN_CAPTION_WORDS and item.text not in seen:
                seen.add(item.text)
                captions.append(item)
    return captions
