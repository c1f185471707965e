"""Full-text search over statements, headlines and article texts: SQLite FTS5, bm25 ranking, marked snippets.

The indexes (``statements_fts``, ``articles_fts``) are created by the ``full_text_search`` migration and kept in step
by triggers, so nothing here writes. User text never reaches FTS5's query syntax: every word and every quoted phrase
is passed as a quoted string, so ``NEAR(``, ``AND``, ``*`` or a stray quote search for themselves instead of failing.
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass
from typing import Literal

SearchKind = Literal["all", "statements", "articles"]

# snippet() brackets each match with these; they cannot occur in stored text, so escaping the rest is safe.
_OPEN, _CLOSE = "\x02", "\x03"
_TERM = re.compile(r'"([^"]*)"|(\S+)')
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
    for phrase, word in _TERM.findall(text):
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
    total = conn.execute(f"SELECT COUNT(*) {source}", [match, *params]).fetchone()[0]
    if not total or not top:
        return [], total
    hits = conn.execute(f"SELECT bm25(statements_fts, {_STATEMENT_WEIGHTS}) AS score, f.rowid {source} "
                        "ORDER BY score LIMIT ?", [match, *params, top]).fetchall()
    return [tuple(h) for h in hits], total


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
    total = conn.execute(f"SELECT COUNT(*) {source}", [match, *params]).fetchone()[0]
    if not total or not top:
        return [], total
    hits = conn.execute(f"SELECT bm25(articles_fts, {_ARTICLE_WEIGHTS}) AS score, f.rowid {source} "
                        "ORDER BY score LIMIT ?", [match, *params, top]).fetchall()
    return [tuple(h) for h in hits], total


def _statement_results(conn: sqlite3.Connection, match: str, hits: list[tuple[float, int]]) -> dict[int, dict]:
    # Snippets only for the page shown: snippet() reads and re-tokenizes the row, too slow for every match.
    rows = conn.execute(
        f"SELECT f.rowid, snippet(statements_fts, 0, '{_OPEN}', '{_CLOSE}', '…', 32) AS snippet, "
        "s.id, s.article_id, s.speaker_name, s.kind, s.cue, s.text, s.start, s.end, s.date, "
        "a.headline, a.outlet, a.published FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
        "JOIN articles a ON a.id = s.article_id "
        "WHERE statements_fts MATCH ? AND f.rowid IN (SELECT value FROM json_each(?))",
        (match, "[" + ",".join(str(rowid) for _, rowid in hits) + "]")).fetchall()
    found = {}
    for row in rows:
        found[row["rowid"]] = {
            "type": "statement", "id": row["id"], "article_id": row["article_id"],
            "speaker_name": row["speaker_name"], "kind": row["kind"], "cue": row["cue"], "text": row["text"],
            "span": [row["start"], row["end"]], "date": row["date"], "snippet": marked_snippet(row["snippet"]),
            "headline": row["headline"], "outlet": row["outlet"], "published": row["published"],
        }
    return found


def _article_results(conn: sqlite3.Connection, match: str, hits: list[tuple[float, int]]) -> dict[int, dict]:
    rows = conn.execute(
        f"SELECT f.rowid, snippet(articles_fts, -1, '{_OPEN}', '{_CLOSE}', '…', 32) AS snippet, "
        "a.id, a.headline, a.outlet, a.published FROM articles_fts f JOIN articles a ON a.seq = f.rowid "
        "WHERE articles_fts MATCH ? AND f.rowid IN (SELECT value FROM json_each(?))",
        (match, "[" + ",".join(str(rowid) for _, rowid in hits) + "]")).fetchall()
    return {row["rowid"]: {
        "type": "article", "id": row["id"], "article_id": row["id"], "snippet": marked_snippet(row["snippet"]),
        "headline": row["headline"], "outlet": row["outlet"], "published": row["published"],
    } for row in rows}


def search(conn: sqlite3.Connection, text: str, filters: SearchFilters = SearchFilters(),
           kind: SearchKind = "all", limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """One page of matches for ``text``, best first by bm25, each with a marked snippet and a ``score`` (lower is
    better), and the number of all matches. ``all`` merges statements and articles by score; with a speaker
    filter only statements can match. Raises QueryError when ``text`` holds no word."""
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
