"""What both stores make of a speaker's rows: the profile ``actor_profile`` returns, read the same way whatever
engine fetched them."""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping


def _by_count(counted: dict[str, int]) -> list[str]:
    return sorted(counted, key=lambda key: (-counted[key], key))


def speaker_profile(name: str, counts: Mapping[str, Any], kinds: dict[str, int],
                    local: Iterable[Mapping[str, Any]]) -> dict:
    """The profile of the speaker called ``name``: ``counts`` (statements, articles, first, last), their statement
    ``kinds``, and from ``local`` (rows of article_id, speaker, article text and extraction JSON, newest first) the
    kind, titles, affiliations and other names the articles give the actor behind their statements."""
    actor_kinds: dict[str, int] = {}
    titles: dict[str, int] = {}
    affiliations: dict[str, int] = {}
    aliases: dict[str, int] = {}
    for row in local:
        actor = next((a for a in json.loads(row["data"])["actors"] if a["id"] == row["speaker"]), None)
        if actor is None:
            continue
        actor_kinds[actor["kind"]] = actor_kinds.get(actor["kind"], 0) + 1
        for title in actor["titles"]:
            titles[title] = titles.get(title, 0) + 1
        if actor["affiliation"]:
            affiliations[actor["affiliation"]] = affiliations.get(actor["affiliation"], 0) + 1
        for start, end in actor["mentions"]:
            alias = " ".join(row["text"][start:end].split())
            # Mentions include pronouns and descriptions ("he", "the minister"): only a capitalised one names.
            if alias[:1].isupper() and alias != name:
                aliases[alias] = aliases.get(alias, 0) + 1
    return {"name": name, "kind": (_by_count(actor_kinds) or [None])[0], "titles": _by_count(titles),
            "affiliations": _by_count(affiliations), "aliases": _by_count(aliases), "kinds": kinds, **dict(counts)}
