"""The typed records that pass between pipeline stages.

Every offset is a ``(start, end)`` pair of character offsets into ``Article.text``, the body as extracted (its
blocks joined by blank lines). Serialization to and from JSON-ready dicts lives here, once, next to each model.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Literal

BlockKind = Literal["paragraph", "bullet", "label"]
BLOCK_SEPARATOR = "\n\n"

Span = tuple[int, int]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Caption:
    text: str
    credit: str | None = None


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None = None


# Characters that are no letter and change no word: the soft hyphen (U+00AD, a hint where a word may break), the
# zero-width space (U+200B), the word joiner (U+2060) and the zero-width no-break space (U+FEFF, a byte-order mark
# left inside text). Kept: the zero-width non-joiner and joiner (U+200C, U+200D), which change how letters join
# in Persian and Indic scripts and which emoji a sequence shows, so dropping them would change the words.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def clean_text(text: str) -> str:
    """Text as an article keeps it: NFC (composed accents), without soft hyphens or zero-width characters
    (``_INVISIBLE``), so the same words read from any source are the same characters at the same offsets."""
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def normalize_text(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, whitespace collapsed, quotes unified."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES).casefold()
    return re.sub(r"\s+", " ", text).strip()


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})


def content_id(headline: str | None, body: str) -> str:
    """Stable article id: a hash of the normalized headline and body (not of the source or the markup)."""
    digest = hashlib.sha256(normalize_text(f"{headline or ''}\n{body}").encode("utf-8")).hexdigest()
    return digest[:16]


def layout_blocks(parts: Iterable[tuple[BlockKind, str]]) -> tuple[str, tuple[Block, ...]]:
    """Join block texts, cleaned (``clean_text``), with blank lines and return the body text with each block's
    offsets into it."""
    blocks: list[Block] = []
    pieces: list[str] = []
    offset = 0
    for kind, raw in parts:
        text = clean_text(raw).strip()
        if not text:
            continue
        if pieces:
            pieces.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        blocks.append(Block(kind, text, offset, offset + len(text)))
        pieces.append(text)
        offset += len(text)
    return "".join(pieces), tuple(blocks)


@dataclass(frozen=True)
class Article:
    """One news article as read by an ingest reader. ``text`` is kept as read, only cleaned (``clean_text``)
    before any offset is taken; all later offsets point into it."""

    id: str
    source: str
    text: str
    blocks: tuple[Block, ...]
    headline: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    section: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    captions: tuple[Caption, ...] = ()
    related: tuple[Link, ...] = ()

    @classmethod
    def from_blocks(cls, source: str, parts: Iterable[tuple[BlockKind, str]], **meta: Any) -> "Article":
        """The article whose body is ``parts`` (kind, text) laid out by ``layout_blocks``: the one place where
        every reader's text, headline, authors, captions and related links are cleaned (``clean_text``), so the
        id of the same story is the same however its characters were encoded."""
        text, blocks = layout_blocks(parts)
        if meta.get("headline"):
            meta["headline"] = clean_text(meta["headline"])
        meta["authors"] = tuple(clean_text(a) for a in meta.get("authors") or ())
        meta["captions"] = tuple(Caption(clean_text(c.text), c.credit and clean_text(c.credit))
                                 for c in meta.get("captions") or ())
        meta["related"] = tuple(Link(clean_text(r.text), r.url) for r in meta.get("related") or ())
        return cls(id=content_id(meta.get("headline"), text), source=source, text=text, blocks=blocks, **meta)

    def meta_dict(self) -> dict[str, Any]:
        """The ``article`` object of the JSON output contract (without body)."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "outlet": self.outlet,
            "headline": self.headline,
            "published": self.published,
            "section": self.section,
            "authors": list(self.authors),
            "language": self.language,
            "captions": [asdict(c) for c in self.captions],
            "related": [asdict(r) for r in self.related],
        }

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.meta_dict(), "text": self.text, "blocks": [asdict(b) for b in self.blocks]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        meta = dict(data["article"])
        return cls(
            id=meta.pop("id"),
            source=meta.pop("source"),
            text=data["text"],
            blocks=tuple(Block(**b) for b in data["blocks"]),
            url=meta.get("url"),
            outlet=meta.get("outlet"),
            headline=meta.get("headline"),
            published=meta.get("published"),
            section=meta.get("section"),
            authors=tuple(meta.get("authors") or ()),
            language=meta.get("language"),
            captions=tuple(Caption(**c) for c in meta.get("captions") or ()),
            related=tuple(Link(**r) for r in meta.get("related") or ()),
        )


@dataclass(frozen=True)
class Rejection:
    """An input (a file, a line, a feed entry, a WARC record) that yielded no article, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


# --- extraction -------------------------------------------------------------------------------------------------

ActorKind = Literal["person", "organization", "country", "group"]
StatementKind = Literal["direct", "partial", "indirect", "announcement"]


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    titles: tuple[str, ...] = ()
    affiliation: str | None = None
    mentions: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "titles": list(self.titles),
            "affiliation": self.affiliation,
            "mentions": [list(m) for m in self.mentions],
        }


@dataclass(frozen=True)
class Statement:
    id: str
    speaker: str | None  # an Actor id
    speaker_name: str | None
    kind: StatementKind
    cue: str | None
    text: str
    span: Span
    date: str | None = None
    cue_span: Span | None = None
    speaker_span: Span | None = None
    # The cue says it was not said ("did not confirm", "declined to say whether"): the speaker is reported on the
    # content without asserting it, so it stands in no claim.
    negated: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("span", "cue_span", "speaker_span"):
            data[key] = list(data[key]) if data[key] is not None else None
        return data


@dataclass(frozen=True)
class Quantity:
    text: str
    value: float
    unit: str | None
    qualifier: str | None
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "span": list(self.span)}


@dataclass(frozen=True)
class DateMention:
    text: str
    value: str  # ISO, at the granularity of the text: 2022, 2022-02, 2022-02-16, 2022-W07
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "span": list(self.span)}


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "span": list(self.span)}


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article_id: str
    actors: tuple[Actor, ...] = ()
    statements: tuple[Statement, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    places: tuple[Place, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "actors": [a.to_dict() for a in self.actors],
            "statements": [s.to_dict() for s in self.statements],
            "quantities": [q.to_dict() for q in self.quantities],
            "dates": [d.to_dict() for d in self.dates],
            "places": [p.to_dict() for p in self.places],
        }

    @classmethod
    def from_dict(cls, article_id: str, data: dict[str, Any]) -> "Extraction":
        """The extraction of ``article_id`` whose ``to_dict()`` is ``data`` (as stored, or as Parquet rows carry
        it); fields added since a record was written take their defaults."""

        def span(value: Any) -> Span | None:
            return None if value is None else (value[0], value[1])

        return cls(
            article_id,
            tuple(Actor(a["id"], a["name"], a["kind"], tuple(a["titles"]), a["affiliation"],
                        tuple(span(m) for m in a["mentions"])) for a in data.get("actors", [])),
            tuple(Statement(s["id"], s["speaker"], s["speaker_name"], s["kind"], s["cue"], s["text"], span(s["span"]),
                            s.get("date"), span(s.get("cue_span")), span(s.get("speaker_span")),
                            bool(s.get("negated", False))) for s in data.get("statements", [])),
            tuple(Quantity(q["text"], q["value"], q["unit"], q["qualifier"], span(q["span"]))
                  for q in data.get("quantities", [])),
            tuple(DateMention(d["text"], d["value"], span(d["span"])) for d in data.get("dates", [])),
            tuple(Place(p["name"], p["country"], span(p["span"])) for p in data.get("places", [])),
        )


__all__ = [
    "Actor",
    "Article",
    "Block",
    "Caption",
    "DateMention",
    "Extraction",
    "Link",
    "Place",
    "Quantity",
    "Rejection",
    "Statement",
    "clean_text",
    "content_id",
    "layout_blocks",
    "normalize_text",
]
