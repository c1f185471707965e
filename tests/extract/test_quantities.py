"""find_quantities on real text: the seed article, paragraphs of FNC-1 bodies, and generated text (hypothesis)."""

from __future__ import annotations

import csv
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.extract.quantities import find_quantities, find_quantities_in_text
from claimledger.models import Quantity

from paths import SHARED_DATA

SEED = SHARED_DATA / "seed" / "axios-2022-02-16-nato-no-withdrawal.txt"
FNC_BODIES = SHARED_DATA / "fnc1" / "train_bodies.csv"


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: these tests read the shared seed article")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fnc_bodies() -> dict[str, str]:
    if not FNC_BODIES.exists():
        pytest.skip(f"{FNC_BODIES} is absent: these tests read FNC-1 article bodies")
    with FNC_BODIES.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def paragraph(bodies: dict[str, str], body_id: str, snippet: str) -> str:
    """The paragraph (line) of FNC-1 body ``body_id`` that contains ``snippet``."""
    return next(line for line in bodies[body_id].splitlines() if snippet in line)


def quantity_at(quantities: list[Quantity], text: str) -> Quantity:
    matches = [q for q in quantities if q.text == text]
    assert matches, f"no quantity {text!r} among {[q.text for q in quantities]}"
    return matches[0]


def test_seed_article_troops(nlp: Language, seed_text: str) -> None:
    doc = nlp(seed_text)
    troops = quantity_at(find_quantities(doc), "more than 150,000 troops")
    assert (troops.value, troops.unit, troops.qualifier) == (150000, "troops", "more than")
    assert seed_text[troops.span[0] : troops.span[1]] == "more than 150,000 troops"


def test_seed_article_dates_are_not_quantities(nlp: Language, seed_text: str) -> None:
    quantities = find_quantities(nlp(seed_text))
    dates = [seed_text.index("Feb 16, 2022"), seed_text.index("Feb. 16.")]
    for start in dates:
        assert not [q for q in quantities if q.span[0] <= start + 8 and q.span[1] > start], quantities


@pytest.mark.parametrize(
    ("body_id", "text", "value", "unit", "qualifier"),
    [
        ("8", "more than 60,000 times", 60000, "times", "more than"),
        ("30", "more than 20 Lebanese soldiers", 20, "soldiers", "more than"),
        ("1802", "about 34%", 34, "percent", "about"),
        ("81", "$2.5 million", 2.5e6, "USD", None),
        ("99", "$20 billion", 2e10, "USD", None),
        ("104", "nearly $924 million", 9.24e8, "USD", "nearly"),
        ("254", "at least two members", 2, "members", "at least"),
        ("14", "some 200,000 people", 200000, "people", "some"),
        ("311", "hundreds of people", 200, "people", "hundreds"),
        ("125", "dozens of Kurds", 24, "Kurds", "dozens"),
        ("567", "tens of thousands of foreigners", 20000, "foreigners", "tens of thousands"),
        ("1341", "up to a third of the territory", 1 / 3, "territory", "up to"),
        ("1384", "RMB 70,000", 70000, "CNY", None),  # a currency code before the amount
        ("589", "4GB", 4, "gb", None),  # a unit written against the digits
        ("1395", "five", 5e6, None, None),  # "five to six million units": the lower bound shares the scale
        ("2444", "half a dozen tee boxes", 6, "boxes", None),
    ],
)
def test_fnc_quantities(
    nlp: Language,
    fnc_bodies: dict[str, str],
    body_id: str,
    text: str,
    value: float,
    unit: str | None,
    qualifier: str | None,
) -> None:
    found = quantity_at(find_quantities_in_text(paragraph(fnc_bodies, body_id, text), nlp), text)
    assert math.isclose(found.value, value)
    assert (found.unit, found.qualifier) == (unit, qualifier)


@pytest.mark.parametrize(
    ("body_id", "not_a_quantity"),
    [
        ("9", "February 15, 2013"),  # a date
        ("292", "February 6, 1962"),  # a birth date
        ("117", "69th"),  # an ordinal
        ("1311", "in 2009"),  # a year
        ("2009", "one-party"),  # an adjective
        ("1311", "Eduard Nitz, 13"),  # an age set off after a name
        ("1167", "age of nine"),  # an age
        ("132", "floors 25 and 26"),  # labels, not counts
        ("1127", "198-199AD"),  # years
    ],
)
def test_fnc_numbers_that_are_not_quantities(
    nlp: Language, fnc_bodies: dict[str, str], body_id: str, not_a_quantity: str
) -> None:
    text = paragraph(fnc_bodies, body_id, not_a_quantity)
    start = text.index(not_a_quantity)
    end = start + len(not_a_quantity)
    overlapping = [q for q in find_quantities_in_text(text, nlp) if q.span[0] < end and q.span[1] > start]
    assert not overlapping


FRAGMENTS = [
    "more than", "about", "nearly", "at least", "some", "up to", "over", "$", "€", "1.5", "150,000", "3,000",
    "2022", "two", "twenty-five", "a third of", "dozens of", "tens of thousands of", "million", "bn", "5m", "%",
    "percent", "troops", "people", "the", "Feb.", "16", "on", "in", "Ukraine", ",", ".", "-", "one", "of",
    "several", "hundred", "AD", "Smith", "said",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(min_size=1, max_size=6), min_size=1, max_size=14))
@example(words=["1.5", "€", "1.5"])  # the sign between two amounts went to both
def test_every_span_slices_to_its_text(nlp: Language, words: list[str]) -> None:
    text = " ".join(words)
    quantities = find_quantities_in_text(text, nlp)
    previous_end = 0
    for quantity in quantities:
        start, end = quantity.span
        assert text[start:end] == quantity.text
        assert quantity.text == quantity.text.strip() and quantity.text
        assert start >= previous_end  # in text order, never overlapping
        assert math.isfinite(quantity.value)
        previous_end = end
