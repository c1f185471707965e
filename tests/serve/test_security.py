"""The server against hostile input and hostile callers: ingested articles carrying markup, right-to-left overrides
and a megabyte on one line; oversized requests; guessed tokens; other origins. Over real ledgers, through the
application in-process and through a real uvicorn server logging everything it can."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html.parser
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimledger.jobs import extract, ingest
from claimledger.serve.api import bearer_credentials, create_app, target_limit, write_refusal
from claimledger.serve.bidi import EMBEDDINGS, ISOLATES, POP_DIRECTIONAL_FORMATTING, POP_DIRECTIONAL_ISOLATE
from claimledger.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).parent))
from serving import SEED_ID, free_port, settings_for, wait_until_serving  # noqa: E402

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
TOKEN = "t0ken-that-must-never-be-logged-7f3a9c"
GUESSES = ("guess-that-must-not-be-logged-either", TOKEN[:-1], TOKEN + "x", TOKEN.upper())
HOSTILE = {
    "headline": f"<script>alert('headline')</script> {RLO}Breaking news",
    "outlet": f"Evil<img src=x onerror=alert('outlet')> {RLO}Outlet",
    "url": "javascript:alert('url')",
    "authors": [f"<b>Mallory</b>{RLO}"],
    "published": "2024-03-01",
    "text": (f"\"We will <script>alert('quote')</script> win {RLO}this election,\" said Jane <i>Doe</i>, the party "
             f"leader, on Monday.\n\nMinister John {RLO}Smith said the <img src=x onerror=alert('text')> plan "
             "would cost $5 million in Paris.\n\nThe end."),
}
# About a megabyte of words on one line. Ingested only: `claimledger extract` stops with spaCy's E088 on a text
# this long (over nlp.max_length, 1,000,000 characters).
LONG_LINE = " ".join(f"word{n % 1000}" for n in range(130_000))
# What every response carries beside its Content-Security-Policy.
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer"}
SERVE = ("import os, sys, uvicorn; from claimledger.config import load_settings; "
         "from claimledger.serve.api import create_app; "
         "uvicorn.run(create_app(load_settings(), token=os.environ['CLAIMLEDGER_TOKEN']), host='127.0.0.1', "
         "port=int(sys.argv[1]), log_level='debug', access_log=True)")
MAX_DOCUMENT_MB = 0.05
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def hostile(ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the sample ledger with a hostile article (extracted: its speakers and statements too) and a
    megabyte on one line, ingested from files by the real ingest; their ids and the ledger's path."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "input").mkdir()
    (folder / "input" / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    (folder / "input" / "long-line.txt").write_text("One very long line\n\n" + LONG_LINE + "\n", encoding="utf-8")
    path = folder / "ledger.db"
    shutil.copy(ledger, path)
    settings = settings_for(path)
    with SQLiteStore(path) as store:
        report = ingest([folder / "input"], store, settings)
        ids = {store.get_article(article_id).headline: article_id for article_id in report.article_ids}
        extract(store, settings, [ids[HOSTILE["headline"]]])
    return {"path": path, "hostile": ids[HOSTILE["headline"]], "long": ids["One very long line"]}


@pytest.fixture(scope="module")
def client(hostile: dict):
    with TestClient(create_app(settings_for(hostile["path"]))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def server(hostile: dict, tmp_path_factory: pytest.TempPathFactory):
    """A real uvicorn server over the hostile ledger, accepting uploads with ``TOKEN`` (from the environment, as
    `claimledger serve` takes it) and logging at debug level with its access log on; yields its base URL and the
    path of its log."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "CLAIMLEDGER_TOKEN": TOKEN, "CLAIMLEDGER_DB": str(hostile["path"]),
           "CLAIMLEDGER_MAX_DOCUMENT_MB": str(MAX_DOCUMENT_MB)}
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], stdout=log, stderr=subprocess.STDOUT,
                                   env=env)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base, process, log_path)
    yield {"base": base, "port": port, "log": log_path, "process": process}
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """Status, headers and body of a request to the real server, errors included."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "claimledger-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def policy(headers) -> dict[str, str]:
    """The Content-Security-Policy as ``{directive: sources}``."""
    return {part.split()[0]: " ".join(part.split()[1:])
            for part in headers["content-security-policy"].split(";") if part.strip()}


def assert_secured(headers, where: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (where, name, headers.get(name))
    directives = policy(headers)
    assert directives["frame-ancestors"] == "'none'", where
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]


class PageScan(html.parser.HTMLParser):
    """What a page holds that a policy without inline script would block, and its text and attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocked: list[str] = []
        self.texts: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        names = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.blocked.append(f"{tag} {name}=")
            if value and value.strip().lower().startswith("javascript:"):
                self.blocked.append(f"{tag} {name}={value}")
            if value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def confined(text: str) -> bool:
    """Whether every embedding or override in ``text`` sits inside an isolate, and everything opened is closed
    by its end (UAX #9's stack, followed as a browser does): then nothing in it reaches the text around it."""
    open_: list[str] = []
    for char in text:
        if char in EMBEDDINGS:
            if "i" not in open_:
                return False
            open_.append("e")
        elif char in ISOLATES:
            open_.append("i")
        elif char == POP_DIRECTIONAL_FORMATTING and open_ and open_[-1] == "e":
            open_.pop()
        elif char == POP_DIRECTIONAL_ISOLATE and "i" in open_:
            while open_.pop() != "i":
                pass
    return not open_


def parsed(page: str) -> PageScan:
    markup = PageScan()
    markup.feed(page)
    return markup


# Security headers and the policy's promise: no inline script, style or handler on any page.

def test_every_response_carries_the_security_headers(client, hostile):
    for url, status in [("/", 200), (f"/articles/{hostile['hostile']}", 200), ("/actors", 200),
                        ("/search?q=election", 200), ("/static/app.js", 200), ("/static/style.css", 200),
                        ("/api/articles", 200), (f"/api/articles/{SEED_ID}", 200), ("/openapi.json", 200),
                        ("/api/search?q=withdrawal", 200), ("/api/nowhere", 404), (f"/articles/{'0' * 16}", 404),
                        ("/api/articles?limit=0", 422), ("/articles?since=yesterday", 422)]:
        response = client.get(url)
        assert response.status_code == status, (url, response.text[:200])
        assert_secured(response.headers, url)
        assert policy(response.headers)["script-src"] == "'self'", url
        assert policy(response.headers)["style-src"] == "'self'", url
    refused = client.delete("/api/articles")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, POST"
    assert_secured(refused.headers, "DELETE /api/articles")


def test_the_docs_pages_allow_exactly_their_own_inline_scripts(client):
    for url in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        response = client.get(url)
        assert response.status_code == 200
        assert_secured(response.headers, url)
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, re.DOTALL)
        hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
        sources = set(policy(response.headers)["script-src"].split())
        assert sources == {"'self'", *hashes}, url


def test_templates_and_pages_hold_nothing_the_policy_would_block(client, hostile):
    templates = Path(__file__).resolve().parents[2] / "src" / "claimledger" / "serve" / "templates"
    for template in templates.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", source), template
    for url in ["/", f"/articles/{SEED_ID}", f"/articles/{hostile['hostile']}", "/actors/Abubakar%20Shekau",
                "/actors/Jane", "/search?q=election", "/articles", f"/articles/{'0' * 16}"]:
        markup = parsed(client.get(url).text)
        assert markup.blocked == [], url
        assert "script" in markup.tags  # the one script, from /static


# Hostile article text: escaped, inert, confined, and fast enough however long.

def test_hostile_markup_in_an_article_is_shown_as_text_on_every_page(client, hostile):
    article_id = hostile["hostile"]
    pages = {url: client.get(url).text for url in [
        f"/articles/{article_id}", "/articles", "/", "/search?q=election", "/search?q=plan&type=statements",
        "/actors/Jane", f"/actors/John%20{RLO}Smith", "/actors"]}
    for url, page in pages.items():
        markup = parsed(page)
        assert markup.blocked == [], url
        assert set(markup.tags) <= {"html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav",
                                    "form", "label", "input", "button", "main", "h1", "h2", "h3", "p", "span",
                                    "section", "fieldset", "legend", "div", "ul", "ol", "li", "time", "data",
                                    "aside", "footer", "select", "option", "table", "caption", "thead", "tbody",
                                    "tr", "th", "td", "mark", "code", "svg", "title", "desc", "line", "text",
                                    "rect", "figure", "figcaption", "dl", "dt", "dd", "article"}, url
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Mallory" not in page, url
    article = pages[f"/articles/{article_id}"]
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in article
    assert "&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt;" in article
    assert 'href="javascript:' not in article  # an address that is no web address is not linked
    assert 'class="who" href="/actors/John%20%E2%80%AESmith"' in article  # the odd name is a safe address


def test_right_to_left_overrides_stay_inside_the_text_that_carries_them(client, hostile):
    for url in [f"/articles/{hostile['hostile']}", "/articles", "/search?q=election", f"/actors/John%20{RLO}Smith",
                "/"]:
        markup = parsed(client.get(url).text)
        carrying = [text for text in markup.texts if RLO in text]
        assert carrying, url
        for text in markup.texts:  # every text and attribute value
            assert confined(text), (url, text)
    title = re.search(r"<title>(.*)</title>", client.get(f"/articles/{hostile['hostile']}").text).group(1)
    assert title.startswith("\u2068&lt;script&gt;") and title.endswith(RLO + "Breaking news\u202c\u2069 · claimledger")


def test_the_api_returns_hostile_text_verbatim_as_json_and_escaped_in_snippets(client, hostile):
    response = client.get(f"/api/articles/{hostile['hostile']}")
    assert response.headers["content-type"] == "application/json"
    article = response.json()
    assert article["headline"] == HOSTILE["headline"] and article["outlet"] == HOSTILE["outlet"]
    assert article["text"].startswith(HOSTILE["text"][:60])  # offsets index this text: never altered
    for statement in article["statements"]:
        assert article["text"][statement["span"][0]:statement["span"][1]] == statement["text"]
    found = client.get("/api/search", params={"q": "election"}).json()["results"]
    snippets = [r["snippet"] for r in found if r["article_id"] == hostile["hostile"]]
    assert snippets and all("<script>" not in s and "&lt;script&gt;" in s for s in snippets)


def test_a_megabyte_on_one_line_renders_whole(server, hostile):
    status, headers, body = fetch(f"{server['base']}/articles/{hostile['long']}")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert LONG_LINE[-2000:] in page and page.rstrip().endswith("</html>")
    status, headers, body = fetch(f"{server['base']}/api/articles/{hostile['long']}")
    assert status == 200 and json.loads(body)["text"].endswith(LONG_LINE)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_in_a_browser_nothing_runs_nothing_is_blocked_and_nothing_is_reordered(server, hostile):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            violations: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("console", lambda message: violations.append(message.text)
                    if "Content Security Policy" in message.text else None)
            for url in [f"/articles/{hostile['hostile']}", f"/articles/{SEED_ID}", "/search?q=election",
                        f"/actors/John%20{RLO}Smith", "/actors/Abubakar%20Shekau", "/"]:
                page.goto(server["base"] + url)
                page.wait_for_load_state("load")
            page.goto(f"{server['base']}/articles/{hostile['hostile']}")
            assert page.locator("fieldset.layers").is_visible()  # the page's own script ran
            # What follows a name holding an override still reads after it, left to right: "John htimS (1)", where
            # the override left open would give "John (1) htimS".
            name, count = page.evaluate("""() => {
                const link = [...document.querySelectorAll('.speakers a')].find(a => a.textContent.includes('Smith'));
                const range = document.createRange();
                range.selectNodeContents(link.nextSibling);
                const box = (rects) => [...rects].filter(r => r.width > 0).map(r => [r.left, r.right, r.top]);
                return [box(link.getClientRects()), box(range.getClientRects())];
            }""")
            assert count[0][2] > name[-1][2] or count[0][0] >= name[-1][1] - 1, (name, count)
            assert all(piece[0] >= name[-1][1] - 1 for piece in count if piece[2] == name[-1][2]), (name, count)
            page.goto(server["base"] + "/docs")
            page.wait_for_selector(".swagger-ui .info", timeout=15_000)  # Swagger UI starts under its policy
            page.goto(server["base"] + "/redoc")  # and ReDoc under its own
            # Waited for by a locator: a string predicate polled again would be evaluated under the page's policy,
            # which refuses eval, whenever ReDoc has not finished on the first try.
            page.get_by_text("/api/articles/{article_id}").first.wait_for(timeout=15_000)
            # The one thing refused: the logo that ReDoc's bundle takes from its CDN, out of reach here anyway.
            assert dialogs == [] and [v for v in violations if "cdn.redoc.ly" not in v] == []
        finally:
            browser.close()


# Request limits.

def test_long_searches_and_addresses_are_refused(client, hostile):
    settings = settings_for(hostile["path"])
    too_long = "a" * (settings.max_query_chars + 1)
    response = client.get("/api/search", params={"q": too_long})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["query", "q"]
    assert client.get("/search", params={"q": too_long}).status_code == 422
    assert client.get("/api/search", params={"q": "a" * settings.max_query_chars}).status_code == 200
    address = "/api/articles?outlet=" + "x" * target_limit(settings.max_query_chars)
    response = client.get(address)
    assert response.status_code == 414 and "longer than" in response.json()["detail"]
    assert_secured(response.headers, "414")
    page = client.get("/articles?outlet=" + "x" * target_limit(settings.max_query_chars))
    assert page.status_code == 414 and page.headers["content-type"].startswith("text/html")
    assert client.get("/api/articles", params={"limit": 101}).status_code == 422  # MAX_PAGE


def headers_only(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
    """A POST that declares a body and never sends it: a server that waited for the body would time out."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("POST", path)
        for name, value in {"Content-Type": "multipart/form-data; boundary=x", **headers}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_declared_body_over_the_limit_is_refused_before_it_is_sent(server):
    for path, headers in [("/api/articles", {"Authorization": f"Bearer {TOKEN}"}), ("/api/articles", {}),
                          ("/articles", {}), ("/api/search?q=x", {}), ("/", {})]:
        status, answer_headers, body = headers_only(server["port"], path,
                                                    {**headers, "Content-Length": str(100 * 2**20)})
        assert status == 413, (path, body)
        assert answer_headers["x-content-type-options"] == "nosniff"
        if path != "/":
            assert "larger than 0.05 MB" in json.loads(body)["detail"], path


def test_an_upload_without_the_token_is_refused_before_its_body_is_read(server, hostile):
    for authorization in ({}, {"Authorization": f"Bearer {GUESSES[0]}"}):
        status, headers, body = headers_only(server["port"], "/api/articles",
                                             {**authorization, "Content-Length": "40000"})  # under the limit
        assert status == 401 and headers["www-authenticate"] == "Bearer", body
    with TestClient(create_app(settings_for(hostile["path"]))) as read_only:
        refused = read_only.post("/api/articles", files={"file": ("a.txt", b"words", "text/plain")},
                                 headers={"Authorization": f"Bearer {TOKEN}"})
        assert refused.status_code == 403 and "read-only" in refused.json()["detail"]


def test_a_streamed_body_is_cut_off_at_the_limit(server):
    limit = int(MAX_DOCUMENT_MB * 2**20) + 64 * 2**10
    with socket.create_connection(("127.0.0.1", server["port"]), timeout=10) as connection:
        connection.sendall(f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
                           "Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           .encode())
        opening = b'--x\r\nContent-Disposition: form-data; name="file"; filename="endless.txt"\r\n\r\n'
        connection.sendall(b"%x\r\n%s\r\n" % (len(opening), opening))
        chunk = b"word " * (16 * 2**10)
        sent = 0
        try:
            while sent < 4 * limit:  # never the end of the body: only the limit ends this request
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):  # refused, and no longer read
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413"), answer[:300]


def test_an_upload_under_the_limit_still_ingests(server):
    body, content_type = multipart("small.txt", b"Council opens a library\n\nThe council said on Tuesday that the "
                                                b"new library would open in May with 20,000 books.")
    status, _, answer = fetch(server["base"] + "/api/articles", "POST", body,
                              {"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"})
    assert status == 201, answer


# The write token.

def test_the_token_is_compared_in_constant_time(monkeypatch):
    compare_digest = hmac.compare_digest
    compared: list[tuple[bytes, bytes]] = []

    def recording(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return compare_digest(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    assert write_refusal(GUESSES[1], TOKEN).status_code == 401
    assert compared == [(GUESSES[1].encode(), TOKEN.encode())]  # the one comparison, in constant time
    assert write_refusal(TOKEN, TOKEN) is None and len(compared) == 2
    assert write_refusal(None, TOKEN).status_code == 401 and write_refusal(TOKEN, None).status_code == 403
    assert bearer_credentials(f"bearer {TOKEN}") == TOKEN and bearer_credentials(f"Basic {TOKEN}") is None


def test_the_token_is_never_logged(server):
    body, content_type = multipart("note.txt", b"Mayor resigns\n\nThe mayor said on Friday that she would resign.")
    url = server["base"] + "/api/articles"
    for guess in GUESSES:
        status, headers, _ = fetch(url, "POST", body, {"Content-Type": content_type,
                                                       "Authorization": f"Bearer {guess}"})
        assert status == 401 and headers["www-authenticate"] == "Bearer"
    for authorization in (f"Basic {TOKEN}", TOKEN, f"Bearer  {TOKEN}x", "Bearer"):
        assert fetch(url, "POST", body, {"Content-Type": content_type, "Authorization": authorization})[0] == 401
    assert fetch(url, "POST", body, {"Content-Type": content_type})[0] == 401
    assert fetch(url, "POST", b"--broken", {"Content-Type": "multipart/form-data; boundary=x",
                                            "Authorization": f"Bearer {TOKEN}"})[0] in (400, 422)
    assert fetch(url, "POST", body, {"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"})[0] == 201
    log = server["log"].read_text()  # uvicorn's log handlers flush every line
    assert '"POST /api/articles HTTP/1.1" 401' in log and '"POST /api/articles HTTP/1.1" 201' in log
    for secret in (TOKEN, *GUESSES):
        assert secret not in log


# Cross-origin calls.

def test_other_origins_get_no_cors_headers_unless_configured(hostile):
    origin = "https://newsroom.example"
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization"}
    with TestClient(create_app(settings_for(hostile["path"]))) as closed:
        response = closed.get("/api/articles", headers={"Origin": origin})
        assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
        response = closed.options("/api/articles", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    configured = settings_for(hostile["path"]).with_overrides(cors_origins=f"{origin}, https://desk.example/")
    with TestClient(create_app(configured)) as open_to_some:
        response = open_to_some.get("/api/articles", headers={"Origin": origin})
        assert response.headers["access-control-allow-origin"] == origin
        assert_secured(response.headers, "CORS GET")
        response = open_to_some.options("/api/articles", headers=preflight)
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == origin
        assert "authorization" in response.headers["access-control-allow-headers"].lower()
        desk = open_to_some.get("/api/articles", headers={"Origin": "https://desk.example"})
        assert desk.headers["access-control-allow-origin"] == "https://desk.example"
        other = open_to_some.get("/api/articles", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        refused = open_to_some.options("/api/articles", headers={**preflight, "Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in refused.headers
