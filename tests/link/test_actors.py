"""Ledger actors: one id for every way the news names someone, never a merge of namesakes (a suffix, middle
initials, a clashing party or country, a surname two persons share), titles never splitting one person,
descriptions never actors, ids stable as articles arrive, and a user alias file that forces merges and splits."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger import Ledger
from claimledger.link.actors import (ActorResolver, AliasFileError, AliasRules, LedgerActor, is_description,
                                     metonyms, normalize_name, read_alias_file, resolve_article_actors,
                                     split_person_name)
from claimledger.models import Actor


class Index:
    """Actors filed by key in memory, as the store files them, so a resolver can run over several articles."""

    def __init__(self) -> None:
        self.actors: dict[str, LedgerActor] = {}
        self.keys: dict[str, set[str]] = {}

    def lookup(self, keys):
        return [(k, self.actors[i]) for k in keys for i in sorted(self.keys.get(k, ()))]

    def resolver(self, rules: AliasRules | None = None) -> ActorResolver:
        return ActorResolver(self.lookup, lambda i: i in self.actors, rules)

    def keep(self, resolver: ActorResolver) -> None:
        """Write what a resolver made, as the store does at the end of a batch."""
        self.actors.update(resolver.changed)
        for key, actor_id in resolver.new_keys:
            self.keys.setdefault(key, set()).add(actor_id)


def person(name: str, titles: tuple[str, ...] = (), affiliation: str | None = None) -> Actor:
    return Actor("a1", name, "person", titles, affiliation)


def resolve_articles(*articles: list[Actor], rules: AliasRules | None = None) -> list[list[str]]:
    """Ledger ids of each article's actors, each article resolved as a batch of its own."""
    index, ids = Index(), []
    for actors in articles:
        resolver = index.resolver(rules)
        ids.append([resolver.resolve(a) for a in actors])
        index.keep(resolver)
    return ids


def test_names_normalize_and_split():
    assert normalize_name("the Kremlin") == "kremlin"
    assert normalize_name("Fritz Eckart von Weizsäcker") == "fritz eckart von weizsacker"
    assert split_person_name("fritz eckart von weizsacker") == ("fritz", "von weizsacker")
    assert split_person_name("stoltenberg") == (None, "stoltenberg")
    assert metonyms()["kremlin"] == ("Russia", "country")


def test_full_name_surname_title_and_nickname_are_one_person():
    ids = resolve_articles(
        [person("Antony Blinken", ("Secretary of State",), "United States")],
        [person("Tony Blinken", ("Secretary of State",), "U.S.")],
        [person("Blinken", ("Secretary",))],
    )
    assert ids[0] == ids[1] == ids[2]


def test_bare_surname_first_then_full_name_keeps_the_first_id():
    ids = resolve_articles([person("Biden", ("President",))], [person("Joe Biden")], [person("Joseph Biden")])
    assert ids[0] == ids[1] == ids[2]


def test_metonyms_name_the_state():
    kremlin = Actor("a1", "the Kremlin", "organization")
    moscow = Actor("a2", "Moscow", "country")
    russia = Actor("a3", "Russia", "country")
    white_house = Actor("a4", "White House", "organization")
    washington = Actor("a5", "Washington", "country")
    ids = resolve_articles([kremlin, white_house], [moscow, washington], [russia])
    assert ids[0][0] == ids[1][0] == ids[2][0]
    assert ids[0][1] == ids[1][1]
    assert ids[0][0] != ids[0][1]


def test_clashing_parties_or_countries_keep_namesakes_apart():
    ids = resolve_articles([person("John Smith", ("Senator",), "Democratic Party")],
                           [person("John Smith", ("Rep.",), "GOP")])
    assert ids[0] != ids[1]
    ids = resolve_articles([person("John Smith", affiliation="United Kingdom")],
                           [person("John Smith", affiliation="U.S.")])
    assert ids[0] != ids[1]
    ids = resolve_articles([person("John Smith", affiliation="Acme")], [person("Jane Smith", affiliation="Acme")])
    assert ids[0] != ids[1]


def test_an_ambiguous_surname_joins_neither_namesake():
    ids = resolve_articles([person("John Smith")], [person("Jane Smith")], [person("Smith")])
    assert ids[2][0] not in {ids[0][0], ids[1][0]}


def test_ids_do_not_change_when_more_articles_arrive():
    first = resolve_articles([person("Jens Stoltenberg", ("Secretary General",), "NATO")])
    later = resolve_articles([person("Jens Stoltenberg", ("Secretary General",), "NATO")],
                             [person("Stoltenberg")], [person("Jens Stoltenberg")])
    assert first[0] == later[0] == later[1] == later[2]


def test_alias_file_forces_merge_and_split(tmp_path: Path):
    path = tmp_path / "aliases.toml"
    path.write_text('[[merge]]\nnames = ["Vladimir Putin", "Vova"]\n\n[[split]]\nnames = ["Smith"]\n')
    rules = read_alias_file(path)
    ids = resolve_articles([person("Vladimir Putin", ("President",))], [person("Vova")], [person("John Smith")],
                           [person("Smith")], rules=rules)
    assert ids[0] == ids[1]
    assert ids[2] != ids[3]


@pytest.mark.parametrize("text, reason", [
    ("[[merge]]\nnames = []\n", "needs names"),
    ("[[split]]\nnames = [\"A\"]\n[[merge]]\nnames = [\"A\", \"B\"]\n", "both merged and split"),
    ("[[merge\n", "cannot read"),
    ("[[alias]]\nnames = [\"A\"]\n", "unknown sections"),
])
def test_bad_alias_files_name_the_file_and_reason(tmp_path: Path, text: str, reason: str):
    path = tmp_path / "aliases.toml"
    path.write_text(text)
    with pytest.raises(AliasFileError, match=reason) as info:
        read_alias_file(path)
    assert str(path) in str(info.value)


def test_the_seed_ledger_lists_actors_with_aliases(seed_db):
    with Ledger(seed_db) as ledger:
        actors = {a.name: a for a in ledger.actors()}
    assert actors["Jens Stoltenberg"].kind == "person" and actors["Jens Stoltenberg"].claim_statements >= 2
    assert actors["Russia"].articles == 1
    assert "Biden" in actors


def test_titles_never_split_one_full_name():
    ids = resolve_articles([person("Hillary Clinton", ("Secretary of State",))], [person("Hillary Clinton", ("Sen.",))],
                           [person("Hillary Clinton", ("Democratic nominee",))], [person("Hillary Rodham Clinton")])
    assert len({i[0] for i in ids}) == 1


def test_family_namesakes_stay_apart():
    ids = resolve_articles([person("Donald Trump")], [person("Donald Trump Jr.")], [person("Donald J. Trump")],
                           [person("George W. Bush")], [person("George H. W. Bush")], [person("George HW Bush")],
                           [person("Joe Biden")], [person("Joseph R. Biden Jr.")])
    trump, junior, trump_j, w, hw, hw2, joe, joseph = (i[0] for i in ids)
    assert trump == trump_j != junior
    assert w != hw == hw2
    assert joe == joseph  # the suffix is house style for him (data/link/suffixed.tsv)


def test_a_surname_of_two_full_name_persons_joins_neither():
    ids = resolve_articles([person("Bill Clinton")], [person("Hillary Clinton")], [person("Clinton")],
                           [person("Clinton", ("Secretary of State",))])
    bill, hillary, bare, secretary = (i[0] for i in ids)
    assert bare not in {bill, hillary}
    assert secretary == bare  # "Secretary" is no title of either yet: no evidence


def test_honorific_and_acronym_names_join_within_an_article():
    index = Index()
    resolver = index.resolver()
    found = resolve_article_actors(resolver, [
        {"id": "a1", "name": "Barack Obama", "kind": "person"}, {"id": "a2", "name": "Mr. Obama", "kind": "group"},
        {"id": "a3", "name": "Republican National Committee", "kind": "organization"},
        {"id": "a4", "name": "RNC", "kind": "organization"}])
    assert found["a1"] == found["a2"] and found["a3"] == found["a4"]
    index.keep(resolver)
    later = resolve_article_actors(index.resolver(), [{"id": "b1", "name": "RNC", "kind": "organization"}])
    assert later["b1"] == found["a3"]


def test_curated_acronyms_name_one_organization():
    ids = resolve_articles([Actor("a1", "AP", "organization")], [Actor("a1", "Associated Press", "organization")],
                           [Actor("a1", "the Associated Press", "group")])
    assert ids[0] == ids[1] == ids[2]


@pytest.mark.parametrize("name, kind, expected", [
    ("a senior U.S. official", "group", True), ("sources", "group", True), ("Clinton aides", "group", True),
    ("prominent conservatives", "group", True), ("video", "group", True), ("Their", "group", True),
    ("many", "group", True), ("Republicans", "group", True), ("Breitbart’s @mboyle1</tweet>", "organization", True),
    ("Washington Post analysis", "organization", True), ("Boko Haram", "group", False),
    ("Human Rights Watch", "group", False), ("the Clinton campaign", "group", False), ("Mr. Obama", "group", False),
    ("Aaron Sorkinwho", "person", False), ("WHO", "organization", False), ("al-Tanf", "country", False),
])
def test_descriptions_are_told_from_names(name, kind, expected):
    assert is_description({"name": name, "kind": kind, "titles": [], "affiliation": None}) is expected


def test_a_description_resolves_to_its_affiliation_or_to_nothing():
    resolver = Index().resolver()
    found = resolve_article_actors(resolver, [
        {"id": "a1", "name": "United States", "kind": "country"},
        {"id": "a2", "name": "a senior U.S. official", "kind": "group", "affiliation": "United States"},
        {"id": "a3", "name": "sources", "kind": "group"},
        {"id": "a4", "name": "Aaron Sorkinwho", "kind": "person"}])
    assert found["a2"] == found["a1"] and found["a3"] is None
    assert [a.name for a in resolver.changed.values()] == ["United States", "Aaron Sorkin"]
