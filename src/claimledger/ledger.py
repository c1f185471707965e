"""The ledger from Python, for notebooks: claims, their timelines, disputes and actors.

    >>> from claimledger import Ledger
    >>> with Ledger("news.db") as ledger:
    ...     ledger.link()
    ...     for claim in ledger.disputes():
    ...         print(claim.text, [(s.date, s.speaker_name, s.stance) for s in claim.statements])

Reading needs no model; only ``link`` loads the sentence encoder and the stance model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimledger.config import Settings, load_settings
from claimledger.store.sqlite import SQLiteStore


@dataclass(frozen=True)
class ClaimStatement:
    """One entry of a claim's timeline: who took which stance, in which words, where and when.

    ``date`` is the statement's own date or its article's; None when neither is known (undated entries come after
    the dated ones, in article and text order). ``reported`` marks a stance the writer reports for someone not
    quoted; ``stance_source`` says what decided the stance (origin: the statement that words the claim; model:
    the statement stance model; reported, reported-doubt: a phrase of the writer's)."""

    id: str
    speaker: str | None  # ledger actor id
    speaker_name: str | None
    stance: str
    text: str
    date: str | None
    article_id: str
    span: tuple[int, int]
    evidence: str
    evidence_span: tuple[int, int]
    stance_source: str
    reported: bool
    confidence: float = 1.0  # the stance model's probability of the stance; 1 for the statement wording the claim
    anonymous: bool = False  # the speaker is an unnamed source ("a senior U.S. official"), named by its words

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "speaker": self.speaker, "speaker_name": self.speaker_name, "stance": self.stance,
                "text": self.text, "date": self.date, "article_id": self.article_id, "span": list(self.span),
                "evidence": self.evidence, "evidence_span": list(self.evidence_span),
                "stance_source": self.stance_source, "reported": self.reported, "confidence": self.confidence,
                "anonymous": self.anonymous}


@dataclass(frozen=True)
class Claim:
    """A claim with its canonical wording, subject actors (names), first sighting and timeline."""

    id: str
    text: str
    first_seen: str | None
    first_article: str
    subjects: tuple[str, ...]
    statements: tuple[ClaimStatement, ...] = field(default=())
    dispute_confidence: float = 0.5  # how sure a contradiction must be to make a dispute (the ledger's setting)

    def stances(self) -> dict[str, int]:
        """How many timeline entries support, contradict and discuss the claim."""
        counts = {"supports": 0, "contradicts": 0, "discusses": 0}
        for statement in self.statements:
            counts[statement.stance] += 1
        return counts

    def disputers(self) -> list[ClaimStatement]:
        """The contradictions that make the claim a dispute: at least ``dispute_confidence`` sure, by a known
        speaker who is not also among its supporters (a speaker's next sentence never disputes their last), the
        surest first."""
        supporters = {s.speaker for s in self.statements if s.stance == "supports" and s.speaker} | \
            {s.speaker_name for s in self.statements if s.stance == "supports" and s.speaker_name}
        if not supporters and not any(s.stance == "supports" for s in self.statements):
            return []
        found = [s for s in self.statements if s.stance == "contradicts" and s.speaker_name
                 and s.confidence >= self.dispute_confidence and s.speaker_name not in supporters
                 and (s.speaker is None or s.speaker not in supporters)]
        return sorted(found, key=lambda s: -s.confidence)

    @property
    def disputed(self) -> bool:
        """Supported by someone and contradicted by someone else (``disputers``)."""
        return bool(self.disputers())

    def to_dict(self) -> dict[str, Any]:
        """The ``--format jsonl`` object: ``{"claim": {...}, "statements": [...]}``."""
        return {"claim": {"id": self.id, "text": self.text, "first_seen": self.first_seen,
                          "first_article": self.first_article, "subjects": list(self.subjects)},
                "statements": [s.to_dict() for s in self.statements]}


def _timeline_key(row: dict) -> tuple:
    return (row["date"] is None, row["date"] or "", row["article_seq"], row["start"], row["id"])


class Ledger:
    """A ledger file opened for reading and linking. ``source`` is a database path or a ``Settings``; without
    one, the ``db`` setting. A missing file raises ``StoreError`` rather than starting an empty ledger."""

    def __init__(self, source: str | Path | Settings | None = None) -> None:
        if isinstance(source, Settings):
            self.settings = source
        else:
            settings = load_settings()
            self.settings = settings.with_overrides(db=str(source)) if source is not None else settings
        self.store = SQLiteStore(self.settings.db, create=False)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def link(self, aliases: str | Path | None = None):
        """Link every article extracted and not yet linked; returns the job's ``LinkReport``. ``aliases`` names a
        TOML alias file that forces actors together or apart."""
        from claimledger.jobs import link  # loads the encoder and stance model: only when linking

        return link(self.store, self.settings, Path(aliases) if aliases else None)

    def _claims(self, rows: list[dict], actor_id: str | None = None) -> list[Claim]:
        """Claims of these rows with their timelines; with ``actor_id``, only those about or voiced by it."""
        members: dict[str, list[dict]] = {}
        for row in self.store.claim_members([r["id"] for r in rows]):
            members.setdefault(row["claim_id"], []).append(row)
        if actor_id is not None:
            rows = [r for r in rows if actor_id in r["subjects"]
                    or any(m["actor_id"] == actor_id for m in members.get(r["id"], []))]
        names = self.store.actor_names(sorted({s for r in rows for s in r["subjects"]}))
        confidence = self.store.dispute_confidence()
        claims = []
        for row in rows:
            timeline = sorted(members.get(row["id"], []), key=_timeline_key)
            claims.append(Claim(
                row["id"], row["text"], row["first_seen"], row["first_article"],
                tuple(names.get(s, s) for s in row["subjects"]),
                tuple(ClaimStatement(m["id"], m["actor_id"], m["speaker_name"], m["stance"], m["text"], m["date"],
                                     m["article_id"], (m["start"], m["end"]), m["evidence"],
                                     (m["evidence_start"], m["evidence_end"]), m["stance_source"], bool(m["reported"]),
                                     m["confidence"], bool(m["anonymous"]))
                      for m in timeline), confidence))
        return claims

    def claims(self, actor: str | None = None, since: str | None = None) -> list[Claim]:
        """Claims in order of first appearance, about or voiced by ``actor``, first seen on or after the ISO date
        ``since``. ``actor`` is an actor's id, slug, name or any name it was filed under (``Biden``,
        ``joe-biden``); where it names no actor, any actor whose name contains it."""
        found = self.actor(actor) if actor is not None else None
        if found is not None:
            return self._claims(self.store.claim_rows(actor=found["name"], since=since), found["id"])
        return self._claims(self.store.claim_rows(actor=actor, since=since))

    def claim(self, claim_id: str) -> Claim | None:
        """One claim with its timeline, by id or unambiguous id prefix; None when there is no such claim."""
        found = self.store.find_claim(claim_id)
        return self._claims(self.store.claim_rows(claim_ids=[found]))[0] if found else None

    def timeline(self, claim_id: str) -> list[ClaimStatement]:
        """The claim's statements in time order (undated ones last); empty for an unknown claim."""
        claim = self.claim(claim_id)
        return list(claim.statements) if claim else []

    def disputes(self, actor: str | None = None) -> list[Claim]:
        """Claims that have both supporters and contradictors; with ``actor``, only those about or voiced by that
        actor (as ``claims`` resolves it)."""
        if actor is not None:
            found = [claim for claim in self.claims(actor=actor) if claim.disputed]
            return sorted(found, key=lambda claim: -claim.disputers()[0].confidence)
        ids = self.store.disputed_claim_ids()
        by_id = {claim.id: claim for claim in self._claims(self.store.claim_rows(claim_ids=ids))} if ids else {}
        return [by_id[i] for i in ids]

    def actors(self) -> list[dict]:
        """Ledger actors with their slugs, extracted aliases and counts of articles and claim statements."""
        return self.store.actor_rows()

    def actor(self, key: str) -> dict | None:
        """The ledger actor that ``key`` names: its id, slug (``joe-biden``), name or any name it was filed under
        (``Biden``), case-insensitively; None when none. Keys id, slug, name, kind, titles, affiliation,
        mentions."""
        return self.store.find_actor(key)
