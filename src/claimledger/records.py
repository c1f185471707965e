"""The records the ledger is read as: by ``Ledger`` in Python, by the CLI's ``--format jsonl`` and ``export``, and
(under the same field names) by the HTTP API, whose JSON shapes are documented in ``serve/schemas.py``.

Each record is a frozen dataclass whose ``to_dict()`` is JSON-ready (tuples become lists), so a list of them makes
a pandas DataFrame: ``pd.DataFrame([a.to_dict() for a in ledger.articles()])``. Offsets are ``[start, end]``
character offsets into the article's ``text``, as everywhere in claimledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_type_hints

from claimledger.models import (Actor, Block, Caption, DateMention, Link, Place, Quantity, Span,
                                Statement)

Stance = Literal["supports", "contradicts", "discusses"]


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: records as their dicts, tuples as lists."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):  # Block, Caption, Link: models without a to_dict of their own
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return value


class Record:
    """A record whose ``to_dict`` has one key per field, in field order."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def columns(cls) -> list[tuple[str, Any]]:
        """The keys of ``to_dict`` with their types, in order: the columns of an export."""
        hints = get_type_hints(cls)
        return [(f.name, hints[f.name]) for f in fields(cls)]  # type: ignore[arg-type]


def _span(value: Any) -> Span | None:
    return (value[0], value[1]) if value is not None else None


@dataclass(frozen=True)
class ArticleSummary(Record):
    """An article as listed (``/api/articles``, ``claimledger articles``): its metadata and how many statements
    were extracted from it; no text."""

    id: str
    headline: str | None
    outlet: str | None
    published: str | None
    section: str | None
    url: str | None
    source: str
    authors: tuple[str, ...]
    statements: int

    @classmethod
    def from_row(cls, row: dict) -> "ArticleSummary":
        return cls(row["id"], row["headline"], row["outlet"], row["published"], row["section"], row["url"],
                   row["source"], tuple(row["authors"]), row["statements"])


@dataclass(frozen=True)
class ArticleDetail(Record):
    """One article whole (``/api/articles/{id}``, ``claimledger show``): metadata, text, blocks and every fact
    extracted from it, with offsets into ``text``; ``extracted`` is False (and the facts empty) until
    ``claimledger extract`` has run on it."""

    id: str
    source: str
    url: str | None
    outlet: str | None
    headline: str | None
    published: str | None
    section: str | None
    authors: tuple[str, ...]
    language: str | None
    captions: tuple[Caption, ...]
    related: tuple[Link, ...]
    text: str
    blocks: tuple[Block, ...]
    extracted: bool
    actors: tuple[Actor, ...] = ()
    statements: tuple[Statement, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class StatementRow(Record):
    """A statement as listed (``/api/statements``, ``claimledger statements``): who said what, in which words
    (``span`` into its article's text), with its article's headline, outlet and publication date. ``date`` is
    the statement's own date when the text gives one; ``said`` is that, else the article's publication day."""

    id: str
    article_id: str
    speaker_name: str | None
    kind: str
    cue: str | None
    text: str
    span: Span
    date: str | None
    negated: bool
    said: str | None
    headline: str | None
    outlet: str | None
    published: str | None

    @classmethod
    def from_row(cls, row: dict) -> "StatementRow":
        return cls(row["id"], row["article_id"], row["speaker_name"], row["kind"], row["cue"], row["text"],
                   _span(row["span"]), row["date"], bool(row["negated"]), row["said"], row["headline"],
                   row["outlet"], row["published"])


@dataclass(frozen=True)
class LedgerActor(Record):
    """An actor as linking found it across articles (``claimledger actors``): one person or organization however
    named. ``actor_id`` and ``slug`` are what ``/api/actors/{key}`` reports as its ``actor_id`` and ``slug``;
    ``aliases`` are the other names it was filed under; ``articles`` counts the articles that mention it,
    ``claim_statements`` the claim timeline entries in which it takes a stance."""

    actor_id: str
    slug: str | None
    name: str
    kind: str
    titles: tuple[str, ...]
    affiliation: str | None
    aliases: tuple[str, ...]
    articles: int
    claim_statements: int

    @classmethod
    def from_row(cls, row: dict) -> "LedgerActor":
        return cls(row["id"], row["slug"], row["name"], row["kind"], tuple(row["titles"]), row["affiliation"],
                   tuple(row["aliases"]), row["articles"], row["claim_statements"])


@dataclass(frozen=True)
class ClaimStatement(Record):
    """One entry of a claim's timeline (``/api/claims/{id}``'s ``timeline``): who took which stance, in which words,
    where and when.

    ``id`` is the entry's own id: the statement's, or for a stance the writer reports for someone not quoted,
    the statement's and that actor's (a statement can then stand twice in one timeline). ``actor_id`` is the
    speaker's ledger actor. ``date`` is the statement's own date or its article's; None when neither is known
    (undated entries come after the dated ones, in article and text order). ``reported`` marks a reported stance;
    ``stance_source`` says what decided the stance (origin: the statement that words the claim; model: the
    statement stance model; reported, reported-doubt: a phrase of the writer's)."""

    id: str
    claim_id: str
    statement_id: str
    article_id: str
    headline: str | None
    outlet: str | None
    actor_id: str | None
    speaker_name: str | None
    text: str
    span: Span
    date: str | None
    stance: Stance
    evidence: str
    evidence_span: Span
    stance_source: str
    reported: bool
    confidence: float = 1.0  # the stance model's probability of the stance; 1 for the statement wording the claim
    anonymous: bool = False  # the speaker is an unnamed source ("a senior U.S. official"), named by its words


@dataclass(frozen=True)
class ClaimSummary(Record):
    """A claim as listed (``/api/claims``, ``claimledger claims``): its wording, first sighting, subjects (actor
    names), ``size`` (the statements that assert it themselves; reported stances are not counted) and how many
    timeline entries support, contradict and discuss it."""

    id: str
    text: str
    first_seen: str | None
    first_article: str
    subjects: tuple[str, ...]
    size: int
    supports: int
    contradicts: int
    discusses: int


@dataclass(frozen=True)
class Claim(Record):
    """A claim with its timeline (``/api/claims/{id}``, ``claimledger claim``): the ``ClaimSummary`` fields and
    every statement that supports, contradicts or discusses it, oldest first."""

    id: str
    text: str
    first_seen: str | None
    first_article: str
    subjects: tuple[str, ...]
    size: int
    timeline: tuple[ClaimStatement, ...] = ()
    dispute_confidence: float = field(default=0.5, repr=False)  # how sure a contradiction must be for a dispute

    def stances(self) -> dict[str, int]:
        """How many timeline entries support, contradict and discuss the claim."""
        counts = {"supports": 0, "contradicts": 0, "discusses": 0}
        for statement in self.timeline:
            counts[statement.stance] += 1
        return counts

    def disputers(self) -> list[ClaimStatement]:
        """The contradictions that make the claim a dispute: at least ``dispute_confidence`` sure, by a known
        speaker who is not also among its supporters (a speaker's next sentence never disputes their last), the
        surest first."""
        supports = [s for s in self.timeline if s.stance == "supports"]
        if not supports:
            return []
        supporters = {s.actor_id for s in supports if s.actor_id} | {s.speaker_name for s in supports if s.speaker_name}
        found = [s for s in self.timeline if s.stance == "contradicts" and s.speaker_name
                 and s.confidence >= self.dispute_confidence and s.speaker_name not in supporters
                 and (s.actor_id is None or s.actor_id not in supporters)]
        return sorted(found, key=lambda s: -s.confidence)

    @property
    def disputed(self) -> bool:
        """Supported by someone and contradicted by someone else (``disputers``)."""
        return bool(self.disputers())

    def summary(self) -> ClaimSummary:
        counts = self.stances()
        return ClaimSummary(self.id, self.text, self.first_seen, self.first_article, self.subjects, self.size,
                            counts["supports"], counts["contradicts"], counts["discusses"])

    def to_dict(self) -> dict[str, Any]:
        """The summary's fields, then ``timeline``: the ``/api/claims/{id}`` object."""
        return {**self.summary().to_dict(), "timeline": [s.to_dict() for s in self.timeline]}

    @classmethod
    def columns(cls) -> list[tuple[str, Any]]:
        return [*ClaimSummary.columns(), ("timeline", tuple[ClaimStatement, ...])]


@dataclass(frozen=True)
class SearchResult(Record):
    """One full-text match (``/api/search``, ``claimledger search``): a statement or an article, with a snippet
    (HTML: the text escaped, each match inside ``<mark>``) and its ``score``, a relevance where higher is better:
    minus the store's bm25 (FTS5 gives the best match the most negative bm25). The statement fields are None for
    an article."""

    type: Literal["statement", "article"]
    id: str
    article_id: str
    headline: str | None
    outlet: str | None
    published: str | None
    snippet: str
    score: float
    speaker_name: str | None = None
    kind: str | None = None
    cue: str | None = None
    text: str | None = None
    span: Span | None = None
    date: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> "SearchResult":
        return cls(row["type"], row["id"], row["article_id"], row["headline"], row["outlet"], row["published"],
                   row["snippet"], 0.0 - row["score"], row.get("speaker_name"), row.get("kind"), row.get("cue"),
                   row.get("text"), _span(row.get("span")), row.get("date"))


__all__ = ["ArticleDetail", "ArticleSummary", "Claim", "ClaimStatement", "ClaimSummary", "LedgerActor", "Record",
           "SearchResult", "StatementRow", "plain"]
