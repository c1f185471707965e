"""Resolution of a statement's source words (``Secretary General Jens Stoltenberg``, ``he``, ``Moscow``, ``a
senior official``) to an actor of the article.

A name resolves through its mention; a pronoun to the last speaker when that speaker is of a compatible kind (so
``he added`` never reaches back past a change of speaker), else to the nearest compatible actor mentioned
before it; a title alone (``the secretary general``) to the last person holding it; any other phrase becomes a
group actor of its own (``sources``, ``Clinton aides``), affiliated with the actor it names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span as SpacySpan, Token as SpacyToken

from claimledger.extract.actors import ActorIndex, clean_name, titles
from claimledger.extract.labels import TIME_LEAD_WORDS, cue_lexicon
from claimledger.extract.words import ARTICLES, NOUN_PHRASE_OPENERS, SMALL_NUMBERS
from claimledger.models import ActorKind

# Words that open a description rather than belong to the name it gives ("the Kremlin", "two officials").
_NAME_OPENERS = ARTICLES | {"some", "several", "many", "other", "another"} | SMALL_NUMBERS
DETERMINERS = re.compile(rf"^(?:{'|'.join(sorted(_NAME_OPENERS))})\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def pronoun_kinds() -> dict[str, frozenset[str]]:
    """Pronouns a source may be, lower-cased, and the actor kinds each can stand for (``pronouns.tsv``)."""
    table = resources.files("claimledger").joinpath("data/extract/pronouns.tsv").read_text(encoding="utf-8")
    kinds = {}
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            pronoun, allowed = line.split("\t")
            kinds[pronoun] = frozenset(allowed.split(","))
    return kinds


def is_pronoun(text: str) -> bool:
    return text.strip().lower() in pronoun_kinds()


RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# How far an apposition may set a relative pronoun from the name it stands for.
MAX_APPOSITION_CHARS = 60
TRAILERS = TIME_LEAD_WORDS | {",", "—", "-"}


def _without_trailers(source: SpacySpan) -> SpacySpan:
    """The source words without a date or time after them (``Russia's parliament on Tuesday``); a date that only
    a determiner stands before is part of the name (``A 2014 study by ... Justin Levitt``)."""
    end = source.end
    for token in source:
        if token.ent_type_ in ("DATE", "TIME") and any(
            t.lower_ not in NOUN_PHRASE_OPENERS for t in source.doc[source.start : token.i]
        ):
            end = token.i
            break
    while end > source.start and source.doc[end - 1].lower_ in TRAILERS:
        end -= 1
    return source.doc[source.start : end]


# Words that end a group's name when the tagger's source runs on into a clause ("the project, which",
# "Nigerian government officials have spent", "the report and"): relative pronouns, conjunctions, auxiliaries.
CLAUSE_WORDS = frozenset(
    "which who whom whose that and or but since because while when after before if as has have had is are was "
    "were will would could can may might should must does did do".split()
)
PAST_SPEECH = frozenset({"said", "told", "wrote", "spoke", "says"})
# The fewest letters of a lower-case word ending in -ly taken for an adverb ("technically"), not a noun ("ally").
MIN_ADVERB = 6
# Words after which a lower-case word in -ed is a verb or participle ("released two reports", "published in"),
# not an adjective ("armed forces").
AFTER_VERB = frozenset({"the", "a", "an", "two", "three", "its", "their", "in", "by", "on", "to", "at", "for", "from"})


def group_words(source: SpacySpan) -> SpacySpan:
    """The words of a source phrase that name a group: up to the first word that starts a clause (a relative
    pronoun, conjunction or auxiliary, a past speech verb, an adverb in -ly, a comma), without a trailing
    determiner.

    The tagger's source spans sometimes run past the speaker into what follows; without a parser at run time the
    name is cut where a noun phrase cannot go on."""
    lexicon = cue_lexicon()
    end = source.start
    for token in source:
        lower = token.lower_
        if token.i > source.start and (
            lower in CLAUSE_WORDS
            or (lower in lexicon and (lower.endswith("ed") or lower in PAST_SPEECH))  # "reports" may be a noun
            or token.text in (",", ";", ":", "(", "—")
            or (lower.endswith("ly") and token.text.islower() and len(lower) >= MIN_ADVERB)
            or _verb_in_ed(token, source.end)
        ):
            break
        end = token.i + 1
    while end > source.start + 1 and source.doc[end - 1].lower_ in NOUN_PHRASE_OPENERS:
        end -= 1
    return source.doc[source.start : end]


# Words that open a noun phrase a relative pronoun may follow, and the most words such a phrase may have.
PHRASE_OPENERS = frozenset(
    {"the", "a", "an", "his", "her", "their", "its", "our", "some", "many", "several", "these", "those"}
)
MAX_PHRASE_WORDS = 4
PREPOSITIONS = frozenset(
    "in on at to for with by of about from during after before through via into onto over under across".split()
)


# Prepositions after which a source's words only place or affiliate the speaker named before them.
HEAD_PREPOSITIONS = frozenset({"of", "in", "on", "at", "from", "with"})


SUBJECT_PRONOUNS = frozenset({"i", "he", "she", "it", "we", "they", "you"})


def _opens_subject(token: SpacyToken) -> bool:
    """Whether a word right after a relative pronoun opens a noun phrase (``which the OECD says``, ``who Beck
    called``, ``which she called``), making the relative pronoun the cue's object; a verb or adverb there (``who
    has served``, ``who in 2010 said``) leaves it the subject."""
    if token.is_punct:
        return False
    return token.lower_ in PHRASE_OPENERS or token.lower_ in SUBJECT_PRONOUNS or token.text[:1].isupper()


def _phrase_before(doc: Doc, i: int) -> SpacySpan | None:
    """The noun phrase right before token ``i`` (past one comma), opened by a determiner within four words
    (``an architect``, ``the Saudi government``); None where there is no such phrase."""
    end = i - 1 if i > 0 and doc[i - 1].text == "," else i
    for start in range(end - 1, max(-1, end - 1 - MAX_PHRASE_WORDS), -1):
        if not doc[start].is_alpha:
            return None
        if doc[start].lower_ in PHRASE_OPENERS:
            return doc[start:end] if start < end - 1 else None
    return None


def _subject_phrase(words: SpacySpan) -> SpacySpan | None:
    """The noun phrase that ends ``words`` (the words of a sentence before a cue): back over at most four words,
    capitalized abbreviations (``S.E.C.``) and possessive marks, to a determiner or the sentence's start; None
    where a function word or punctuation comes first, or the phrase holds no word that is not a function word."""
    doc = words.doc
    opening = words.start
    while opening < words.end and (doc[opening].is_punct or doc[opening].is_space):
        opening += 1
    for start in range(words.end - 1, max(opening, words.end - MAX_PHRASE_WORDS) - 1, -1):
        token = doc[start]
        if token.lower_ in PHRASE_OPENERS:
            if start > opening and doc[start - 1].lower_ in PREPOSITIONS:
                # "Protesters marching through the streets chanted": the phrase a preposition takes is no subject
                return _plural_opening(doc, opening)
            phrase = doc[start : words.end]
            break
        possessive = token.text in ("'", "’", "'s", "’s")
        abbreviation = token.text[:1].isupper() and "." in token.text
        if not (token.is_alpha or possessive or abbreviation) or (token.is_stop and start > opening):
            return _plural_opening(doc, opening)
    else:
        if words.end - opening > MAX_PHRASE_WORDS or opening >= words.end:
            return _plural_opening(doc, opening) if opening < words.end else None
        phrase = doc[opening : words.end]
    if not any(t.is_alpha and not t.is_stop or "." in t.text for t in phrase if t.lower_ not in PHRASE_OPENERS):
        return None
    return phrase


def _plural_opening(doc: Doc, opening: int) -> SpacySpan | None:
    """A plural noun that opens a sentence (``Protesters marching through the streets chanted``), which is then
    most likely its subject; None for any other first word."""
    token = doc[opening]
    if token.is_alpha and token.text[:1].isupper() and not token.is_stop and not token.ent_type_ \
            and token.lower_.endswith("s") and not token.lower_.endswith("ss") and len(token) > 3:
        return doc[opening : opening + 1]
    return None


def _verb_in_ed(token: SpacyToken, end: int) -> bool:
    if not (token.text.islower() and token.text.endswith("ed") and len(token.text) >= 5):
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.i + 1 >= end or following is None or following.lower_ in AFTER_VERB or following.like_num


class SpeakerResolver:
    """Resolves source spans of one article, in text order, against its actors and the speakers so far."""

    def __init__(self, index: ActorIndex, text: str) -> None:
        self.index = index
        # The article's text, read once: ``Doc.text`` joins every token again at each call.
        self.text = text
        self.last_speaker: str | None = None

    def resolve(self, source: SpacySpan) -> str | None:
        """The actor id the source words stand for, or None for a pronoun with no compatible antecedent."""
        source = _without_trailers(source)
        text = source.text.strip()
        if not text:
            return None
        if text.lower() in RELATIVE_PRONOUNS:
            return self._relative_antecedent(source[0])
        if source[0].lower_ in RELATIVE_PRONOUNS and len(source) > 1 and _opens_subject(source[1]):
            # "which the Organization for Economic Cooperation and Development says", "who Beck called": the
            # pronoun is what the cue is about; the noun phrase after it is who speaks.
            return self.resolve(source[1:])
        if source[0].lower_ in ("who", "which"):
            # The tagger's source ran on from the pronoun into its clause ("Schiff, 56, who has served on the
            # Intelligence Committee for a decade, told"): the pronoun's antecedent, if any, else the words.
            antecedent = self._relative_antecedent(source[0])
            if antecedent is not None:
                return antecedent
        if is_pronoun(text):
            actor_id = self._antecedent(text.lower(), source.start_char)
            if actor_id is not None:
                self.index.add_mention(actor_id, source.start_char, source.end_char)
            return actor_id
        comma = next((t.i for t in source if t.text == "," and t.i > source.start), None)
        if comma is not None:
            head = source.doc[source.start : comma]  # "Jean-Marc Ayrault, the foreign minister of France"
            rest = source.doc[comma + 1 : source.end]
            if not self._names_person(head) and self._names_person(rest):
                head = rest  # "The state's campaign chairman, Phil Lovas,": the name is in apposition
            source = _without_trailers(head)
        mentions = self.index.mentions_in(source.start_char, source.end_char)
        if mentions:
            named = self._person_before_preposition(source, mentions)
            if named is not None:
                return named
            head = [m for m in mentions if m[1] >= source.end_char - 1]
            people = [m for m in mentions if self.index.kind(m[2]) == "person"]
            if head:
                return head[-1][2]
            if people:
                return people[0][2]
            return self._group(source, affiliation=self.index.name(mentions[-1][2]))
        titled = self._title_holder(text)
        if titled:
            return titled
        return self._group(source, affiliation=None)

    def turn_speaker(self, source: SpacySpan) -> str:
        """The person a transcript's turn is labelled with in capitals (``PENCE:``, ``JAKE TAPPER:``): the article's
        person of that surname, else a person of that name."""
        words = source.text.split()
        for draft in self.index.people():
            if draft.name.upper().split()[-len(words) :] == words or draft.name.upper().split()[-1:] == words[-1:]:
                actor_id = draft.id
                break
        else:
            actor_id = self.index.by_name(source.text.title(), "person") or self.index.new_actor(
                source.text.title(), "person"
            )
        self.index.add_mention(actor_id, source.start_char, source.end_char)
        return actor_id

    def _relative_antecedent(self, pronoun: SpacyToken) -> str | None:
        """The actor a relative pronoun stands for (``Fowler, who ..., said``): the name just before it, or before
        an apposition (``McConnell, now the Senate majority leader, who in 2010 said``); without a name there, the
        group the noun phrase before it names (``an architect who said``, ``the Saudi government, which``)."""
        offset = pronoun.idx
        before = self.index.mentions_before(offset)
        if before and offset - before[-1][1] <= 3:
            return before[-1][2]
        article = self.text
        heads = [
            m for m in before
            if offset - m[1] <= MAX_APPOSITION_CHARS and article[m[1] : m[1] + 1] == ","
            and not any(c in article[m[1] : offset] for c in ".!?;")
        ]
        people = [m for m in heads if self.index.kind(m[2]) == "person"]
        if heads:
            return (people or heads)[-1][2]
        phrase = _phrase_before(pronoun.doc, pronoun.i)
        return self._group(phrase, affiliation=None) if phrase is not None else None

    def _person_before_preposition(self, source: SpacySpan, mentions: list[tuple[int, int, str]]) -> str | None:
        """The person whose name a preposition follows in the source words (``Stephen Vladeck of the University of
        Texas School of Law``, ``Ben Jacobs in The Guardian``): the head of the phrase, which the words after the
        preposition only place; None where no person's name is followed by one."""
        doc = source.doc
        for start, end, actor_id in mentions:
            if self.index.kind(actor_id) != "person":
                continue
            name = doc.char_span(start, end, alignment_mode="expand")
            if name is not None and name.end < source.end and doc[name.end].lower_ in HEAD_PREPOSITIONS:
                return actor_id
        return None

    def _names_person(self, words: SpacySpan) -> bool:
        return any(self.index.kind(m[2]) == "person" for m in self.index.mentions_in(words.start_char, words.end_char))

    def subject_before(self, words: SpacySpan) -> str | None:
        """The actor that most likely is the subject of a cue the tagger found no source for: the first person
        named in the sentence before the cue, else the first actor named there; a name in the possessive
        (``Russia's parliament asked``) makes the whole phrase a group of that actor's."""
        doc = words.doc
        mentions = self.index.mentions_in(words.start_char, words.end_char)
        owners = {m for m in mentions if self.text[m[1] : m[1] + 2] in ("'s", "’s")}
        people = [m for m in mentions if self.index.kind(m[2]) == "person" and m not in owners]
        chosen = people[0] if people else mentions[0] if mentions else None
        if chosen is None:
            # No name: the noun phrase right before the cue (``the S.E.C. has been so vague about``,
            # ``Flight attendants' union endorses``), a group.
            phrase = _subject_phrase(words)
            return self._group(phrase, affiliation=None) if phrase is not None else None
        after = doc.char_span(chosen[0], chosen[1], alignment_mode="expand")
        if after is not None and after.end < words.end and doc[after.end].text in ("'s", "’s"):
            phrase = _without_trailers(doc[after.start : words.end])
            if len(phrase) > 2:
                return self._group(phrase, affiliation=self.index.name(chosen[2]))
        return chosen[2]

    def spoke(self, actor_id: str | None) -> None:
        """Record the speaker of the statement just made: later pronouns look here first."""
        if actor_id is not None:
            self.last_speaker = actor_id

    def _antecedent(self, pronoun: str, offset: int) -> str | None:
        allowed = pronoun_kinds()[pronoun]
        if self.last_speaker and self.index.kind(self.last_speaker) in allowed:
            return self.last_speaker
        for _, _, actor_id in reversed(self.index.mentions_before(offset)):
            if self.index.kind(actor_id) in allowed:
                return actor_id
        return None

    def _title_holder(self, text: str) -> str | None:
        words = tuple(DETERMINERS.sub("", text.lower()).split())
        if words not in titles():
            return None
        for draft in reversed(self.index.people()):
            if any(tuple(t.lower().split()) == words for t in draft.titles):
                return draft.id
        return None

    def _group(self, source: SpacySpan, affiliation: str | None) -> str | None:
        source = group_words(source)
        name = clean_name(DETERMINERS.sub("", source.text.strip()))
        if not name or not any(ch.isalpha() for ch in name):
            return None
        kind: ActorKind = "group"
        actor_id = self.index.by_name(name) or self.index.new_actor(name, kind, affiliation=affiliation)
        self.index.add_mention(actor_id, source.start_char, source.end_char)
        return actor_id
