"""The web pages: home, search, articles, an article with its facts marked, speakers with a timeline, claims.

Pages are rendered on the server from Jinja2 templates and read fully without JavaScript; every filter is a
plain GET form. They read the same store methods as the JSON API.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from claimledger.serve.bidi import finalize, isolate_bidi
from claimledger.serve.cache import LedgerCache, cached_call, cached_search
from claimledger.serve.highlight import Mark, render_blocks
from claimledger.serve.readers import ReaderPool
from claimledger.serve.timeline import KINDS, timeline_svg
from claimledger.store.fts import QueryError, SearchFilters

PAGE_SIZE = 20
KIND_NOTES = {
    "direct": "quoted word for word",
    "partial": "quoted in part",
    "indirect": "reported speech",
    "announcement": "announced",
}

Page = Query(1, ge=1, le=5000, description="Page number, from 1.")
# Forms send a field left empty as "": the pages read days as text, empty meaning no bound.
Since = Query(None, max_length=32)
Until = Query(None, max_length=32)
Outlet = Query(None, max_length=200)


def actor_url(name: str) -> str:
    return "/actors/" + quote(name, safe="")


def local_id(statement_id: str) -> str:
    """The statement's id inside its article ("f0b6…:s3" -> "s3"), the anchor of its mark on the article page."""
    return statement_id.rsplit(":", 1)[-1]


def form_days(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``day_range`` of two form fields: empty is no bound; anything but a day (YYYY-MM-DD) is a bad request."""
    days = []
    for name, value in (("since", since), ("until", until)):
        try:
            days.append(date.fromisoformat(value) if value else None)
        except ValueError:
            raise HTTPException(422, f"{name}: {value!r} is not a day (YYYY-MM-DD)") from None
    return day_range(*days)


def day_range(since: date | None, until: date | None) -> tuple[str | None, str | None]:
    """The days as ISO strings for the store's filters; an empty range is a bad request (422)."""
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")
    return (since.isoformat() if since else None), (until.isoformat() if until else None)


def _pager(request: Request, page: int, total: int) -> dict:
    """Links to the previous and next page, keeping every other query parameter."""
    pages = max(1, math.ceil(total / PAGE_SIZE))
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}

    def link(number: int) -> str:
        return "?" + urlencode({**params, "page": number})

    return {"page": page, "pages": pages, "total": total,
            "previous": link(page - 1) if page > 1 else None, "next": link(page + 1) if page < pages else None}


def article_marks(text: str, facts: dict) -> list[Mark]:
    """Every extracted fact of an article as a mark: statements (by kind, with their speaker beside them),
    speakers' names as links to their page, speech cues, dates, quantities and places."""
    marks: list[Mark] = []
    for statement in facts.get("statements", []):
        name = statement.get("speaker_name")
        kind = statement["kind"]
        shown = isolate_bidi(name or "")
        who = (Markup('<a class="who" href="{}" aria-label="said by {}">{}</a>').format(actor_url(name), shown, shown)
               if name else Markup('<span class="who unresolved">speaker unknown</span>'))
        start, end = statement["span"]
        marks.append(Mark(start, end, "span", {
            "class": f"st k-{kind}", "id": f"s-{statement['id']}", "data-speaker": name or "",
            "data-kind": kind, "title": f"{name or 'speaker unknown'} · {kind} ({KIND_NOTES.get(kind, kind)})"
                                        + (f" · {statement['cue']}" if statement.get("cue") else ""),
        }, layer=0, suffix=who))
        if name and statement.get("speaker_span"):
            s, e = statement["speaker_span"]
            marks.append(Mark(s, e, "a", {"class": "speaker", "href": actor_url(name)}, layer=1))
        if statement.get("cue_span"):
            s, e = statement["cue_span"]
            marks.append(Mark(s, e, "span", {"class": "cue"}, layer=2))
    for mention in facts.get("dates", []):
        s, e = mention["span"]
        attrs = {"class": "date", "title": f"date: {mention['value']}"}
        if mention["value"][:1].isdigit():
            attrs["datetime"] = mention["value"]
        marks.append(Mark(s, e, "time", attrs, layer=3))
    for quantity in facts.get("quantities", []):
        s, e = quantity["span"]
        described = " ".join(str(p) for p in (quantity.get("qualifier"), f"{quantity['value']:g}", quantity.get("unit"))
                             if p)
        marks.append(Mark(s, e, "data", {"class": "qty", "value": f"{quantity['value']:g}",
                                         "title": f"quantity: {described}"}, layer=3))
    for place in facts.get("places", []):
        s, e = place["span"]
        marks.append(Mark(s, e, "span", {"class": "place", "title": f"place: {place.get('country') or place['name']}"},
                          layer=4))
    return [m for m in marks if 0 <= m.start < m.end <= len(text)]


# Articles a speaker's other names are read from: their latest, where a prolific speaker has thousands.
ALIAS_ARTICLES = 200


def speaker_name(readers: ReaderPool, key: str) -> str | None:
    """The speaker name that ``key`` stands for: itself when someone of that name is quoted, else, once linking
    has run, the most quoted name of the ledger actor that the key names (by slug, id, name or any name it was
    filed under: ``joe-biden``, ``Biden``); None when neither."""
    store = readers.store()
    if store.actor_profile(key, max_articles=0) is not None:
        return key
    actor = store.find_actor(key) if readers.has_claims() else None
    names = store.actor_speaker_names(actor["id"]) if actor else []
    return names[0] if names else None


def speaker_profile(readers: ReaderPool, key: str) -> dict | None:
    """The profile of the speaker that ``key`` names (``speaker_name``; None if nobody it names is quoted), with
    their other names, their ledger actor's id and slug, and the claims that linking found for them once it has
    run."""
    store = readers.store()
    name = speaker_name(readers, key)
    profile = store.actor_profile(name, max_articles=ALIAS_ARTICLES) if name else None
    actor = store.find_actor(name or key) if readers.has_claims() else None
    if profile is None:
        if actor is None:
            return None
        # A ledger actor who is spoken of, or whose stance is reported, without a statement of their own.
        name = actor["name"]
        profile = {"name": name, "kind": actor["kind"], "titles": actor["titles"],
                   "affiliations": [actor["affiliation"]] if actor["affiliation"] else [], "kinds": {},
                   "statements": 0, "articles": store.actor_article_count(actor["id"]), "first": None, "last": None}
    profile["actor_id"], profile["slug"] = (actor["id"], actor["slug"]) if actor else (None, None)
    if actor is not None and not profile.get("statements"):
        profile["aliases"] = [alias for alias in store.actor_aliases(actor["id"]) if alias != name]
        profile["claims"] = store.actor_claims(name, actor_id=actor["id"])
        return profile
    profile["aliases"] = speaker_aliases(readers, name)
    profile["claims"] = store.actor_claims(name) if readers.has_claims() else []
    return profile


def speaker_aliases(readers: ReaderPool, name: str) -> list[str]:
    """The other names of the speaker called ``name``, the most used first: how their latest ``ALIAS_ARTICLES``
    articles name them (capitalised names only, never a pronoun or a description such as "the minister"), then
    the names linking filed them under across articles, once it has run."""
    store = readers.store()
    used: dict[str, int] = {}
    for mention, articles in store.speaker_mentions(name, ALIAS_ARTICLES):
        alias = " ".join(mention.split())
        if alias[:1].isupper() and alias != name and alias.casefold() not in pronouns():
            used[alias] = max(used.get(alias, 0), articles)
    aliases = sorted(used, key=lambda alias: (-used[alias], alias))
    if readers.has_claims():
        aliases += [alias for alias in store.actor_linked_names(name)
                    if alias not in used and alias.casefold() not in pronouns()]
    return aliases


def with_aliases(readers: ReaderPool, speakers: list[dict]) -> list[dict]:
    """Rows of ``actor_page`` with each speaker's ``aliases``."""
    return [{**speaker, "aliases": speaker_aliases(readers, speaker["name"])} for speaker in speakers]


@lru_cache(maxsize=1)
def pronouns() -> frozenset[str]:
    """The pronouns a speaker may be mentioned by (the extraction's table): mentions, never other names."""
    table = resources.files("claimledger").joinpath("data/extract/pronouns.tsv").read_text(encoding="utf-8")
    return frozenset(line.split("\t")[0].casefold() for line in table.splitlines()
                     if line.strip() and not line.startswith("#"))


def pages_router(readers: ReaderPool, cache: LedgerCache, templates: Jinja2Templates,
                 max_query_chars: int) -> APIRouter:
    """The HTML pages, rendered with ``templates``; a search may have ``max_query_chars`` characters."""
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
    env = templates.env
    # Everything a template prints is escaped (autoescape) and, where it holds bidirectional controls, isolated, so
    # that an override in a headline or a name cannot reorder the page around it.
    env.finalize = finalize
    env.filters["actor_url"] = actor_url
    env.filters["local_id"] = local_id
    env.globals["KINDS"] = KINDS
    env.globals["KIND_NOTES"] = KIND_NOTES

    def render(request: Request, name: str, **context):
        context.setdefault("has_claims", readers.has_claims())
        return templates.TemplateResponse(request, name, context)

    @router.get("/")
    def home(request: Request):
        store = readers.store()
        articles, article_total = store.article_page(limit=10)
        actors, actor_total = cached_call(readers, cache, ("actors", None, 12, 0), lambda: store.actor_page(limit=12))
        return render(request, "home.html", articles=articles, actors=actors, article_total=article_total,
                      actor_total=actor_total, statement_total=store.count_statements())

    @router.get("/search")
    def search_page(request: Request, q: str = Query("", max_length=max_query_chars),
                    type: Literal["all", "statements", "articles"] = "all", since: str | None = Since,
                    until: str | None = Until, outlet: str | None = Outlet,
                    actor: str | None = Query(None, max_length=200), page: int = Page):
        first, last = form_days(since, until)
        store = readers.store()
        results, total, problem = [], 0, None
        if q.strip():
            try:
                results, total = cached_search(readers, cache, q, SearchFilters(first, last, outlet or None,
                                                                                actor or None),
                                               type, PAGE_SIZE, (page - 1) * PAGE_SIZE)
            except QueryError as exc:
                problem = str(exc)
        return render(request, "search.html", q=q, type=type, since=first or "", until=last or "",
                      outlet=outlet or "", actor=actor or "", results=results, problem=problem,
                      outlets=store.outlets(), paging=_pager(request, page, total))

    @router.get("/articles")
    def articles_page(request: Request, since: str | None = Since, until: str | None = Until,
                      outlet: str | None = Outlet, page: int = Page):
        first, last = form_days(since, until)
        store = readers.store()
        rows, total = store.article_page(since=first, until=last, outlet=outlet or None, limit=PAGE_SIZE,
                                         offset=(page - 1) * PAGE_SIZE)
        return render(request, "articles.html", articles=rows, since=first or "", until=last or "",
                      outlet=outlet or "", outlets=store.outlets(), paging=_pager(request, page, total))

    @router.get("/articles/{article_id}")
    def article_page(request: Request, article_id: str):
        store = readers.store()
        article = store.get_article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        if article.id != article_id:
            return RedirectResponse(f"/articles/{article.id}", status_code=307)
        facts = store.extraction(article.id) or {}
        blocks = render_blocks(article.text, article.blocks, article_marks(article.text, facts))
        statements = sorted(facts.get("statements", []), key=lambda s: s["span"][0])
        speakers: dict[str, int] = {}
        for statement in statements:
            if statement.get("speaker_name"):
                speakers[statement["speaker_name"]] = speakers.get(statement["speaker_name"], 0) + 1
        kinds = {kind: sum(1 for s in statements if s["kind"] == kind) for kind in KINDS}
        claims = store.article_claims(article.id) if readers.has_claims() else []
        return render(request, "article.html", article=article, blocks=blocks, statements=statements,
                      speakers=speakers, kinds=kinds, facts=facts, extracted=bool(facts), claims=claims)

    @router.get("/actors")
    def actors_page(request: Request, q: str = Query("", max_length=200), page: int = Page):
        offset = (page - 1) * PAGE_SIZE
        def speakers() -> tuple[list[dict], int]:
            rows, total = readers.store().actor_page(name=q or None, limit=PAGE_SIZE, offset=offset)
            return with_aliases(readers, rows), total

        rows, total = cached_call(readers, cache, ("speakers", q or None, PAGE_SIZE, offset), speakers)
        return render(request, "actors.html", actors=rows, q=q, paging=_pager(request, page, total))

    @router.get("/actors/{name:path}")
    def actor_page(request: Request, name: str, since: str | None = Since, until: str | None = Until,
                   page: int = Page):
        first, last = form_days(since, until)
        store = readers.store()
        profile = speaker_profile(readers, name)
        if profile is None:
            raise HTTPException(404, f"nobody called {name!r} is quoted in the ledger")
        name = profile["name"]
        rows, total = store.statement_page(speaker=name, since=first, until=last, chronological=True,
                                           limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        chart = timeline_svg(store.actor_timeline(name), actor_url(name), f"Statements of {name} over time")
        return render(request, "actor.html", profile=profile, statements=rows, chart=chart, since=first or "",
                      until=last or "", paging=_pager(request, page, total))

    @router.get("/claims")
    def claims_page(request: Request, disputed: bool = False, page: int = Page):
        if not readers.has_claims():
            raise HTTPException(404, "this ledger has no claims yet: linking has not run on it")
        rows, total = readers.store().claim_page(disputed=disputed, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        return render(request, "claims.html", claims=rows, disputed=disputed, paging=_pager(request, page, total))

    @router.get("/claims/{claim_id}")
    def claim_page(request: Request, claim_id: str):
        claim = readers.store().claim_detail(claim_id) if readers.has_claims() else None
        if claim is None:
            raise HTTPException(404, f"no claim with id {claim_id!r}")
        return render(request, "claim.html", claim=claim)

    return router
