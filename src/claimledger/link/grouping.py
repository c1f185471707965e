"""Claims: propositions a reader can check, each with the statements that assert or deny it, across speakers and
articles.

A claim is worded by one statement that states a checkable proposition (``claimledger.link.propositions``) and is
never reworded. Each later statement is compared with the claims that share a blocking key with it (a subject
actor or a word stem): those whose wording is close enough (sentence-embedding cosine, shared stems and subjects,
dates not far apart) are judged by the statement stance model, and the statement joins the claim it most surely
supports or contradicts. A statement that joins none starts a claim of its own if it can word one; otherwise it
stands in no claim. So what an article's statements claimed, and their stance, is decided when the article is
linked and never changes when more articles come.

Grouping is incremental: candidates come from blocking keys that are rare in the ledger, looked up through an
index, so a new statement costs in proportion to its block, not to the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, Sequence

import numpy as np

from claimledger.link.claims import StatementRecord, block_keys, claim_id, stem_overlap, stems
from claimledger.link.statement_stance import CLASSES, Side, StatementStanceModel, judge_pairs


@dataclass
class ClaimState:
    """A claim as grouping sees it: its fixed wording, the vector of that wording, and who said it where."""

    id: str
    text: str
    statement_id: str
    first_seen: str | None
    first_article: str
    subjects: list[str]
    vector: np.ndarray  # the wording's unit vector: statements are compared with the wording, which never moves
    stems: frozenset[str]
    size: int
    side: Side  # the wording statement as the stance model reads it
    new: bool = False


class ClaimIndex(Protocol):
    """Where grouping finds the stored claims that share a blocking key with a statement."""

    def candidates(self, keys: Sequence[str]) -> list[tuple[str, ClaimState]]:
        """(key, claim) for every stored claim filed under one of ``keys``; keys too common to block on may
        return nothing."""


@dataclass(frozen=True)
class GroupingParams:
    """Which claims a statement is judged against, and how sure the stance model must be for it to join one.
    Weights of the candidate score were read on the sample corpus and FNC-1 train bodies; ``join`` on the
    labelled statement pairs (``labels/``), cross-validated."""

    stem_weight: float = 0.3
    actor_weight: float = 0.1
    far_date_penalty: float = 0.1
    far_date_days: int = 90
    min_cosine: float = 0.5  # a claim whose wording is less close than this is not judged
    candidates: int = 3  # the best-scored claims judged for each statement
    # Probabilities at which a statement joins a claim as its support or contradiction: the lowest whose
    # cross-validated precision reached 0.8 (written with the model), and the dispute_confidence setting.
    supports: float = 0.7
    contradicts: float = 0.9


def _days_apart(a: str | None, b: str | None) -> int | None:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) if a and b else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Assignment:
    """Where a statement went: its claim, the stance it takes there and how sure that is, and how close its
    wording is to the claim's (1.0 for the statement that words the claim)."""

    statement_id: str
    claim_id: str
    stance: str  # supports or contradicts
    confidence: float
    score: float
    origin: bool = False


def statement_side(record: StatementRecord) -> Side:
    """A statement as the stance model reads it: its proposition, its speaker (a ledger actor id, else the name
    its article gives), article and sentence, cue and kind."""
    return Side(record.proposition, record.speaker or record.speaker_name, record.article_id, record.sentence,
                record.cue, record.kind, record.speaker_name)


class ClaimGrouper:
    """Assigns statements to claims, one at a time, in the order given."""

    def __init__(self, index: ClaimIndex, model: StatementStanceModel, params: GroupingParams | None = None,
                 skip_keys: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.skip_keys = skip_keys  # blocking keys never looked up (too common to narrow anything down)
        self.model = model
        self.params = params or GroupingParams()
        self.claims: dict[str, ClaimState] = {}  # every claim loaded or created in this run
        self.local_keys: dict[str, set[str]] = {}  # blocking key -> claims created in this run
        self.stored_keys: dict[str, set[str]] = {}  # blocking key -> stored claims the index returned

    def score(self, record: StatementRecord, cosine: float, claim: ClaimState) -> float:
        """How close ``record`` is to the wording of ``claim``: the cosine, plus shared stems and subjects, less a
        penalty for dates far apart."""
        p = self.params
        value = cosine + p.stem_weight * stem_overlap(stems(record.proposition), claim.stems)
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
                           1, statement_side(record), new=True)
        self.claims[claim.id] = claim
        for key in block_keys(claim.subjects, claim.stems):
            self.local_keys.setdefault(key, set()).add(claim.id)
        return claim

    def assign(self, record: StatementRecord, vector: np.ndarray, checkable: bool,
               scope_vector: np.ndarray | None = None) -> Assignment | None:
        """The claim ``record`` joins (the one it most surely supports or contradicts), or the claim it starts
        when it joins none and ``checkable`` says it can word one; None when neither. ``scope_vector`` embeds
        the words its negation denies, if it has one (``statement_stance.negated_scope``)."""
        p = self.params
        scored = []
        keys = [k for k in block_keys(record.subjects, stems(record.proposition)) if k not in self.skip_keys]
        for claim in self._candidates(keys):
            cosine = float(vector @ claim.vector)
            if cosine >= p.min_cosine:
                scored.append((self.score(record, cosine, claim), cosine, claim))
        scored = sorted(scored, key=lambda item: (-item[0], item[2].id))[:p.candidates]
        side = statement_side(record)
        probabilities = judge_pairs(self.model, [
            (claim.side, side, cosine, float(scope_vector @ claim.vector) if scope_vector is not None else 0.0)
            for _, cosine, claim in scored])
        thresholds = {"supports": p.supports, "contradicts": p.contradicts}
        best: tuple[float, str, float, ClaimState] | None = None
        for (score, _, claim), row in zip(scored, probabilities):
            for stance, threshold in thresholds.items():
                confidence = float(row[CLASSES.index(stance)])
                if confidence >= threshold and (best is None or confidence > best[0]):
                    best = (confidence, stance, score, claim)
        if best is not None:
            confidence, stance, score, claim = best
            claim.size += 1
            if record.date is not None and (claim.first_seen is None or record.date < claim.first_seen):
                claim.first_seen, claim.first_article = record.date, record.article_id
            return Assignment(record.id, claim.id, stance, round(confidence, 4), round(score, 4))
        if not checkable:
            return None
        claim = self._start_claim(record, vector)
        return Assignment(record.id, claim.id, "supports", 1.0, 1.0, origin=True)
