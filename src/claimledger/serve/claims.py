"""Claims and disputes as the API and the pages show them: the records of ``claimledger.records``, read through a
``Ledger`` (so the same as ``Ledger`` and the CLI give), paged, and split into sides for a dispute."""

from __future__ import annotations

from dataclasses import dataclass

from claimledger.ledger import Ledger
from claimledger.records import Claim, ClaimStatement, ClaimSummary


def claim_summaries(ledger: Ledger, rows: list[dict]) -> list[dict]:
    """Rows of the store's ``claim_page`` as ``ClaimSummary`` dicts, each with its subjects' names."""
    subjects = {row["id"]: row["subjects"] for row in ledger.store.claim_rows(claim_ids=[r["id"] for r in rows])}
    names = ledger.store.actor_names(sorted({s for found in subjects.values() for s in found}))
    return [ClaimSummary(row["id"], row["text"], row["first_seen"], row["first_article"],
                         tuple(names.get(s, s) for s in subjects.get(row["id"], [])), row["size"],
                         row["supports"], row["contradicts"], row["discusses"]).to_dict() for row in rows]


def dispute_page(ledger: Ledger, actor: str | None, limit: int, offset: int) -> tuple[list[Claim], int]:
    """One page of disputed claims, the most surely contradicted first (as ``Ledger.disputes``), and how many
    there are; with ``actor``, only those about or voiced by that actor."""
    if actor is not None:
        found = ledger.disputes(actor=actor)
        return found[offset:offset + limit], len(found)
    ids = ledger.store.disputed_claim_ids()
    claims = [ledger.claim(claim_id) for claim_id in ids[offset:offset + limit]]
    return [claim for claim in claims if claim is not None], len(ids)


def last_said(claim: Claim) -> str:
    """The latest date on which someone supported or contradicted the claim ("" when none is dated)."""
    return max((entry.date for entry in claim.timeline if entry.date and entry.stance != "discusses"), default="")


def newest_disputes(ledger: Ledger, count: int) -> list[Claim]:
    """The ``count`` disputes most recently argued (``last_said``), newest first; undated ones last."""
    return sorted(ledger.disputes(), key=last_said, reverse=True)[:count]


@dataclass(frozen=True)
class Sides:
    """A claim's timeline split by stance, each side oldest first; ``disputers``: the ids of the contradictions
    that make it a dispute (``Claim.disputers``)."""

    supports: list[ClaimStatement]
    contradicts: list[ClaimStatement]
    discusses: list[ClaimStatement]
    disputers: frozenset[str]


def sides(claim: Claim) -> Sides:
    by_stance: dict[str, list[ClaimStatement]] = {"supports": [], "contradicts": [], "discusses": []}
    for entry in claim.timeline:
        by_stance[entry.stance].append(entry)
    return Sides(by_stance["supports"], by_stance["contradicts"], by_stance["discusses"],
                 frozenset(entry.id for entry in claim.disputers()))


def with_disputes(ledger: Ledger, claims: list[dict], name: str | None, actor_id: str | None) -> list[dict]:
    """Rows of ``actor_claims`` with ``disputed`` (someone supports the claim and someone else contradicts it) and
    ``disputer`` (this speaker, by ``name`` or ledger ``actor_id``, is one of those contradicting it)."""
    marked = []
    for row in claims:
        claim = ledger.claim(row["id"])
        disputers = claim.disputers() if claim is not None else []
        mine = any((actor_id is not None and entry.actor_id == actor_id)
                   or (actor_id is None and entry.speaker_name == name) for entry in disputers)
        marked.append({**row, "disputed": bool(disputers), "disputer": row["stance"] == "contradicts" and mine})
    return marked
