"""Statements as linking reads them: records with ledger actor ids and dates, their wording as a free-standing
proposition, word stems and blocking keys, claim ids, and sentence embeddings (MiniLM, the encoder the stance
models use). How statements are grouped into claims is ``claimledger.link.grouping``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from claimledger.link.stance_features import Encoder, MiniLMEncoder

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Five-letter truncation is a crude stemmer that needs no model and no package: withdrawal, withdrawing and
# withdrawn meet as "withd", troop and troops as "troop"; over-merging is rare in news vocabulary.
STEM_LENGTH = 5
_LEADING_PRONOUN = re.compile(r"^(it|he|she)\b", re.IGNORECASE)
_LEADING_POSSESSIVE = re.compile(r"^(its|his|her)\b", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d\u2018\u2019 "
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]?(?=\s+[\"'\u201c\u2018(]?[A-Z0-9])|\n")


@dataclass(frozen=True)
class StatementRecord:
    """A stored statement with what linking adds: ledger actor ids, its date resolved, and its subjects."""

    id: str
    article_id: str
    article_seq: int
    start: int
    end: int
    speaker: str | None  # ledger actor id
    speaker_name: str | None
    kind: str
    cue: str | None
    cue_span: tuple[int, int] | None
    text: str
    date: str | None  # ISO date: the statement's own, else its article's; None when neither is known
    subjects: tuple[str, ...]  # ledger actor ids mentioned in the statement, or its speaker when it speaks of itself
    sentence: int = -1  # where the statement's sentence starts in the article, to tell statements that share one

    @property
    def proposition(self) -> str:
        """The statement as a free-standing sentence: a leading "it"/"he"/"she" of reported speech is its speaker
        ("Moscow announced it was returning troops" -> "Russia was returning troops")."""
        return proposition_text(self.text, self.kind, self.speaker_name)


def proposition_text(text: str, kind: str, speaker_name: str | None) -> str:
    """``text`` stripped of surrounding quotes, with a leading pronoun of reported speech replaced by the speaker."""
    text = text.strip().strip(_QUOTES).rstrip(",;:").strip()
    if speaker_name and kind != "direct":
        text = _LEADING_PRONOUN.sub(speaker_name, text, count=1)
        # "Trump said his campaign raised ..." -> "Trump's campaign raised ...".
        text = _LEADING_POSSESSIVE.sub(speaker_name + ("'" if speaker_name.endswith("s") else "'s"), text, count=1)
    return text[:1].upper() + text[1:]


def sentence_bounds(text: str, position: int) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` that holds ``position``: it ends at end punctuation before a
    capital, or at a line break."""
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    end_match = _SENTENCE_END.search(text, position)
    return start, end_match.start() if end_match else len(text)


def sentence_text(text: str, span: tuple[int, int]) -> str:
    """The whole sentences of ``text`` that ``span`` lies in: a statement as its reader meets it."""
    start, _ = sentence_bounds(text, span[0])
    _, end = sentence_bounds(text, max(span[0], span[1] - 1))
    return text[start:max(end, span[1])].strip()


@lru_cache(maxsize=65536)
def stems(text: str) -> frozenset[str]:
    """Stems of the common words of ``text``: stop words and capitalized words dropped (names are compared as
    subject actors; as words they would make every report on one story look alike), truncated to
    ``STEM_LENGTH``."""
    words = (w for w in _WORD.findall(text) if not w[0].isupper())
    return frozenset(w[:STEM_LENGTH] for w in words if len(w) > 2 and w.casefold() not in ENGLISH_STOP_WORDS)


def stem_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared stems over the smaller set's size: a short statement fully inside a long one scores 1."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def block_keys(subjects: Sequence[str], stem_set: frozenset[str]) -> list[str]:
    """The blocking keys of a statement or claim: its subject actors and its stems."""
    return [f"a:{s}" for s in sorted(set(subjects))] + [f"w:{s}" for s in sorted(stem_set)]


def claim_id(statement_id: str) -> str:
    """A claim's id, from the statement that started it: stable however many articles come later."""
    return "C" + hashlib.sha1(statement_id.encode("utf-8")).hexdigest()[:10]


_encoder: Encoder | None = None


def default_encoder() -> Encoder:
    """The sentence encoder of linking, int8, loaded on first use (one thread: the machine is shared)."""
    global _encoder
    if _encoder is None:
        _encoder = MiniLMEncoder(threads=1, quantized=True)
    return _encoder


def embed(records: Sequence[StatementRecord], encoder: Encoder | None = None) -> np.ndarray:
    """Unit vectors of the records' propositions, one row each."""
    return (encoder or default_encoder()).encode([r.proposition for r in records])
