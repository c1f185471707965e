"""Wording cues of stance (polarity, refuting cues, contrasts), propositions, and reported stance."""

from __future__ import annotations

from claimledger.link.claims import StatementRecord, proposition_text, stems
from claimledger.link.timeline import asserts, polarity, reported_stances


def record(sid: str, text: str, speaker: str | None = "A1", cue: str | None = "said", date: str | None = None,
           start: int = 0, kind: str = "indirect") -> StatementRecord:
    return StatementRecord(sid, "art", 1, start, start + len(text), speaker, "X", kind, cue, None, text, date, ())


def test_polarity_reads_negation_refuting_cues_and_questions():
    assert polarity(record("s1", "Russia is withdrawing troops")) == 1
    assert polarity(record("s2", "we have not seen any withdrawal")) == -1
    assert polarity(record("s3", "we haven\u2019t seen any withdrawal")) == -1
    assert polarity(record("s4", "agreeing to any cease-fire", cue="has denied")) == -1
    assert polarity(record("s5", "it had not agreed to a truce", cue="denied")) == 1
    assert polarity(record("s6", "Don't you know the girls have converted to Islam?")) == 1


def test_a_denial_or_a_contrast_does_not_assert_its_wording():
    assert asserts(record("a", "it was returning some troops"))
    assert not asserts(record("d", "NATO has not seen signs of troops pulling back"))
    assert not asserts(record("x", "Russia is instead continuing its buildup"))


def test_proposition_replaces_a_leading_pronoun_of_reported_speech():
    assert proposition_text("it was returning some troops", "announcement", "Russia") == \
        "Russia was returning some troops"
    assert proposition_text("\u201cI am cautiously optimistic.\u201d", "direct", "Badeh") == \
        "I am cautiously optimistic."
    assert proposition_text("his campaign raised $2 million in May", "indirect", "Trump") == \
        "Trump's campaign raised $2 million in May"
    assert stems("Russia was withdrawing its troops") == frozenset({"withd", "troop"})


def test_reported_skepticism_puts_the_named_actor_beside_the_statement():
    text = ("Stoltenberg said that Russia is instead continuing its military buildup near Ukraine's border, "
            "echoing similar skepticism conveyed by President Biden on Tuesday. Later news followed.")
    biden = text.index("Biden")
    extraction = {
        "actors": [{"id": "a1", "name": "Stoltenberg", "mentions": [[0, 11]]},
                   {"id": "a2", "name": "Biden", "mentions": [[biden, biden + 5]]}],
        "statements": [{"id": "s3", "span": [17, text.index(" near")]}],
        "dates": [{"text": "Tuesday", "value": "2022-02-15", "span": [text.index("Tuesday"),
                                                                    text.index("Tuesday") + 7]}],
    }
    (found,) = reported_stances(text, extraction)
    assert (found.anchor_id, found.local_actor, found.doubting, found.date) == ("s3", "a2", True, "2022-02-15")
    assert text[found.span[0]:found.span[1]] == "echoing similar skepticism conveyed by President Biden on Tuesday"
