"""The web pages: home, search, articles, an article with its facts marked, actors (speakers) with a timeline,
claims with a chart of who supports and who contradicts them, and disputes with their two sides next to each other.

Pages are rendered on the server from Jinja2 templates and read fully without JavaScript; every filter is a
plain GET form. They read the same store methods and records as the JSON API.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Literal, NamedTuple
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from claimledger.serve.bidi import finalize, isolate_bidi
from claimledger.serve.cache import LedgerCache, cached_call
from claimledger.serve.claims import (claim_summaries, dispute_page, last_said, newest_disputes, sides,
                                     with_disputes)
from claimledger.serve.filters import day_bounds, day_range, filtered_articles, filtered_search
from claimledger.serve.highlight import Mark, render_blocks
from claimledger.serve.readers import ReaderPool
from claimledger.serve.stance_chart import stance_rows, stance_svg
from claimledger.serve.timeline import KINDS, timeline_svg
from claimledger.store.fts import QueryError

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


class Speaker(NamedTuple):
    """Whom a key names: the name statements give them (None for an actor who never speaks), their ledger actor
    (None before linking, or where their statements were never linked), and whether the key named the actor."""

    name: str | None
    actor: dict | None
    by_actor: bool


def resolve_speaker(readers: ReaderPool, key: str) -> Speaker | None:
    """Whom ``key`` names, resolved once: a name as statements give it, with the ledger actor their statements
    were filed under (``{"id", "slug"}``); else, once linking has run, a ledger actor by slug, id, name or any
    name it was filed under (``joe-biden``, ``Biden``; its row), with its most quoted name; else a quoted name in
    another case. None when it names nobody."""
    store = readers.store()
    linked = readers.has_claims()
    if store.actor_profile(key, max_articles=0) is not None:
        return Speaker(key, store.speaker_actors([key]).get(key) if linked else None, False)
    actor = store.find_actor(key) if linked else None
    if actor is not None:
        names = store.actor_speaker_names(actor["id"])
        return Speaker(names[0] if names else None, actor, True)
    wanted = " ".join(key.split()).casefold()
    name = min((n for n in store.speaker_names() if n.casefold() == wanted), default=None) if wanted else None
    if name is None:
        return None
    return Speaker(name, store.speaker_actors([name]).get(name) if linked else None, False)


def speaker_profile(readers: ReaderPool, key: str) -> dict | None:
    """The profile of the speaker that ``key`` names (``resolve_speaker``; None if it names nobody): their other
    names, their ledger actor's id and slug, and once linking has run the claims they took a stance on, each
    marked ``disputed`` and ``disputer``. Claims are those of the ledger actor where ``key`` named one, else those
    of the name."""
    store = readers.store()
    speaker = resolve_speaker(readers, key)
    if speaker is None:
        return None
    name, actor = speaker.name, speaker.actor
    profile = store.actor_profile(name, max_articles=ALIAS_ARTICLES) if name else None
    if profile is None:
        if actor is None:
            return None
        # A ledger actor who is spoken of, or whose stance is reported, without a statement of their own.
        name = actor["name"]
        profile = {"name": name, "kind": actor["kind"], "titles": actor["titles"],
                   "affiliations": [actor["affiliation"]] if actor["affiliation"] else [], "kinds": {},
                   "statements": 0, "articles": store.actor_article_count(actor["id"]), "first": None, "last": None}
        profile["aliases"] = [alias for alias in store.actor_aliases(actor["id"]) if alias != name]
    else:
        profile["aliases"] = speaker_aliases(readers, name)
    profile["actor_id"], profile["slug"] = (actor["id"], actor["slug"]) if actor else (None, None)
    if not readers.has_claims():
        profile["claims"] = []
    elif speaker.by_actor:
        profile["claims"] = with_disputes(readers.ledger(), store.actor_claims(name, actor_id=actor["id"]),
                                          name, actor["id"])
    else:
        profile["claims"] = with_disputes(readers.ledger(), store.actor_claims(name), name, None)
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
    """Rows of ``actor_page`` with each speaker's ``aliases`` and, once linking has run, the ``actor_id`` and
    ``slug`` of the ledger actor behind them (as on their profile; None where their statements were never
    linked)."""
    actors = readers.store().speaker_actors([s["name"] for s in speakers]) if readers.has_claims() else {}
    rows = []
    for speaker in speakers:
        actor = actors.get(speaker["name"], {})
        rows.append({**speaker, "aliases": speaker_aliases(readers, speaker["name"]), "actor_id": actor.get("id"),
                     "slug": actor.get("slug")})
    return rows


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

    def render(request: Request, name: str, section: str, status: int = 200, **context):
        context.setdefault("has_claims", readers.has_claims())
        return templates.TemplateResponse(request, name, {"section": section, **context}, status_code=status)

    def disputed_ids() -> frozenset[str]:
        store = readers.store()
        return cached_call(readers, cache, ("disputed-ids",), lambda: frozenset(store.disputed_claim_ids()))

    @router.get("/")
    def home(request: Request):
        store = readers.store()
        articles, article_total = store.article_page(limit=8)
        actors, actor_total = cached_call(readers, cache, ("actors", None, 10, 0), lambda: store.actor_page(limit=10))
        counts = {"articles": article_total, "statements": store.count_statements(), "speakers": actor_total}
        disputes = []
        if readers.has_claims():
            counts["claims"] = cached_call(readers, cache, ("claim-count",), lambda: store.claim_page(limit=1)[1])
            counts["disputes"] = len(disputed_ids())
            disputes = cached_call(readers, cache, ("newest-disputes", 5),
                                   lambda: [(claim, sides(claim), last_said(claim))
                                            for claim in newest_disputes(readers.ledger(), 5)])
        return render(request, "home.html", "home", articles=articles, actors=actors, counts=counts,
                      disputes=disputes)

    @router.get("/search")
    def search_page(request: Request, q: str = Query("", max_length=max_query_chars),
                    type: Literal["all", "statements", "articles"] = "all", since: str | None = Since,
                    until: str | None = Until, outlet: str | None = Outlet,
                    actor: str | None = Query(None, max_length=200), page: int = Page):
        first, last = day_range(since, until)
        store = readers.store()
        results, total, problem = [], 0, None
        if q.strip():
            try:
                results, total = filtered_search(readers, cache, q, first, last, outlet, actor, type, PAGE_SIZE,
                                                 (page - 1) * PAGE_SIZE)
            except QueryError as exc:
                problem = str(exc)
        return render(request, "search.html", "search", q=q, type=type, since=first or "", until=last or "",
                      outlet=outlet or "", actor=actor or "", results=results, problem=problem,
                      outlets=store.outlets(), paging=_pager(request, page, total))

    @router.get("/articles")
    def articles_page(request: Request, since: str | None = Since, until: str | None = Until,
                      outlet: str | None = Outlet, page: int = Page):
        first, last = day_range(since, until)
        store = readers.store()
        rows, total = filtered_articles(readers, first, last, outlet, None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        return render(request, "articles.html", "articles", articles=rows, since=first or "", until=last or "",
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
        return render(request, "article.html", "articles", article=article, blocks=blocks, statements=statements,
                      speakers=speakers, kinds=kinds, facts=facts, extracted=bool(facts), claims=claims)

    @router.get("/actors")
    def actors_page(request: Request, q: str = Query("", max_length=200), page: int = Page):
        offset = (page - 1) * PAGE_SIZE

        def speakers() -> tuple[list[dict], int]:
            rows, total = readers.store().actor_page(name=q or None, limit=PAGE_SIZE, offset=offset)
            return with_aliases(readers, rows), total

        rows, total = cached_call(readers, cache, ("speakers", q or None, PAGE_SIZE, offset), speakers)
        return render(request, "actors.html", "actors", actors=rows, q=q, paging=_pager(request, page, total))

    @router.get("/actors/{name:path}")
    def actor_page(request: Request, name: str, since: str | None = Since, until: str | None = Until,
                   page: int = Page):
        first, last = day_bounds(since, until)
        store = readers.store()
        profile = speaker_profile(readers, name)
        if profile is None:
            raise HTTPException(404, f"nobody called {name!r} is quoted in the ledger")
        name = profile["name"]
        rows, total = store.statement_page(speaker=name, since=first, until=last, chronological=True,
                                           limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        chart = timeline_svg(store.actor_timeline(name), actor_url(name), f"Statements of {name} over time")
        claims = {"supports": [], "disputes": [], "other": []}
        for claim in profile["claims"]:
            side = ("disputes" if claim["disputer"] else "supports" if claim["stance"] == "supports" else "other")
            claims[side].append(claim)
        return render(request, "actor.html", "actors", profile=profile, statements=rows, chart=chart,
                      claims=claims, since=since or "", until=until or "", paging=_pager(request, page, total))

    @router.get("/claims")
    def claims_page(request: Request, disputed: bool = False, page: int = Page):
        if not readers.has_claims():
            return render(request, "claims.html", "claims", claims=[], disputed=disputed, disputed_ids=frozenset(),
                          paging=_pager(request, 1, 0))
        ledger = readers.ledger()
        rows, total = ledger.store.claim_page(disputed=disputed, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        return render(request, "claims.html", "claims", claims=claim_summaries(ledger, rows), disputed=disputed,
                      disputed_ids=disputed_ids(), paging=_pager(request, page, total))

    @router.get("/claims/{claim_id}")
    def claim_page(request: Request, claim_id: str):
        claim = readers.ledger().claim(claim_id) if readers.has_claims() else None
        if claim is None:
            raise HTTPException(404, f"no claim with id {claim_id!r}")
        if claim.id != claim_id:
            return RedirectResponse(f"/claims/{claim.id}", status_code=307)
        chart = stance_svg(claim.timeline, "Who supports and who contradicts the claim, by date")
        return render(request, "claim.html", "claims", claim=claim, counts=claim.stances(), chart=chart,
                      rows=stance_rows(claim.timeline), disputed=claim.disputed)

    @router.get("/disputes")
    def disputes_page(request: Request, page: int = Page):
        if not readers.has_claims():
            return render(request, "disputes.html", "disputes", disputes=[], paging=_pager(request, 1, 0))
        found, total = dispute_page(readers.ledger(), None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        return render(request, "disputes.html", "disputes", paging=_pager(request, page, total),
                      disputes=[(claim, sides(claim), last_said(claim)) for claim in found])

    @router.get("/disputes/{claim_id}")
    def dispute_detail(request: Request, claim_id: str):
        claim = readers.ledger().claim(claim_id) if readers.has_claims() else None
        if claim is None:
            raise HTTPException(404, f"no claim with id {claim_id!r}")
        if claim.id != claim_id:
            return RedirectResponse(f"/disputes/{claim.id}", status_code=307)
        return render(request, "dispute.html", "disputes", claim=claim, sides=sides(claim),
                      disputed=claim.disputed)

    return router
