"""Full-text search of a PostgreSQL ledger: tsvector columns with GIN indexes, ``ts_rank``, ``ts_headline``.

What it offers is what ``store.fts`` offers on SQLite: every word and every "quoted phrase" of the text must match
(user text never reaches tsquery syntax: each term goes through ``phraseto_tsquery``), the same filters, one merged
page of statements and articles, a snippet with each match in ``<mark>``, and a ``score`` where lower is better
(as bm25's).
Where it differs from FTS5:

- words are stemmed by PostgreSQL's ``english`` configuration (Snowball) rather than FTS5's porter, and English stop
  words are dropped: a search of only stop words ("the") finds nothing; accents are not folded;
- ``score`` is minus ``ts_rank`` with the columns weighted in FTS5's proportions (headline 3 : text 1, statement 1 :
  speaker 0.5), not bm25: the order is alike, the numbers are not comparable across backends;
- snippets are ``ts_headline`` fragments (up to 32 words) rather than FTS5's ``snippet``.
"""

from __future__ import annotations

import html
from typing import Sequence

from claimledger.store.fts import _CONTROL, _TERM, QueryError, SearchFilters

_OPEN, _CLOSE = "\x02", "\x03"
# ts_rank's weights, in the order {D, C, B, A}, at most 1: A headline / statement text, B article text / speaker.
_ARTICLE_WEIGHTS = "{0, 0, 0.3333333, 1}"
_STATEMENT_WEIGHTS = "{0, 0, 0.5, 1}"
_HEADLINE = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=32, MinWords=12, MaxFragments=1, ShortWord=2"


def terms(text: str) -> list[str]:
    """The words and quoted phrases of ``text``, as ``fts.match_expression`` reads them."""
    found = [(phrase or word).strip() for phrase, word in _TERM.findall(_CONTROL.sub(" ", text))]
    found = [term for term in found if term]
    if not found:
        raise QueryError("the search text is empty")
    return found


def _tsquery(conn, text: str) -> str:
    """The tsquery (as text) that every term of ``text`` must match; '' when every term is a stop word."""
    words = terms(text)
    sql = "SELECT (" + " && ".join(["phraseto_tsquery('english', %s)"] * len(words)) + ")::text"
    return conn.execute(sql, words).fetchone()[0]


def _one_of(column: str, value: str | Sequence[str]) -> tuple[str, list]:
    if isinstance(value, str):
        return f"{column} = %s", [value]
    return f"{column} = ANY(%s)", [list(value)]


def _filters_sql(filters: SearchFilters) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if filters.since:
        clauses.append("a.published >= %s")
        params.append(filters.since)
    if filters.until:
        clauses.append("a.published < %s")
        params.append(filters.until + "\uffff")
    if filters.outlet:
        clause, values = _one_of("a.outlet", filters.outlet)
        clauses.append(clause)
        params += values
    return "".join(" AND " + c for c in clauses), params


def _hits(conn, source: str, rank: str, key: str, params: list, top: int) -> tuple[list[tuple[float, int]], int]:
    """The best ``top`` (rank, key) of the rows of ``source`` (whose first parameter is the query, as ``rank``'s
    only one is), and their number."""
    total = conn.execute(f"SELECT COUNT(*) {source}", params).fetchone()[0]
    if not total or not top:
        return [], total
    hits = conn.execute(f"SELECT {rank} AS score, {key} {source} ORDER BY score DESC, {key} LIMIT %s",
                        [params[0], *params, top]).fetchall()
    return [(float(h[0]), h[1]) for h in hits], total


def _statement_hits(conn, query: str, filters: SearchFilters, top: int) -> tuple[list[tuple[float, int]], int]:
    where, params = _filters_sql(filters)
    if filters.speaker:
        clause, values = _one_of("s.speaker_name", filters.speaker)
        where += " AND " + clause
        params += values
    source = ("FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.fts @@ %s::tsquery" + where)
    rank = f"ts_rank('{_STATEMENT_WEIGHTS}', s.fts, %s::tsquery)"
    return _hits(conn, source, rank, "s.rowid", [query, *params], top)


def _article_hits(conn, query: str, filters: SearchFilters, top: int) -> tuple[list[tuple[float, int]], int]:
    where, params = _filters_sql(filters)
    if filters.speaker:
        clause, values = _one_of("s.speaker_name", filters.speaker)
        where += f" AND EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id AND {clause})"
        params += values
    source = "FROM articles a WHERE a.fts @@ %s::tsquery" + where
    rank = f"ts_rank('{_ARTICLE_WEIGHTS}', a.fts, %s::tsquery)"
    return _hits(conn, source, rank, "a.seq", [query, *params], top)


def _marked(snippet: str | None, text: str) -> str:
    """A snippet as safe HTML, each match in ``<mark>``, with "…" where it cuts the text short."""
    snippet = snippet or ""
    plain = snippet.replace(_OPEN, "").replace(_CLOSE, "")
    if plain and not text.startswith(plain):
        snippet = "…" + snippet
    if plain and not text.endswith(plain):
        snippet += "…"
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _statement_results(conn, query: str, hits: list[tuple[float, int]]) -> dict[int, dict]:
    rows = conn.execute(
        'SELECT s.rowid, s.id, s.article_id, s.speaker_name, s.kind, s.cue, s.text, s.start, s."end", s.date, '
        "a.headline, a.outlet, a.published, ts_headline('english', s.text, %s::tsquery, %s) AS snippet "
        "FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.rowid = ANY(%s)",
        (query, _HEADLINE, [rowid for _, rowid in hits])).fetchall()
    return {row["rowid"]: {
        "type": "statement", "id": row["id"], "article_id": row["article_id"],
        "speaker_name": row["speaker_name"], "kind": row["kind"], "cue": row["cue"], "text": row["text"],
        "span": [row["start"], row["end"]], "date": row["date"], "snippet": _marked(row["snippet"], row["text"]),
        "headline": row["headline"], "outlet": row["outlet"], "published": row["published"],
    } for row in rows}


def _article_results(conn, query: str, hits: list[tuple[float, int]]) -> dict[int, dict]:
    rows = conn.execute(
        "SELECT a.seq, a.id, a.headline, a.outlet, a.published, a.text, "
        "ts_headline('english', a.text, %s::tsquery, %s) AS snippet FROM articles a WHERE a.seq = ANY(%s)",
        (query, _HEADLINE, [rowid for _, rowid in hits])).fetchall()
    return {row["seq"]: {
        "type": "article", "id": row["id"], "article_id": row["id"], "snippet": _marked(row["snippet"], row["text"]),
        "headline": row["headline"], "outlet": row["outlet"], "published": row["published"],
    } for row in rows}


def search(conn, text: str, filters: SearchFilters | None = None, kind: str = "all", limit: int = 20,
           offset: int = 0) -> tuple[list[dict], int]:
    """One page of matches for ``text``, the best first by ``ts_rank`` (``score``: minus it, lower is better), each with a
    marked snippet, and the number of all matches; as ``store.fts.search`` on SQLite. Raises QueryError when
    ``text`` holds no word."""
    filters = filters or SearchFilters()
    query = _tsquery(conn, text)
    if not query:
        return [], 0
    top = limit + offset
    pools: list[tuple[str, list[tuple[float, int]]]] = []
    total = 0
    if kind in ("all", "statements"):
        hits, count = _statement_hits(conn, query, filters, top)
        pools.append(("statement", hits))
        total += count
    if kind in ("all", "articles") and not (kind == "all" and filters.speaker):
        hits, count = _article_hits(conn, query, filters, top)
        pools.append(("article", hits))
        total += count
    ranked = sorted(((score, rowid, pool) for pool, hits in pools for score, rowid in hits),
                    key=lambda hit: (-hit[0], hit[2], hit[1]))[offset:offset + limit]
    details: dict[str, dict[int, dict]] = {}
    for pool, reader in (("statement", _statement_results), ("article", _article_results)):
        page_hits = [(score, rowid) for score, rowid, p in ranked if p == pool]
        details[pool] = reader(conn, query, page_hits) if page_hits else {}
    results = []
    for score, rowid, pool in ranked:
        result = details[pool].get(rowid)
        if result is not None:
            results.append({**result, "score": round(-score, 4) + 0.0})  # + 0.0: never -0.0
    return results, total
