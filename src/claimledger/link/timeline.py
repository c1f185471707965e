"""Wording cues of stance: negation, refuting cues ("has denied agreeing to"), contrasts ("Russia is instead
continuing its buildup"), all from ``data/link/stance.toml``, which the statement stance model reads as features;
and stances the writer reports for someone not quoted: "echoing similar skepticism conveyed by President Biden"
puts Biden on the doubting side of the statement it follows.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from claimledger.link.claims import StatementRecord, sentence_bounds

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


def contrast(text: str) -> bool:
    """Whether ``text`` sets itself against something it does not repeat ("Russia is instead continuing")."""
    return _find(stance_cues().contrasts, text) is not None


def asserts(record: StatementRecord) -> bool:
    """Whether a statement asserts its wording: not denied, and not set against something else by a contrast."""
    return polarity(record) > 0 and not contrast(record.text)


def cue_evidence(record: StatementRecord) -> tuple[int, int]:
    """The statement's span widened to its cue: the words that show who said it and how."""
    if record.cue_span is None:
        return record.start, record.end
    return min(record.start, record.cue_span[0]), max(record.end, record.cue_span[1])


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
