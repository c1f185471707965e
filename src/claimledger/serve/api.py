"""The ledger over HTTP: a JSON API under ``/api/`` and server-rendered pages at ``/`` (FastAPI, Jinja2).

The API's records are those of ``Ledger`` and the CLI's ``--format jsonl`` (``claimledger.records``), read the
same way (``serve.filters``: outlets and names in any case, dates as years, months or days);
``tests/test_interfaces_agree.py`` holds the three together. Read-only unless a token is configured: then
``POST /api/articles`` ingests a document, for callers who send it. Endpoints are plain ``def`` functions, run in the server's thread pool, each thread reading through a connection
of its own (``ReaderPool``). Errors are JSON (under ``/api/``: ``{"detail": message}``, with ``errors`` for invalid
parameters) or an HTML page, never a traceback. Every response carries the security headers of ``security``;
requests beyond its limits are refused before they are read; other origins may call the API from a browser only
when the ``cors_origins`` setting lists them.
"""

from __future__ import annotations

import hmac
import json
import logging
import tempfile
import threading
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import AsyncIterator, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Path as PathParam, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi_offline import FastAPIOffline
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Match, Mount

from claimledger.config import Settings
from claimledger.records import ArticleSummary, Claim, SearchResult, StatementRow
from claimledger.serve import schemas
from claimledger.serve.cache import LedgerCache, cached_call
from claimledger.serve.claims import claim_summaries, dispute_page
from claimledger.serve.filters import (PartialDay, actor_rows, day_bounds, day_range, filtered_articles,
                                       filtered_search, filtered_statements)
from claimledger.serve.pages import pages_router, resolve_speaker, speaker_profile, with_aliases
from claimledger.serve.readers import ReaderPool
from claimledger.serve.security import DOCS_POLICIES, SECURITY_HEADERS, RequestLimits, SecurityHeaders, WriteGate
from claimledger.serve.upload import ingest_upload
from claimledger.store.fts import QueryError
from claimledger.store import StoreError, database_errors, open_store

MAX_PAGE = 100  # rows per page at most: a larger limit is refused (422) rather than served slowly
MAX_OFFSET = 100_000
WORKER_THREADS = 4
# A multipart upload carries its document and a few hundred bytes of framing: the body may exceed the document's
# limit by this much.
UPLOAD_FRAMING = 64 * 2**10
UPLOAD_PATHS = frozenset({"/api/articles", "/articles"})
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# A search needs one character that is neither space, control nor quote: the search finds nothing else.
SEARCHABLE = r'[^\s"\x00-\x1f\x7f]'
log = logging.getLogger("claimledger.serve")

Limit = Query(20, ge=1, le=MAX_PAGE, description=f"Rows per page, 1 to {MAX_PAGE}.")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")
Since = Query(None, description="Published on or after this year, month or day (`2022`, `2022-02`, `2022-02-16`): "
                                "from its first day.")
Until = Query(None, description="Published on or before this year, month or day (`2022`, `2022-02`, "
                                "`2022-02-16`): to its last day; not before `since` (422).")
Outlet = Query(None, max_length=200, description="Only articles of this outlet, in any case.")
Actor = Query(None, max_length=200, description=(
    "Only statements of this speaker: the name in any case; else, once linking has run, every name of the ledger "
    "actor it names (slug `joe-biden`, id, or any name it was filed under); else every name containing it."))
ArticleId = PathParam(description="An article's id, or its unambiguous beginning.")
SpeakerKey = PathParam(description="A name statements give a speaker, in any case; or, once linking has run, a "
                                   "ledger actor's slug (`joe-biden`), id, name or any name it was filed under.")
ClaimId = PathParam(description="A claim's id, or its unambiguous beginning.")
_ERRORS = {404: {"model": schemas.Error}, 422: {"model": schemas.Error}}


def json_response(content: dict) -> Response:
    """``content`` as JSON, sent as is: the search's hottest path skips validating its results against the
    response model, which still documents them at /docs (the tests check the shape)."""
    return Response(json.dumps(content, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


def target_limit(max_query_chars: int) -> int:
    """The longest request target (path and query string) in bytes: a search of ``max_query_chars`` characters,
    each up to 12 bytes percent-encoded (4 UTF-8 bytes as %XX), and 8 KiB for the path and the other filters."""
    return 12 * max_query_chars + 8 * 2**10


def _page(results: list, total: int, limit: int, offset: int) -> dict:
    return {"results": results, "total": total, "limit": limit, "offset": offset}


def api_router(readers: ReaderPool, cache: LedgerCache, max_query_chars: int) -> APIRouter:
    """The read endpoints: articles, statements, speakers, search, and claims and disputes once linking has run;
    a search may have ``max_query_chars`` characters. Every record has the fields and values that ``Ledger`` and
    the CLI's ``--format jsonl`` give (``claimledger.records``)."""
    router = APIRouter(prefix="/api", responses=_ERRORS)

    def linked_claim(claim_id: str) -> Claim:
        claim = readers.ledger().claim(claim_id) if readers.has_claims() else None
        if claim is None:
            raise HTTPException(404, f"no claim with id {claim_id!r}")
        return claim

    @router.get("/articles", response_model=schemas.ArticlePage, tags=["articles"])
    def list_articles(since: PartialDay | None = Since, until: PartialDay | None = Until,
                      outlet: str | None = Outlet, actor: str | None = Actor, limit: int = Limit,
                      offset: int = Offset) -> dict:
        """Articles, newest first, with their statement counts; filtered by publication date, outlet, speaker."""
        first, last = day_range(since, until)
        rows, total = filtered_articles(readers, first, last, outlet, actor, limit, offset, cache)
        return _page([ArticleSummary.from_row(row).to_dict() for row in rows], total, limit, offset)

    @router.get("/articles/{article_id}", response_model=schemas.ArticleDetail, tags=["articles"])
    def get_article(article_id: str = ArticleId) -> dict:
        """One article (by id, or its unambiguous beginning): text, blocks, captions, related links, and every
        extracted fact with its offsets into the text."""
        article = readers.ledger().article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return article.to_dict()

    @router.get("/statements", response_model=schemas.StatementPage, tags=["statements"])
    def list_statements(article: str | None = Query(None, max_length=64, description=(
                            "Only this article's (its id, or the id's unambiguous beginning; 404 if none).")),
                        actor: str | None = Actor,
                        kind: Literal["direct", "partial", "indirect", "announcement"] | None = Query(
                            None, description="Only statements of this kind."),
                        since: PartialDay | None = Since, until: PartialDay | None = Until,
                        outlet: str | None = Outlet, limit: int = Limit, offset: int = Offset) -> dict:
        """Statements, newest article first, in text order within an article."""
        first, last = day_range(since, until)
        article_id = None
        if article:
            found = readers.store().get_article(article)
            if found is None:
                raise HTTPException(404, f"no article with id {article!r}")
            article_id = found.id
        rows, total = filtered_statements(readers, article_id=article_id, speaker=actor, kind=kind, since=first,
                                          until=last, outlet=outlet, limit=limit, offset=offset, cache=cache)
        return _page([StatementRow.from_row(row).to_dict() for row in rows], total, limit, offset)

    @router.get("/actors", response_model=schemas.ActorPage, tags=["actors"])
    def list_actors(q: str | None = Query(None, max_length=200, description="Only names containing this, in any "
                                                                             "case."),
                    since: PartialDay | None = Since, until: PartialDay | None = Until,
                    outlet: str | None = Outlet, limit: int = Limit, offset: int = Offset) -> dict:
        """Speakers, most quoted first, with their other names (as on their profile), statement and article
        counts, the first and last day quoted, and once linking has run the ledger actor behind them."""
        first, last = day_range(since, until)

        def speakers() -> tuple[list[dict], int]:
            rows, total = actor_rows(readers, q, first, last, outlet, limit, offset)
            return with_aliases(readers, rows), total

        rows, total = cached_call(readers, cache, ("speakers", q, first, last, outlet, limit, offset), speakers)
        return _page(rows, total, limit, offset)

    # Registered before the profile: a name may hold "/", and the profile's path pattern would take this one.
    @router.get("/actors/{name:path}/statements", response_model=schemas.StatementPage, tags=["actors"])
    def actor_statements(name: str = SpeakerKey, since: PartialDay | None = Since, until: PartialDay | None = Until,
                         outlet: str | None = Outlet, limit: int = Limit, offset: int = Offset) -> dict:
        """One speaker's statements over time, oldest first by ``said``: the statement's own date, else its
        article's. Here ``since`` and ``until`` bound ``said``. ``name`` is read as on the profile."""
        first, last = day_bounds(since, until)
        speaker = resolve_speaker(readers, name)
        if speaker is None:
            raise HTTPException(404, f"nobody called {name!r} is quoted in the ledger")
        if speaker.name is None:  # a ledger actor who never speaks
            return _page([], 0, limit, offset)
        rows, total = filtered_statements(readers, speaker=[speaker.name], since=first, until=last, outlet=outlet,
                                          chronological=True, limit=limit, offset=offset, cache=cache)
        return _page([StatementRow.from_row(row).to_dict() for row in rows], total, limit, offset)

    @router.get("/actors/{name:path}", response_model=schemas.ActorProfile, tags=["actors"])
    def get_actor(name: str = SpeakerKey) -> dict:
        """One speaker: kind, titles, affiliations, other names, statement counts by kind, and the claims they
        support, contradict or discuss once linking has run. ``name`` is the name a statement gives the speaker
        or, once linking has run, any key of their ledger actor: its slug (``joe-biden``), id, name or any name
        it was filed under (``Biden``), case-insensitively; or the name in another case. The ``actor_id`` and
        ``slug`` reported are those of the actor the key named."""
        profile = speaker_profile(readers, name)
        if profile is None:
            raise HTTPException(404, f"nobody called {name!r} is quoted in the ledger")
        return profile

    @router.get("/search", response_model=schemas.SearchPage, tags=["search"], description=(
        "Full-text search over statements, headlines and article text (SQLite FTS5, porter stemming; on "
        "PostgreSQL tsvector, English stemming, stop words dropped), with snippets: the best matches of the "
        "whole ledger first, every match ranked. `score` is the relevance, higher is better: minus FTS5's bm25, "
        "or PostgreSQL's `ts_rank` (numbers comparable within one backend only). `total` counts every match."))
    def search_ledger(q: str = Query(..., min_length=1, max_length=max_query_chars, pattern=SEARCHABLE,
                                     description='Words to find, all of them; "quoted words" as a phrase.'),
                      type: Literal["all", "statements", "articles"] = Query(
                          "all", description="Search statements, articles (headline and text), or both."),
                      since: PartialDay | None = Since, until: PartialDay | None = Until,
                      outlet: str | None = Outlet, actor: str | None = Actor, limit: int = Limit,
                      offset: int = Offset) -> Response:
        """One page of matches, best first, with the number of all matches."""
        first, last = day_range(since, until)
        try:
            rows, total = filtered_search(readers, cache, q, first, last, outlet, actor, type, limit, offset)
        except QueryError as exc:
            raise HTTPException(422, str(exc)) from exc
        return json_response(_page([SearchResult.from_row(row).to_dict() for row in rows], total, limit, offset))

    @router.get("/claims", response_model=schemas.ClaimPage, tags=["claims"])
    def list_claims(disputed: bool = Query(False, description="Only disputed claims (as `/api/disputes`)."),
                    limit: int = Limit, offset: int = Offset) -> dict:
        """Claims found by linking, the disputed and then the most repeated first, with their subjects and how
        many statements support, contradict or discuss each. 404 until `claimledger link` has found claims in
        this ledger."""
        if not readers.has_claims():
            raise HTTPException(404, "this ledger has no claims yet: linking has not run on it")
        ledger = readers.ledger()
        rows, total = ledger.store.claim_page(disputed=disputed, limit=limit, offset=offset)
        return _page(claim_summaries(ledger, rows), total, limit, offset)

    # Registered before the claim: an id never holds "/", but the timeline's path must not read as an id.
    @router.get("/claims/{claim_id}/timeline", response_model=schemas.TimelinePage, tags=["claims"])
    def claim_timeline(claim_id: str = ClaimId, limit: int = Limit, offset: int = Offset) -> dict:
        """One claim's timeline, a page at a time: who supports, contradicts or discusses it, oldest first
        (undated entries last), with evidence. ``claim_id`` is an id or its unambiguous beginning."""
        timeline = linked_claim(claim_id).timeline
        return _page([entry.to_dict() for entry in timeline[offset:offset + limit]], len(timeline), limit, offset)

    @router.get("/claims/{claim_id}", response_model=schemas.ClaimDetail, tags=["claims"])
    def get_claim(claim_id: str = ClaimId) -> dict:
        """One claim and its whole timeline: who supports, contradicts or discusses it, oldest first, with
        evidence. ``claim_id`` is an id or its unambiguous beginning."""
        return linked_claim(claim_id).to_dict()

    @router.get("/disputes", response_model=schemas.DisputePage, tags=["claims"])
    def list_disputes(actor: str | None = Query(None, max_length=200, description=(
                          "Only claims about or voiced by this actor: a ledger actor's slug, id, name or any name "
                          "it was filed under, in any case; else actors whose name contains it.")),
                      limit: int = Limit, offset: int = Offset) -> dict:
        """Disputed claims with their timelines: claims that someone supports and someone else contradicts (as
        surely as the ledger's `dispute_confidence`), the most surely contradicted first, then the most repeated;
        as `claimledger disputes`. 404 until `claimledger link` has found claims in this ledger."""
        if not readers.has_claims():
            raise HTTPException(404, "this ledger has no claims yet: linking has not run on it")
        found, total = cached_call(readers, cache, ("disputes", actor, limit, offset),
                                   lambda: dispute_page(readers.ledger(), actor, limit, offset))
        return _page([claim.to_dict() for claim in found], total, limit, offset)

    return router


def bearer_credentials(authorization: str | None) -> str | None:
    """The credentials of an ``Authorization: Bearer <credentials>`` header, as FastAPI's ``HTTPBearer`` reads it."""
    scheme, credentials = get_authorization_scheme_param(authorization)
    return credentials if scheme.lower() == "bearer" and credentials else None


def write_refusal(credentials: str | None, token: str | None) -> HTTPException | None:
    """Why a write that sends the bearer ``credentials`` is refused: 403 when the server has no ``token``
    (read-only), 401 unless they are the token; None when it may write. The token is compared in constant time
    (``hmac.compare_digest``): a comparison that stops at the first wrong character would tell a caller, by its
    time, how much of a guess is right."""
    if token is None:
        return HTTPException(403, "this server is read-only: start it with --token to accept articles")
    if credentials is None or not hmac.compare_digest(credentials.encode(), token.encode()):
        return HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    return None


def upload_endpoint(readers: ReaderPool, settings: Settings, token: str | None):
    """The ``POST`` endpoint that ingests an uploaded document, guarded by ``token`` (refused without one)."""
    bearer = HTTPBearer(auto_error=False, description="The token the server was started with (--token).")
    write_lock = threading.Lock()  # one writer at a time; the store would make the others wait anyway

    def post_article(file: UploadFile = File(..., description="A document: text, HTML, feed, WARC, JSON Lines."),
                     credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> dict:
        """Ingest a document through the same readers and deduplication as `claimledger ingest`. Only when the
        server was started with a token, and only for requests that send it as ``Authorization: Bearer``."""
        # WriteGate refused the others before their body was read; this holds wherever the endpoint is mounted.
        refusal = write_refusal(credentials.credentials if credentials else None, token)
        if refusal is not None:
            raise refusal
        name = Path(file.filename or "upload").name
        too_large = HTTPException(413, f"{name}: larger than {settings.max_document_mb:g} MB (max_document_mb)")
        limit = int(settings.max_document_mb * 2**20)
        if file.size is not None and file.size > limit:
            raise too_large
        with tempfile.TemporaryDirectory(prefix="claimledger-upload-") as folder:
            path = Path(folder) / "document"
            written = 0
            with path.open("wb") as handle:
                while chunk := file.file.read(2**20):
                    written += len(chunk)
                    if written > limit:
                        raise too_large
                    handle.write(chunk)
            with write_lock, open_store(readers.url, create=False) as store:
                report = ingest_upload(path, name, store, settings)
        if not report.stored and not report.duplicates:
            raise HTTPException(422, "; ".join(report.rejected) or f"{name}: no article found")
        return {"stored": report.stored, "duplicates": report.duplicates, "rejected": report.rejected}

    return post_article


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or (request.url.path == "/articles" and request.method == "POST")


def _invalid_parameters(errors: list[dict]) -> str:
    """Validation errors as one line: ``limit: Input should be less than or equal to 100; since: ...``."""
    return "; ".join(f"{'.'.join(str(p) for p in error['loc'][1:]) or error['loc'][0]}: {error['msg']}"
                     for error in errors)


def error_responder(templates: Jinja2Templates):
    """The one way an error is answered: ``{"detail": message}`` (and ``errors``, one entry per invalid parameter)
    to API callers, the error page to people."""

    def respond(request: Request, status: int, message: str, errors: list[dict] | None = None,
                headers: dict | None = None) -> Response:
        if _wants_json(request):
            content = {"detail": message} if errors is None else {"detail": message, "errors": errors}
            return JSONResponse(content, status_code=status, headers=headers)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status, headers=headers)

    return respond


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """The methods that some route of ``app`` (not a mounted folder) answers at the request's path."""
    return [method for method in HTTP_METHODS if any(
        not isinstance(route, Mount) and route.matches({**request.scope, "method": method})[0] is Match.FULL
        for route in app.router.routes)]


def _install_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    respond = error_responder(templates)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        headers = getattr(exc, "headers", None)
        allowed = allowed_methods(app, request) if exc.status_code == 405 else None
        if allowed:  # Starlette's Allow names the methods of one route, not all the path's
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return respond(request, exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError):
        # Never the rejected input itself: it may be long, or a credential sent in the wrong place.
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        return respond(request, 422, _invalid_parameters(errors), errors)

    def unreadable(request: Request, exc: Exception):
        log.error("ledger error on %s: %s", request.url.path, exc)
        return respond(request, 503, f"the ledger cannot be read right now: {exc}")

    for error in (StoreError, *database_errors()):  # the backend's own errors (sqlite3's, psycopg's) too
        app.add_exception_handler(error, unreadable)

    # Answered outside the middleware (by Starlette's outermost one): it adds the security headers itself.
    @app.exception_handler(Exception)
    def bug(request: Request, exc: Exception):
        log.error("bug while serving %s: %r", request.url.path, exc)
        return respond(request, 500, "internal error (the server log has the details)", headers=SECURITY_HEADERS)


def cors_origins(settings: Settings) -> list[str]:
    """The origins of the ``cors_origins`` setting (comma separated); none by default."""
    return [origin.strip().rstrip("/") for origin in settings.cors_origins.split(",") if origin.strip()]


def create_app(settings: Settings, token: str | None = None, cache_size: int = 1024) -> FastAPI:
    """The web application over the ledger ``settings.db``, which must exist (StoreError otherwise); pending
    migrations (such as the search index) are applied first. ``token`` enables ``POST /api/articles``;
    ``cache_size`` search pages and listings are kept until the ledger changes (0 keeps none)."""
    open_store(settings.db, create=False).close()
    readers = ReaderPool(settings.db, settings)
    cache = LedgerCache(cache_size)
    package = resources.files("claimledger.serve")
    templates = Jinja2Templates(directory=str(package / "templates"))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Endpoints are plain functions run in this pool, each thread with its own connection. More threads than
        # a few per core only take turns at the GIL and evict each other's caches; requests beyond wait their turn.
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        readers.close()

    # FastAPIOffline serves the /docs page's scripts from the installed package: the default loads them from a CDN,
    # which a newsroom's closed network (and this one) cannot reach.
    app = FastAPIOffline(title="claimledger", version="0.1.0", lifespan=lifespan,
                  description="Who said what, about whom, when: the ledger's articles, statements, speakers, "
                              "claims, disputes and full-text search, with the field names and values of the "
                              "Python API (`claimledger.Ledger`) and of `claimledger ... --format jsonl`. Dates may "
                              "be a year, a month or a day; outlets and names match in any case. Pages for people "
                              "at /, JSON for programs at /api/.")
    app.state.readers = readers
    _install_error_handlers(app, templates)
    app.include_router(api_router(readers, cache, settings.max_query_chars))
    upload = upload_endpoint(readers, settings, token)
    upload_responses = {code: {"model": schemas.Error} for code in (400, 401, 403, 413, 422)}
    app.add_api_route("/api/articles", upload, methods=["POST"], response_model=schemas.Ingested, status_code=201,
                      tags=["articles"], responses=upload_responses)
    # The issue names the upload ``POST /articles``; the same endpoint answers there, documented once.
    app.add_api_route("/articles", upload, methods=["POST"], response_model=schemas.Ingested, status_code=201,
                      include_in_schema=False)
    app.include_router(pages_router(readers, cache, templates, settings.max_query_chars))
    app.mount("/static", StaticFiles(directory=str(package / "static")), name="static")
    # Added innermost first: the write token, the limits, then CORS (so that a refusal is readable by an allowed
    # page), then the headers that every response carries.
    app.add_middleware(WriteGate, paths=UPLOAD_PATHS,
                       refusal=lambda headers: write_refusal(bearer_credentials(headers.get("authorization")), token),
                       reject=error_responder(templates))
    app.add_middleware(RequestLimits, max_body_bytes=int(settings.max_document_mb * 2**20) + UPLOAD_FRAMING,
                       max_target_bytes=target_limit(settings.max_query_chars),
                       body_limit=f"{settings.max_document_mb:g} MB, a document's limit (max_document_mb)",
                       reject=error_responder(templates))
    origins = cors_origins(settings)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization"], max_age=600)
    app.add_middleware(SecurityHeaders, docs_policies=DOCS_POLICIES)
    return app
