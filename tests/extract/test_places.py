"""find_places on real text: the seed article, paragraphs of FNC-1 bodies, and generated text (hypothesis)."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.extract.places import countries_named, find_places
from claimledger.models import Place

from paths import SHARED_DATA

SEED = SHARED_DATA / "seed" / "axios-2022-02-16-nato-no-withdrawal.txt"
FNC_BODIES = SHARED_DATA / "fnc1" / "train_bodies.csv"


@pytest.fixture(scope="module")
def seed_body() -> str:
    """The seed article's body: the lines after the photo caption and its credit."""
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: these tests read the shared seed article")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    credit = next(i for i, line in enumerate(lines) if " Photo: " in line)
    return "\n".join(lines[credit + 1 :])


@pytest.fixture(scope="module")
def seed_places(nlp: Language, seed_body: str) -> list[Place]:
    return find_places(nlp(seed_body))


@pytest.fixture(scope="module")
def fnc_bodies() -> dict[str, str]:
    if not FNC_BODIES.exists():
        pytest.skip(f"{FNC_BODIES} is absent: these tests read FNC-1 article bodies")
    with FNC_BODIES.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def written(text: str, place: Place) -> str:
    return text[place.span[0] : place.span[1]]


def places_at(text: str, places: list[Place], start: int) -> list[Place]:
    return [p for p in places if p.span[0] <= start < p.span[1]]


def test_seed_body_places(seed_body: str, seed_places: list[Place]) -> None:
    found = {(written(seed_body, p), p.name, p.country) for p in seed_places}
    assert {
        ("Brussels", "Brussels", "Belgium"),
        ("Ukraine", "Ukraine", "Ukraine"),
        ("Donetsk", "Donetsk", "Ukraine"),
        ("Luhansk", "Luhansk", "Ukraine"),
    } <= found


def test_seed_body_state_acting_is_no_place(seed_body: str, seed_places: list[Place]) -> None:
    for phrase in ("Moscow had announced", "Moscow has positioned", "Russia continues", "Moscow-backed"):
        assert not places_at(seed_body, seed_places, seed_body.index(phrase)), phrase


def test_seed_body_demonym_is_no_place(seed_body: str, seed_places: list[Place]) -> None:
    assert not places_at(seed_body, seed_places, seed_body.index("Ukrainian separatist"))


def test_seed_body_eastern_ukraine_and_possessive_are_places(seed_body: str, seed_places: list[Place]) -> None:
    for phrase, name in (("eastern Ukraine", "Ukraine"), ("Ukraine's border", "Ukraine")):
        start = seed_body.index(name, seed_body.index(phrase))
        assert [p.country for p in places_at(seed_body, seed_places, start)] == ["Ukraine"], phrase


def test_seed_body_united_states_variants(seed_body: str, seed_places: list[Place]) -> None:
    united_states = [written(seed_body, p) for p in seed_places if p.country == "United States"]
    assert "U.S." in united_states and "United States" in united_states  # "the" is left out of the span


@pytest.mark.parametrize(
    ("body_id", "paragraph_snippet", "written_as", "name", "country"),
    [
        ("1336", "Rochester, New Hampshire", "Rochester", "Rochester", "United States"),
        ("1336", "Rochester, New Hampshire", "New Hampshire", "New Hampshire", "United States"),
        ("1336", "capital of Irbil", "Irbil", "Erbil", "Iraq"),  # an alternate spelling
        ("221", "Tucson, Ariz.", "Ariz.", "Arizona", "United States"),  # AP state abbreviation
        ("1560", "town of Kocani", "Kocani", "Kochani", "North Macedonia"),
        ("546", "originally from Birmingham", "Birmingham", "Birmingham", "United Kingdom"),  # most populous
        ("2531", "prison in Cuba", "Cuba", "Cuba", "Cuba"),
        ("1311", "capital Reykjavik", "Reykjavik", "Reykjavík", "Iceland"),
        ("1369", "forces in Kobani", "Kobani", "\u2018Ayn al \u2018Arab", "Syria"),  # another name of the city
        ("1939", "family in west London", "west London", "west London", "United Kingdom"),  # a part of a city
        ("186", "Ferguson, Mo.", "Mo.", "Missouri", "United States"),  # AP state abbreviation
    ],
)
def test_fnc_places(
    nlp: Language,
    fnc_bodies: dict[str, str],
    body_id: str,
    paragraph_snippet: str,
    written_as: str,
    name: str,
    country: str,
) -> None:
    body = fnc_bodies[body_id]
    places = find_places(nlp(body))
    start = body.index(written_as, body.index(paragraph_snippet))
    assert [(written(body, p), p.name, p.country) for p in places_at(body, places, start)] == [
        (written_as, name, country)
    ]


@pytest.mark.parametrize(
    ("body_id", "snippet", "not_a_place"),
    [
        ("1560", "According to news.com.au", "news.com.au"),  # a web address spaCy tags GPE
        ("117", "secretive North's", "North"),  # a direction alone
    ],
)
def test_fnc_names_that_are_not_places(
    nlp: Language, fnc_bodies: dict[str, str], body_id: str, snippet: str, not_a_place: str
) -> None:
    body = fnc_bodies[body_id]
    start = body.index(not_a_place, body.index(snippet))
    assert not places_at(body, find_places(nlp(body)), start)


def test_fnc_state_acting_is_no_place(nlp: Language, fnc_bodies: dict[str, str]) -> None:
    body = fnc_bodies["2531"]
    places = find_places(nlp(body))
    assert not places_at(body, places, body.index("Qatar promised"))
    assert places_at(body, places, body.index("Qatar", body.index("living in")))


FRAGMENTS = [
    "the", "United States", "U.S.", "Moscow", "has", "announced", "in", "Brussels", "near", "Ukraine", "'s",
    "border", "eastern", "regions", "of", "Donetsk", "and", "Luhansk", "Ukrainian", "-backed", "Washington",
    "Georgia", ",", ".", "Paris", "said", "troops",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(min_size=1, max_size=6), min_size=1, max_size=14))
def test_every_span_slices_to_a_name(nlp: Language, words: list[str]) -> None:
    text = " ".join(words)
    previous_end = 0
    for place in find_places(nlp(text)):
        start, end = place.span
        assert 0 <= start < end <= len(text)
        assert written(text, place) == written(text, place).strip()
        assert place.name
        assert start >= previous_end  # in text order, never overlapping
        previous_end = end


def test_a_country_named_elsewhere_settles_an_ambiguous_city(nlp: Language, fnc_bodies: dict[str, str]) -> None:
    body = fnc_bodies["281"]  # "north of the Lebanese town of Tripoli", in an article that names Lebanon
    sentence = next(s.text for s in nlp(body).sents if "town of Tripoli" in s.text)
    assert [p.country for p in find_places(nlp(body)) if written(body, p) == "Tripoli"] == ["Lebanon"]
    # Sentence by sentence, as a pipeline may go, the rest of the article comes in as context.
    assert [p.country for p in find_places(nlp(sentence)) if p.name == "Tripoli"] == ["Libya"]
    in_context = find_places(nlp(sentence), context=countries_named(nlp(body)))
    assert [p.country for p in in_context if p.name == "Tripoli"] == ["Lebanon"]


def test_a_us_state_named_with_its_city(nlp: Language, fnc_bodies: dict[str, str]) -> None:
    body = fnc_bodies["483"]  # "a photographer from Savannah, Georgia"
    start = body.index("Georgia", body.index("Savannah"))
    assert [p.country for p in places_at(body, find_places(nlp(body)), start)] == ["United States"]
