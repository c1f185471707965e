"""Search and article-page latency of `claimledger serve` under concurrent clients, beside SQLite alone.

The load ledger is the sample corpus, really ingested and extracted, then repeated with varied text until it holds
at least --statements statements: each copy swaps a share of the words for other corpus words of the same length
(so every extracted offset still slices its text) and moves the publication dates. It is a load test, not a
realistic corpus: vocabulary and speakers repeat. The server is `claimledger serve` as a user starts it (one
process per core). Clients are threads on 127.0.0.1 keeping one HTTP/1.1 connection each, bounded by a request
count and a time limit. The floor is the same searches (bm25 top 20 with
snippets and the total) run by `claimledger.store.fts.search` on one SQLite connection, one thread, no HTTP.
Searches are distinct (never repeated, so never answered from the server's search cache) except in the run of
popular queries, which shows the cache.

Then the same on PostgreSQL: a throwaway server started as the tests start theirs (``tests/postgres.py``: initdb
in a temporary folder, fsync off), the load ledger copied into it through the store's writes, the same runs, and
the floor there is ``PostgresStore.search`` on one connection (the load ledger is vacuumed and analyzed after the
copy, as after any bulk load). Without PostgreSQL's binaries (or with --no-postgres) that half is skipped with a
message.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/bench_serve.py [--db out/bench-serve.db]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from claimledger.config import load_settings
from claimledger.ingest.dedup import text_hash
from claimledger.jobs import extract, ingest
from claimledger.models import Actor, Block, DateMention, Extraction, Place, Quantity, Statement, content_id
from claimledger.store import ReadStore, open_store
from claimledger.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "corpus"
QUERIES = ["withdrawal", "troops", "ceasefire", "girls released", "Ukraine", "NATO", "president", "deal",
           "military buildup", "Boko Haram", "Steve Jobs", "helicopter", "refugees", "protesters killed",
           "moon", "\"kidnapped schoolgirls\"", "Russia", "water plumes", "Berlin", "government"]
SWAP_SHARE = 0.25
WORD = re.compile(r"[A-Za-z]{4,}")
console = Console(width=150)
COPY_BATCH = 500  # articles per transaction when copying the load ledger into PostgreSQL


def build_base(path: Path) -> None:
    """The sample corpus, ingested and extracted for real."""
    settings = load_settings({}).with_overrides(db=str(path))
    with SQLiteStore(path) as store:
        ingest([SAMPLES], store, settings)
        extract(store, settings)


def _vary(text: str, rng: random.Random, words_by_length: dict[int, list[str]]) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        if rng.random() >= SWAP_SHARE:
            return word
        other = rng.choice(words_by_length[len(word)])
        return other.capitalize() if word[0].isupper() else other

    return WORD.sub(swap, text)


def _extraction(article_id: str, text: str, data: dict) -> Extraction:
    def span(item: dict) -> tuple[int, int]:
        return tuple(item["span"])

    def maybe(value):
        return tuple(value) if value is not None else None

    return Extraction(
        article_id=article_id,
        actors=tuple(Actor(a["id"], a["name"], a["kind"], tuple(a["titles"]), a["affiliation"],
                           tuple(tuple(m) for m in a["mentions"])) for a in data["actors"]),
        statements=tuple(Statement(s["id"], s["speaker"], s["speaker_name"], s["kind"], s["cue"],
                                   text[s["span"][0]:s["span"][1]], span(s), s["date"], maybe(s.get("cue_span")),
                                   maybe(s.get("speaker_span"))) for s in data["statements"]),
        quantities=tuple(Quantity(text[q["span"][0]:q["span"][1]], q["value"], q["unit"], q["qualifier"], span(q))
                         for q in data["quantities"]),
        dates=tuple(DateMention(text[d["span"][0]:d["span"][1]], d["value"], span(d)) for d in data["dates"]),
        places=tuple(Place(p["name"], p["country"], span(p)) for p in data["places"]),
    )


def amplify(path: Path, statements: int) -> None:
    """Copies of the extracted articles with varied words and dates until the ledger holds ``statements``."""
    with SQLiteStore(path) as store:
        originals = [(article, store.extraction(article.id)) for article in store.iter_articles()]
        originals = [(a, e) for a, e in originals if e is not None]
        words = sorted({w.lower() for a, _ in originals for w in WORD.findall(a.text)})
        words_by_length: dict[int, list[str]] = {}
        for word in words:
            words_by_length.setdefault(len(word), []).append(word)
        per_copy = sum(len(e["statements"]) for _, e in originals)
        copies = -(-(statements - store.count_statements()) // per_copy)
        rng = random.Random(20220216)
        for copy in range(1, copies + 1):
            batch, extractions = [], []
            for article, data in originals:
                text = _vary(article.text, rng, words_by_length)
                headline = _vary(article.headline or "", rng, words_by_length) or None
                published = article.published
                if published and published[:4].isdigit():
                    day = date.fromisoformat(published[:10]) + timedelta(days=(copy * 7) % 1500)
                    published = day.isoformat() + published[10:]
                blocks = tuple(Block(b.kind, text[b.start:b.end], b.start, b.end) for b in article.blocks)
                varied = replace(article, id=content_id(headline, text), text=text, headline=headline,
                                 blocks=blocks, published=published, source=f"{article.source}#copy{copy}")
                batch.append((varied, text_hash(varied), b""))
                extractions.append(_extraction(varied.id, text, data))
            store.write_batch(batch, [])
            store.write_extractions(extractions, "bench copy")


def copy_ledger(db: Path, url: str) -> None:
    """Every article of the SQLite ledger ``db`` and its extraction into the empty ledger at ``url``, through the
    store's batch writes (``write_batch``, ``write_extractions``)."""
    with SQLiteStore.reader(db) as source, open_store(url) as target:
        signatures = {article_id: (digest, minhash) for article_id, digest, minhash in source.signatures()}
        batch: list = []

        def flush() -> None:
            target.write_batch([(article, *signatures[article.id]) for article, _ in batch], [])
            target.write_extractions([_extraction(article.id, article.text, data) for article, data in batch
                                      if data is not None], "bench copy")
            batch.clear()

        for article in source.iter_articles():
            batch.append((article, source.extraction(article.id)))
            if len(batch) == COPY_BATCH:
                flush()
        if batch:
            flush()
    # As after any bulk load: visibility hints set and statistics gathered now, not by the first searches.
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def distinct_queries(db: Path, count: int) -> list[str]:
    """``count`` different searches, words and pairs of neighbouring words of the statements, in random order:
    none repeats, so none is answered from the server's search cache."""
    with SQLiteStore(db) as store:
        texts = [row[0] for row in store.conn.execute("SELECT text FROM statements LIMIT 5000")]
    queries: set[str] = set()
    for text in texts:
        words = [w.lower() for w in WORD.findall(text)]
        queries.update(words)
        queries.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    ordered = sorted(queries)
    random.Random(7).shuffle(ordered)
    return ordered[:count]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time so far of a process and of the processes it started, the server's processes
    (Linux /proc)."""
    total = 0.0
    for process in server_processes(pid):
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def server_processes(pid: int) -> list[int]:
    """The process ``pid`` and every process it started, in turn."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += server_processes(int(child))
    return found


def connection_split(pid: int, port: int) -> str:
    """How many established connections to ``port`` each process of the server holds, e.g. "9/7" (Linux /proc):
    processes accept from one socket, and one holding most of the clients' connections serves them alone."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                established.add(f"socket:[{fields[9]}]")
    counts = []
    for process in server_processes(pid):
        held = 0
        for fd in Path(f"/proc/{process}/fd").iterdir():
            try:
                held += os.readlink(fd) in established
            except OSError:  # closed meanwhile
                pass
        if held:
            counts.append(held)
    return "/".join(str(count) for count in sorted(counts, reverse=True)) or "-"


def load(port: int, paths: list[str], clients: int, requests: int, seconds: float) -> tuple[list[float], float, int]:
    """Latencies (ms) of ``requests`` GETs by ``clients`` threads (fewer if ``seconds`` runs out), the wall time,
    and how many answers were not 200. Request i asks for ``paths[i % len(paths)]``."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            started = time.perf_counter()
            connection.request("GET", paths[index % len(paths)])
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            bad += response.status != 200
        connection.close()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, failures[0]


def start_server(db: Path) -> tuple[subprocess.Popen, int]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/articles?limit=1")
            connection.getresponse().read()
            connection.close()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit(f"the server did not start: {server.communicate()[1]}")
            time.sleep(0.2)


def measure(db: str, store: ReadStore, distinct: list[str], page_paths: list[str], args: argparse.Namespace,
            database_pid: int | None = None) -> tuple[list[float], float, dict[str, int], list[tuple]]:
    """The floor (``store.search`` on one handle, one thread: latencies in ms and CPU ms per search), the matches
    of the popular queries, and one row of figures per run of `claimledger serve --db db` under load. The server's
    CPU counts the database server's processes too where ``database_pid`` names it (PostgreSQL)."""

    def server_cpu_seconds() -> float:
        return cpu_seconds(server.pid) + (cpu_seconds(database_pid) if database_pid else 0.0)

    floor: list[float] = []
    floor_cpu = time.process_time()
    for query in distinct[-200:]:
        began = time.perf_counter()
        store.search(query, limit=20)
        floor.append((time.perf_counter() - began) * 1000)
    floor_cpu = (time.process_time() - floor_cpu) / len(floor) * 1000  # this process's CPU only
    totals = {query: store.search(query, limit=20)[1] for query in QUERIES}

    def search_path(query: str) -> str:
        return f"/api/search?{urllib.parse.urlencode({'q': query, 'limit': 20})}"

    server, port = start_server(db)
    rows = []
    try:
        # Warm-up (threads, connections, the database's page cache) on queries the measured runs do not ask.
        load(port, [search_path(q) for q in distinct[-200:]] + page_paths[:200], 4, 400, 3)
        runs = [("search, 1 client, distinct queries", [search_path(q) for q in distinct[:500]], 1),
                (f"search, {args.clients} clients, distinct queries", [search_path(q) for q in distinct[500:]],
                 args.clients),
                (f"search, {args.clients} clients, {len(QUERIES)} popular queries (cached)",
                 [search_path(q) for q in QUERIES], args.clients),
                (f"article page, {args.clients} clients", page_paths, args.clients)]
        for name, paths, clients in runs:
            requests = min(args.requests, len(paths)) if "distinct" in name else args.requests
            server_before, client_before = server_cpu_seconds(), time.process_time()
            split = ["-"]
            census = threading.Timer(1.0, lambda: split.__setitem__(0, connection_split(server.pid, port)))
            census.start()
            latencies, wall, failures = load(port, paths, clients, requests, args.seconds)
            census.cancel()
            census.join()
            server_cpu = server_cpu_seconds() - server_before
            client_cpu = time.process_time() - client_before
            rows.append((name, len(latencies), percentile(latencies, 0.5), percentile(latencies, 0.95),
                         len(latencies) / wall, failures, 1000 * server_cpu / len(latencies),
                         1000 * client_cpu / len(latencies), (server_cpu + client_cpu) / wall, split[0]))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return floor, floor_cpu, totals, rows


def report(backend: str, floor_name: str, counts: tuple[int, int], measured: tuple, extra: str = "") -> None:
    floor, floor_cpu, totals, rows = measured
    table = Table(title=f"claimledger serve on {backend}, 127.0.0.1, {counts[1]} statements, {counts[0]} articles"
                        f"{extra}")
    for column in ("run", "requests", "p50 ms", "p95 ms", "requests/s", "not 200", "server CPU ms/req",
                   "client CPU ms/req", "cores busy", "conns per process"):
        table.add_column(column, justify="left" if column == "run" else "right")
    table.add_row(floor_name, str(len(floor)), f"{percentile(floor, 0.5):.1f}", f"{percentile(floor, 0.95):.1f}",
                  f"{1000 / statistics.mean(floor):.0f}", "-", f"{floor_cpu:.2f}", "-", "-", "-")
    for name, count, p50, p95, rps, failures, server_ms, client_ms, cores, split in rows:
        table.add_row(name, str(count), f"{p50:.1f}", f"{p95:.1f}", f"{rps:.0f}", str(failures), f"{server_ms:.2f}",
                      f"{client_ms:.2f}", f"{cores:.2f}", split)
    console.print(table)
    console.print(f"matches of the popular queries on {backend}: " + json.dumps(totals))


def postgres_server():
    """A throwaway PostgreSQL server (``tests/postgres.py``), or None with the reason printed."""
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres import PostgresServer, PostgresUnavailable

    try:
        return PostgresServer()
    except PostgresUnavailable as exc:
        console.print(f"PostgreSQL run skipped: {exc}")
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="Load ledger to use, built there first if it holds too few "
                                                "statements [default: a temporary file].")
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000, help="Requests per measurement, at most.")
    parser.add_argument("--seconds", type=float, default=8.0, help="Seconds per measurement, at most.")
    parser.add_argument("--no-postgres", action="store_true", help="Measure SQLite only.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "bench-serve.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        if not db.exists():
            build_base(db)
        with SQLiteStore(db) as store:
            have = store.count_statements()
        if have < args.statements:
            amplify(db, args.statements)
        with SQLiteStore(db) as store:
            counts = (store.count_articles(), store.count_statements())
            article_ids = [a["id"] for a in store.article_page(limit=100, offset=0)[0]]
            article_ids += [a["id"] for a in store.article_page(limit=100, offset=counts[0] // 2)[0]]
        console.print(f"load ledger {db}: {counts[0]} articles, {counts[1]} statements "
                      f"(sample corpus repeated with varied words; ready in {time.perf_counter() - started:.0f} s)")

        distinct = distinct_queries(db, args.requests + 200)
        rng = random.Random(1)
        page_paths = [f"/articles/{rng.choice(article_ids)}" for _ in range(args.requests)]
        with SQLiteStore.reader(db) as reader:
            on_sqlite = measure(str(db), reader, distinct, page_paths, args)
        report("SQLite", "floor: fts.search on SQLite, 1 thread, distinct queries", counts, on_sqlite)
        console.print(f"cores busy: CPU seconds of server and clients per second of the run. This machine has "
                      f"{os.cpu_count()}, shared with whatever else runs on it: where fewer were free, latency "
                      "grows while CPU per request does not.")

        server = None if args.no_postgres else postgres_server()
        if server is not None:
            try:
                url = server.create_database()
                began = time.perf_counter()
                copy_ledger(db, url)
                filled = time.perf_counter() - began
                with open_store(url, create=False, read_only=True) as reader:
                    pg_counts = (reader.count_articles(), reader.count_statements())
                    console.print(f"PostgreSQL {server.bin.parent.name} load ledger: {pg_counts[0]} articles, "
                                  f"{pg_counts[1]} statements, copied in {filled:.0f} s")
                    on_postgres = measure(url, reader, distinct, page_paths, args, server.process.pid)
                report("PostgreSQL", "floor: PostgresStore.search, 1 thread, distinct queries", pg_counts,
                       on_postgres, f" (copied in {filled:.0f} s)")
                console.print("server CPU on PostgreSQL counts the database server's processes too; the floor's "
                              "CPU is the client's alone.")
            finally:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
