"""Fuzz the date parser. ``find_dates`` on mutated sample articles and generated date-laden text, against any
anchor (a date or datetime of any year, an ISO or free-form string, None), gives mentions in text order, each
slicing the text to its own words, with a TIMEX-style value; ``resolve_date`` gives a value or None. Neither
raises."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import example, strategies as st

from claimledger.extract.dates import find_dates, resolve_date, to_anchor

from fuzz import seeds
from fuzz.budget import harness
from fuzz.mutations import TEXT_TOKENS, generated, literal, text_mutants

# Values at the granularity of the text: a day, month, year, ISO week (and weekend), quarter or half, season,
# decade, century, or a reference.
VALUE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?|-W\d\d(?:-WE)?|-[QH]\d|-(?:SP|SU|FA|WI))?|\d{2,3}"
                   r"|(?:PRESENT|PAST|FUTURE)_REF")
# Anchors far enough from the years 0 and 10000 that every value against them has its digits ("last decade" in
# the year 5 would be the decade -01); against any other, mentions are still checked for their spans.
NEWS_YEARS = range(1000, 9000)
ANCHORS = (st.none() | st.dates() | st.datetimes() | st.dates().map(dt.date.isoformat)
           | st.sampled_from(["2022-02-16", "Feb 16, 2022", "16/02/2022", "yesterday", "", "0001-01-01",
                              "9999-12-31T23:59:59"])
           | st.text(max_size=20))
TEXTS = text_mutants(seeds.texts()) | generated(
    st.lists(st.sampled_from(TEXT_TOKENS) | st.text(max_size=12), max_size=30).map(" ".join))


@example(text=literal("They met on Tuesday, last week and at Christmas; next month."), anchor="0001-01-01")
@example(text=literal("They will meet tomorrow, next week and at Christmas."), anchor=dt.date(9999, 12, 31))
@harness("dates", TEXTS, ANCHORS, short=200)
def test_every_date_mention_slices_to_its_text(text, anchor) -> None:
    day = to_anchor(anchor)
    previous_end = 0
    for mention in find_dates(text.data, anchor):
        start, end = mention.span
        assert previous_end <= start < end <= len(text.data), mention
        assert text.data[start:end] == mention.text, mention
        assert day is not None and day.year not in NEWS_YEARS or VALUE.fullmatch(mention.value), mention
        previous_end = end
    value = resolve_date(text.data[:80], anchor)
    assert value is None or isinstance(value, str)
