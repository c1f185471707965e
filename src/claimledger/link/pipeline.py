"""Link everything extracted and not yet linked: actors to ledger actors, statements to claims with their stance.

Incremental and resumable: each batch of articles is written in one transaction with the mark that it is linked,
so a run again picks up where the last stopped, and an article extracted again is linked again. A statement's
claim and stance are decided once, when its article is linked (``claimledger.link.grouping``): linking more
articles adds statements to claims but never changes what the earlier ones claimed. Work grows with the new
statements and the claims they touch, not with the ledger.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from claimledger.config import Settings
from claimledger.link.actors import (ActorResolver, AliasRules, LedgerActor, is_description, normalize_name,
                                     resolve_article_actors)
from claimledger.link.claims import StatementRecord, block_keys, default_encoder, embed, sentence_bounds, stems
from claimledger.link.grouping import Assignment, ClaimGrouper, ClaimState, GroupingParams
from claimledger.link.propositions import MIN_STEMS, VerbTagger, not_checkable
from claimledger.link.stance_features import Encoder
from claimledger.link.statement_stance import Side, StatementStanceModel, load_model, negated_scope
from claimledger.link.timeline import asserts, cue_evidence, refuting_cue, reported_stances
from claimledger.store import LinkStore

# A blocking key shared by more claims than this (a very common word) narrows nothing down; it is not looked up.
MAX_POSTINGS = 2000
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SELF_REFERENCE = re.compile(r"^(it|he|she|they|we|i)\b", re.IGNORECASE)


@dataclass
class LinkReport:
    articles: int = 0
    statements: int = 0  # statements placed in claims
    skipped: int = 0  # statements in no claim: none they support or contradict, and none they can word
    new_actors: int = 0
    new_claims: int = 0
    reported: int = 0  # stances reported for someone not quoted
    not_checkable: dict[str, int] = field(default_factory=dict)  # why statements could not word a claim
    notes: list[str] = field(default_factory=list)


class StoreClaimIndex:
    """The store's blocking-key index of claims, as ``ClaimGrouper`` reads it."""

    def __init__(self, store: LinkStore, max_postings: int = MAX_POSTINGS) -> None:
        self.store = store
        self.max_postings = max_postings

    def candidates(self, keys: Sequence[str]) -> list[tuple[str, ClaimState]]:
        return [(key, ClaimState(row["id"], row["text"], row["statement_id"], row["first_seen"], row["first_article"],
                                 row["subjects"], np.frombuffer(row["centroid"], dtype=np.float32).copy(),
                                 frozenset(row["stems"]), row["size"],
                                 Side(row["text"], row["speaker"], row["first_article"], -1)))
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


@dataclass(frozen=True)
class Pending:
    """A statement ready to meet the claims: its record and vectors, whether it can word a claim, and what its
    ``claim_statements`` row needs from its article."""

    record: StatementRecord
    vector: np.ndarray
    checkable: bool
    scope_vector: np.ndarray | None  # the words its negation denies, embedded (``negated_scope``)
    anonymous: bool  # its speaker is a description ("a senior official")
    evidence: tuple[str, int, int]  # the cue's words and where they stand (``cue_evidence``)

    def entry(self, assignment: Assignment) -> tuple:
        """The ``claim_statements`` row of this statement placed in a claim."""
        record = self.record
        return (record.id, assignment.claim_id, record.id, record.article_id, record.speaker, record.speaker_name,
                record.text, record.start, record.end, record.date, assignment.stance,
                "origin" if assignment.origin else "model", *self.evidence, assignment.score, 0,
                assignment.confidence, int(self.anonymous))


def claim_order(records: Sequence[StatementRecord], checkable: Sequence[bool]) -> list[int]:
    """The order in which an article's statements meet the claims: those that can word a claim and assert it
    first, so that a report and its rebuttal in one article ("NATO has not seen signs of troops pulling back ...
    after Moscow had announced it was returning some troops") give a claim worded by the assertion, which the
    rebuttal contradicts; then the rest, each in text order."""
    return sorted(range(len(records)), key=lambda i: (not (checkable[i] and asserts(records[i])), records[i].start))


def new_resolver(store: LinkStore, rules: AliasRules) -> ActorResolver:
    """An actor resolver that looks ledger actors up in ``store`` by their keys."""
    return ActorResolver(
        lambda keys: [(k, LedgerActor(row["id"], row["name"], row["kind"], tuple(row["titles"]),
                                      row["affiliation"])) for k, row in store.actors_by_keys(keys)],
        store.actor_exists, rules)


def resolve_actors(resolver: ActorResolver, inputs: Sequence[tuple[dict, dict, str]]
                   ) -> tuple[list[tuple[str, str, str, str]], dict[str, dict[str, str | None]]]:
    """The ledger actor of every actor of a batch's articles: the ``actor_mentions`` rows, and per article its
    actors' ledger ids by their local ids."""
    mentions: list[tuple[str, str, str, str]] = []
    local_ids: dict[str, dict[str, str | None]] = {}
    for article, extraction, _ in inputs:
        actors = extraction.get("actors", [])
        ledger_ids = resolve_article_actors(resolver, actors)
        mentions += [(article["id"], a["id"], ledger_ids[a["id"]], a["name"]) for a in actors
                     if ledger_ids.get(a["id"])]
        local_ids[article["id"]] = ledger_ids
    return mentions, local_ids


def actor_rows(resolver: ActorResolver) -> list[tuple]:
    """The ``actors`` rows of what ``resolver`` created or changed."""
    return [(a.id, a.name, a.kind, json.dumps(list(a.titles), ensure_ascii=False), a.affiliation)
            for a in resolver.changed.values()]


def prepare_statements(inputs: Sequence[tuple[dict, dict, str]], local_ids: dict[str, dict[str, str | None]],
                       encoder: Encoder | None, tagger: VerbTagger, report: LinkReport) -> list[Pending]:
    """A batch's statements that can take part in a claim, each with its vectors, in the order they meet the
    claims (articles in order, each article's statements in ``claim_order``). Counts what it leaves out in
    ``report``. Needs no store: ``claimledger.spark`` runs it in the executors."""
    by_article: list[tuple[dict, list[StatementRecord], set[str]]] = []
    for article, extraction, _ in inputs:
        descriptions = {a["id"] for a in extraction.get("actors", []) if is_description(a)}
        anonymous = {f"{article['id']}:{s['id']}" for s in extraction.get("statements", [])
                     if s.get("speaker") in descriptions}
        records = []
        for record in article_records(article, extraction, local_ids[article["id"]]):
            if len(stems(record.proposition)) >= MIN_STEMS:
                records.append(record)
            else:  # "The truce", "It": a topic, no proposition; never embedded
                report.skipped += 1
                report.not_checkable["short"] = report.not_checkable.get("short", 0) + 1
        by_article.append((article, records, anonymous))
    flat = [r for _, records, _ in by_article for r in records]
    # Embedded together, as one batch: the int8 encoder's vectors depend slightly on what else is in the batch,
    # so the same batches must be embedded wherever the job runs for the ledger to come out the same.
    vectors = embed(flat, encoder) if flat else np.zeros((0, 384), dtype=np.float32)
    clauses = tagger.clauses([r.proposition for r in flat]) if flat else []
    scopes = {r.id: scope for r in flat if (scope := negated_scope(r.proposition))}
    scope_vectors = dict(zip(scopes, (encoder or default_encoder()).encode(list(scopes.values())))) \
        if scopes else {}
    pending: list[Pending] = []
    offset = 0
    for article, records, anonymous in by_article:
        # A statement under a refuting cue ("has dismissed claims that it signed a truce") denies its words: they
        # can never word a claim that it would support.
        reasons = ["denied" if refuting_cue(r.cue) else not_checkable(r.proposition, clauses[offset + i])
                   for i, r in enumerate(records)]
        for reason in filter(None, reasons):
            report.not_checkable[reason] = report.not_checkable.get(reason, 0) + 1
        checkable = [reason is None for reason in reasons]
        for i in claim_order(records, checkable):
            record = records[i]
            start, end = cue_evidence(record)
            pending.append(Pending(record, vectors[offset + i], checkable[i], scope_vectors.get(record.id),
                                   record.id in anonymous, (article["text"][start:end], start, end)))
        offset += len(records)
    return pending


def claim_row(claim: ClaimState) -> tuple:
    """The ``claims`` row of a claim as it stands."""
    return (claim.id, claim.text, claim.statement_id, claim.first_seen, claim.first_article, json.dumps(claim.subjects),
            claim.vector.astype(np.float32).tobytes(), json.dumps(sorted(claim.stems)), claim.size)


class _Batch:
    """One batch of articles linked together and written in one transaction."""

    def __init__(self, store: LinkStore, rules: AliasRules, grouper_model: StatementStanceModel,
                 params: GroupingParams, tagger: VerbTagger, dispute_confidence: float) -> None:
        self.store = store
        self.dispute_confidence = dispute_confidence
        self.tagger = tagger
        self.resolver = new_resolver(store, rules)
        self.grouper = ClaimGrouper(StoreClaimIndex(store), grouper_model, params)

    def run(self, inputs: Sequence[tuple[dict, dict, str]], encoder: Encoder | None, report: LinkReport) -> None:
        mentions, local_ids = resolve_actors(self.resolver, inputs)
        entries: list[tuple] = []
        claims: dict[str, ClaimState] = {}
        placed: dict[str, Assignment] = {}
        records: dict[str, StatementRecord] = {}
        for item in prepare_statements(inputs, local_ids, encoder, self.tagger, report):
            records[item.record.id] = item.record
            assignment = self.grouper.assign(item.record, item.vector, item.checkable, item.scope_vector)
            if assignment is None:
                report.skipped += 1
                continue
            placed[item.record.id] = assignment
            claims[assignment.claim_id] = self.grouper.claims[assignment.claim_id]
            entries.append(item.entry(assignment))
        entries += reported_rows(inputs, local_ids, placed, records)
        report.reported += sum(1 for e in entries if e[16])
        report.new_claims += sum(1 for c in claims.values() if c.new)
        report.statements += len(placed)
        report.articles += len(inputs)
        report.new_actors += sum(1 for a in self.resolver.changed.values() if not self.store.actor_exists(a.id))
        self.store.write_link(
            actors=actor_rows(self.resolver), actor_keys=sorted(self.resolver.new_keys), mentions=mentions,
            claims=[claim_row(c) for c in claims.values()],
            claim_keys=[(key, c.id) for c in claims.values() if c.new for key in block_keys(c.subjects, c.stems)],
            entries=entries, linked=[(article["id"], extracted_at) for article, _, extracted_at in inputs],
            meta={"dispute_confidence": self.dispute_confidence})
        for claim in claims.values():
            claim.new = False


def reported_rows(inputs: Iterable[tuple[dict, dict, str]], local_ids: dict[str, dict[str, str | None]],
                  placed: dict[str, Assignment], records: dict[str, StatementRecord]) -> list[tuple]:
    """Rows for stances the writers report for people they do not quote, on the claim of the statement each
    phrase follows, dated by the phrase ("on Tuesday") or else as that statement."""
    rows = []
    for article, extraction, _ in inputs:
        names = {a["id"]: a["name"] for a in extraction.get("actors", [])}
        for found in reported_stances(article["text"], extraction):
            anchor_id = f"{article['id']}:{found.anchor_id}"
            actor = local_ids[article["id"]].get(found.local_actor)
            if anchor_id not in placed or actor is None:
                continue
            anchor, assignment = records[anchor_id], placed[anchor_id]
            start, end = found.span
            text = article["text"][start:end]
            # "Echoing similar skepticism conveyed by Biden": Biden takes the side of the statement echoed.
            rows.append((f"{anchor_id}>{actor}", assignment.claim_id, anchor_id, article["id"], actor,
                         names[found.local_actor], text, start, end, found.date or anchor.date,
                         assignment.stance, "reported-doubt" if found.doubting else "reported", text, start, end,
                         1.0, 1, assignment.confidence, 0))
    return rows


@dataclass
class LinkRun:
    """What a link run works through: the articles to link in order, when each was extracted, and the models."""

    ids: list[str]
    extracted_at: dict[str, str]
    model: StatementStanceModel
    params: GroupingParams
    tagger: VerbTagger

    def batches(self, batch_size: int) -> list[list[str]]:
        return [self.ids[offset:offset + batch_size] for offset in range(0, len(self.ids), batch_size)]

    def inputs(self, store: LinkStore, chunk: Sequence[str]) -> list[tuple[dict, dict, str]]:
        """(article, extraction, extracted_at) of the articles of ``chunk``, in its order."""
        return [(article, extraction, self.extracted_at[article["id"]])
                for article, extraction in store.link_inputs(chunk)]


def begin(store: LinkStore, settings: Settings, rules: AliasRules, model: StatementStanceModel | None,
          params: GroupingParams | None, on_start: Callable[[int], None] | None) -> LinkRun | None:
    """Start a link run: the articles to link (those that ``rules`` now place differently too), what was drawn
    from them before forgotten; None when there is nothing to link."""
    if rules.merge or rules.split:
        # Articles linked before these rules name actors the rules now place differently: link them again.
        named = set(rules.merge) | rules.split
        store.mark_unlinked(sorted({article_id for article_id, name in store.mention_names()
                                    if normalize_name(name) in named}))
    pending = store.unlinked_articles()
    if on_start:
        on_start(len(pending))
    if not pending:
        return None
    model = model or load_model()
    store.unlink_articles([article_id for article_id, _ in pending])
    # A contradiction is stored only as sure as a dispute needs: the probability is shown with it, and no
    # contradiction the ledger holds is one a fact-checker was not meant to sign.
    params = params or GroupingParams(supports=float(model.info.get("support_threshold", 0.7)),
                                      contradicts=settings.dispute_confidence)
    return LinkRun([article_id for article_id, _ in pending], dict(pending), model, params,
                   VerbTagger(settings.model))


def link(store: LinkStore, settings: Settings, *, rules: AliasRules | None = None, encoder: Encoder | None = None,
         model: StatementStanceModel | None = None, params: GroupingParams | None = None,
         on_batch: Callable[[int], None] | None = None, on_start: Callable[[int], None] | None = None) -> LinkReport:
    """Link every extracted article not linked yet (or extracted again since), ``settings.batch_size`` articles
    per transaction. ``encoder`` and ``model`` default to the bundled MiniLM and the shipped statement stance
    model; the spaCy tagger of ``settings.model`` tells which statements can word a claim."""
    report = LinkReport()
    run = begin(store, settings, rules or AliasRules(), model, params, on_start)
    if run is None:
        return report
    for chunk in run.batches(settings.batch_size):
        _Batch(store, rules or AliasRules(), run.model, run.params, run.tagger, settings.dispute_confidence).run(
            run.inputs(store, chunk), encoder, report)
        if on_batch:
            on_batch(len(chunk))
    return report
