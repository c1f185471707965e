"""Whether a statement states a proposition a reader can check on its own, and so may word a claim.

A claim is worded by one statement and never reworded. Only a statement that reads as a full sentence with its
subject named can word one: not a question, not a fragment without a finite verb ("a \"partial withdrawal\" of
troops"), not a sentence whose subject is a pronoun that nothing in the statement resolves ("it", "this",
"they", and in a quotation "I" and "we"), not a few words. Reported speech whose subject is "he", "she" or "it"
is resolved to its speaker before this test ("Moscow announced it was returning troops" -> "Russia was
returning troops"). Other statements may still join a claim that a checkable statement words, as support or
contradiction.

Finite verbs come from spaCy's tagger, run on the statements alone (the extraction parses only some sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from claimledger.link.claims import stems

# A statement needs this many content words to state a proposition; "The truce" or "It" names a topic only.
MIN_STEMS = 3
# Penn tags of a finite verb: past, present (3rd person and not), modal.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
VERB_TAGS = FINITE_TAGS | {"VB", "VBG", "VBN"}
# Tags of words that can head a subject.
SUBJECT_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "PRP", "CD", "EX", "WP"})
# Modals that hedge, predict or prescribe: what they open is no fact a reader can check ("The girls would soon be
# freed", "The authorities must end this crackdown"). "will" and "can" state plans and abilities that can be.
HEDGES = frozenset({"could", "might", "may", "should", "must", "would", "ought", "'d", "\u2019d"})
# A claim opened by a subordinating word is a condition or a concession, not an assertion ("If the government
# does not know who Boko Haram is, ...", "While scientists have not yet detected liquid water, ...").
_SUBORDINATE = re.compile(r"^(?:if|unless|although|though|while|whether|because|since|when|as|once)\b",
                          re.IGNORECASE)


# A wording that ends on a word that needs more after it was cut off by extraction.
_TRUNCATED = re.compile(r"\b(?:to|with|and|but|or|the|a|an|of|as|that|by|for|from|in|on|at|than|whether|if|is|are|"
                        r"was|were|has|have|had|its|their|his|her|our|my|your|such)$", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """How a statement opens: as a clause with a subject and a finite verb, and that verb if it is a modal."""

    finite: bool
    modal: str | None = None
# Subjects that name nothing on their own.
_UNRESOLVED_SUBJECT = re.compile(
    r"^(?:(?:and|but|so|yet|now|still|also|then|well|yes|no|oh)[,\s]+)*"
    r"(it|this|that|these|those|they|them|he|she|i|we|you|one|here|which|who|what)(?:['\u2019](?:s|re|m|ve|ll|d))?\b",
    re.IGNORECASE)
_LEADING_CLAUSE = re.compile(r"^[^,]{1,40},\s+")


def not_checkable(wording: str, clause: Clause) -> str | None:
    """Why ``wording`` (a statement as a claim would read) cannot word a claim, or None when it can:
    ``question``, ``short``, ``fragment``, ``condition``, ``hedged`` or ``unresolved subject``."""
    text = wording.strip().rstrip(" \"'\u201d\u2019)")
    if text.endswith("?"):
        return "question"
    if len(stems(text)) < MIN_STEMS:
        return "short"
    if _SUBORDINATE.match(text):
        return "condition"
    if _TRUNCATED.search(text):
        return "fragment"  # cut off mid-phrase ("... whether a candidate complies with")
    if not clause.finite:
        return "fragment"  # no verb, no subject before it, or the first verb not finite
    if clause.modal in HEDGES:
        return "hedged"
    # The subject may follow a short opening phrase ("At the moment, we have not seen ...").
    if _UNRESOLVED_SUBJECT.match(text) or _UNRESOLVED_SUBJECT.match(_LEADING_CLAUSE.sub("", text, count=1)):
        return "unresolved subject"
    return None


class VerbTagger:
    """Says which texts hold a finite verb, with the tagger of the configured spaCy pipeline (loaded on first
    use; only its tokenizer, encoder and tagger run)."""

    def __init__(self, model: str) -> None:
        self.model = model

    @lru_cache(maxsize=1)
    def _nlp(self):
        from claimledger.extract.nlp import load_nlp  # the extraction's pipeline, loaded once per process

        return load_nlp(self.model)

    def clauses(self, texts: Sequence[str]) -> list[Clause]:
        """How each text opens as a clause: whether its first verb is finite with a subject before it ("Russia
        was returning troops" is a sentence; "Putin to recognize the regions, a move that would deal a blow",
        "Has been training the opposition" and "Returning troops to their bases" are not, whatever verbs their
        relative clauses hold), and that verb's word when it is a modal."""
        nlp = self._nlp()
        keep = {"tok2vec", "tagger"}
        disabled = [name for name in nlp.pipe_names if name not in keep]
        return [_clause(doc) for doc in nlp.pipe(texts, batch_size=256, disable=disabled)]


def _clause(doc) -> Clause:
    subject = False
    for token in doc:
        if token.tag_ in VERB_TAGS:
            finite = token.tag_ in FINITE_TAGS and subject
            return Clause(finite, token.lower_ if token.tag_ == "MD" else None)
        subject = subject or token.tag_ in SUBJECT_TAGS
    return Clause(False, None)
