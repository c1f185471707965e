"""``claimledger spark link``: linking spread over the executors, with the blocking keys as the shuffle key.

The plain link job (``claimledger.link.pipeline``) meets the statements one at a time, in article order: each
joins the claim it most surely supports or contradicts among the claims that share a blocking key with it and
whose wording is close enough (cosine >= ``GroupingParams.min_cosine``), or starts a claim. A statement can
therefore only ever meet the claims started by statements that share a key with it and are that close. Those
pairs are found with one shuffle, and the statements fall into groups that never meet each other's claims; each
group is then linked in the executors, in the plain job's order, by the plain job's ``ClaimGrouper``:

1. **actors** (driver): resolved batch by batch against the ledger as the plain job does, and written at once,
   so that the next batch sees them. This is string work on a few names an article.
2. **statements** (executors): each batch of ``batch_size`` articles gives its statements their records,
   sentence vectors, clause tags and the order they meet the claims (``prepare_statements``). A batch is embedded
   together, as in the plain job, because the int8 encoder's vectors depend slightly on the batch.
3. **pairs** (shuffle on the blocking key): every statement is emitted under each of its keys, with the claims
   the ledger already files under them; inside each key's group, every earlier member that can word a claim (an
   origin) and is within reach of a later one gives an edge. A key with more than ``MAX_POSTINGS`` origins
   narrows nothing down: it gives no edges and is never looked up. The plain job drops a key once it files that
   many claims, and a key's claims are some of its origins: so the two jobs agree wherever no key has more
   origins than that; past it, the plain job may still look up a key that Spark drops.
4. **groups** (connected components of the edges, by min-label propagation in Spark).
5. **claims** (executors): each group's statements meet the claims in the plain job's order.
6. **writes** (driver): the results come back in order, and each batch is written in one transaction with the
   mark that its articles are linked, exactly as the plain job writes it.

The driver sends the run's link inputs (article texts and extractions) to Spark once; linking is incremental,
so a corpus too large for that is linked in several runs.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from claimledger.config import Settings
from claimledger.link.actors import AliasRules
from claimledger.link.claims import block_keys, stems
from claimledger.link.grouping import ClaimGrouper, ClaimState, GroupingParams
from claimledger.link.pipeline import (MAX_POSTINGS, LinkReport, Pending, StoreClaimIndex, actor_rows, begin,
                                       claim_row, new_resolver, prepare_statements, reported_rows, resolve_actors)
from claimledger.link.propositions import VerbTagger
from claimledger.link.statement_stance import load_model
from claimledger.spark.stages import partitions
from claimledger.store import LinkStore

# Pairs are read at a cosine this much below the threshold: float32 sums in another order may differ in the last
# bits, and an extra pair only puts two statements in one group, which the grouping then reads as the plain job.
_COSINE_SLACK = 1e-4
_PAIR_BLOCK = 8192  # members compared with a key's origins at a time: bounds the matrix held at once
# A statement's node is its batch's number shifted by this many bits, plus its place in the batch, so that nodes
# sort in the order the statements meet the claims; the ledger's claims are negative nodes and come first.
_BATCH_SHIFT = 24


def _keys(record) -> list[str]:
    return block_keys(record.subjects, stems(record.proposition))


@lru_cache(maxsize=2)
def _tagger(model: str) -> VerbTagger:
    return VerbTagger(model)  # one spaCy load per Python worker


def _prepare(batch: tuple[int, list, dict], settings: Settings) -> tuple[int, LinkReport, list[Pending]]:
    number, inputs, local_ids = batch
    report = LinkReport()
    return number, report, prepare_statements(inputs, local_ids, None, _tagger(settings.model), report)


def _pairs(group: tuple[str, Iterable[tuple[int, np.ndarray, bool]]], limit: int,
           min_cosine: float) -> Iterator[tuple[int, int]]:
    """Edges that join the members of one key's group that can meet: an earlier member that can word a claim (a
    stored claim, or a statement that may start one: an origin) and a later one within reach of it. A key with
    more than ``limit`` origins gives none. Only who ends up in one group matters, so each set of members joined
    here is given as a star around its first member: fewer edges, and fewer rounds to find the groups."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    members = sorted(group[1], key=lambda member: member[0])
    origins = np.array([i for i, member in enumerate(members) if member[2]], dtype=np.int64)
    if len(members) < 2 or not len(origins) or len(origins) > limit:
        return
    vectors = np.vstack([member[1] for member in members])
    statement = np.array([member[0] >= 0 for member in members])  # two stored claims never meet
    rows: list[np.ndarray] = []
    columns: list[np.ndarray] = []
    for begin_at in range(0, len(members), _PAIR_BLOCK):  # origins x members, a block of members at a time
        block = np.arange(begin_at, min(begin_at + _PAIR_BLOCK, len(members)))
        close = vectors[origins] @ vectors[block].T >= min_cosine - _COSINE_SLACK
        close &= origins[:, None] < block[None, :]  # the origin comes first
        close &= statement[block][None, :]
        found_rows, found_columns = np.nonzero(close)
        rows.append(origins[found_rows])
        columns.append(block[found_columns])
    if not sum(len(r) for r in rows):
        return
    row, column = np.concatenate(rows), np.concatenate(columns)
    _, labels = connected_components(coo_matrix((np.ones(len(row)), (row, column)),
                                                shape=(len(members), len(members))), directed=False)
    first: dict[int, int] = {}
    for index, label in enumerate(labels):
        first.setdefault(int(label), index)
    for index, label in enumerate(labels):
        if first[int(label)] != index:
            yield members[first[int(label)]][0], members[index][0]


def components(spark, edges) -> object:
    """A DataFrame of (node, label) for every node with an edge, the label being the smallest node of its
    connected component. Min-label propagation with pointer jumping: each round a node takes the smallest label
    among its own and its neighbours', then its label's label; the rounds grow with the logarithm of the
    longest path rather than with its length. DataFrames keep the rounds in the JVM, off the Python workers."""
    from pyspark.sql import functions as F

    pairs = spark.createDataFrame(edges, "a long, b long")
    both = pairs.union(pairs.select(F.col("b").alias("a"), F.col("a").alias("b"))).distinct().cache()
    labels = both.groupBy("a").agg(F.least(F.col("a"), F.min("b")).alias("label")).withColumnRenamed("a", "node")
    labels = labels.localCheckpoint()
    while True:
        spread = both.join(labels, both.a == labels.node).select(F.col("b").alias("node"), "label")
        lowest = labels.union(spread).groupBy("node").agg(F.min("label").alias("label"))
        jumped = lowest.alias("x").join(lowest.alias("y"), F.col("x.label") == F.col("y.node"), "left").select(
            F.col("x.node").alias("node"), F.least(F.col("x.label"), F.coalesce(F.col("y.label"), F.col("x.label")))
            .alias("label")).localCheckpoint()
        changed = jumped.join(labels, "node").where(jumped.label != labels.label).count()
        labels = jumped
        if not changed:
            both.unpersist()
            return labels


class _GroupIndex:
    """The ledger's claims within one group, as ``ClaimGrouper`` looks them up."""

    def __init__(self, stored: Sequence[tuple[ClaimState, list[str]]]) -> None:
        self.by_key: dict[str, list[ClaimState]] = {}
        for claim, keys in stored:
            for key in keys:
                self.by_key.setdefault(key, []).append(claim)

    def candidates(self, keys: Sequence[str]) -> list[tuple[str, ClaimState]]:
        return [(key, claim) for key in keys for claim in self.by_key.get(key, [])]


def _link_group(members: Iterable[tuple[int, object]], params: GroupingParams,
                skip: frozenset[str]) -> Iterator[tuple[int, tuple]]:
    """Each statement of one group with where it went: (position, (record, assignment, entry, claim row, keys of
    the claim it started))."""
    ordered = sorted(members, key=lambda member: member[0])
    stored = [payload for position, payload in ordered if position < 0]
    grouper = ClaimGrouper(_GroupIndex(stored), _model(), params, skip_keys=skip)
    for position, item in ordered:
        if position < 0:
            continue
        assignment = grouper.assign(item.record, item.vector, item.checkable, item.scope_vector)
        if assignment is None:
            yield position, (item.record, None, None, None, None)
            continue
        claim = grouper.claims[assignment.claim_id]
        keys = block_keys(claim.subjects, claim.stems) if assignment.origin else None
        yield position, (item.record, assignment, item.entry(assignment), claim_row(claim), keys)


@lru_cache(maxsize=1)
def _model():
    return load_model()


def link_on_spark(spark, store: LinkStore, settings: Settings, *, rules: AliasRules | None = None,
                  on_batch: Callable[[int], None] | None = None,
                  on_start: Callable[[int], None] | None = None) -> LinkReport:
    """Link every extracted article not linked yet in Spark, writing the ledger the plain link job writes."""
    rules = rules or AliasRules()
    report = LinkReport()
    run = begin(store, settings, rules, None, None, on_start)
    if run is None:
        return report
    batches = run.batches(settings.batch_size)
    sent = []  # (batch number, its link inputs, its actors' ledger ids): shipped once, written from again
    for number, chunk in enumerate(batches):  # 1. actors, on the driver
        inputs = run.inputs(store, chunk)
        resolver = new_resolver(store, rules)
        mentions, local_ids = resolve_actors(resolver, inputs)
        report.new_actors += sum(1 for a in resolver.changed.values() if not store.actor_exists(a.id))
        store.write_link(actors=actor_rows(resolver), actor_keys=sorted(resolver.new_keys), mentions=mentions,
                         claims=[], claim_keys=[], entries=[], linked=[])
        sent.append((number, inputs, local_ids))
    context = spark.sparkContext
    prepared = context.parallelize(sent, partitions(spark, len(sent))).map(
        partial(_prepare, settings=settings)).cache()  # 2. statements
    for counts in prepared.map(lambda b: b[1]).collect():
        report.skipped += counts.skipped
        for reason, n in counts.not_checkable.items():
            report.not_checkable[reason] = report.not_checkable.get(reason, 0) + n
    statements = prepared.flatMap(lambda b: (((b[0] << _BATCH_SHIFT) + i, item) for i, item in enumerate(b[2])))
    keys = statements.flatMap(lambda kv: _keys(kv[1].record)).distinct().collect()
    by_claim: dict[str, tuple[ClaimState, list[str]]] = {}
    for key, claim in StoreClaimIndex(store).candidates(keys):
        by_claim.setdefault(claim.id, (claim, []))[1].append(key)
    stored = context.parallelize([(-1 - n, by_claim[claim_id]) for n, claim_id in enumerate(sorted(by_claim))]
                                 or [], partitions(spark, max(1, len(by_claim))))
    postings = statements.flatMap(
        lambda kv: ((key, (kv[0], kv[1].vector, kv[1].checkable)) for key in _keys(kv[1].record))).union(
        stored.flatMap(lambda kv: ((key, (kv[0], kv[1][0].vector, True)) for key in kv[1][1])))
    shuffle = context.defaultParallelism * 2  # partitions of each shuffle
    spark.conf.set("spark.sql.shuffle.partitions", str(shuffle))  # not 200 tiny tasks a round
    skip = frozenset(postings.filter(lambda kv: kv[1][2]).mapValues(lambda _: 1)
                     .reduceByKey(lambda a, b: a + b, shuffle).filter(lambda kv: kv[1] > MAX_POSTINGS).keys().collect())
    edges = postings.groupByKey(shuffle).flatMap(
        partial(_pairs, limit=MAX_POSTINGS, min_cosine=run.params.min_cosine))  # 3. pairs
    labels = components(spark, edges).rdd.map(tuple)  # 4. groups
    params = run.params  # not run itself: the closures below would ship its model and tagger
    results = (statements.union(stored).leftOuterJoin(labels, shuffle)
               .map(lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], (kv[0], kv[1][0])))
               .groupByKey(shuffle)
               .flatMap(lambda kv: _link_group(kv[1], params, skip))  # 5. claims
               .sortByKey(numPartitions=shuffle))
    placed_in = iter(results.toLocalIterator(prefetchPartitions=True))
    waiting = next(placed_in, None)
    for number, chunk in enumerate(batches):  # 6. writes, batch by batch
        found = []
        while waiting is not None and waiting[0] >> _BATCH_SHIFT == number:
            found.append(waiting[1])
            waiting = next(placed_in, None)
        _write_batch(store, settings, sent[number][1], sent[number][2], found, report)
        if on_batch:
            on_batch(len(chunk))
    prepared.unpersist()
    return report


def _write_batch(store: LinkStore, settings: Settings, inputs: list, local_ids: dict, found: list,
                 report: LinkReport) -> None:
    """Write one batch's claims, claim statements and reported stances, and mark its articles linked."""
    entries, claims, claim_keys, placed, records = [], {}, [], {}, {}
    for record, assignment, entry, row, keys in found:
        records[record.id] = record
        if assignment is None:
            report.skipped += 1
            continue
        placed[record.id] = assignment
        entries.append(entry)
        claims[assignment.claim_id] = row  # the claim as it stands after the batch, in the order first met
        if keys is not None:
            claim_keys += [(key, assignment.claim_id) for key in keys]
            report.new_claims += 1
    entries += reported_rows(inputs, local_ids, placed, records)
    report.reported += sum(1 for e in entries if e[16])
    report.statements += len(placed)
    report.articles += len(inputs)
    store.write_link(actors=[], actor_keys=[], mentions=[], claims=list(claims.values()), claim_keys=claim_keys,
                     entries=entries, linked=[(article["id"], extracted_at) for article, _, extracted_at in inputs],
                     meta={"dispute_confidence": settings.dispute_confidence})
