"""Property: whatever the article, every offset extraction reports slices the article text to its words."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from claimledger.config import load_settings
from claimledger.extract.pipeline import extract_article
from claimledger.models import Article

WORDS = [
    "said", "told", "reporters", "he", "she", "added", "Moscow", "announced", "that", "NATO", "Secretary", "General",
    "Jens", "Stoltenberg", "President", "Biden", "on", "Tuesday", "the", "troops", "“", "”", '"', ",", ".", "U.S.",
    "according", "to", "officials", "Russia’s", "150,000", "Brussels", "—", "we", "are", "ready", "Ukraine",
]

paragraph = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)
blocks = st.lists(
    st.tuples(st.sampled_from(["paragraph", "bullet", "label"]), paragraph), min_size=1, max_size=5
)
SETTINGS = load_settings({})


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks)
def test_every_offset_slices_to_its_text(parts):
    article = Article.from_blocks("generated", parts, published="2022-02-16")
    extraction = extract_article(article, SETTINGS)
    text = article.text
    for statement in extraction.statements:
        assert text[statement.span[0] : statement.span[1]] == statement.text
        if statement.cue_span is not None:
            assert text[statement.cue_span[0] : statement.cue_span[1]] == statement.cue
        assert statement.speaker is None or statement.speaker in {a.id for a in extraction.actors}
    for actor in extraction.actors:
        for start, end in actor.mentions:
            assert 0 <= start < end <= len(text)
    for found in (*extraction.quantities, *extraction.dates):
        assert text[found.span[0] : found.span[1]] == found.text
    for place in extraction.places:
        assert 0 <= place.span[0] < place.span[1] <= len(text)
