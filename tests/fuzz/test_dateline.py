"""Fuzz the dateline parser. ``parse_dateline`` on generated and mutated datelines (``Feb 16, 2022 - World``,
``Sept. 3, 2021, 10:45 p.m. EST | Politics``) returns None or a dateline whose date is ISO, with a year the line
names, and whose section is text from the line."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import example, strategies as st

from claimledger.ingest.text import parse_dateline

from fuzz import seeds
from fuzz.budget import harness
from fuzz.mutations import Seed, generated, literal, text_mutants

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "January",
          "February", "June", "September", "Smarch", "Mon", "Xyz")
_number = st.integers(min_value=0, max_value=99999).map(str)
_month = st.sampled_from(MONTHS).map(str.lower) | st.sampled_from(MONTHS) | st.sampled_from(MONTHS).map(str.upper)
_clock = st.tuples(_number, _number, st.sampled_from(["", " ", "am", " p.m.", "P.M.", " a.m. EST", " UTC", "ZZZZ"]))
DATELINES = st.builds(
    lambda month, dot, day, comma, year, clock, separator, section: (
        f"{month}{dot} {day}{comma} {year}" + (f", {clock[0]}:{clock[1]}{clock[2]}" if clock else "")
        + (f" {separator} {section}" if separator else "")),
    _month, st.sampled_from(["", "."]), _number, st.sampled_from(["", ","]),
    st.integers(min_value=0, max_value=99999).map(lambda n: f"{n:04d}"), st.none() | _clock,
    st.sampled_from(["", "-", "–", "—", "|", "/"]), st.text(max_size=70),
)
REAL = [Seed(s.name, s.data.splitlines()[0]) for s in seeds.texts()]
REAL.append(Seed("wire", "Sept. 3, 2021, 10:45 p.m. EST | Politics"))


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Thai, Arabic-Indic, fullwidth...) written in ASCII, as ``\\d`` and int()
    read them."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


@example(line=literal("Feb 16, 2\u0e5022 - World"))  # a Thai zero is a zero: the year 2022
@harness("dateline", generated(DATELINES) | text_mutants(REAL) | generated(st.text(max_size=80)), short=300)
def test_a_dateline_is_none_or_an_iso_date_with_its_section(line) -> None:
    dateline = parse_dateline(line.data)
    if dateline is None:
        return
    published = dt.datetime.fromisoformat(dateline.published)
    assert f"{published.year:04d}" in _ascii_digits(line.data), dateline
    assert dateline.section is None or (dateline.section.strip() == dateline.section and dateline.section
                                        and dateline.section in line.data), dateline
