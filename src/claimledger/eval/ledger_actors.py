"""How well a linked ledger keeps one actor per real person or organization.

From the ledger alone: how many actors, the share whose name is a description or fragment (``is_description``),
the names split over several actors (the same normalized full name on two actors: a missed merge), and the
namesakes merged into one actor (two full names that cannot be one person, such as ``Donald Trump`` and ``Donald
Trump Jr.``, filed under one actor). From hand labels (``labels/actors.jsonl``, described in ``labels/README.md``):
how often an extracted name is filed under an actor that is another entity (a wrong merge), and how often a
description still becomes an actor of its own.

    python -m claimledger.eval.ledger_actors out/ledger.db --labels labels/actors.jsonl
    python -m claimledger.eval.ledger_actors out/extracted.db --link-actors   # resolve actors only, then score
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from claimledger.link.actors import AliasRules, given_names, is_description, normalize_name, parse_person, same_person
from claimledger.link.pipeline import actor_rows, new_resolver, resolve_actors
from claimledger.store import Store, open_store


def link_actors(store: Store, rules: AliasRules | None = None, batch_size: int = 64) -> int:
    """Resolve the actors of every extracted article not linked yet, in batches as linking does, and write the
    ledger actors and their mentions without claims (articles stay unlinked). Actor figures in seconds where a full
    link takes minutes. Returns the number of articles read."""
    ids = [article_id for article_id, _ in store.unlinked_articles()]
    for offset in range(0, len(ids), batch_size):
        resolver = new_resolver(store, rules or AliasRules())
        chunk = ids[offset:offset + batch_size]
        mentions, _ = resolve_actors(resolver, [(article, extraction, "") for article, extraction
                                                in store.link_inputs(chunk)])
        store.write_link(actors=actor_rows(resolver), actor_keys=sorted(resolver.new_keys), mentions=mentions,
                         claims=[], claim_keys=[], entries=[], linked=[])
    return len(ids)


def _namesakes(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of full person names among ``names`` that cannot be one person."""
    parsed = {}
    for name in names:
        norm = normalize_name(name)
        parts = parse_person(norm)
        if parts.full and len(norm.split()) <= 4:
            parsed.setdefault(norm, (name, parts))
    found = []
    items = sorted(parsed.values())
    for i, (name, parts) in enumerate(items):
        for other_name, other in items[i + 1:]:
            # Namesakes of one family: the same given name and surname, told apart by a suffix or middle names
            # (Donald Trump and Donald Trump Jr., George W. and George H. W. Bush).
            if (parts.surname == other.surname and parts.given and other.given
                    and (given_names(parts.given) & given_names(other.given)) and not same_person(parts, other)):
                found.append((name, other_name))
    return found


def actor_figures(store: Store, top: int = 15) -> dict:
    """Figures of the ledger's actors: ``actors``, ``descriptions`` (names that are descriptions or fragments) and
    ``junk_share``, ``split_names`` (normalized names on several actors, most split first, with ``split_actors``
    the actors beyond the first of each), and ``namesake_merges`` (actors holding two full person names that are
    not one person)."""
    rows = store.actor_rows()
    by_name: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_name[normalize_name(row["name"])].append(row)
    split = sorted(((name, len(group)) for name, group in by_name.items() if len(group) > 1),
                   key=lambda item: (-item[1], item[0]))
    split_full = [(name, n) for name, n in split if len(name.split()) > 1]
    descriptions = [row for row in rows if is_description(row)]
    merges = []
    for row in rows:
        if row["kind"] == "person":
            pairs = _namesakes([row["name"], *row["aliases"]])
            if pairs:
                merges.append({"actor": row["name"], "id": row["id"], "pairs": pairs[:3]})
    return {"actors": len(rows), "descriptions": len(descriptions),
            "junk_share": round(len(descriptions) / len(rows), 4) if rows else 0.0,
            "description_examples": [row["name"] for row in descriptions[:top]],
            "split_names": len(split), "split_actors": sum(n - 1 for _, n in split),
            "split_full_names": len(split_full), "most_split": split[:top],
            "namesake_merges": len(merges), "namesake_examples": merges[:top]}


def read_labels(path: Path) -> list[dict]:
    """The labelled assignments, one JSON object a line."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _assignment(store: Store, article_id: str, name: str) -> tuple[str, str, set[str]] | None:
    """(actor id, display name, every normalized name it is filed under) of the ledger actor that the extracted
    ``name`` of that article was filed under; None when it was filed under none."""
    row = store.mention_actor(article_id, name)
    if row is None:
        return None
    names = {normalize_name(alias) for alias in store.actor_aliases(row[0])}
    return row[0], row[1], names | {normalize_name(row[1])}


def score_labels(store: Store, labels: list[dict]) -> dict:
    """The labelled assignments judged on this ledger.

    A named label (``is_description`` false) with ``same_entity`` true is right when the name is filed under an
    actor that also bears ``actor_name`` (its display name or another name filed under it), else a miss; with
    ``same_entity`` false, a wrong merge when it is filed under such an actor, else right. A description label is
    right when the description is no actor of its own (filed under none, or under its affiliation's actor). A
    label with ``should_join`` (the entity's name where the ledger keeps the name apart from it) counts as not
    joined until the name is filed with that entity."""
    named = [label for label in labels if not label["is_description"]]
    described = [label for label in labels if label["is_description"]]
    wrong, missed, right = [], [], 0
    for label in named:
        found = _assignment(store, label["article_id"], label["name"])
        together = found is not None and normalize_name(label["actor_name"]) in found[2]
        if label["same_entity"] and not together:
            missed.append(label)
        elif not label["same_entity"] and together:
            wrong.append(label)
        else:
            right += 1
    unjoined = []
    for label in named:
        if label.get("should_join"):
            found = _assignment(store, label["article_id"], label["name"])
            if found is None or normalize_name(label["should_join"]) not in found[2]:
                unjoined.append(label)
    junk = []
    for label in described:
        found = _assignment(store, label["article_id"], label["name"])
        if found is not None and normalize_name(found[1]) == normalize_name(label["name"]):
            junk.append(label)
    filed = len(named) - len(missed)
    return {"labelled": len(labels), "named": len(named), "descriptions_labelled": len(described),
            "wrong_merges": len(wrong), "wrong_merge_rate": round(len(wrong) / filed, 4) if filed else 0.0,
            "precision": round(right / len(named), 4) if named else 0.0,
            "labelled_missed": len(missed), "should_join": sum(1 for x in named if x.get("should_join")),
            "not_joined": len(unjoined), "descriptions_as_actors": len(junk),
            "wrong_examples": [(x["name"], x["actor_name"]) for x in wrong[:10]],
            "missed_examples": [(x["name"], x["actor_name"]) for x in missed[:10]],
            "not_joined_examples": [(x["name"], x["should_join"]) for x in unjoined[:10]],
            "junk_examples": [x["name"] for x in junk[:10]]}


def score_actors(store: Store, labels_path: str | Path | None) -> dict:
    """The ledger's actor figures (``actor_figures``) and, with a labels file, the labelled ones
    (``score_labels``), in one dict."""
    figures = actor_figures(store)
    if labels_path is not None:
        figures["labels"] = score_labels(store, read_labels(Path(labels_path)))
    return figures


def actor_precision(store: Store, labels_path: str | Path | None, out=sys.stdout) -> dict:
    """Score the ledger's actors and print the figures, one a line; returns them as ``score_actors`` does."""
    scores = score_actors(store, labels_path)
    for key in ("actors", "descriptions", "junk_share", "split_names", "split_actors", "split_full_names",
                "namesake_merges"):
        print(f"{key}\t{scores[key]}", file=out)
    print("most_split\t" + ", ".join(f"{name} x{n}" for name, n in scores["most_split"]), file=out)
    print("namesakes\t" + "; ".join(f"{m['actor']}: {m['pairs']}" for m in scores["namesake_examples"][:5]),
          file=out)
    print("description_examples\t" + ", ".join(scores["description_examples"]), file=out)
    for key, value in scores.get("labels", {}).items():
        print(f"labels.{key}\t{value}", file=out)
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score a ledger's actors.")
    parser.add_argument("db", help="a linked ledger (or an extracted one, with --link-actors)")
    parser.add_argument("--labels", help="labels/actors.jsonl")
    parser.add_argument("--link-actors", action="store_true",
                        help="first resolve the actors of unlinked articles (writes to the database)")
    args = parser.parse_args(argv)
    with open_store(args.db, create=False) as store:
        if args.link_actors:
            link_actors(store)
        actor_precision(store, args.labels)


if __name__ == "__main__":
    main()
