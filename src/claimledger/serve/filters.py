"""What a filter of the API and the pages stands for, read as ``Ledger`` and the CLI read it: a date is a year, a
month or a day (``2022``, ``2022-02``, ``2022-02-16``); an outlet or a speaker's name matches in any case, and a
speaker may also be named by their ledger actor (``joe-biden``) or a part of the name (``speaker_names``).

Where a filter stands for several stored spellings, ``merged_page`` reads each and merges them into one page.
"""

from __future__ import annotations

from typing import Annotated, Callable, Hashable, Sequence

from fastapi import HTTPException
from pydantic import AfterValidator, WithJsonSchema

from claimledger.ledger import Ledger, period
from claimledger.serve.cache import LedgerCache, cached_call, cached_search
from claimledger.serve.readers import ReaderPool
from claimledger.store.fts import SearchFilters, SearchKind, match_expression
from claimledger.store import ReadStore

# Years 0001 to 9999: Python's dates have no year 0.
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
DAY_SCHEMA = {
    "anyOf": [{"type": "string", "format": "date"},
              {"type": "string", "pattern": f"^{_YEAR}-(?:0[1-9]|1[0-2])$"},
              {"type": "string", "pattern": f"^{_YEAR}$"}],
    "examples": ["2022", "2022-02", "2022-02-16"],
}
# Rows to read for every spelling where a filter stands for several: a LIMIT this large is none.
EVERY = 10**9


def _checked(value: str) -> str:
    # The message never repeats the value: the error answer holds no rejected input (see api.invalid_request).
    try:
        period(value)
    except ValueError as exc:
        raise ValueError(f"not a year, month or day: {exc}") from None
    return value


# A query parameter holding a year, a month or a day, documented as such.
PartialDay = Annotated[str, AfterValidator(_checked), WithJsonSchema(DAY_SCHEMA)]


def day_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since`` and ``until`` (years, months or days; empty is no bound) checked, as the store's publication
    filters take them: from the first day of ``since`` to the last of ``until``. A bad date or an empty range is
    a bad request (422)."""
    since, until = since or None, until or None
    bounds = []
    for name, value in (("since", since), ("until", until)):
        try:
            bounds.append(period(value) if value else None)
        except ValueError:
            raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    if bounds[0] and bounds[1] and bounds[0][0] > bounds[1][1]:
        raise HTTPException(422, f"since ({since}) is after until ({until})")
    return since, until


def day_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """The first day of ``since`` and the last day of ``until`` (checked by ``day_range``), as ISO days: the
    bounds of a filter on a statement's own date, which may be a day, a month or a year."""
    since, until = day_range(since, until)
    return (period(since)[0].isoformat() if since else None), (period(until)[1].isoformat() if until else None)


def outlet_spellings(store: ReadStore, outlet: str | None) -> list[str | None]:
    """The stored spellings of ``outlet``, any case; ``[outlet]`` itself when none matches (it then finds
    nothing), ``[None]`` for no filter."""
    if not outlet:
        return [None]
    key = outlet.strip().casefold()
    return [name for name, _ in store.outlets() if name.casefold() == key] or [outlet]


def speaker_spellings(ledger: Ledger, speaker: str | None) -> list[str | None]:
    """The names statements give the speaker that ``speaker`` stands for (``Ledger.speaker_names``: the name in
    any case, else a ledger actor's key, else every name containing it); ``[speaker]`` itself when there is none
    (it then finds nothing), ``[None]`` for no filter."""
    if not speaker:
        return [None]
    return list(ledger.speaker_names(speaker)) or [speaker]


Fetch = Callable[[str | None, str | None, int, int], tuple[list[dict], int]]


def merged_page(fetch: Fetch, outlets: Sequence[str | None], speakers: Sequence[str | None], limit: int,
                offset: int, identity: Callable[[dict], Hashable], order: Callable[[list[dict]], list[dict]],
                remember: Callable[[Callable[[], list[dict]]], list[dict]] = lambda compute: compute()
                ) -> tuple[list[dict], int]:
    """One page of ``fetch(outlet, speaker, limit, offset)`` (rows and their total) where each filter is one
    spelling or none; where one stands for several, every row of every pair once (by ``identity``), put in
    ``order``, then paged, with their number as the total. ``remember`` may keep that merged list for the next
    page (a cache)."""
    if len(outlets) == 1 and len(speakers) == 1:
        return fetch(outlets[0], speakers[0], limit, offset)

    def merge() -> list[dict]:
        merged: dict[Hashable, dict] = {}
        for outlet in outlets:
            for speaker in speakers:
                for row in fetch(outlet, speaker, EVERY, 0)[0]:
                    merged.setdefault(identity(row), row)
        return order(list(merged.values()))

    rows = remember(merge)
    return rows[offset:offset + limit], len(rows)


def _remembered(readers: ReaderPool, cache: LedgerCache | None, key: Hashable):
    if cache is None:
        return lambda compute: compute()
    return lambda compute: cached_call(readers, cache, key, compute)


def filtered_articles(readers: ReaderPool, since: str | None, until: str | None, outlet: str | None,
                      speaker: str | None, limit: int, offset: int, cache: LedgerCache | None = None
                      ) -> tuple[list[dict], int]:
    """One page of the store's ``article_page`` rows, newest first, and their total, with the outlet and speaker
    filters read as ``Ledger.articles`` reads them."""
    store = readers.store()

    def fetch(one_outlet: str | None, one_speaker: str | None, size: int, skip: int) -> tuple[list[dict], int]:
        return store.article_page(since=since, until=until, outlet=one_outlet, speaker=one_speaker, limit=size,
                                  offset=skip)

    return merged_page(fetch, outlet_spellings(store, outlet), speaker_spellings(readers.ledger(), speaker), limit,
                       offset, lambda row: row["id"], lambda rows: newest_first(rows, lambda row: (row["id"],)),
                       _remembered(readers, cache, ("articles", since, until, outlet, speaker)))


def filtered_statements(readers: ReaderPool, *, article_id: str | None = None, speaker: str | None = None,
                        kind: str | None = None, since: str | None = None, until: str | None = None,
                        outlet: str | None = None, chronological: bool = False, limit: int, offset: int,
                        cache: LedgerCache | None = None) -> tuple[list[dict], int]:
    """One page of the store's ``statement_page`` rows and their total, with the outlet and speaker filters read
    as ``Ledger.statements`` reads them (``speaker`` may be several names already resolved: a list)."""
    store = readers.store()

    def fetch(one_outlet: str | None, one_speaker: str | None, size: int, skip: int) -> tuple[list[dict], int]:
        return store.statement_page(article_id=article_id, speaker=one_speaker, kind=kind, since=since,
                                    until=until, outlet=one_outlet, chronological=chronological, limit=size,
                                    offset=skip)

    order = oldest_said_first if chronological else (
        lambda rows: newest_first(rows, lambda row: (row["article_id"], row["span"])))
    speakers = speaker if isinstance(speaker, list) else speaker_spellings(readers.ledger(), speaker)
    key = ("statements", article_id, tuple(speakers), kind, since, until, outlet, chronological)
    return merged_page(fetch, outlet_spellings(store, outlet), speakers, limit, offset, lambda row: row["id"],
                       order, _remembered(readers, cache, key))


def filtered_search(readers: ReaderPool, cache: LedgerCache, text: str, since: str | None, until: str | None,
                    outlet: str | None, speaker: str | None, kind: SearchKind, limit: int, offset: int
                    ) -> tuple[list[dict], int]:
    """One page of full-text matches (the store's rows: bm25 ``score``, lower is better) and their total, with
    the outlet and speaker filters read as ``Ledger.search`` reads them. Raises ``QueryError`` as the search
    does."""

    def fetch(one_outlet: str | None, one_speaker: str | None, size: int, skip: int) -> tuple[list[dict], int]:
        return cached_search(readers, cache, text, SearchFilters(since, until, one_outlet, one_speaker), kind, size,
                             skip)

    outlets = outlet_spellings(readers.store(), outlet)
    speakers = speaker_spellings(readers.ledger(), speaker)
    key = ("merged-search", match_expression(text), since, until, tuple(outlets), tuple(speakers), kind)
    return merged_page(fetch, outlets, speakers, limit, offset, lambda row: (row["type"], row["id"]),
                       lambda rows: sorted(rows, key=lambda row: (row["score"], row["type"], row["id"])),
                       _remembered(readers, cache, key))


def newest_first(rows: list[dict], then: Callable[[dict], tuple] = lambda row: ()) -> list[dict]:
    """``rows`` by ``published``, newest first and undated last, as the store lists them; ties by ``then``."""
    rows = sorted(rows, key=then)
    rows.sort(key=lambda row: row["published"] or "", reverse=True)
    rows.sort(key=lambda row: row["published"] is None)
    return rows


def oldest_said_first(rows: list[dict]) -> list[dict]:
    """Statement rows by ``said``, oldest first and undated last, as a speaker's timeline lists them."""
    return sorted(rows, key=lambda row: (row["said"] is None, row["said"] or "", row["article_id"], row["span"]))


def actor_rows(readers: ReaderPool, name: str | None, since: str | None, until: str | None, outlet: str | None,
               limit: int, offset: int) -> tuple[list[dict], int]:
    """One page of the store's ``actor_page`` rows (speakers, most quoted first) and their total, with the outlet
    in any case; where it has several spellings, each speaker's counts over all of them."""
    store = readers.store()
    outlets = outlet_spellings(store, outlet)
    if len(outlets) == 1:
        return store.actor_page(name=name, since=since, until=until, outlet=outlets[0], limit=limit, offset=offset)
    merged: dict[str, dict] = {}
    for one in outlets:  # an article has one outlet: the counts of two spellings add up
        for row in store.actor_page(name=name, since=since, until=until, outlet=one, limit=EVERY, offset=0)[0]:
            seen = merged.setdefault(row["name"], {**row, "statements": 0, "articles": 0})
            seen["statements"] += row["statements"]
            seen["articles"] += row["articles"]
            seen["first"] = min(filter(None, (seen["first"], row["first"])), default=None)
            seen["last"] = max(filter(None, (seen["last"], row["last"])), default=None)
    rows = sorted(merged.values(), key=lambda row: (-row["statements"], row["name"]))
    return rows[offset:offset + limit], len(rows)
