"""Draw (claim, statement) pairs from linked-or-not ledgers for labelling by hand: the statement-level stance
sample that the ledger's stance model is trained and judged on (labels/stance_pairs.jsonl).

Every extracted statement (not negated, three content words or more) is embedded with MiniLM; a pair is two
statements whose wordings are close (cosine >= 0.5). The earlier statement, in corpus order, words the claim, as
it would in the ledger; the later one is the statement judged. Strata, drawn with a fixed seed, over-sample what
the old polarity rule called disputes and the same speaker's neighbouring sentences, the two largest error
classes that held-out reading found. No prediction of any model is written: the labeller sees text only.

Run from the repository root: .venv/bin/python scripts/stance_candidates.py ROUND FIRST OUT.jsonl DB:N [DB:N ...]
(round 1 drew pairs 1-400 into labels/stance_pairs_todo.jsonl; round 2 pairs 401-682 into
labels/stance_pairs_todo2.jsonl; round 3, with the model trained on rounds 1-2, pairs 683- into
labels/stance_pairs_todo3.jsonl; round 6, same-article denials, pairs 1267- into labels/stance_pairs_todo6.jsonl
from out/polnear-extracted.db:240 and out/demo.db:10).
"""

from __future__ import annotations

import bisect
import json
import random
import sys
from pathlib import Path

import numpy as np

from claimledger.link.claims import _SENTENCE_END, default_encoder, proposition_text, sentence_text, stems
from claimledger.link.timeline import contrast, negation, refuting_cue
from claimledger.store.sqlite import SQLiteStore

SEED = 20261206
# Round 1: what the old ledger showed. Round 2: where contradictions are (refuting cues, negation across close
# wordings) and near paraphrases, between different speakers.
SHARES = {1: {"dispute-rule": 0.45, "same-speaker": 0.2, "close": 0.35},
          2: {"refuting-cue": 0.45, "negation-close": 0.35, "very-close": 0.2},
          3: {"model-contradicts": 0.6, "negated-scope": 0.4},
          6: {"same-sentence": 0.3, "near": 0.4, "same-article": 0.3}}
# Round 3 draws where the statement stance model trained on rounds 1-2 is least sure it sees no contradiction
# (active learning: 17 contradictions in 682 pairs were too few to learn from), and where the words a negation
# denies are closest to the claim; at most this many pairs per claim article, so one story does not fill it.
PER_ARTICLE = 3
# Round 6 draws where writers set one speaker's denial against another's assertion in one article ("NATO has not
# seen signs of troops pulling back, Stoltenberg said, after Moscow had announced it was returning some"): an
# asserting statement as the claim, and a statement of another speaker that negates, refutes or sets itself
# against something, in the same sentence, within NEAR_SENTENCES sentences, or anywhere in the article with
# close wordings (cosine >= 0.4).
NEAR_SENTENCES = 3


def denies(row: dict) -> bool:
    return bool(negation(row["text"]) or refuting_cue(row["cue"]) or contrast(row["text"]))


def round6_strata(rows: list[dict], vectors: np.ndarray) -> dict[str, list[tuple[int, int, float]]]:
    strata: dict[str, list[tuple[int, int, float]]] = {"same-sentence": [], "near": [], "same-article": []}
    by_article: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_article.setdefault(row["article_id"], []).append(i)
    for members in by_article.values():
        for i in members:
            for j in members:
                a, b = rows[i], rows[j]
                if i == j or not a["speaker"] or not b["speaker"] or a["speaker"] == b["speaker"]:
                    continue
                if denies(a) or not denies(b):
                    continue
                sim = float(vectors[i] @ vectors[j])
                apart = abs(a["sentence_index"] - b["sentence_index"])
                if apart == 0:
                    strata["same-sentence"].append((i, j, sim))
                elif apart <= NEAR_SENTENCES:
                    strata["near"].append((i, j, sim))
                elif sim >= 0.4:
                    strata["same-article"].append((i, j, sim))
    return strata


def round3_strata(rows: list[dict], vectors: np.ndarray) -> dict[str, list[tuple[int, int, float]]]:
    from claimledger.link.statement_stance import CLASSES, Side, load_model, negated_scope, pair_features

    model = load_model()
    encoder = default_encoder()
    scopes = {i: negated_scope(r["wording"]) for i, r in enumerate(rows)}
    scoped = [i for i, scope in scopes.items() if scope]
    scope_vectors = dict(zip(scoped, encoder.encode([scopes[i] for i in scoped])))
    scored: list[tuple[float, float, int, int, float]] = []
    for i in range(len(rows)):
        sims = vectors[i + 1:] @ vectors[i]
        for k in np.nonzero(sims >= 0.45)[0]:
            j = i + 1 + int(k)
            a, b = rows[i], rows[j]
            if a["speaker"] and a["speaker"] == b["speaker"]:
                continue
            claim = Side(a["wording"], a["speaker"], a["article_id"], hash(a["context"]))
            statement = Side(b["wording"], b["speaker"], b["article_id"], hash(b["context"]), b["cue"], b["kind"],
                             b["speaker"])
            scope_cosine = float(scope_vectors[j] @ vectors[i]) if j in scope_vectors else 0.0
            features = pair_features(claim, statement, float(sims[k]), scope_cosine)
            contradicts = float(model.predict_proba(features)[0][CLASSES.index("contradicts")])
            scored.append((contradicts, scope_cosine, i, j, float(sims[k])))
    strata: dict[str, list[tuple[int, int, float]]] = {"model-contradicts": [], "negated-scope": []}
    for name, key in (("model-contradicts", lambda x: -x[0]), ("negated-scope", lambda x: -x[1])):
        per_article: dict[str, int] = {}
        for item in sorted(scored, key=key):
            _, _, i, j, sim = item
            article = rows[i]["article_id"]
            if per_article.get(article, 0) >= PER_ARTICLE or any((i, j) == (x, y) for v in strata.values()
                                                                 for x, y, _ in v):
                continue
            per_article[article] = per_article.get(article, 0) + 1
            strata[name].append((i, j, sim))
            if len(strata[name]) >= 400:
                break
    return strata


def statements(db: str) -> list[dict]:
    store = SQLiteStore(db, create=False)
    rows = []
    ids = [r[0] for r in store.conn.execute("SELECT a.id FROM articles a JOIN extractions e ON e.article_id = a.id "
                                           "ORDER BY a.seq")]
    meta = {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT id, outlet, published FROM articles")}
    for article, extraction in store.link_inputs(ids):
        starts = [m.end() for m in _SENTENCE_END.finditer(article["text"])]  # as sentence_bounds splits
        for s in extraction.get("statements", []):
            if s.get("negated"):
                continue
            wording = proposition_text(s["text"], s["kind"], s.get("speaker_name"))
            if len(stems(wording)) < 3:
                continue
            rows.append({"db": Path(db).name, "article_id": article["id"], "statement_id": s["id"],
                         "outlet": meta[article["id"]][0], "published": meta[article["id"]][1],
                         "speaker": s.get("speaker_name"), "kind": s["kind"], "cue": s.get("cue"),
                         "text": s["text"], "wording": wording,
                         "sentence_index": bisect.bisect_right(starts, s["span"][0]),
                         "context": sentence_text(article["text"], s["span"])})
    return rows


def flags(a: dict, b: dict) -> dict:
    neg_a, neg_b = negation(a["text"]) is not None, negation(b["text"]) is not None
    return {"polarity_differs": neg_a != neg_b, "refuting_cue": refuting_cue(b["cue"]),
            "contrast": contrast(b["text"]),
            "same_speaker": bool(a["speaker"]) and a["speaker"] == b["speaker"],
            "same_article": a["article_id"] == b["article_id"]}


def main(out: Path, sources: list[str], round_: int = 1, first: int = 1) -> None:
    rng = random.Random(SEED + round_ - 1)
    pairs: list[dict] = []
    for source in sources:
        db, _, quota = source.partition(":")
        rows = statements(db)
        vectors = default_encoder().encode([r["wording"] for r in rows])
        strata: dict[str, list[tuple[int, int, float]]] = {name: [] for name in SHARES[round_]}
        for i in range(len(rows)):
            sims = vectors[i + 1:] @ vectors[i]
            for k in np.nonzero(sims >= 0.45)[0]:
                j = i + 1 + int(k)
                f = flags(rows[i], rows[j])
                pair = (i, j, float(sims[k]))
                if round_ == 1 and sims[k] >= 0.5:
                    if f["same_speaker"] and f["same_article"]:
                        strata["same-speaker"].append(pair)
                    elif f["polarity_differs"] or f["refuting_cue"] or f["contrast"]:
                        strata["dispute-rule"].append(pair)
                    else:
                        strata["close"].append(pair)
                elif round_ in (3, 6):
                    break
                elif round_ == 2 and not f["same_speaker"]:
                    # Real disputes are rare among close pairs (2 in 200 of round 1): draw where they would be.
                    if f["refuting_cue"]:
                        strata["refuting-cue"].append(pair)
                    elif f["polarity_differs"] and sims[k] >= 0.65:
                        strata["negation-close"].append(pair)
                    elif sims[k] >= 0.75:
                        strata["very-close"].append(pair)
        if round_ == 3:
            strata = round3_strata(rows, vectors)
        elif round_ == 6:
            strata = round6_strata(rows, vectors)
        total = int(quota)
        shares = SHARES[round_]
        for name, share in shares.items():
            found = strata[name]
            drawn = rng.sample(found, min(len(found), round(total * share)))
            for i, j, sim in sorted(drawn):
                a, b = rows[i], rows[j]
                pairs.append({"claim": a["wording"], "claim_speaker": a["speaker"], "claim_context": a["context"],
                              "statement": b["text"], "speaker": b["speaker"], "cue": b["cue"], "kind": b["kind"],
                              "context": b["context"], "outlet": b["outlet"], "published": b["published"],
                              "origin": {"db": a["db"], "claim_statement": f"{a['article_id']}:{a['statement_id']}",
                                         "statement": f"{b['article_id']}:{b['statement_id']}", "stratum": name,
                                         "cosine": round(sim, 3)}})
        print(f"{db}: {len(rows)} statements; strata " +
              ", ".join(f"{k} {len(v)}" for k, v in strata.items()), file=sys.stderr)
    rng.shuffle(pairs)
    with open(out, "w", encoding="utf-8") as sink:
        for n, pair in enumerate(pairs, first):
            sink.write(json.dumps({"pair": n, **pair}, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} pairs -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[3]), sys.argv[4:], int(sys.argv[1]), int(sys.argv[2]))
