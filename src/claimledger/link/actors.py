"""One actor id across articles, however the news names them.

An extracted actor (local to its article) is resolved to a ledger actor by its ways of being named: the full name
with nicknames spelled out (``Tony Blinken`` is ``Antony Blinken``), the surname with a title (``President
Biden``), and metonyms (``the Kremlin`` is Russia), from the curated tables in ``data/link/``. Names alone never
merge two actors whose titles or affiliations clash. Ids are assigned once and kept, so linking more articles
never renames an actor. A user alias file (TOML) can force names together or apart.
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


class AliasFileError(ValueError):
    """The user alias file cannot be read; the message names the file and the reason."""


def normalize_name(name: str) -> str:
    """A name as compared: accents dropped, case-folded, punctuation but hyphens and apostrophes removed, a
    leading "the" dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("\u2019", "'").casefold()
    text = _SPACES.sub(" ", _NON_WORD.sub(" ", text.replace(".", ""))).strip()
    return _LEADING_THE.sub("", text)


def _table(name: str) -> list[list[str]]:
    text = resources.files("claimledger").joinpath(f"data/link/{name}").read_text(encoding="utf-8")
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


def given_names(given: str) -> frozenset[str]:
    """The formal given names a (normalized) given name may be: ``tony`` -> {tony, antony, anthony}."""
    return nicknames().get(given, frozenset({given}))


def split_person_name(name: str) -> tuple[str | None, str]:
    """(given name, surname) of a normalized person name; the given name is None for a bare surname.

    Particles stay with the surname (``von weizsacker``) and generational suffixes are dropped.
    """
    tokens = [t for t in _POSSESSIVE.sub("", name).split() if t not in _SUFFIXES]
    if not tokens:
        return None, name
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in _SURNAME_PARTICLES:
        start -= 1
    surname = " ".join(tokens[start:])
    return (tokens[0] if start > 0 else None), surname


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

    name: str  # display name after metonyms
    norm: str
    kind: str
    titles: tuple[str, ...]
    affiliation: str | None
    given: str | None = None  # persons only
    surname: str | None = None
    forced: bool = False

    def keys(self) -> list[str]:
        """Every key under which this form is filed and looked up."""
        if self.forced:
            return [f"forced:{self.norm}"]
        if self.kind != "person":
            return [f"name:{_KIND_FAMILY[self.kind]}:{self.norm}"]
        keys = [f"surname:{self.surname}"]
        if self.given is not None:
            keys += [f"full:{given} {self.surname}" for given in sorted(given_names(self.given))]
        return keys


def name_form(actor: Actor, rules: AliasRules) -> NameForm:
    """How ``actor`` is named, with metonyms applied and the alias rules' verdict."""
    norm = normalize_name(actor.name)
    forced = rules.forced_name(norm)
    if forced is not None:
        return NameForm(forced, normalize_name(forced), actor.kind, actor.titles, actor.affiliation, forced=True)
    name, kind = actor.name, actor.kind
    if kind != "person" and norm in metonyms():
        name, kind = metonyms()[norm]
        norm = normalize_name(name)
    affiliation = actor.affiliation
    if affiliation and normalize_name(affiliation) in metonyms():
        affiliation = metonyms()[normalize_name(affiliation)][0]
    if kind != "person":
        return NameForm(name, norm, kind, actor.titles, affiliation)
    given, surname = split_person_name(norm)
    return NameForm(name, norm, kind, actor.titles, affiliation, given, surname)


def _title_words(titles: Iterable[str]) -> set[str]:
    return {w for t in titles for w in normalize_name(t).split() if w not in {"of", "the", "and"}}


def compatible(form: NameForm, actor: LedgerActor) -> bool:
    """Whether ``form`` may name ``actor`` as far as kind, titles and affiliation go: when both sides know an
    affiliation they must agree, and when both know titles they must share a word (a Vice President becomes
    President; a senator is not a general)."""
    if _KIND_FAMILY[form.kind] != _KIND_FAMILY.get(actor.kind, actor.kind):
        return False
    if form.affiliation and actor.affiliation and normalize_name(form.affiliation) != normalize_name(
            actor.affiliation):
        return False
    if form.titles and actor.titles and not _title_words(form.titles) & _title_words(actor.titles):
        return False
    return True


def _given_matches(form_given: str | None, actor_name: str) -> bool:
    """Whether a person's given name agrees with a ledger person's: the same, a nickname of it, or an initial.
    A bare surname on either side agrees with any given name."""
    other, _ = split_person_name(normalize_name(actor_name))
    if form_given is None or other is None:
        return True
    if len(form_given) == 1 or len(other) == 1:
        return form_given[0] == other[0]
    return bool(given_names(form_given) & given_names(other))


def actor_id(form: NameForm, taken: Callable[[str], bool]) -> str:
    """A new stable id: a hash of kind and name, with a counter when another actor of that name exists."""
    base = hashlib.sha1(f"{form.kind}\t{form.norm}".encode("utf-8")).hexdigest()[:10]
    candidate, counter = f"A{base}", 1
    while taken(candidate):
        counter += 1
        candidate = f"A{base}-{counter}"
    return candidate


def _fuller(a: str, b: str) -> str:
    return b if len(normalize_name(b).split()) > len(normalize_name(a).split()) else a


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
        form = name_form(actor, self.rules)
        keys = form.keys()
        candidates = [c for c in self._candidates(keys) if self._acceptable(form, c)]
        chosen = self._choose(form, candidates)
        if chosen is None:
            chosen = LedgerActor(actor_id(form, lambda i: i in self.known or self.exists(i)), form.name, form.kind,
                                 tuple(form.titles), form.affiliation)
        else:
            chosen = self._enrich(chosen, form)
        self.known[chosen.id] = chosen
        self.changed[chosen.id] = chosen
        for key in keys:
            if chosen.id not in self.keys.setdefault(key, set()):
                self.keys[key].add(chosen.id)
                self.new_keys.add((key, chosen.id))
        return chosen.id

    def _acceptable(self, form: NameForm, candidate: LedgerActor) -> bool:
        if form.forced:
            return True
        if not compatible(form, candidate):
            return False
        if form.kind == "person":
            candidate_norm = normalize_name(candidate.name)
            # A name the user split off stays apart from every actor filed under the same surname.
            if candidate_norm in self.rules.split or candidate_norm in self.rules.merge:
                return False
            return _given_matches(form.given, candidate.name)
        return True

    def _choose(self, form: NameForm, candidates: list[LedgerActor]) -> LedgerActor | None:
        """The one candidate this form names, or None when there is none or it is ambiguous."""
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if form.kind == "person":
            full = [c for c in candidates if split_person_name(normalize_name(c.name))[0] is not None]
            if form.given is not None:
                # A full name joins the person of that full name, else a bare-surname actor it completes.
                exact = [c for c in full if _given_matches(form.given, c.name)]
                if len(exact) == 1:
                    return exact[0]
                bare = [c for c in candidates if c not in full]
                return bare[0] if len(bare) == 1 and not exact else None
            # A bare surname with several full-name candidates: a shared title or affiliation decides, else it is
            # ambiguous and stays an actor of its own.
            evidence = [c for c in full if (form.titles and _title_words(form.titles) & _title_words(c.titles))
                        or (form.affiliation and c.affiliation
                            and normalize_name(form.affiliation) == normalize_name(c.affiliation))]
            if len(evidence) == 1:
                return evidence[0]
            bare = [c for c in candidates if c not in full]
            return bare[0] if len(bare) == 1 else None
        return candidates[0]

    @staticmethod
    def _enrich(actor: LedgerActor, form: NameForm) -> LedgerActor:
        """The actor with the fuller name and any new titles or affiliation this form adds."""
        name = form.name if form.forced else _fuller(actor.name, form.name)
        titles = actor.titles + tuple(t for t in form.titles if t.casefold() not in
                                      {x.casefold() for x in actor.titles})
        return LedgerActor(actor.id, name, actor.kind, titles, actor.affiliation or form.affiliation)


def resolve_article_actors(resolver: ActorResolver, actors: Sequence[dict]) -> dict[str, str | None]:
    """Each extracted actor of one article (``extraction["actors"]``) -> its ledger actor id, or None for a source
    that names no actor of the ledger."""
    return {a["id"]: resolver.resolve(Actor(a["id"], a["name"], a["kind"], tuple(a.get("titles") or ()),
                                            a.get("affiliation"))) for a in actors}
