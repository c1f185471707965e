"""find_dates and resolve_date on a real article, on hand-picked news phrasings, and on arbitrary text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.extract.dates import find_dates, resolve_date


def shared_data() -> Path:
    """The ``shared/data`` folder that sits beside the repository root."""
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


SEED = shared_data() / "seed" / "axios-2022-02-16-nato-no-withdrawal.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/data/seed not present")
    return SEED.read_text(encoding="utf-8")


def test_seed_article_dates(seed_text: str) -> None:
    mentions = find_dates(seed_text, dt.date(2022, 2, 16))
    values = {}
    for mention in mentions:
        values.setdefault(mention.text, []).append(mention.value)
    assert values["Wednesday"] == ["2022-02-16"]
    assert values["Tuesday"] == ["2022-02-15", "2022-02-15"]
    assert set(values["Feb. 16"]) == {"2022-02-16"}
    assert all(seed_text[m.span[0] : m.span[1]] == m.text for m in mentions)


def test_seed_statement_dates() -> None:
    assert resolve_date("said Wednesday", "2022-02-16") == "2022-02-16"
    assert resolve_date("on Tuesday", "2022-02-16") == "2022-02-15"
    assert resolve_date("Feb. 16", dt.datetime(2022, 2, 16, 9, 30)) == "2022-02-16"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("will meet on Friday", "2022-02-18"),
        ("next Tuesday", "2022-02-22"),
        ("last week", "2022-W06"),
        ("earlier this month", "2022-02"),
        ("last year", "2021"),
        ("next year", "2023"),
        ("the 1990s", "199"),
        ("the third quarter", "2021-Q3"),
        ("last summer", "2021-SU"),
        ("March 3, 2019", "2019-03-03"),
        ("June 2020", "2020-06"),
        ("yesterday", "2022-02-15"),
        ("two weeks ago", "2022-W05"),
        ("recently", "PAST_REF"),
        ("now", "PRESENT_REF"),
        ("the future", "FUTURE_REF"),
        ("Christmas", "2021-12-25"),
        ("Q4 2012", "2012-Q4"),
        ("the second half of this year", "2022-H2"),
        ("nineteen ninety-six", "1996"),
        ("Thanksgiving Day", "2021-11-25"),
        ("in the coming months", "FUTURE_REF"),
    ],
)
def test_news_phrasings(expression: str, value: str) -> None:
    assert resolve_date(expression, "2022-02-16") == value


def test_bare_numbers_times_and_durations_are_not_dates() -> None:
    text = "He paid $1,990 for 2,000 shares at 10:30 a.m. and stayed for the past two months. May I ask?"
    assert find_dates(text, "2022-02-16") == []


def test_durations_do_not_date_a_statement() -> None:
    assert resolve_date("for the past two months", "2022-02-16") is None
    assert resolve_date("two years", "2022-02-16") is None
    assert resolve_date("at 10 a.m.", "2022-02-16") is None


def test_relative_expressions_need_an_anchor() -> None:
    assert [m.value for m in find_dates("On Tuesday, March 3, 2019, and last year.", None)] == ["2019-03-03"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(["Feb. 16", "said Wednesday", "last year", "the 1990s", " 2021 ", "Q3", "now", "May"]),
        ),
        max_size=12,
    ).map(" ".join),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
def test_every_span_slices_to_its_text(text: str, anchor: dt.date) -> None:
    previous_end = 0
    for mention in find_dates(text, anchor):
        start, end = mention.span
        assert text[start:end] == mention.text
        assert start >= previous_end
        previous_end = end
