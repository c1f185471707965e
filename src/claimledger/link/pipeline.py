"""Link everything extracted and not yet linked: actors to ledger actors, statements to claims, stances to claims.

Incremental and resumable: each batch of articles is written in one transaction with the mark that it is linked,
so a run again picks up where the last stopped, and an article extracted again is linked again. Work grows with
the new statements and the claims they touch, not with the ledger.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from claimledger.config import Settings
from claimledger.link.actors import (ActorResolver, AliasRules, LedgerActor, normalize_name,
                                     resolve_article_actors)
from claimledger.link.claims import (ClaimGrouper, ClaimState, GroupingParams, StatementRecord, block_keys,
                                     default_encoder, embed, sentence_bounds, stems)
from claimledger.link.stance_features import Encoder
from claimledger.link.timeline import StanceCall, StanceJudge, choose_canonical, reported_stances
from claimledger.store.sqlite import SQLiteStore

# A statement needs this many content words to state a proposition; "The truce" or "It" names a topic only.
MIN_STEMS = 3
# A blocking key shared by more claims than this (a very common word) narrows nothing down; it is not looked up.
MAX_POSTINGS = 2000
# A claim's wording may move to a more central statement until the claim has this many; then it settles, so that
# a large claim is never read whole again.
WORDING_SETTLES = 50
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SELF_REFERENCE = re.compile(r"^(it|he|she|they|we|i)\b", re.IGNORECASE)


@dataclass
class LinkReport:
    articles: int = 0
    statements: int = 0  # statements placed in claims
    skipped: int = 0  # statements too short to state a proposition
    new_actors: int = 0
    new_claims: int = 0
    reported: int = 0  # stances reported for someone not quoted
    stance_model: bool = False  # whether the shipped stance model was available
    notes: list[str] = field(default_factory=list)


class StoreClaimIndex:
    """The store's blocking-key index of claims, as ``ClaimGrouper`` reads it."""

    def __init__(self, store: SQLiteStore, max_postings: int = MAX_POSTINGS) -> None:
        self.store = store
        self.max_postings = max_postings

    def candidates(self, keys: Sequence[str]) -> list[tuple[str, ClaimState]]:
        return [(key, ClaimState(row["id"], row["text"], row["statement_id"], row["first_seen"], row["first_article"],
                                 row["subjects"], np.frombuffer(row["centroid"], dtype=np.float32).copy(),
                                 frozenset(row["stems"]), row["size"]))
                for key, row in self.store.claims_by_keys(keys, self.max_postings)]


def _date(statement_date: str | None, published: str | None) -> str | None:
    """The statement's own date when it names one, else its article's publication day."""
    for value in (statement_date, (published or "")[:10]):
        if value and _ISO_DATE.fullmatch(value):
            return value
    return None


def article_records(article: dict, extraction: dict, ledger_ids: dict[str, str]) -> list[StatementRecord]:
    """The statements of one article as records, with ledger actor ids, resolved dates and subjects."""
    mentions = [(start, end, ledger_ids[a["id"]]) for a in extraction.get("actors", []) if ledger_ids.get(a["id"])
                for start, end in a["mentions"]]
    records = []
    for s in extraction.get("statements", []):
        if s.get("negated"):
            continue  # "declined to say whether ...": the speaker asserts nothing, so supports no claim
        start, end = s["span"]
        speaker = ledger_ids.get(s["speaker"]) if s.get("speaker") else None
        subjects = [actor for m_start, m_end, actor in sorted(mentions) if start <= m_start and m_end <= end]
        # Who announces speaks of its own acts ("Moscow announced it was returning some troops").
        speaks_of_self = s["kind"] == "announcement" or "announc" in (s.get("cue") or "").lower() \
            or _SELF_REFERENCE.match(s["text"].strip().strip("\"'\u201c\u2018"))
        if speaker and speaks_of_self:
            subjects.insert(0, speaker)
        records.append(StatementRecord(
            f"{article['id']}:{s['id']}", article["id"], article["seq"], start, end, speaker, s.get("speaker_name"),
            s["kind"], s.get("cue"), tuple(s["cue_span"]) if s.get("cue_span") else None, s["text"],
            _date(s.get("date"), article.get("published")), tuple(dict.fromkeys(subjects)),
            sentence_bounds(article["text"], start)[0]))
    return records


def _member_record(row: dict) -> StatementRecord:
    """A stored claim statement as a record, for choosing a claim's wording and judging stance again."""
    return StatementRecord(row["statement_id"], row["article_id"], row["article_seq"], row["start"], row["end"],
                           row["actor_id"], row["speaker_name"], row["kind"] or "indirect", row["cue"], None,
                           row["text"], row["date"], ())


def _entry(claim_id: str, record: StatementRecord, call: StanceCall, similarity: float, text: str) -> tuple:
    ev_start, ev_end = call.evidence
    return (record.id, claim_id, record.id, record.article_id, record.speaker, record.speaker_name, record.text,
            record.start, record.end, record.date, call.stance, call.source, text[ev_start:ev_end], ev_start, ev_end,
            similarity, 0)


class _Batch:
    """One batch of articles linked together and written in one transaction."""

    def __init__(self, store: SQLiteStore, rules: AliasRules, judge: StanceJudge, params: GroupingParams) -> None:
        self.store = store
        self.judge = judge
        self.resolver = ActorResolver(
            lambda keys: [(k, LedgerActor(row["id"], row["name"], row["kind"], tuple(row["titles"]),
                                          row["affiliation"])) for k, row in store.actors_by_keys(keys)],
            store.actor_exists, rules)
        self.grouper = ClaimGrouper(StoreClaimIndex(store), params)
        self.texts: dict[str, str] = {}

    def _text(self, article_id: str) -> str:
        if article_id not in self.texts:
            self.texts[article_id] = self.store.article_text(article_id)
        return self.texts[article_id]

    def run(self, inputs: Sequence[tuple[dict, dict, str]], encoder: Encoder | None, report: LinkReport) -> None:
        mentions: list[tuple[str, str, str, str]] = []
        by_article: list[list[StatementRecord]] = []
        local_ids: dict[str, dict[str, str]] = {}
        for article, extraction, _ in inputs:
            self.texts[article["id"]] = article["text"]
            ledger_ids = resolve_article_actors(self.resolver, extraction.get("actors", []))
            mentions += [(article["id"], a["id"], ledger_ids[a["id"]], a["name"])
                         for a in extraction.get("actors", []) if ledger_ids.get(a["id"])]
            local_ids[article["id"]] = ledger_ids
            kept = []
            for record in article_records(article, extraction, ledger_ids):
                if len(stems(record.proposition)) >= MIN_STEMS:
                    kept.append(record)
                else:
                    report.skipped += 1
            by_article.append(kept)
        flat = [r for records in by_article for r in records]
        vectors = embed(flat, encoder) if flat else np.zeros((0, 384), dtype=np.float32)
        members: dict[str, list[tuple[StatementRecord, float]]] = {}
        offset = 0
        for records in by_article:
            for record, assignment in zip(records, self.grouper.add_article(records,
                                                                            vectors[offset:offset + len(records)])):
                members.setdefault(assignment.claim_id, []).append((record, assignment.score))
            offset += len(records)
        vector_of = {r.id: v for r, v in zip(flat, vectors)}
        entries, stance_of = self._judge(members, vector_of, encoder)
        entries += self._reported(inputs, local_ids, members, stance_of)
        report.reported += sum(1 for e in entries if e[-1])
        claims = [self.grouper.claims[claim_id] for claim_id in members]
        report.new_claims += sum(1 for c in claims if c.new)
        report.statements += len(flat)
        report.articles += len(inputs)
        report.new_actors += sum(1 for a in self.resolver.changed.values() if not self.store.actor_exists(a.id))
        self.store.write_link(
            actors=[(a.id, a.name, a.kind, json.dumps(list(a.titles), ensure_ascii=False), a.affiliation)
                    for a in self.resolver.changed.values()],
            actor_keys=sorted(self.resolver.new_keys), mentions=mentions,
            claims=[(c.id, c.text, c.statement_id, c.first_seen, c.first_article, json.dumps(c.subjects),
                     c.centroid.astype(np.float32).tobytes(), json.dumps(sorted(c.stems)), c.size) for c in claims],
            claim_keys=[(key, c.id) for c in claims for key in block_keys(c.subjects, c.stems)],
            entries=entries, linked=[(article["id"], extracted_at) for article, _, extracted_at in inputs])

    def _judge(self, members: dict[str, list[tuple[StatementRecord, float]]], vector_of: dict[str, np.ndarray],
               encoder: Encoder | None) -> tuple[list[tuple], dict[str, StanceCall]]:
        """Claim statement rows for every claim touched: the new statements judged, and the stored ones judged
        again when the claim's wording changes. Also each statement's stance, for reported stances.

        A stored claim is read by its wording statement only; all its statements are read only when the wording
        changes, which stops once the claim has ``WORDING_SETTLES`` statements, so a large claim costs no more
        than a small one."""
        touched_stored = [claim_id for claim_id in members if not self.grouper.claims[claim_id].new]
        wording_rows = {row["claim_id"]: row for row in self.store.claim_wording_rows(touched_stored)}
        open_wording = [claim_id for claim_id in touched_stored if claim_id in wording_rows
                        and self.grouper.claims[claim_id].size - len(members[claim_id]) < WORDING_SETTLES]
        # The stored wording competes with the new statements for the most central; embed it again rather than
        # keep every statement's vector in the ledger.
        texts = [self.grouper.claims[claim_id].text for claim_id in open_wording]
        wording_vectors = dict(zip(open_wording, (encoder or default_encoder()).encode(texts) if texts else []))
        jobs: list[tuple[str, list[tuple[StatementRecord, float]], list[dict], StatementRecord]] = []
        for claim_id, new_members in members.items():
            claim = self.grouper.claims[claim_id]
            new_records = [r for r, _ in new_members]
            stored = _member_record(wording_rows[claim_id]) if claim_id in wording_rows else None
            centrality = {r.id: float(vector_of[r.id] @ claim.centroid) for r in new_records}
            if stored is not None and claim_id not in wording_vectors:
                canonical = stored
            else:
                if stored is not None:
                    centrality[stored.id] = float(wording_vectors[claim_id] @ claim.centroid)
                canonical = choose_canonical(new_records + ([stored] if stored else []), centrality)
            self._first_seen(claim, new_records)
            rewritten = claim.new or canonical.id != claim.statement_id
            if rewritten:
                claim.text, claim.statement_id = canonical.wording, canonical.id
                if canonical.subjects:
                    claim.subjects = list(canonical.subjects)
                claim.stems = stems(canonical.proposition)
            to_judge = list(new_members)
            old_rows = self.store.claim_members([claim_id]) if rewritten and not claim.new else []
            to_judge += [(_member_record(r), r["similarity"]) for r in old_rows if not r["reported"]]
            jobs.append((claim_id, to_judge, old_rows, canonical))
        verdicts = self.judge.judge_many([(self.grouper.claims[claim_id].text, canonical, [r for r, _ in to_judge],
                                           [s for _, s in to_judge]) for claim_id, to_judge, _, canonical in jobs])
        entries: list[tuple] = []
        stance_of: dict[str, StanceCall] = {}
        for (claim_id, to_judge, old_rows, _), calls in zip(jobs, verdicts):
            for (record, similarity), call in zip(to_judge, calls):
                stance_of[record.id] = call
                entries.append(_entry(claim_id, record, call, similarity, self._text(record.article_id)))
            entries += [self._rejudged_report(row, stance_of) for row in old_rows if row["reported"]]
        return entries, stance_of

    @staticmethod
    def _first_seen(claim: ClaimState, new_records: list[StatementRecord]) -> None:
        """Move the claim's first sighting to a new statement that is earlier (or to the earliest, for a new
        claim)."""
        earliest = min(new_records, key=StatementRecord.order_key)
        if claim.new or (earliest.date is not None and (claim.first_seen is None
                                                        or earliest.date < claim.first_seen)):
            claim.first_seen, claim.first_article = earliest.date, earliest.article_id

    @staticmethod
    def _rejudged_report(row: dict, stance_of: dict[str, StanceCall]) -> tuple:
        """A stored reported stance after its claim's wording changed: doubt stays doubt, sharing follows the
        statement it shares."""
        stance = row["stance"]
        if row["stance_source"] == "reported" and row["statement_id"] in stance_of:
            stance = stance_of[row["statement_id"]].stance
        return (row["id"], row["claim_id"], row["statement_id"], row["article_id"], row["actor_id"],
                row["speaker_name"], row["text"], row["start"], row["end"], row["date"], stance, row["stance_source"],
                row["evidence"], row["evidence_start"], row["evidence_end"], row["similarity"], 1)

    @staticmethod
    def _reported(inputs: Iterable[tuple[dict, dict, str]], local_ids: dict[str, dict[str, str]],
                  members: dict[str, list[tuple[StatementRecord, float]]], stance_of: dict[str, StanceCall]
                  ) -> list[tuple]:
        """Rows for stances the writers report for people they do not quote, on the claim of the statement each
        phrase follows, dated by the phrase ("on Tuesday") or else as that statement."""
        anchors = {r.id: (claim_id, r) for claim_id, rows in members.items() for r, _ in rows}
        rows = []
        for article, extraction, _ in inputs:
            names = {a["id"]: a["name"] for a in extraction.get("actors", [])}
            for found in reported_stances(article["text"], extraction):
                anchor_id = f"{article['id']}:{found.anchor_id}"
                if anchor_id not in anchors or anchor_id not in stance_of:
                    continue
                claim_id, anchor = anchors[anchor_id]
                actor = local_ids[article["id"]][found.local_actor]
                start, end = found.span
                text = article["text"][start:end]
                rows.append((f"{anchor_id}>{actor}", claim_id, anchor_id, article["id"], actor,
                             names[found.local_actor], text, start, end, found.date or anchor.date,
                             "contradicts" if found.doubting else stance_of[anchor_id].stance,
                             "reported-doubt" if found.doubting else "reported", text, start, end, 1.0, 1))
        return rows


def link(store: SQLiteStore, settings: Settings, *, rules: AliasRules | None = None, encoder: Encoder | None = None,
         judge: StanceJudge | None = None, params: GroupingParams | None = None,
         on_batch: Callable[[int], None] | None = None, on_start: Callable[[int], None] | None = None) -> LinkReport:
    """Link every extracted article not linked yet (or extracted again since), ``settings.batch_size`` articles
    per transaction. ``encoder`` and ``judge`` default to the bundled MiniLM and the shipped stance model, loaded
    here on first use only."""
    rules = rules or AliasRules()
    if rules.merge or rules.split:
        # Articles linked before these rules name actors the rules now place differently: link them again.
        named = set(rules.merge) | rules.split
        store.mark_unlinked(sorted({article_id for article_id, name in store.mention_names()
                                    if normalize_name(name) in named}))
    pending = store.unlinked_articles()
    if on_start:
        on_start(len(pending))
    report = LinkReport()
    if not pending:
        return report
    judge = judge or StanceJudge()
    report.stance_model = judge.has_model
    if judge.model_error:
        report.notes.append(f"stance model not available ({judge.model_error}); stances from wording and "
                            "similarity only")
    store.unlink_articles([article_id for article_id, _ in pending])
    extracted_at = dict(pending)
    ids = [article_id for article_id, _ in pending]
    for offset in range(0, len(ids), settings.batch_size):
        chunk = ids[offset:offset + settings.batch_size]
        inputs = [(article, extraction, extracted_at[article["id"]])
                  for article, extraction in store.link_inputs(chunk)]
        _Batch(store, rules, judge, params or GroupingParams()).run(inputs, encoder, report)
        if on_batch:
            on_batch(len(chunk))
    return report
