"""How true a linked ledger is, against hand labels (``labels/``): are the disputes shown real, do a claim's
statements assert it (or its negation), can a reader check the claims, are the actors real and whole.

Labels are keyed by text, not by ids: a (claim wording, statement) pair labelled once is recognized in any ledger
that shows it. What a ledger shows and no label covers is counted as unlabelled and can be written out
(``todo``) in the form the labelling guide (``labels/STANCE_GUIDE.md``) reads, so the sample grows with what the
ledger shows.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from claimledger.ledger import Ledger
from claimledger.link.claims import sentence_text
from claimledger.store import redacted

_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass
class Counted:
    """Judged items: how many were right and wrong by the labels, and how many no label covers."""

    right: int = 0
    wrong: int = 0
    unlabelled: int = 0
    wrong_examples: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else None

    def to_dict(self) -> dict:
        return {"right": self.right, "wrong": self.wrong, "unlabelled": self.unlabelled,
                "precision": None if self.precision is None else round(self.precision, 3)}


def read_labels(labels_dir: Path) -> tuple[dict[tuple[str, str], dict], dict[str, bool]]:
    """(claim, statement) text pair -> label row, and claim text -> whether it is checkable, from
    ``stance_pairs.jsonl``."""
    pairs: dict[tuple[str, str], dict] = {}
    checkable: dict[str, bool] = {}
    path = labels_dir / "stance_pairs.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pairs[(_key(row["claim"]), _key(row["statement"]))] = row
        checkable[_key(row["claim"])] = bool(row["claim_checkable"])
    return pairs, checkable


def evaluate(db: str | Path, labels_dir: Path, todo: Path | None = None) -> dict:
    """Dispute precision (the surest contradiction of each disputed claim is labelled a contradiction), claim
    purity (a claim's other statements are labelled as supporting or contradicting it), checkable claims, and
    the actor figures of ``eval.ledger_actors`` when ``labels/actors.jsonl`` exists. ``db`` is a SQLite path or a
    ``postgresql://`` URL."""
    pairs, checkable = read_labels(labels_dir)
    disputes, purity, checkable_claims = Counted(), Counted(), Counted()
    unlabelled: list[dict] = []
    members: list = []  # (claim, statement) of claim members no label covers
    with Ledger(db) as ledger:
        disputed = ledger.disputes()
        claims = ledger.claims()
        for claim in disputed:
            top = claim.disputers()[0]
            label = pairs.get((_key(claim.text), _key(top.text)))
            if label is None:
                disputes.unlabelled += 1
                unlabelled.append(_todo(ledger, claim, top, "dispute"))
            elif label["stance"] == "contradicts":
                disputes.right += 1
            else:
                disputes.wrong += 1
                disputes.wrong_examples.append(f"{claim.text} <> {top.speaker_name}: {top.text} ({label['stance']})")
        for claim in claims:
            verdict = checkable.get(_key(claim.text))
            if verdict is None:
                checkable_claims.unlabelled += 1
            elif verdict:
                checkable_claims.right += 1
            else:
                checkable_claims.wrong += 1
            for statement in claim.timeline:
                if statement.stance_source in ("origin", "reported", "reported-doubt"):
                    continue
                label = pairs.get((_key(claim.text), _key(statement.text)))
                if label is None:
                    purity.unlabelled += 1
                    members.append((claim, statement))
                elif label["stance"] in ("supports", "contradicts"):
                    purity.right += 1
                else:
                    purity.wrong += 1
                    purity.wrong_examples.append(f"{claim.text} <> {statement.text} ({label['stance']})")
        result = {"ledger": redacted(str(db)), "claims": len(claims), "disputes": len(disputed),
                  "dispute_precision": disputes.to_dict(), "claim_purity": purity.to_dict(),
                  "checkable_claims": checkable_claims.to_dict(),
                  "wrong_disputes": disputes.wrong_examples[:20], "impure": purity.wrong_examples[:20]}
        result["checkable_test"] = checkable_agreement(labels_dir, ledger.settings.model)
        actors_labels = labels_dir / "actors.jsonl"
        if actors_labels.exists():
            from claimledger.eval.ledger_actors import score_actors

            result["actors"] = score_actors(ledger.store, actors_labels)
        if todo is not None:
            # As many claim members as disputes, drawn with a fixed seed, shuffled in with them: the labeller
            # cannot tell which pairs the ledger shows as disputes, and the members' labels measure purity.
            drawn = random.Random(len(members)).sample(members, min(len(members), max(len(unlabelled), 20)))
            unlabelled += [_todo(ledger, claim, statement, "member") for claim, statement in drawn]
            random.Random(len(unlabelled)).shuffle(unlabelled)
            first = 1 + max((row["pair"] for row in pairs.values()), default=0)
            with open(todo, "w", encoding="utf-8") as sink:
                for number, row in enumerate(unlabelled, first):
                    sink.write(json.dumps({"pair": number, **row}, ensure_ascii=False) + "\n")
    return result


def checkable_agreement(labels_dir: Path, model: str) -> dict:
    """How the test for claims a reader can check (``link.propositions``) agrees with the labelled claims: of the
    claims it lets word a claim, the share labelled checkable (precision), and of the labelled checkable ones, the
    share it lets through (recall)."""
    from claimledger.link.propositions import VerbTagger, not_checkable

    claims: dict[str, bool] = {}
    for line in (labels_dir / "stance_pairs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        claims.setdefault(row["claim"], bool(row["claim_checkable"]))
    texts = sorted(claims)
    passed = [not_checkable(t, c) is None for t, c in zip(texts, VerbTagger(model).clauses(texts))]
    both = sum(1 for t, ok in zip(texts, passed) if ok and claims[t])
    return {"labelled": len(texts), "labelled_checkable": sum(claims.values()), "passed": sum(passed),
            "precision": round(both / max(1, sum(passed)), 3),
            "recall": round(both / max(1, sum(claims.values())), 3),
            "labelled_share": round(sum(claims.values()) / max(1, len(texts)), 3)}


def _todo(ledger: Ledger, claim, statement, stratum: str) -> dict:
    """A pair no label covers, in the form ``scripts/stance_candidates.py`` draws pairs (``stratum``: dispute
    or member)."""
    origin = next((s for s in claim.timeline if s.stance_source == "origin"), None)
    text = ledger.store.article_text(statement.article_id)
    claim_text = ledger.store.article_text(origin.article_id) if origin else ""
    stored = next((s for s in ledger.store.statements(article_id=statement.article_id)
                   if statement.id in (s["id"], f"{s['article_id']}:{s['id']}")), {})
    return {"claim": claim.text, "claim_speaker": origin.speaker_name if origin else None,
            "claim_context": sentence_text(claim_text, origin.span) if origin else "",
            "statement": statement.text, "speaker": statement.speaker_name, "cue": stored.get("cue"),
            "kind": stored.get("kind", "indirect"),
            "context": sentence_text(text, statement.span), "outlet": None, "published": statement.date,
            "origin": {"db": Path(ledger.settings.db).name,
                       "claim_statement": origin.id if origin else claim.id, "statement": statement.id,
                       "stratum": stratum, "cosine": None}}
