"""The ledger from Python, for notebooks: articles, statements, actors, claims with their timelines, disputes and
full-text search, as the records of ``claimledger.records``.

    >>> from claimledger import Ledger
    >>> with Ledger("news.db") as ledger:
    ...     ledger.link()
    ...     for claim in ledger.disputes():
    ...         print(claim.text, [(s.date, s.speaker_name, s.stance) for s in claim.timeline])

The records and their field names are those of ``claimledger ... --format jsonl`` and of the HTTP API under
``/api/``; ``to_dict()`` of each is JSON-ready, and a list of them makes a pandas DataFrame. Filters by outlet
and by name ignore case; dates may be a year, a month or a day (``"2022"``, ``"2022-02"``, ``"2022-02-16"``).
Reading needs no model; only ``link`` loads the sentence encoder and the stance model.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Literal, TypeVar

from claimledger.config import Settings, load_settings
from claimledger.models import Extraction
from claimledger.records import (ArticleDetail, ArticleSummary, Claim, ClaimStatement, ClaimSummary, LedgerActor,
                                 SearchResult, StatementRow)
from claimledger.store import StoreError, open_store
from claimledger.store.fts import SearchFilters

__all__ = ["ArticleDetail", "ArticleSummary", "Claim", "ClaimStatement", "ClaimSummary", "Ledger", "LedgerActor",
           "SearchResult", "StatementRow", "day_range", "period"]

R = TypeVar("R")
# SQLite reads a negative LIMIT as none: the store's page queries then return every row.
_ALL = -1
_PARTIAL_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def period(value: str) -> tuple[date, date]:
    """The first and last day of the ISO year, month or day ``value`` (``2022``, ``2022-02``, ``2022-02-16``);
    ValueError for anything else."""
    match = _PARTIAL_DAY.fullmatch(value)
    if match is None:
        raise ValueError("it is written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if day:
        return date(year, month, day), date(year, month, day)
    if month:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def _bounds(value: str, name: str) -> tuple[date, date]:
    """``period(value)``, or a ValueError naming ``name``."""
    try:
        return period(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def day_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since`` and ``until`` checked as ISO years, months or days (``2022``, ``2022-02``, ``2022-02-16``), as
    the store's filters read them: from the first day of ``since`` to the last day of ``until``, both included
    (``until="2022"`` keeps the whole of 2022). Raises ValueError for anything else, or an empty range."""
    since = since.strip() if since else None
    until = until.strip() if until else None
    first = _bounds(since, "since")[0] if since else None
    last = _bounds(until, "until")[1] if until else None
    if first and last and first > last:
        raise ValueError(f"since ({since}) is after until ({until})")
    return since, until


def _paged(fetch: Callable[[str | None, str | None, int | None, int], list[R]], outlets: list[str | None],
           speakers: list[str | None], order: Callable[[list[R]], list[R]], limit: int | None,
           offset: int) -> list[R]:
    """One page: ``fetch(outlet, speaker, limit, offset)`` where each filter is one spelling (or none); where a
    filter stands for several, every pair's rows merged once each (by ``id``), in ``order``, then paged."""
    if len(outlets) == 1 and len(speakers) == 1:
        return fetch(outlets[0], speakers[0], limit, offset)
    top = None if limit is None else limit + offset
    rows = order(list({row.id: row for o in outlets for s in speakers  # type: ignore[attr-defined]
                       for row in fetch(o, s, top, 0)}.values()))
    return rows[offset:] if limit is None else rows[offset:offset + limit]


def _newest_first(rows: list[R], then: Callable[[R], tuple]) -> list[R]:
    """``rows`` by publication date, newest first and undated last, as the store lists them; ties by ``then``."""
    rows = sorted(rows, key=then)
    rows.sort(key=lambda row: row.published or "", reverse=True)  # type: ignore[attr-defined]
    rows.sort(key=lambda row: row.published is None)  # type: ignore[attr-defined]
    return rows


class Ledger:
    """A ledger file opened for reading and linking. ``source`` is a database path or a ``Settings``; without
    one, the ``db`` setting (``CLAIMLEDGER_DB``). A missing file raises ``StoreError`` rather than starting an
    empty ledger."""

    def __init__(self, source: str | Path | Settings | None = None) -> None:
        if isinstance(source, Settings):
            self.settings = source
        else:
            settings = load_settings()
            self.settings = settings.with_overrides(db=str(source)) if source is not None else settings
        if not self.settings.db:
            raise StoreError("no database named: pass its path, Ledger('news.db'), or set CLAIMLEDGER_DB")
        self.store = open_store(self.settings.db, create=False)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def link(self, aliases: str | Path | None = None):
        """Link every article extracted and not yet linked; returns the job's ``LinkReport``. ``aliases`` names a
        TOML alias file that forces actors together or apart."""
        from claimledger.jobs import link  # loads the encoder and stance model: only when linking

        return link(self.store, self.settings, Path(aliases) if aliases else None)

    # --- names as stored ---------------------------------------------------------------------------------------

    def outlets(self) -> list[str]:
        """Every outlet, the one with the most articles first."""
        return [outlet for outlet, _ in self.store.outlets()]

    def _outlets(self, outlet: str | None) -> list[str | None]:
        """The stored spellings of ``outlet``, ignoring case (none when no article has it); [None]: no filter."""
        if outlet is None:
            return [None]
        key = outlet.strip().casefold()
        return [name for name in self.outlets() if name.casefold() == key]

    def speaker_names(self, key: str) -> list[str]:
        """The names statements give the speaker that ``key`` stands for, ignoring case: the names equal to it;
        else, once linking has run, those of the ledger actor it names (by slug, id or any name it was filed
        under: ``joe-biden``, ``Biden``); else every name containing it. Empty when none."""
        wanted = " ".join(key.split()).casefold()
        if not wanted:
            return []
        names = self.store.speaker_names()
        exact = sorted(name for name in names if name.casefold() == wanted)
        if exact:
            return exact
        actor = self.store.find_actor(key)
        linked = self.store.actor_speaker_names(actor["id"]) if actor else []
        return linked or sorted(name for name in names if wanted in name.casefold())

    def _speakers(self, speaker: str | None) -> list[str | None]:
        return [None] if speaker is None else list(self.speaker_names(speaker))

    # --- articles and statements -------------------------------------------------------------------------------

    def articles(self, *, outlet: str | None = None, since: str | None = None, until: str | None = None,
                 speaker: str | None = None, limit: int | None = None, offset: int = 0) -> list[ArticleSummary]:
        """Articles newest first (undated last) with their statement counts: of ``outlet`` (any case), published
        from ``since`` to ``until`` (years, months or days, both included), quoting ``speaker`` (as
        ``speaker_names`` reads it); at most ``limit`` of them after skipping ``offset``."""
        first, last = day_range(since, until)

        def fetch(one_outlet: str | None, one_speaker: str | None, size: int | None, skip: int
                  ) -> list[ArticleSummary]:
            rows, _ = self.store.article_page(since=first, until=last, outlet=one_outlet, speaker=one_speaker,
                                              limit=_ALL if size is None else size, offset=skip)
            return [ArticleSummary.from_row(row) for row in rows]

        return _paged(fetch, self._outlets(outlet), self._speakers(speaker),
                      lambda rows: _newest_first(rows, lambda a: (a.id,)), limit, offset)

    def article(self, article_id: str) -> ArticleDetail | None:
        """One article, by id or unambiguous id prefix, with its text, blocks and extracted facts; None when there
        is no such article."""
        article = self.store.get_article(article_id)
        if article is None:
            return None
        data = self.store.extraction(article.id)
        facts = Extraction.from_dict(article.id, data or {})
        return ArticleDetail(article.id, article.source, article.url, article.outlet, article.headline,
                             article.published, article.section, article.authors, article.language,
                             article.captions, article.related, article.text, article.blocks, data is not None,
                             facts.actors, facts.statements, facts.quantities, facts.dates, facts.places)

    def statements(self, *, article: str | None = None, speaker: str | None = None,
                   kind: Literal["direct", "partial", "indirect", "announcement"] | None = None,
                   outlet: str | None = None, since: str | None = None, until: str | None = None,
                   limit: int | None = None, offset: int = 0) -> list[StatementRow]:
        """Statements, newest article first and in text order within one: of ``article`` (an id or its
        unambiguous beginning; LookupError when none), by ``speaker`` (as ``speaker_names`` reads it), of one
        ``kind``, in articles of ``outlet`` (any case) published from ``since`` to ``until``; at most ``limit``
        after skipping ``offset``."""
        first, last = day_range(since, until)
        article_id = None
        if article is not None:
            found = self.store.get_article(article)
            if found is None:
                raise LookupError(f"no article with id {article!r}")
            article_id = found.id

        def fetch(one_outlet: str | None, one_speaker: str | None, size: int | None, skip: int
                  ) -> list[StatementRow]:
            rows, _ = self.store.statement_page(article_id=article_id, speaker=one_speaker, kind=kind, since=first,
                                                until=last, outlet=one_outlet, limit=_ALL if size is None else size,
                                                offset=skip)
            return [StatementRow.from_row(row) for row in rows]

        return _paged(fetch, self._outlets(outlet), self._speakers(speaker),
                      lambda rows: _newest_first(rows, lambda s: (s.article_id, s.span)), limit, offset)

    # --- ledger actors -----------------------------------------------------------------------------------------

    def actors(self) -> list[LedgerActor]:
        """Ledger actors in order of creation, with their slugs, the other names they were filed under and counts
        of the articles mentioning them and of their claim timeline entries. Empty until linking has run."""
        return [LedgerActor.from_row(row) for row in self.store.actor_rows()]

    def actor(self, key: str) -> LedgerActor | None:
        """The ledger actor that ``key`` names: its id, slug (``joe-biden``), name or any name it was filed under
        (``Biden``), ignoring case; None when none."""
        found = self.store.find_actor(key)
        if found is None:
            return None
        listed = next((a for a in self.actors() if a.actor_id == found["id"]), None)
        return listed or LedgerActor(found["id"], found["slug"], found["name"], found["kind"], tuple(found["titles"]),
                                     found["affiliation"], (), 0, 0)

    # --- claims --------------------------------------------------------------------------------------------------

    def _claims(self, rows: list[dict], actor_id: str | None = None) -> list[Claim]:
        """Claims of these rows with their timelines; with ``actor_id``, only those about or voiced by it."""
        members: dict[str, list[dict]] = {}
        for row in self.store.claim_members([r["id"] for r in rows]):
            members.setdefault(row["claim_id"], []).append(row)
        if actor_id is not None:
            rows = [r for r in rows if actor_id in r["subjects"]
                    or any(m["actor_id"] == actor_id for m in members.get(r["id"], []))]
        names = self.store.actor_names(sorted({s for r in rows for s in r["subjects"]}))
        confidence = self.store.dispute_confidence()
        claims = []
        for row in rows:
            timeline = sorted(members.get(row["id"], []), key=lambda m: (m["date"] is None, m["date"] or "",
                                                                          m["article_seq"], m["start"], m["id"]))
            claims.append(Claim(
                row["id"], row["text"], row["first_seen"], row["first_article"],
                tuple(names.get(s, s) for s in row["subjects"]), row["size"],
                tuple(ClaimStatement(m["id"], m["claim_id"], m["statement_id"], m["article_id"], m["headline"],
                                     m["outlet"], m["actor_id"], m["speaker_name"], m["text"], (m["start"], m["end"]),
                                     m["date"], m["stance"], m["evidence"], (m["evidence_start"], m["evidence_end"]),
                                     m["stance_source"], bool(m["reported"]), m["confidence"], bool(m["anonymous"]))
                      for m in timeline), confidence))
        return claims

    def claims(self, actor: str | None = None, since: str | None = None, until: str | None = None) -> list[Claim]:
        """Claims in order of first appearance, with their timelines: about or voiced by ``actor``, first seen
        from ``since`` to ``until`` (years, months or days, both included). ``actor`` is an actor's id, slug,
        name or any name it was filed under (``Biden``, ``joe-biden``), ignoring case; where it names no actor,
        any actor whose name contains it."""
        since, until = day_range(since, until)
        found = self.store.find_actor(actor) if actor is not None else None
        if found is not None:
            claims = self._claims(self.store.claim_rows(actor=found["name"], since=since), found["id"])
        else:
            claims = self._claims(self.store.claim_rows(actor=actor, since=since))
        if until:
            claims = [c for c in claims if c.first_seen is not None and c.first_seen < until + "\uffff"]
        return claims

    def claim(self, claim_id: str) -> Claim | None:
        """One claim with its timeline, by id or unambiguous id prefix; None when there is no such claim."""
        found = self.store.find_claim(claim_id)
        return self._claims(self.store.claim_rows(claim_ids=[found]))[0] if found else None

    def timeline(self, claim_id: str) -> list[ClaimStatement]:
        """The claim's statements in time order (undated ones last); empty for an unknown claim."""
        claim = self.claim(claim_id)
        return list(claim.timeline) if claim else []

    def disputes(self, actor: str | None = None) -> list[Claim]:
        """Claims that have both supporters and contradictors, the most surely contradicted first, then the most
        repeated (as ``/api/claims?disputed=true``); with ``actor``, only those about or voiced by that actor (as
        ``claims`` resolves it)."""
        if actor is not None:
            found = [claim for claim in self.claims(actor=actor) if claim.disputed]
            return sorted(found, key=lambda claim: (-claim.disputers()[0].confidence, -claim.size))
        ids = self.store.disputed_claim_ids()
        by_id = {claim.id: claim for claim in self._claims(self.store.claim_rows(claim_ids=ids))} if ids else {}
        return [by_id[i] for i in ids]

    # --- search --------------------------------------------------------------------------------------------------

    def search(self, text: str, *, type: Literal["all", "statements", "articles"] = "all",
               since: str | None = None, until: str | None = None, outlet: str | None = None,
               speaker: str | None = None, limit: int = 20, offset: int = 0) -> list[SearchResult]:
        """Full-text matches of ``text`` (every word, ``"quoted words"`` as a phrase), the best first by bm25:
        statements, articles (headline and text) or both, filtered as ``statements`` filters. The search of
        ``/api/search``; raises ``claimledger.store.fts.QueryError`` when ``text`` holds no word."""
        first, last = day_range(since, until)

        def fetch(one_outlet: str | None, one_speaker: str | None, size: int | None, skip: int
                  ) -> list[SearchResult]:
            rows, _ = self.store.search(text, SearchFilters(first, last, one_outlet, one_speaker), type,
                                        limit if size is None else size, skip)
            return [SearchResult.from_row(row) for row in rows]

        return _paged(fetch, self._outlets(outlet), self._speakers(speaker),
                      lambda rows: sorted(rows, key=lambda r: (-r.score, r.type, r.id)), limit, offset)

    # --- every row of a table, for export --------------------------------------------------------------------------

    def rows(self, table: str, page: int = 1000) -> Iterable:
        """Every record of ``table`` (one of ``TABLES``), read a page at a time where the table may be large."""
        if table in ("articles", "statements"):
            read = self.articles if table == "articles" else self.statements
            offset = 0
            while True:
                batch = read(limit=page, offset=offset)
                yield from batch
                if len(batch) < page:
                    return
                offset += page
        elif table == "actors":
            yield from self.actors()
        elif table == "claims":
            yield from (claim.summary() for claim in self.claims())
        elif table == "stances":
            yield from (entry for claim in self.claims() for entry in claim.timeline)
        elif table == "disputes":
            yield from self.disputes()
        else:
            raise ValueError(f"no table {table!r}: one of {', '.join(TABLES)}")


# The tables ``Ledger.rows`` reads and their records: what `claimledger export` writes.
TABLES: dict[str, type] = {"articles": ArticleSummary, "statements": StatementRow, "actors": LedgerActor,
                           "claims": ClaimSummary, "stances": ClaimStatement, "disputes": Claim}
