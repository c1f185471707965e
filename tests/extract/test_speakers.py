"""Speakers resolved from a statement's source words, each rule with a real news sentence (PolNeAR, 2016)."""

from __future__ import annotations

from claimledger.config import load_settings
from claimledger.extract.actors import find_actors
from claimledger.extract.nlp import cheap_pass, load_nlp
from claimledger.extract.pipeline import extract_article
from claimledger.extract.speakers import SpeakerResolver
from claimledger.extract.statements import build_statements
from claimledger.models import Article


def statements_of(*paragraphs: str):
    article = Article.from_blocks("t", [("paragraph", p) for p in paragraphs], published="2016-09-28")
    return extract_article(article, load_settings({})).statements


def speaker_of(found, prefix: str) -> str | None:
    """The speaker of the one statement of ``found`` whose text starts with ``prefix``."""
    matching = [s for s in found if s.text.startswith(prefix)]
    assert len(matching) == 1, [s.text for s in found]
    return matching[0].speaker_name


def resolved(text: str, source: str) -> str | None:
    """The name of the actor the words ``source`` (found in ``text``) resolve to, as the tagger's source span."""
    nlp = load_nlp(load_settings({}).model)
    doc = next(cheap_pass(nlp, [text]))
    index = find_actors(doc)
    start = text.index(source)
    span = doc.char_span(start, start + len(source), alignment_mode="expand")
    actor_id = SpeakerResolver(index, text).resolve(span)
    return index.name(actor_id) if actor_id else None


def test_a_relative_pronoun_before_a_name_is_what_the_cue_is_about():
    text = (
        "Glenn Beck has called Ted Cruz “the next George Washington.” Much of Beck’s ire was also directed at "
        "Stephen Bannon, who Beck on Wednesday called “a horrible, despicable human being.”"
    )
    assert resolved(text, "who Beck") == "Glenn Beck"
    # A verb after the pronoun leaves it the subject: the name before it speaks.
    text = "Rep. Adam Schiff, who has served on the Intelligence Committee for a decade, told reporters it was wrong."
    assert resolved(text, "who has served on the Intelligence Committee for a decade") == "Adam Schiff"


def test_a_relative_pronoun_before_an_organization_is_what_the_cue_is_about():
    found = statements_of(
        "By 2018, California's minimum wage would be higher than the rate is now in France and Australia, which "
        "the Organization for Economic Cooperation and Development says had the world's highest wage floors in "
        "2015."
    )
    assert speaker_of(found, "had the world's highest") == "Organization for Economic Cooperation and Development"


def test_a_person_named_before_a_preposition_heads_the_source():
    found = statements_of(
        "“It would have been a real long-shot to shoehorn Secretary Clinton’s conduct into the existing federal "
        "criminal laws,” said Stephen Vladeck of the University of Texas School of Law."
    )
    assert speaker_of(found, "It would have been") == "Stephen Vladeck"
    found = statements_of(
        "“It hits Hillary where she’s most vulnerable, even with Democrats wary of her history of obfuscation,” "
        "wrote Larry O’Connor on Hot Air."
    )
    assert speaker_of(found, "It hits Hillary") == "Larry O’Connor"


def statements_from_labels(text: str, **spans: str) -> list:
    """Statements of the one-paragraph ``text`` tagged as given: each keyword (``source``, ``cue``,
    ``content``) names the words that carry that label, as the attribution tagger read them."""
    nlp = load_nlp(load_settings({}).model)
    doc = next(cheap_pass(nlp, [text]))
    labels = ["O"] * len(doc)
    for label, words in spans.items():
        start = text.index(words)
        span = doc.char_span(start, start + len(words), alignment_mode="expand")
        labels[span.start : span.end] = [f"B-{label.upper()}"] + [f"I-{label.upper()}"] * (len(span) - 1)
    return build_statements(doc, labels, [(0, len(doc))], find_actors(doc), "2016-09-28")


def test_whom_a_verb_addresses_is_not_the_speaker():
    text = (
        "The Trayvon Martin Foundation did not want to address “that person,” telling Fox 35 that the "
        "organization is focused on “ending senseless gun violence.”"
    )
    found = statements_from_labels(
        text, source="Fox 35", cue="telling", content="that the organization is focused on “ending senseless gun violence"
    )
    assert speaker_of(found, "the organization is focused") == "Trayvon Martin Foundation"
    text = (
        "Patti Davis, a longtime liberal, lashed out at the GOP nominee on Facebook, telling Trump that whatever he "
        "meant, words have the power to inspire actions."
    )
    found = statements_from_labels(
        text, source="Trump", cue="telling", content="that whatever he meant, words have the power to inspire actions"
    )
    assert speaker_of(found, "whatever he meant") == "Patti Davis"


def test_a_name_after_an_inverted_addressing_verb_is_the_speaker():
    found = statements_of(
        "“Asking a superdelegate to get rid of themselves?” asked Sen. Barbara Mikulski of Maryland, who wants a "
        "commission to examine party rules."
    )
    assert speaker_of(found, "Asking a superdelegate") == "Barbara Mikulski"


def test_the_first_person_of_an_interview_answer_is_the_interviewee():
    found = statements_of(
        "Immigration debate hits home for actress Diane Guerrero.",
        "Actress Diane Guerrero has become a familiar figure to many through her roles on Orange Is the New Black. "
        "In a memoir, In the Country We Love, published Tuesday by Henry Holt and Company, the 29-year-old "
        "tackles the personal side of the nation's immigration debate.",
        "Q: You open your book on May 17, 2001. What did you find?",
        "A: I came home from school and my parents were gone, and a neighbor came in and told me they had been "
        "taken away by Immigration. I knew what that meant, because we had lived in fear for so long.",
        "Q: Did the Immigration service take care of you?",
        "A: No, no one did. It was as if I'd never existed. I called my friend's mother and we waited there to see "
        "what was going to happen.",
    )
    assert speaker_of(found, "what that meant") == "Diane Guerrero"
