"""Actors: titles and affiliations, surname-only mentions, metonyms, and speakers resolved against them."""

from __future__ import annotations

from claimledger.config import load_settings
from claimledger.extract.actors import canonical_country, find_actors
from claimledger.extract.nlp import cheap_pass, load_nlp
from claimledger.extract.pipeline import extract_article
from claimledger.models import Article

SETTINGS = load_settings({})


def parse(text: str):
    return next(cheap_pass(load_nlp(SETTINGS.model), [text]))


def test_title_and_affiliation_before_a_name():
    index = find_actors(parse("U.S. Secretary of State Antony Blinken met German Chancellor Olaf Scholz. Blinken left."))
    people = {a.name: a for a in index.actors() if a.kind == "person"}
    assert people["Antony Blinken"].titles == ("Secretary of State",)
    assert people["Antony Blinken"].affiliation == "United States"
    assert len(people["Antony Blinken"].mentions) == 2
    assert "State" not in {a.name for a in index.actors()}


def test_metonyms_and_country_spellings():
    assert canonical_country("Moscow") == "Russia"
    assert canonical_country("the Kremlin") == "Russia"
    assert canonical_country("Washington") == "United States"
    assert canonical_country("U.S.") == "United States"
    assert canonical_country("Brussels") is None


def test_captions_lend_titles_but_no_mentions():
    caption = parse("NATO Secretary General Jens Stoltenberg speaking in Brussels on Feb. 16.")
    body = parse("Jens Stoltenberg said on Wednesday that the alliance was ready.")
    person = [a for a in find_actors(body, [caption]).actors() if a.kind == "person"][0]
    assert (person.titles, person.affiliation) == (("Secretary General",), "NATO")
    assert all(end <= len(body.text) for _, end in person.mentions)


def test_pronoun_never_crosses_a_change_of_speaker():
    text = (
        "“We will not back down,” Governor Maria Lopez said on Monday.\n\n"
        "Senator John Park said in a statement that the plan was reckless.\n\n"
        "He added that he would vote against it."
    )
    article = Article.from_blocks("t", [("paragraph", p) for p in text.split("\n\n")], published="2022-03-01")
    extraction = extract_article(article, SETTINGS)
    added = [s for s in extraction.statements if "vote against it" in s.text]
    assert added and added[0].speaker_name == "John Park"


def test_a_surname_the_recognizer_missed_still_mentions_the_person_named_in_full():
    article = Article.from_blocks("t", [
        ("paragraph", "Wells Fargo chief executive John Stumpf faced senators on Tuesday."),
        ("paragraph", "Last week Stumpf in a televised interview appeared to blame the employees for the fraud."),
    ], published="2016-09-28")
    extraction = extract_article(article, load_settings({}))
    stumpf = next(a for a in extraction.actors if a.name == "John Stumpf")
    assert [article.text[s:e] for s, e in stumpf.mentions] == ["John Stumpf", "Stumpf"]
    assert [(s.speaker_name, s.text) for s in extraction.statements] == [
        ("John Stumpf", "the employees for the fraud")]


def test_a_surname_that_is_a_city_or_inside_a_date_is_the_person_named_in_full():
    from claimledger.config import load_settings
    from claimledger.extract.actors import find_actors
    from claimledger.extract.nlp import cheap_pass, load_nlp

    text = (
        "Hillary Clinton met Wells Fargo chief executive John Stumpf in New York. On Monday night, Clinton leaned in "
        "heavy and often. Last week Stumpf in a televised interview appeared to blame low-level workers."
    )
    doc = next(cheap_pass(load_nlp(load_settings({}).model), [text]))
    index = find_actors(doc)
    for surname, full in (("Clinton leaned", "Hillary Clinton"), ("Stumpf in a", "John Stumpf")):
        start = text.index(surname)
        mentions = index.mentions_in(start, start + len(surname.split()[0]))
        assert [index.name(m[2]) for m in mentions] == [full], surname
