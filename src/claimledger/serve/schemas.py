"""The JSON shapes of the HTTP API, as pydantic models: they validate responses and document them at /docs.

The records are those of ``claimledger.records`` (what ``Ledger`` and ``claimledger ... --format jsonl`` give),
with the same field names and values. Offsets are ``[start, end]`` character offsets into the article's ``text``,
as everywhere in claimledger. Every field has a description: ``tests/serve/test_api.py`` checks it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from claimledger.serve.pages import ALIAS_ARTICLES

Span = list[int]
Stance = Literal["supports", "contradicts", "discusses"]
_SPAN = "[start, end]: character offsets into the article's `text`."


class ParameterError(BaseModel):
    loc: list[str | int] = Field(description='Where: ["query", "limit"], ["path", "article_id"], ["body", "file"].')
    msg: str = Field(description="What is wrong with it, in one line.")
    type: str = Field(description="The kind of error, as pydantic names it (`less_than_equal`, `missing`, ...).")


class Error(BaseModel):
    """Every error the API answers, whatever its status."""

    detail: str = Field(description="What was wrong, in one line.")
    errors: list[ParameterError] | None = Field(None, description="For invalid parameters (422), one entry each.")


class Page(BaseModel):
    total: int = Field(description="Rows matching the filters, over all pages.")
    limit: int = Field(description="Rows per page asked for.")
    offset: int = Field(description="Rows skipped before this page.")


class ArticleSummary(BaseModel):
    id: str = Field(description="The article's id: a hash of its text, 16 hex digits.")
    headline: str | None = Field(description="Its headline, when it has one.")
    outlet: str | None = Field(description="Who published it (site or publication name).")
    published: str | None = Field(description="When it was published (ISO date or datetime).")
    section: str | None = Field(description="The outlet's section, when known.")
    url: str | None = Field(description="Where it was published, when known.")
    source: str = Field(description="Where it was read from: a file path, a feed entry, `upload:name`.")
    authors: list[str] = Field(description="Its bylines.")
    statements: int = Field(description="Statements extracted from the article.")


class ArticlePage(Page):
    results: list[ArticleSummary] = Field(description="This page's articles, newest first, undated last.")


class BlockOut(BaseModel):
    kind: str = Field(description="heading, paragraph, quote or list item.")
    text: str = Field(description="The block's text: `text[start:end]` of the article.")
    start: int = Field(description="Where the block starts in the article's `text`.")
    end: int = Field(description="Where it ends (exclusive).")


class CaptionOut(BaseModel):
    text: str = Field(description="An image or video caption, kept apart from the article's text.")
    credit: str | None = Field(description="Whom the caption credits (photographer, agency), when given.")


class LinkOut(BaseModel):
    text: str = Field(description="The link's words: a related article's headline.")
    url: str | None = Field(description="Where it leads, when known.")


class ActorMention(BaseModel):
    id: str = Field(description="The actor's id inside this article's extraction.")
    name: str = Field(description="The actor's fullest name in this article.")
    kind: str = Field(description="person, organization, country or group.")
    titles: list[str] = Field(description="Titles the article gives them (`Secretary General`).")
    affiliation: str | None = Field(description="Whom they speak for, by the article (`NATO`).")
    mentions: list[Span] = Field(description=f"Every place the article names them: {_SPAN}")


class StatementFact(BaseModel):
    id: str = Field(description="The statement's id inside this article's extraction (`s3`).")
    speaker: str | None = Field(description="An actor id of this article.")
    speaker_name: str | None = Field(description="The speaker's name; null where nobody could be named.")
    kind: str = Field(description="direct (quoted word for word), partial, indirect (reported) or announcement.")
    cue: str | None = Field(description="The speech verb or phrase (`said`, `according to`).")
    text: str = Field(description="What was said: `text[span[0]:span[1]]` of the article.")
    span: Span = Field(description=_SPAN)
    date: str | None = Field(description="When it was said, when the text says (ISO date, month or year).")
    cue_span: Span | None = Field(None, description=f"Where the cue is: {_SPAN}")
    speaker_span: Span | None = Field(None, description=f"Where the speaker is named: {_SPAN}")
    negated: bool = Field(False, description="The cue says it was not said (\"declined to say\"): no claim.")


class QuantityFact(BaseModel):
    text: str = Field(description="The quantity as written (`$5 million`).")
    value: float = Field(description="Its number (5000000).")
    unit: str | None = Field(description="Its unit, when it has one (`USD`, `troops`).")
    qualifier: str | None = Field(description="A word that bounds it (`about`, `more than`).")
    span: Span = Field(description=_SPAN)


class DateFact(BaseModel):
    text: str = Field(description="The date as written (`Wednesday`).")
    value: str = Field(description="It as an ISO date, month or year, resolved against the publication date.")
    span: Span = Field(description=_SPAN)


class PlaceFact(BaseModel):
    name: str = Field(description="The place as named.")
    country: str | None = Field(description="Its country, when known.")
    span: Span = Field(description=_SPAN)


class ArticleDetail(BaseModel):
    id: str = Field(description="The article's id: a hash of its text, 16 hex digits.")
    source: str = Field(description="Where it was read from: a file path, a feed entry, `upload:name`.")
    url: str | None = Field(description="Where it was published, when known.")
    outlet: str | None = Field(description="Who published it.")
    headline: str | None = Field(description="Its headline, when it has one.")
    published: str | None = Field(description="When it was published (ISO date or datetime).")
    section: str | None = Field(description="The outlet's section, when known.")
    authors: list[str] = Field(description="Its bylines.")
    language: str | None = Field(description="Its language (ISO 639-1), when known.")
    captions: list[CaptionOut] = Field(description="Captions of its images and videos, outside `text`.")
    related: list[LinkOut] = Field(description="Links to related articles it carried, outside `text`.")
    text: str = Field(description="Its text, which every offset indexes.")
    blocks: list[BlockOut] = Field(description="Its headings, paragraphs, quotes and list items, in order.")
    extracted: bool = Field(description="Whether `claimledger extract` has run on the article.")
    actors: list[ActorMention] = Field(description="Who the article names (after extraction).")
    statements: list[StatementFact] = Field(description="Who said what, in text order (after extraction).")
    quantities: list[QuantityFact] = Field(description="Numbers with their units (after extraction).")
    dates: list[DateFact] = Field(description="Dates it mentions (after extraction).")
    places: list[PlaceFact] = Field(description="Places it mentions (after extraction).")


class StatementRow(BaseModel):
    id: str = Field(description="The statement's id: `{article_id}:{id in the article}`.")
    article_id: str = Field(description="Its article's id.")
    speaker_name: str | None = Field(description="The speaker's name; null where nobody could be named.")
    kind: str = Field(description="direct (quoted word for word), partial, indirect (reported) or announcement.")
    cue: str | None = Field(description="The speech verb or phrase (`said`, `according to`).")
    text: str = Field(description="What was said: `text[span[0]:span[1]]` of its article.")
    span: Span = Field(description=_SPAN)
    date: str | None = Field(description="When it was said, when the text says (ISO date, month or year).")
    negated: bool = Field(False, description="The cue says it was not said (\"declined to say\"): no claim.")
    said: str | None = Field(description="The statement's own date, else its article's publication day.")
    headline: str | None = Field(description="Its article's headline.")
    outlet: str | None = Field(description="Its article's outlet.")
    published: str | None = Field(description="Its article's publication date.")


class StatementPage(Page):
    results: list[StatementRow] = Field(description="This page's statements.")


class ActorSummary(BaseModel):
    name: str = Field(description="The name statements give the speaker.")
    statements: int = Field(description="Their statements (within the filters).")
    articles: int = Field(description="Articles quoting them (within the filters).")
    first: str | None = Field(description="The first day they said something (ISO).")
    last: str | None = Field(description="The last day they said something (ISO).")
    aliases: list[str] = Field(description=f"Other names the articles call them by, the most used first (read from "
                                           f"their latest {ALIAS_ARTICLES} articles), then, once linking has run, "
                                           "the names it filed them under across articles.")
    actor_id: str | None = Field(default=None, description="The ledger actor behind the speaker: the one their "
                                                           "statements were filed under (after linking).")
    slug: str | None = Field(default=None, description="That ledger actor's stable readable id, as in "
                                                       "/actors/{slug} (after linking).")


class ActorPage(Page):
    results: list[ActorSummary] = Field(description="This page's speakers, most quoted first.")


class ActorClaim(BaseModel):
    id: str = Field(description="The claim's id.")
    text: str = Field(description="The claim's wording.")
    first_seen: str | None = Field(description="When it was first said (ISO).")
    stance: Stance = Field(description="The stance they took on it.")
    statements: int = Field(description="Their statements taking this stance.")
    disputed: bool = Field(False, description="Someone supports the claim and someone else contradicts it.")
    disputer: bool = Field(False, description="They contradict it, and theirs is one of the contradictions that "
                                              "make it a dispute.")


class ActorProfile(ActorSummary):
    kind: str | None = Field(description="person, organization, country or group, as most articles have it.")
    titles: list[str] = Field(description="Their titles, the most used first.")
    affiliations: list[str] = Field(description="Whom they speak for, the most used first.")
    kinds: dict[str, int] = Field(description="Statements by kind: direct, partial, indirect, announcement.")
    claims: list[ActorClaim] = Field(default=[], description="Claims they took a stance on (after linking).")
    actor_id: str | None = Field(default=None, description="The ledger actor the key names: where the key is a "
                                                           "quoted name, the one its statements were filed under "
                                                           "(after linking).")
    slug: str | None = Field(default=None, description="That ledger actor's stable readable id, as in "
                                                       "/actors/{slug} (after linking).")


class SearchResult(BaseModel):
    type: Literal["statement", "article"] = Field(description="What matched: a statement, or an article.")
    id: str = Field(description="The statement's id, or the article's.")
    article_id: str = Field(description="The article's id.")
    headline: str | None = Field(description="The article's headline.")
    outlet: str | None = Field(description="The article's outlet.")
    published: str | None = Field(description="The article's publication date.")
    snippet: str = Field(description="HTML: the matching text escaped, each match inside <mark>.")
    score: float = Field(description="Relevance, higher is better: minus FTS5's bm25 (which is lower, more "
                                     "negative, the better the match) on SQLite, ts_rank on PostgreSQL.")
    speaker_name: str | None = Field(description="The statement's speaker; null for an article.")
    kind: str | None = Field(description="The statement's kind; null for an article.")
    cue: str | None = Field(description="The statement's cue; null for an article.")
    text: str | None = Field(description="The statement's words; null for an article.")
    span: Span | None = Field(description=f"The statement's {_SPAN} Null for an article.")
    date: str | None = Field(description="The statement's own date; null for an article (and where the text "
                                         "gives none).")


class SearchPage(Page):
    results: list[SearchResult] = Field(description="This page's matches, the best first.")


class ClaimSummary(BaseModel):
    id: str = Field(description="The claim's id.")
    text: str = Field(description="The claim's wording: that of the statement that first made it.")
    first_seen: str | None = Field(description="When it was first said (ISO); null when undated.")
    first_article: str = Field(description="The id of the article it was first seen in.")
    subjects: list[str] = Field(description="Whom it is about: the names of its subjects' ledger actors.")
    size: int = Field(description="Statements that assert it themselves (reported stances not counted).")
    supports: int = Field(description="Timeline entries that support it.")
    contradicts: int = Field(description="Timeline entries that contradict it.")
    discusses: int = Field(description="Timeline entries that discuss it without taking a side.")


class ClaimPage(Page):
    results: list[ClaimSummary] = Field(description="This page's claims, the disputed first.")


class ClaimEntry(BaseModel):
    id: str = Field(description="The entry's own id: the statement's, or for a stance the writer reports for "
                                "someone not quoted, the statement's and that actor's.")
    claim_id: str = Field(description="The claim's id.")
    statement_id: str = Field(description="The statement's id (it may stand twice in one timeline).")
    article_id: str = Field(description="Its article's id.")
    headline: str | None = Field(description="Its article's headline.")
    outlet: str | None = Field(description="Its article's outlet.")
    actor_id: str | None = Field(description="The ledger actor taking the stance.")
    speaker_name: str | None = Field(description="The name of whoever takes the stance.")
    text: str = Field(description="The statement's words.")
    span: Span = Field(description=_SPAN)
    date: str | None = Field(description="The statement's own date or its article's; null when neither is known.")
    stance: Stance = Field(description="Whether it supports, contradicts or discusses the claim.")
    evidence: str = Field(description="The sentence the stance was read from.")
    evidence_span: Span = Field(description=f"Where the evidence is: {_SPAN}")
    stance_source: str = Field(description="What decided the stance: origin (the statement wording the claim), "
                                           "model (the stance model), reported or reported-doubt (the writer's "
                                           "words).")
    reported: bool = Field(description="The writer reports the stance for someone not quoted.")
    confidence: float = Field(description="How sure the stance model is of the stance (0 to 1); 1 for the "
                                          "statement wording the claim.")
    anonymous: bool = Field(description="The speaker is an unnamed source (`a senior U.S. official`).")


class ClaimDetail(ClaimSummary):
    timeline: list[ClaimEntry] = Field(description="Who supports, contradicts or discusses it, oldest first.")


class TimelinePage(Page):
    results: list[ClaimEntry] = Field(description="This page of the claim's timeline, oldest first.")


class DisputePage(Page):
    results: list[ClaimDetail] = Field(description="This page's disputed claims, the most surely contradicted "
                                                   "first, each with its whole timeline.")


class Ingested(BaseModel):
    stored: list[str] = Field(description="Ids of the new articles.")
    duplicates: list[dict] = Field(description="Articles already in the ledger: {id, kept_id, kind}.")
    rejected: list[str] = Field(description="Parts of the upload that were not articles, and why.")
