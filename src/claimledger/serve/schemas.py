"""The JSON shapes of the HTTP API, as pydantic models: they validate responses and document them at /docs.

Offsets are ``[start, end]`` character offsets into the article's ``text``, as everywhere in claimledger.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from claimledger.serve.pages import ALIAS_ARTICLES

Span = list[int]


class ParameterError(BaseModel):
    loc: list[str | int] = Field(description='Where: ["query", "limit"], ["path", "article_id"], ["body", "file"].')
    msg: str
    type: str


class Error(BaseModel):
    """Every error the API answers, whatever its status."""

    detail: str = Field(description="What was wrong, in one line.")
    errors: list[ParameterError] | None = Field(None, description="For invalid parameters (422), one entry each.")


class Page(BaseModel):
    total: int = Field(description="Rows matching the filters, over all pages.")
    limit: int
    offset: int


class ArticleSummary(BaseModel):
    id: str
    headline: str | None
    outlet: str | None
    published: str | None
    section: str | None
    url: str | None
    source: str
    authors: list[str]
    statements: int = Field(description="Statements extracted from the article.")


class ArticlePage(Page):
    results: list[ArticleSummary]


class BlockOut(BaseModel):
    kind: str
    text: str
    start: int
    end: int


class ActorMention(BaseModel):
    id: str = Field(description="The actor's id inside this article's extraction.")
    name: str
    kind: str
    titles: list[str]
    affiliation: str | None
    mentions: list[Span]


class StatementFact(BaseModel):
    id: str
    speaker: str | None = Field(description="An actor id of this article.")
    speaker_name: str | None
    kind: str
    cue: str | None
    text: str
    span: Span
    date: str | None
    cue_span: Span | None = None
    speaker_span: Span | None = None
    negated: bool = Field(False, description="The cue says it was not said (\"declined to say\"): no claim.")


class QuantityFact(BaseModel):
    text: str
    value: float
    unit: str | None
    qualifier: str | None
    span: Span


class DateFact(BaseModel):
    text: str
    value: str
    span: Span


class PlaceFact(BaseModel):
    name: str
    country: str | None
    span: Span


class ArticleDetail(BaseModel):
    id: str
    source: str
    url: str | None
    outlet: str | None
    headline: str | None
    published: str | None
    section: str | None
    authors: list[str]
    language: str | None
    text: str
    blocks: list[BlockOut]
    extracted: bool = Field(description="Whether `claimledger extract` has run on the article.")
    actors: list[ActorMention]
    statements: list[StatementFact]
    quantities: list[QuantityFact]
    dates: list[DateFact]
    places: list[PlaceFact]


class StatementRow(BaseModel):
    id: str
    article_id: str
    speaker_name: str | None
    kind: str
    cue: str | None
    text: str
    span: Span
    date: str | None
    negated: bool = Field(False, description="The cue says it was not said (\"declined to say\"): no claim.")
    said: str | None = Field(description="The statement's own date, else its article's publication day.")
    headline: str | None
    outlet: str | None
    published: str | None


class StatementPage(Page):
    results: list[StatementRow]


class ActorSummary(BaseModel):
    name: str
    statements: int
    articles: int
    first: str | None = Field(description="The first day they said something (ISO).")
    last: str | None
    aliases: list[str] = Field(description=f"Other names the articles call them by, the most used first (read from "
                                           f"their latest {ALIAS_ARTICLES} articles), then, once linking has run, "
                                           "the names it filed them under across articles.")


class ActorPage(Page):
    results: list[ActorSummary]


class ActorClaim(BaseModel):
    id: str
    text: str
    first_seen: str | None
    stance: Literal["supports", "contradicts", "discusses"]
    statements: int = Field(description="Their statements taking this stance.")


class ActorProfile(ActorSummary):
    kind: str | None
    titles: list[str]
    affiliations: list[str]
    kinds: dict[str, int] = Field(description="Statements by kind: direct, partial, indirect, announcement.")
    claims: list[ActorClaim] = Field(default=[], description="Claims they took a stance on (after linking).")
    actor_id: str | None = Field(default=None, description="Their ledger actor's id (after linking).")
    slug: str | None = Field(default=None, description="Their ledger actor's stable readable id, as in "
                                                        "/actors/{slug} (after linking).")


class SearchResult(BaseModel):
    type: Literal["statement", "article"]
    id: str
    article_id: str
    headline: str | None
    outlet: str | None
    published: str | None
    snippet: str = Field(description="HTML: the matching text escaped, each match inside <mark>.")
    score: float = Field(description="bm25; lower is a better match.")
    speaker_name: str | None = None
    kind: str | None = None
    cue: str | None = None
    text: str | None = None
    span: Span | None = None
    date: str | None = None


class SearchPage(Page):
    results: list[SearchResult]


class ClaimSummary(BaseModel):
    id: str
    text: str
    first_seen: str | None
    first_article: str
    size: int
    supports: int
    contradicts: int
    discusses: int


class ClaimPage(Page):
    results: list[ClaimSummary]


class ClaimEntry(BaseModel):
    statement_id: str
    article_id: str
    headline: str | None
    outlet: str | None
    speaker_name: str | None
    text: str
    span: Span
    date: str | None
    stance: Literal["supports", "contradicts", "discusses"]
    evidence: str
    evidence_span: Span


class ClaimDetail(ClaimSummary):
    timeline: list[ClaimEntry] = Field(description="Who supports, contradicts or discusses it, oldest first.")


class Ingested(BaseModel):
    stored: list[str] = Field(description="Ids of the new articles.")
    duplicates: list[dict] = Field(description="Articles already in the ledger: {id, kept_id, kind}.")
    rejected: list[str] = Field(description="Parts of the upload that were not articles, and why.")
