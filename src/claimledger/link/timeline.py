"""Stance over time: for each statement of a claim, whether it supports, contradicts or discusses the claim, and
the words that show it.

The stance model (``claimledger.link.stance``, trained on FNC-1) reads the claim's wording against the statement.
Before it, rules from ``data/link/stance.toml`` settle what wording alone shows: the statement that gives the
claim its wording supports it, a statement of opposite polarity ("we have not seen any withdrawal") or with a
refuting cue ("has denied agreeing to") contradicts it, and a contrast ("Russia is instead continuing its
buildup") sets it against the claim. Reported stance counts as well: "echoing similar skepticism conveyed by
President Biden" puts Biden on the doubting side of the statement it follows.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, Sequence

from claimledger.link.claims import StatementRecord, default_encoder, sentence_bounds

Stance = Literal["supports", "contradicts", "discusses"]
MODEL_STANCES: dict[str, Stance] = {"agree": "supports", "disagree": "contradicts", "discuss": "discusses",
                                    "unrelated": "discusses"}


@dataclass(frozen=True)
class StanceCues:
    negations: tuple[str, ...]
    contrasts: tuple[str, ...]
    refuting_cues: tuple[str, ...]
    reported: re.Pattern
    doubt_nouns: frozenset[str]


def _words_pattern(phrases: Sequence[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@lru_cache(maxsize=1)
def stance_cues() -> StanceCues:
    """The cue lists of ``data/link/stance.toml``, with the reported-stance phrase compiled."""
    raw = tomllib.loads(resources.files("claimledger").joinpath("data/link/stance.toml").read_text(encoding="utf-8"))
    reported = raw["reported"]
    pattern = re.compile(
        rf"\b(?:{_words_pattern(reported['verbs'])})\s+(?:(?:{_words_pattern(reported['adjectives'])})\s+)?"
        rf"(?P<noun>{_words_pattern(reported['nouns'])})\s+(?:{_words_pattern(reported['participles'])})\s+by\s+",
        re.IGNORECASE,
    )
    return StanceCues(tuple(raw["negations"]), tuple(raw["contrasts"]), tuple(raw["refuting_cues"]), pattern,
                      frozenset(reported["doubt_nouns"]))


@lru_cache(maxsize=8)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    # "n't" is glued to its verb ("haven't"), so it takes no word boundary before it.
    glued = [p for p in phrases if p.startswith("n'")]
    words = [p for p in phrases if not p.startswith("n'")]
    parts = [rf"\b(?:{_words_pattern(words)})\b"] if words else []
    parts += [re.escape(p) + r"\b" for p in glued]
    return re.compile("|".join(parts), re.IGNORECASE)


def _find(phrases: Sequence[str], text: str) -> re.Match | None:
    return _phrase_pattern(tuple(phrases)).search(text.replace("\u2019", "'"))


def negation(text: str) -> re.Match | None:
    """The first negation in ``text``, or None."""
    return _find(stance_cues().negations, text)


def refuting_cue(cue: str | None) -> bool:
    """Whether a speech cue rejects what it introduces ("denied", "dismissed", "laughing off")."""
    return bool(cue) and _find(stance_cues().refuting_cues, cue) is not None


def polarity(record: StatementRecord) -> int:
    """+1 when the statement asserts its wording, -1 when it denies it (negated wording or a refuting cue; both
    cancel out). A negated question ("Don't you know the girls have converted?") asserts."""
    question = record.text.rstrip(" \"'\u201d\u2019").endswith("?")
    flips = (negation(record.text) is not None and not question) + refuting_cue(record.cue)
    return -1 if flips % 2 else 1


def asserts(record: StatementRecord) -> bool:
    """Whether a statement asserts its wording: not denied, and not set against something else by a contrast."""
    return polarity(record) > 0 and _find(stance_cues().contrasts, record.text) is None


def choose_canonical(records: Sequence[StatementRecord], centrality: dict[str, float]) -> StatementRecord:
    """The statement that words a claim: of those that assert rather than deny, the most central (``centrality``:
    statement id -> closeness to the claim's centroid; those without one are not eligible), the earlier in
    timeline order on a tie; when none is eligible, the first in timeline order."""
    ordered = sorted(records, key=StatementRecord.order_key)
    eligible = [r for r in ordered if r.id in centrality and asserts(r)]
    if not eligible:
        return ordered[0]
    return max(eligible, key=lambda r: (centrality[r.id], -ordered.index(r)))


@dataclass(frozen=True)
class StanceCall:
    """A statement's stance towards a claim, what decided it, and the evidence span in the article."""

    stance: Stance
    source: str  # origin, speaker, polarity, cue, contrast, model, similarity, reported
    evidence: tuple[int, int]


def _cue_evidence(record: StatementRecord) -> tuple[int, int]:
    if record.cue_span is None:
        return record.start, record.end
    return min(record.start, record.cue_span[0]), max(record.end, record.cue_span[1])


def rule_stance(canonical: StatementRecord, record: StatementRecord) -> StanceCall | None:
    """The stance that wording alone settles, or None when the stance model must read it."""
    if record.id == canonical.id:
        return StanceCall("supports", "origin", _cue_evidence(record))
    if _find(stance_cues().contrasts, record.text) is not None:
        return StanceCall("contradicts", "contrast", (record.start, record.end))
    if polarity(record) != polarity(canonical):
        source = "cue" if refuting_cue(record.cue) else "polarity"
        return StanceCall("contradicts", source, _cue_evidence(record) if source == "cue" else
                          (record.start, record.end))
    if record.speaker is not None and record.speaker == canonical.speaker:
        return StanceCall("supports", "speaker", _cue_evidence(record))
    return None


class StanceJudge:
    """Decides stances: rules first, then the shipped stance model, or, when no model is shipped, agreement in
    polarity with a close wording (``similarity``)."""

    def __init__(self, use_model: bool = True, close: float = 0.9) -> None:
        self.close = close
        self._model = None
        self.model_error: str | None = None
        if use_model:
            from claimledger.link import stance as stance_model

            try:
                self._model = stance_model.load_model()
            except (OSError, ValueError) as exc:  # the classifier's weights are not in this install
                self.model_error = str(exc)
            else:
                if self._model.encoder is None:
                    # One MiniLM per process: the model's encoder slot takes the one claims are grouped with.
                    self._model.encoder = default_encoder()

    @property
    def has_model(self) -> bool:
        return self._model is not None

    def judge(self, claim_text: str, canonical: StatementRecord, records: Sequence[StatementRecord],
              similarities: Sequence[float]) -> list[StanceCall]:
        """The stance of each record towards the claim worded ``claim_text`` (from ``canonical``)."""
        return self.judge_many([(claim_text, canonical, records, similarities)])[0]

    def judge_many(self, claims: Sequence[tuple[str, StatementRecord, Sequence[StatementRecord], Sequence[float]]]
                   ) -> list[list[StanceCall]]:
        """``judge`` for several claims at once: the model reads every open pair in one call, which costs far
        less than a call per claim."""
        calls = [[rule_stance(canonical, r) for r in records] for _, canonical, records, _ in claims]
        open_pairs = [(c, i) for c, row in enumerate(calls) for i, call in enumerate(row) if call is None]
        if open_pairs and self._model is not None:
            from threadpoolctl import threadpool_limits

            pairs = [(claims[c][0], _reported_sentence(claims[c][2][i])) for c, i in open_pairs]
            # One thread: the trees' OpenMP threads fight over a shared machine and run slower than one.
            with threadpool_limits(1):
                labels = self._model.predict(pairs)
            for (c, i), label in zip(open_pairs, labels):
                record = claims[c][2][i]
                calls[c][i] = StanceCall(MODEL_STANCES[label], "model", (record.start, record.end))
        for c, i in open_pairs:
            if calls[c][i] is None:
                record, similarity = claims[c][2][i], claims[c][3][i]
                stance: Stance = "supports" if similarity >= self.close else "discusses"
                calls[c][i] = StanceCall(stance, "similarity", (record.start, record.end))
        return [[call for call in row if call is not None] for row in calls]


def _reported_sentence(record: StatementRecord) -> str:
    """The statement as a news sentence, speaker and cue included, as the stance model was trained to read."""
    if record.kind == "direct" or not record.speaker_name:
        return record.text
    return f"{record.speaker_name} {record.cue or 'said'} {record.text}"


@dataclass(frozen=True)
class ReportedStance:
    """An actor put on a side by the writer: the statement it sides with, the phrase, and its date if named."""

    anchor_id: str
    local_actor: str  # the actor's id inside the article's extraction
    span: tuple[int, int]
    doubting: bool
    date: str | None


def reported_stances(article_text: str, extraction: dict) -> list[ReportedStance]:
    """Stances the writer reports for someone who is not quoted ("echoing similar skepticism conveyed by President
    Biden on Tuesday"), each tied to the statement before it in the same sentence."""
    found: list[ReportedStance] = []
    statements = extraction.get("statements", [])
    for match in stance_cues().reported.finditer(article_text):
        sentence_start, sentence_end = sentence_bounds(article_text, match.start())
        anchors = [s for s in statements
                   if sentence_start <= s["span"][0] and s["span"][1] <= match.start()]
        actor = _actor_after(extraction.get("actors", []), match.end(), sentence_end)
        if not anchors or actor is None:
            continue
        anchor = max(anchors, key=lambda s: s["span"][1])
        end = sentence_end
        dates = [d["value"] for d in extraction.get("dates", [])
                 if match.end() <= d["span"][0] < end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["value"])]
        doubting = match.group("noun").casefold() in stance_cues().doubt_nouns
        found.append(ReportedStance(anchor["id"], actor, (match.start(), end), doubting, dates[0] if dates else None))
    return found


# A title may stand between "by" and the name ("conveyed by President Biden").
_TITLE_GAP = 40


def _actor_after(actors: list[dict], position: int, limit: int) -> str | None:
    """The extraction actor mentioned first after ``position`` (within a title's length, before ``limit``)."""
    best: tuple[int, str] | None = None
    for actor in actors:
        for start, _ in actor.get("mentions", []):
            if position <= start < min(limit, position + _TITLE_GAP) and (best is None or start < best[0]):
                best = (start, actor["id"])
    return best[1] if best else None
