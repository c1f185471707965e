"""What every response carries and what no request may exceed: security headers, request size limits and the write
token, as ASGI middleware around the whole application (pages, API, static files, docs and error responses alike).

The pages run no inline script, style attribute or event handler, so their Content-Security-Policy allows scripts
and styles from this origin only. The API docs pages (FastAPI's Swagger UI and ReDoc) start with an inline script:
their policy allows that script by its hash, computed from the page as served (and ReDoc's, inline styles).
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SWAGGER_POLICY = ("default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
                  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# ReDoc styles itself from script (styled-components' inline styles) and searches in a worker made from a blob.
REDOC_POLICY = ("default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
                "form-action 'self'; frame-ancestors 'none'")
# FastAPI's documentation pages (FastAPIOffline's paths) and their policies; ``{scripts}``: 'self' and the hashes of
# the page's inline scripts.
DOCS_POLICIES = {"/docs": SWAGGER_POLICY, "/docs/oauth2-redirect": SWAGGER_POLICY, "/redoc": REDOC_POLICY}
SECURITY_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "no-referrer",
}
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)

Reject = Callable[..., Response]  # (request, status, message, headers=...) -> the error response


def script_sources(html: bytes) -> str:
    """The CSP script sources that allow this origin's scripts and exactly the inline scripts of ``html``."""
    return " ".join(["'self'"] + [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                                  for body in _INLINE_SCRIPT.findall(html)])


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response; a page of ``docs_policies`` (small, FastAPI's own) gets
    the policy given for its path instead, allowing its inline scripts by their hashes."""

    def __init__(self, app: ASGIApp, docs_policies: dict[str, str]) -> None:
        self.app = app
        self.docs_policies = docs_policies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.docs_policies:
            await self.app(scope, receive, self._docs_sender(send, self.docs_policies[scope["path"]]))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _docs_sender(send: Send, policy: str) -> Send:
        """A ``send`` that holds the response back until its body is complete, to hash the body's scripts."""
        start: Message | None = None
        body: list[bytes] = []

        async def send_docs(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            content = b"".join(body)
            headers = MutableHeaders(scope=start)
            headers.update(SECURITY_HEADERS)
            headers["Content-Security-Policy"] = policy.format(scripts=script_sources(content))
            await send(start)
            await send({"type": "http.response.body", "body": content, "more_body": False})

        return send_docs


class BodyTooLarge(HTTPException):
    """A request body that went past the limit while it was being read."""


class RequestLimits:
    """Refuses a request whose target (path and query string) is longer than ``max_target_bytes`` (414) or whose
    declared body (``Content-Length``) is larger than ``max_body_bytes`` (413), before the application reads any of
    it; counts a body sent without a length as the application reads it, and stops reading at the limit (413).

    Starlette's own ``RequestBodyLimitMiddleware`` answers a request the application never read in plain text;
    this answers every refusal through ``reject``, in the application's one error shape."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_target_bytes: int, body_limit: str,
                 reject: Reject) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_target_bytes = max_target_bytes
        self.body_limit = body_limit
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode()
        if len(path) + len(scope.get("query_string", b"")) > self.max_target_bytes:
            message = f"the address is longer than {self.max_target_bytes} bytes"
            await self.reject(Request(scope), 414, message)(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        too_large = f"the request body is larger than {self.body_limit}"
        if length.isdigit() and int(length) > self.max_body_bytes:
            await self.reject(Request(scope), 413, too_large)(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(413, too_large)
            return message

        await self.app(scope, receive_within_limit, send)


class WriteGate:
    """Refuses a ``POST`` to one of ``paths`` that ``refusal`` (given the request's headers) refuses, before the
    application reads its body: FastAPI reads a form before it runs the endpoint's checks, so a caller without
    the token could otherwise make the server read and store an upload's worth of bytes each time."""

    def __init__(self, app: ASGIApp, paths: frozenset[str], refusal: Callable[[Headers], HTTPException | None],
                 reject: Reject) -> None:
        self.app = app
        self.paths = paths
        self.refusal = refusal
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self.paths:
            refused = self.refusal(Headers(scope=scope))
            if refused is not None:
                response = self.reject(Request(scope), refused.status_code, refused.detail, headers=refused.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
