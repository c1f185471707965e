"""Claims: statements that assert (or deny) the same proposition, grouped across speakers and articles.

Two steps. Within an article, statements are clustered by average linkage over a pair score: the cosine of their
sentence embeddings (MiniLM, the encoder the stance model uses), the overlap of their word stems, a shared subject
actor, and a shared sentence, since a report sets a claim and its rebuttal side by side ("NATO has not seen signs
of Russian troops pulling back, after Moscow had announced it was returning some troops"). Then each article
cluster joins the stored claim its best statement scores highest against (cosine to the claim's centroid, stems,
subjects, and a penalty for dates far apart), if that clears a threshold, or starts a claim.

Grouping is incremental: candidates come from blocking keys (subject actors and word stems) that are rare in the
ledger, looked up through an index, so a new statement costs in proportion to its block, not to the ledger.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from claimledger.link.stance_features import Encoder, MiniLMEncoder

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Five-letter truncation is a crude stemmer that needs no model and no package: withdrawal, withdrawing and
# withdrawn meet as "withd", troop and troops as "troop"; over-merging is rare in news vocabulary.
STEM_LENGTH = 5
_LEADING_PRONOUN = re.compile(r"^(it|he|she)\b", re.IGNORECASE)
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

    @property
    def wording(self) -> str:
        """The statement as a claim reads: reported speech that is a fragment ("a \"partial withdrawal\" of
        troops") keeps its speaker and cue ("Russia announced a \"partial withdrawal\" of troops")."""
        text = self.text.strip()
        if self.kind != "direct" and self.speaker_name and self.cue and text[:1].islower():
            return f"{self.speaker_name} {self.cue} {text}".rstrip(",;:")
        return self.proposition

    def order_key(self) -> tuple:
        """Timeline order: dated statements by date, undated ones after them; then by article and position."""
        return (self.date is None, self.date or "", self.article_seq, self.start)


def proposition_text(text: str, kind: str, speaker_name: str | None) -> str:
    """``text`` stripped of surrounding quotes, with a leading pronoun of reported speech replaced by the speaker."""
    text = text.strip().strip(_QUOTES).rstrip(",;:").strip()
    if speaker_name and kind != "direct":
        text = _LEADING_PRONOUN.sub(speaker_name, text, count=1)
    return text[:1].upper() + text[1:]


def sentence_bounds(text: str, position: int) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` that holds ``position``: it ends at end punctuation before a
    capital, or at a line break."""
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    end_match = _SENTENCE_END.search(text, position)
    return start, end_match.start() if end_match else len(text)


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


@dataclass
class ClaimState:
    """A claim as grouping sees it; ``articles`` holds the articles known to contribute in this run."""

    id: str
    text: str
    statement_id: str
    first_seen: str | None
    first_article: str
    subjects: list[str]
    centroid: np.ndarray
    stems: frozenset[str]
    size: int
    articles: set[str] = field(default_factory=set)
    new: bool = False

    def add(self, vector: np.ndarray) -> None:
        """Move the centroid to the mean of the members with ``vector`` added, as a unit vector."""
        total = self.centroid * self.size + vector
        self.size += 1
        self.centroid = (total / (np.linalg.norm(total) or 1.0)).astype(np.float32)


class ClaimIndex(Protocol):
    """Where grouping finds the stored claims that share a blocking key with a statement."""

    def candidates(self, keys: Sequence[str]) -> list[tuple[str, ClaimState]]:
        """(key, claim) for every stored claim filed under one of ``keys``; keys too common to block on may
        return nothing."""


@dataclass(frozen=True)
class GroupingParams:
    """Weights and thresholds of the claim score. Chosen by reading the score on the sample corpus (the seed
    article, the Boko Haram and Christian Bale reports) and FNC-1 train bodies; never on FNC-1 test data."""

    stem_weight: float = 0.3
    actor_weight: float = 0.1
    sentence_weight: float = 0.15
    far_date_penalty: float = 0.1
    far_date_days: int = 90
    article_threshold: float = 0.65  # average pair score that keeps statements of one article together
    threshold: float = 0.78  # score that joins an article's statements to a stored claim


def _days_apart(a: str | None, b: str | None) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) if a and b else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Assignment:
    """Where a statement went: its claim, and how well it matched (1.0 for the statement that started it)."""

    statement_id: str
    claim_id: str
    score: float


class ClaimGrouper:
    """Assigns the statements of each article to claims, one article at a time."""

    def __init__(self, index: ClaimIndex, params: GroupingParams | None = None) -> None:
        self.index = index
        self.params = params or GroupingParams()
        self.claims: dict[str, ClaimState] = {}  # every claim loaded or created in this run
        self.local_keys: dict[str, set[str]] = {}  # blocking key -> claims created in this run
        self.stored_keys: dict[str, set[str]] = {}  # blocking key -> stored claims the index returned

    def pair_score(self, a: StatementRecord, b: StatementRecord, va: np.ndarray, vb: np.ndarray) -> float:
        """How strongly two statements of one article state the same proposition."""
        p = self.params
        return (float(va @ vb) + p.stem_weight * stem_overlap(stems(a.proposition), stems(b.proposition))
                + p.actor_weight * bool(set(a.subjects) & set(b.subjects))
                + p.sentence_weight * (a.sentence >= 0 and a.sentence == b.sentence))

    def cluster_article(self, records: Sequence[StatementRecord], vectors: np.ndarray) -> list[list[int]]:
        """Indices of ``records`` (one article's) in clusters: average linkage, merged while the best average
        pair score reaches ``article_threshold``; clusters in order of their first statement."""
        n = len(records)
        scores = np.array([[self.pair_score(records[i], records[j], vectors[i], vectors[j]) for j in range(n)]
                           for i in range(n)]) if n else np.zeros((0, 0))
        clusters = [[i] for i in range(n)]
        while len(clusters) > 1:
            best: tuple[float, int, int] | None = None
            for x in range(len(clusters)):
                for y in range(x + 1, len(clusters)):
                    value = float(scores[np.ix_(clusters[x], clusters[y])].mean())
                    if best is None or value > best[0]:
                        best = (value, x, y)
            if best is None or best[0] < self.params.article_threshold:
                break
            _, x, y = best
            clusters[x] = sorted(clusters[x] + clusters[y])
            del clusters[y]
        return sorted(clusters)

    def score(self, record: StatementRecord, vector: np.ndarray, claim: ClaimState) -> float:
        """How strongly ``record`` states the proposition of a stored ``claim``."""
        p = self.params
        value = float(vector @ claim.centroid) + p.stem_weight * stem_overlap(stems(record.proposition), claim.stems)
        value += p.actor_weight * bool(set(record.subjects) & set(claim.subjects))
        apart = _days_apart(record.date, claim.first_seen)
        if apart is not None and apart > p.far_date_days:
            value -= p.far_date_penalty
        return value

    def _candidates(self, keys: list[str]) -> list[ClaimState]:
        unseen = [k for k in keys if k not in self.stored_keys]
        if unseen:
            for key in unseen:
                self.stored_keys[key] = set()
            for key, claim in self.index.candidates(unseen):
                self.claims.setdefault(claim.id, claim)
                self.stored_keys[key].add(claim.id)
        ids = {i for k in keys for i in self.stored_keys[k] | self.local_keys.get(k, set())}
        return [self.claims[i] for i in sorted(ids)]

    def _start_claim(self, record: StatementRecord, vector: np.ndarray) -> ClaimState:
        claim = ClaimState(claim_id(record.id), record.proposition, record.id, record.date, record.article_id,
                           list(dict.fromkeys(record.subjects)), vector.astype(np.float32), stems(record.proposition),
                           1, {record.article_id}, new=True)
        self.claims[claim.id] = claim
        for key in block_keys(claim.subjects, claim.stems):
            self.local_keys.setdefault(key, set()).add(claim.id)
        return claim

    def add_article(self, records: Sequence[StatementRecord], vectors: np.ndarray) -> list[Assignment]:
        """Assign one article's statements to claims; returns one assignment per record, in the order given."""
        assignments: list[Assignment | None] = [None] * len(records)
        for cluster in self.cluster_article(records, vectors):
            members = [records[i] for i in cluster]
            keys = sorted({k for r in members for k in block_keys(r.subjects, stems(r.proposition))})
            best: tuple[float, ClaimState] | None = None
            for claim in self._candidates(keys):
                if claim.first_article == records[0].article_id and claim.new:
                    continue  # another cluster of this same article: average linkage kept them apart
                value = max(self.score(records[i], vectors[i], claim) for i in cluster)
                if value >= self.params.threshold and (best is None or value > best[0]):
                    best = (value, claim)
            if best is None:
                first = cluster[min(range(len(cluster)), key=lambda k: members[k].order_key())]
                claim = self._start_claim(records[first], vectors[first])
                joined = [i for i in cluster if i != first]
                assignments[first] = Assignment(records[first].id, claim.id, 1.0)
            else:
                claim, joined = best[1], cluster
            for i in joined:
                value = self.score(records[i], vectors[i], claim)
                claim.add(vectors[i])
                claim.articles.add(records[i].article_id)
                assignments[i] = Assignment(records[i].id, claim.id, round(value, 4))
        return [a for a in assignments if a is not None]


_encoder: Encoder | None = None


def default_encoder() -> Encoder:
    """The sentence encoder shared with the stance model, loaded on first use (one thread: the machine is shared)."""
    global _encoder
    if _encoder is None:
        _encoder = MiniLMEncoder(threads=1)
    return _encoder


def embed(records: Sequence[StatementRecord], encoder: Encoder | None = None) -> np.ndarray:
    """Unit vectors of the records' propositions, one row each."""
    return (encoder or default_encoder()).encode([r.proposition for r in records])
