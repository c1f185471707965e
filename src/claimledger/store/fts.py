"""Full-text search over statements, headlines and article texts: SQLite FTS5, bm25 ranking, marked snippets.

The indexes (``statements_fts``, ``articles_fts``) are created by the ``full_text_search`` migration and kept in step
by triggers, so nothing here writes. User text never reaches FTS5's query syntax: every word and every quoted phrase
is passed as a quoted string, so ``NEAR(``, ``AND``, ``*`` or a stray quote search for themselves instead of failing.
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from dataclasses import dataclass
from typing import Literal

SearchKind = Literal["all", "statements", "articles"]

# snippet() brackets each match with these; they cannot occur in stored text, so escaping the rest is safe.
_OPEN, _CLOSE = "\x02", "\x03"
# The tokenizer of the ledger's indexes (migration ``full_text_search``): word stems, accents folded.
TOKENIZER = "porter unicode61 remove_diacritics 2"
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Column weights for bm25: a match in a headline counts more than one in the body; a speaker's name less than
# the words said.
_ARTICLE_WEIGHTS = "3.0, 1.0"
_STATEMENT_WEIGHTS = "1.0, 0.5"


class QueryError(ValueError):
    """The search text holds nothing to search for."""


@dataclass(frozen=True)
class SearchFilters:
    """Filters shared with the listings: publication days (ISO, both ends included), outlet, speaker."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    speaker: str | None = None


def match_expression(text: str) -> str:
    """An FTS5 MATCH expression finding rows with every word and every "quoted phrase" of ``text``.

    Raises QueryError when ``text`` holds no word at all."""
    terms = []
    # A NUL would end FTS5's copy of the query inside a quoted term ("unterminated string"); no control character
    # is ever a word.
    for phrase, word in _TERM.findall(_CONTROL.sub(" ", text)):
        term = (phrase or word).strip()
        if term:
            terms.append('"' + term.replace('"', '""') + '"')
    if not terms:
        raise QueryError("the search text is empty")
    return " ".join(terms)


def marked_snippet(snippet: str | None) -> str:
    """A snippet as safe HTML: the text escaped, each match inside ``<mark>``."""
    escaped = html.escape(snippet or "", quote=False)
    return escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _filters_sql(filters: SearchFilters) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if filters.since:
        clauses.append("a.published >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("a.published < ?")  # every ISO date or datetime of that day sorts below day + U+FFFF
        params.append(filters.until + "\uffff")
    if filters.outlet:
        clauses.append("a.outlet = ?")
        params.append(filters.outlet)
    return "".join(" AND " + c for c in clauses), params


def _ranked(conn: sqlite3.Connection, table: str, weights: str, source: str, params: list, top: int
            ) -> tuple[list[tuple[float, int]], int]:
    """The best ``top`` (bm25, rowid) of every row of ``source`` (a FROM ... WHERE clause on ``table`` aliased
    ``f``) and the number of those rows."""
    total = conn.execute(f"SELECT COUNT(*) {source}", params).fetchone()[0]
    if not total or not top:
        return [], total
    # Every match is scored; with a LIMIT, SQLite's sorter keeps only the best ``top`` rows as it goes. (FTS5's own
    # ``ORDER BY rank`` measured slower here: it sorts every match inside the table first.)
    hits = conn.execute(f"SELECT bm25({table}, {weights}) AS score, f.rowid {source} ORDER BY score LIMIT ?",
                        [*params, top]).fetchall()
    return [tuple(h) for h in hits], total


def _statement_hits(conn: sqlite3.Connection, match: str, filters: SearchFilters, top: int
                    ) -> tuple[list[tuple[float, int]], int]:
    where, params = _filters_sql(filters)
    if filters.speaker:
        where += " AND s.speaker_name = ?"
        params.append(filters.speaker)
    if where:
        source = ("FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
                  "JOIN articles a ON a.id = s.article_id WHERE statements_fts MATCH ?" + where)
    else:
        source = "FROM statements_fts f WHERE statements_fts MATCH ?"
    return _ranked(conn, "statements_fts", _STATEMENT_WEIGHTS, source, [match, *params], top)


def _article_hits(conn: sqlite3.Connection, match: str, filters: SearchFilters, top: int
                  ) -> tuple[list[tuple[float, int]], int]:
    where, params = _filters_sql(filters)
    if filters.speaker:
        where += " AND EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id AND s.speaker_name = ?)"
        params.append(filters.speaker)
    if where:
        source = "FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ?" + where
    else:
        source = "FROM articles_fts f WHERE articles_fts MATCH ?"
    return _ranked(conn, "articles_fts", _ARTICLE_WEIGHTS, source, [match, *params], top)


# Scratch tables, one per index: its two columns and the one a snippet is cut from.
_SCRATCH = {"statements": ("text", "speaker_name", 0), "articles": ("headline", "text", 1)}
# Characters of an article around its first match that its snippet is cut from.
_EXCERPT = 500


class _Marker(threading.local):
    """Small in-memory FTS5 tables per thread, tokenized as the ledger's indexes are, to mark matches in one page
    of results. Asking the ledger's index instead costs a seek in every segment of every matched word per row."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        for table, (first, second, _) in _SCRATCH.items():
            self.conn.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({first}, {second}, tokenize='{TOKENIZER}')")


_marker = _Marker()


def _marked(table: str, match: str, rows: dict[int, tuple[str | None, str | None]]) -> dict[int, str]:
    """Snippets of ``rows`` (rowid: the two columns of ``table`` in ``_SCRATCH``) with what ``match`` finds
    marked."""
    first, second, column = _SCRATCH[table]
    conn = _marker.conn
    conn.execute("BEGIN")
    try:
        conn.executemany(f"INSERT INTO {table} (rowid, {first}, {second}) VALUES (?, ?, ?)",
                         [(rowid, *values) for rowid, values in rows.items()])
        found = dict(conn.execute(f"SELECT rowid, snippet({table}, {column}, '{_OPEN}', '{_CLOSE}', '…', 32) "
                                  f"FROM {table} WHERE {table} MATCH ?", (match,)).fetchall())
    finally:
        conn.execute("ROLLBACK")  # the tables are only scratch pads
    return found


def _statement_results(conn: sqlite3.Connection, match: str, hits: list[tuple[float, int]]) -> dict[int, dict]:
    rows = conn.execute(
        "SELECT s.rowid, s.id, s.article_id, s.speaker_name, s.kind, s.cue, s.text, s.start, s.end, s.date, "
        "a.headline, a.outlet, a.published FROM statements s JOIN articles a ON a.id = s.article_id "
        "WHERE s.rowid IN (SELECT value FROM json_each(?))",
        ("[" + ",".join(str(rowid) for _, rowid in hits) + "]",)).fetchall()
    snippets = _marked("statements", match, {row["rowid"]: (row["text"], row["speaker_name"]) for row in rows})
    found = {}
    for row in rows:
        snippet = snippets.get(row["rowid"], row["text"])
        found[row["rowid"]] = {
            "type": "statement", "id": row["id"], "article_id": row["article_id"],
            "speaker_name": row["speaker_name"], "kind": row["kind"], "cue": row["cue"], "text": row["text"],
            "span": [row["start"], row["end"]], "date": row["date"], "snippet": marked_snippet(snippet),
            "headline": row["headline"], "outlet": row["outlet"], "published": row["published"],
        }
    return found


def _excerpt(text: str, match: str) -> tuple[str, bool, bool]:
    """The part of a long ``text`` around the first place a word of ``match`` seems to occur (its first five
    letters, which a word shares with its stem), and whether text was cut before and after it. Tokenizing a
    whole article to cut a 32-word snippet costs more than the rest of a search."""
    stems = [word[:5] for word in re.findall(r"\w+", match)]
    if len(text) <= _EXCERPT or not stems:
        return text, False, False
    found = re.search("|".join(re.escape(stem) for stem in stems), text, re.IGNORECASE)
    start = max(0, (found.start() if found else 0) - _EXCERPT // 3)
    end = min(len(text), start + _EXCERPT)
    if start:
        start = text.find(" ", start, end) + 1 or start  # begin and end on whole words
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return text[start:end], start > 0, end < len(text)


def _article_results(conn: sqlite3.Connection, match: str, hits: list[tuple[float, int]]) -> dict[int, dict]:
    rows = conn.execute(
        "SELECT a.seq, a.id, a.headline, a.outlet, a.published, a.text FROM articles a "
        "WHERE a.seq IN (SELECT value FROM json_each(?))",
        ("[" + ",".join(str(rowid) for _, rowid in hits) + "]",)).fetchall()
    excerpts = {row["seq"]: _excerpt(row["text"], match) for row in rows}
    snippets = _marked("articles", match, {row["seq"]: (row["headline"], excerpts[row["seq"]][0]) for row in rows})
    found = {}
    for row in rows:
        excerpt, cut_before, cut_after = excerpts[row["seq"]]
        snippet = snippets.get(row["seq"], excerpt)
        if cut_before and not snippet.startswith("…"):
            snippet = "…" + snippet
        if cut_after and not snippet.endswith("…"):
            snippet += "…"
        found[row["seq"]] = {
            "type": "article", "id": row["id"], "article_id": row["id"], "snippet": marked_snippet(snippet),
            "headline": row["headline"], "outlet": row["outlet"], "published": row["published"],
        }
    return found


def search(conn: sqlite3.Connection, text: str, filters: SearchFilters = SearchFilters(),
           kind: SearchKind = "all", limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """One page of matches for ``text``, the best of all matches first by bm25, each with a marked snippet and a
    ``score`` (lower is better), and the number of all matches. ``all`` merges statements and articles by score;
    with a speaker filter only statements can match. Raises QueryError when ``text`` holds no word."""
    match = match_expression(text)
    top = limit + offset  # the best ``top`` of the union are among the best ``top`` of each index
    pools: list[tuple[str, list[tuple[float, int]]]] = []
    total = 0
    if kind in ("all", "statements"):
        hits, count = _statement_hits(conn, match, filters, top)
        pools.append(("statement", hits))
        total += count
    if kind in ("all", "articles") and not (kind == "all" and filters.speaker):
        hits, count = _article_hits(conn, match, filters, top)
        pools.append(("article", hits))
        total += count
    ranked = sorted(((score, rowid, pool) for pool, hits in pools for score, rowid in hits),
                    key=lambda hit: (hit[0], hit[2], hit[1]))[offset:offset + limit]
    details: dict[str, dict[int, dict]] = {}
    for pool, reader in (("statement", _statement_results), ("article", _article_results)):
        page_hits = [(score, rowid) for score, rowid, p in ranked if p == pool]
        details[pool] = reader(conn, match, page_hits) if page_hits else {}
    results = []
    for score, rowid, pool in ranked:
        result = details[pool].get(rowid)
        if result is not None:  # a row deleted between the two queries
            results.append({**result, "score": round(score, 4)})
    return results, total
