"""find_places_unparsed: on the sentences it settles without the parse, the same places as find_places on the
sentence parsed on its own, over real FNC-1 bodies; and None where the parse decides."""

from __future__ import annotations

import pytest
from spacy.language import Language

from claimledger.extract.nlp import cheap_pass, load_nlp, sentence_docs, syntax_pass
from claimledger.extract.places import find_places, find_places_unparsed
from claimledger.config import load_settings

from paths import fnc1_bodies



@pytest.fixture(scope="module")
def two_pass_nlp() -> Language:
    return load_nlp(load_settings({}).model)


def _sentence(nlp: Language, text: str):
    return next(next(iter(cheap_pass(nlp, [text]))).sents)


def test_object_of_a_preposition_is_settled(two_pass_nlp: Language) -> None:
    sentence = _sentence(two_pass_nlp, "Troops gathered near Kharkiv and in Ukraine.")
    assert [(p.name, p.country) for p in find_places_unparsed(sentence)] == [
        ("Kharkiv", "Ukraine"),
        ("Ukraine", "Ukraine"),
    ]


def _parsed_places(nlp: Language, sentence) -> list[tuple[str, str | None, tuple[int, int]]]:
    parsed = next(syntax_pass(nlp, sentence_docs(sentence.doc, [sentence])))
    return [(p.name, p.country, p.span) for p in find_places(parsed)]


@pytest.mark.parametrize(
    "text",
    [
        "Shelling hit homes in northern Iraq overnight.",  # direction words between the preposition and the name
        "Troops massed across the eastern Donbas and near Kharkiv.",
        "Ohio Governor John Kasich spoke on Tuesday.",  # a modifier of a title
        "U.S. Senator John McCain visited the troops.",
        "He returned to his Texas ranch on Friday.",  # in a possessed phrase
        "Sen. Mike Lee (R-Utah) spoke on Tuesday.",  # a party's state in parentheses
        # A well-known name ("Vladimir", "Chad") with no locative preposition before it for the parse to link it to
        "Vladimir Putin's troops massed near Ukraine.",
        "Chad Smith met officials in Ukraine.",
        "Sanctions hit North Korea's economy hard.",  # a possessive inside the entity, trimmed as the tagger would
        "The deal is a victory for Russia.",  # after "for", with no verb left for it to be the subject of
    ],
)
def test_names_that_modify_are_settled_as_parsed(two_pass_nlp: Language, text: str) -> None:
    sentence = _sentence(two_pass_nlp, text)
    found = find_places_unparsed(sentence)
    assert found, "settled on tokens alone, with a place"
    assert [(p.name, p.country, p.span) for p in found] == _parsed_places(two_pass_nlp, sentence)


def test_a_possible_subject_needs_the_parse(two_pass_nlp: Language) -> None:
    assert find_places_unparsed(_sentence(two_pass_nlp, "Russia has warned the West again.")) is None


def test_settled_sentences_agree_with_the_parse(two_pass_nlp: Language) -> None:
    bodies = fnc1_bodies(60)
    settled = 0
    for doc in cheap_pass(two_pass_nlp, bodies):
        sentences = [s for s in doc.sents if any(t.ent_type_ in {"GPE", "LOC", "FAC"} for t in s)]
        for sentence, parsed in zip(sentences, syntax_pass(two_pass_nlp, sentence_docs(doc, sentences))):
            found = find_places_unparsed(sentence)
            if found is None:
                continue
            settled += 1
            shift = sentence.start_char
            expected = [(p.name, p.country, (p.span[0] + shift, p.span[1] + shift)) for p in find_places(parsed)]
            assert [(p.name, p.country, p.span) for p in found] == expected, sentence.text
    assert settled > 20
