"""Counts, amounts and percentages in an article, with character offsets into its text.

A quantity is a number (digits, number words, a vague count such as "dozens", a fraction such as "a third of"),
what bounds it (the qualifier: "more than", "about", from ``data/quantities/qualifiers.txt``) and what it counts
(the unit: a currency code, "percent", or the head noun counted, "troops"). Years, dates, times, ordinals, ages
and numbers that are part of a name ("Flight 370", "G-7") are not quantities: dates belong to ``dates.py``.

Vague counts are read as their lower bound and keep their wording as the qualifier: "dozens" is 24 with qualifier
"dozens", "tens of thousands" is 20,000 with qualifier "tens of thousands" (see ``data/quantities/vague.tsv``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Iterable, Literal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from text_to_num import text2num

from claimledger.extract.words import ARTICLES, DEMONSTRATIVES, POSSESSIVES
from claimledger.models import Quantity

CoreKind = Literal["number", "vague", "fraction"]

# Entity labels whose numbers are not counts: dates, times and ordinals belong elsewhere; inside a name
# ("Boeing 737", "Channel 4") a number is part of the name.
_TIME_LABELS = frozenset({"DATE", "TIME", "ORDINAL"})
_NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]+)?$", re.IGNORECASE)
_YEAR = re.compile(r"^(1[0-9]|20)\d\d$")
# "a"/"an"/"one" stand for 1 before a scale word or a fraction ("a million", "a third of").
_ONE_WORDS = frozenset({"a", "an", "one"})
_MONTHS = frozenset(
    name.casefold().rstrip(".")
    for name in (*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept")
)
# Words between the two bounds of a range ("five to six million", "3-4 billion").
_RANGE_JOINERS = frozenset({"to", "-", "\u2013", "or"})
# How far (in tokens) a counted noun may sit after its number, across adjectives and compounds
# ("150,000 Russian combat troops").
_MAX_UNIT_GAP = 4
# A small number set off by commas after a name is an age ("Smith, 45, said").
_MAX_AGE = 120
# Word classes read from the fine-grained tags, which the tagger gives, rather than from ``pos_``, which needs the
# attribute ruler too (a fifth of the syntax pass); the ruler maps exactly these tags to PROPN and NOUN.
_PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})
_NOUN_TAGS = frozenset({"NN", "NNS"})
_NOUN_OR_NAME_TAGS = _NOUN_TAGS | _PROPER_NOUN_TAGS


@dataclass(frozen=True)
class _Lexicon:
    qualifiers: tuple[tuple[str, ...], ...]  # longest first
    # The qualifiers by their last word, longest first: the word before a number picks the few that may end there.
    qualifier_ends: dict[str, tuple[tuple[str, ...], ...]]
    scales: dict[str, tuple[Decimal, bool]]  # form -> (multiplier, glued only)
    vague: dict[tuple[str, ...], tuple[Decimal, str]]  # words -> (base, kind)
    fractions: dict[str, Decimal]
    currencies: dict[str, tuple[str, str]]  # form -> (code, where)
    percents: dict[tuple[str, ...], str]  # words -> unit
    eras: frozenset[str]
    age_cues: tuple[tuple[str, ...], ...]
    # The phrases of ``vague`` and ``percents`` by their first word: every token is tried as the start of one.
    vague_starts: dict[str, tuple[tuple[str, ...], ...]]
    percent_starts: dict[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class _Core:
    """The number itself: tokens ``start``..``end`` (exclusive), ending at character ``end_char``."""

    start: int
    end: int
    end_char: int
    value: Decimal
    kind: CoreKind
    vague_words: str | None = None


def _rows(name: str) -> list[list[str]]:
    text = resources.files("claimledger").joinpath("data", "quantities", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _lexicon() -> _Lexicon:
    """The curated tables, read once per process."""
    qualifiers = sorted((tuple(row[0].split()) for row in _rows("qualifiers.txt")), key=len, reverse=True)
    vague = {tuple(form.split()): (Decimal(base), kind) for form, base, kind in _rows("vague.tsv")}
    percents = {tuple(form.split()): unit for form, unit in _rows("percent.tsv")}
    return _Lexicon(
        qualifiers=tuple(qualifiers),
        qualifier_ends=_by_last_word(qualifiers),
        scales={form: (Decimal(mult), glued == "yes") for form, mult, glued in _rows("scales.tsv")},
        vague=vague,
        fractions={form: Decimal(value) for form, value in _rows("fractions.tsv")},
        currencies={form: (code, where) for form, code, where in _rows("currencies.tsv")},
        percents=percents,
        eras=frozenset(row[0] for row in _rows("eras.txt")),
        age_cues=tuple(tuple(row[0].split()) for row in _rows("age_cues.txt")),
        vague_starts=_by_first_word(vague),
        percent_starts=_by_first_word(percents),
    )


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(group) for word, group in index.items()}


def _by_last_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(group) for word, group in index.items()}


@cache
def _number_word(word: str) -> int | None:
    """The value of one English number word ("seven", "million"), or None when it is not one."""
    if not word.isalpha():
        return None
    try:
        return text2num(word, "en")
    except ValueError:
        return None


def _words_value(words: list[str]) -> int | None:
    try:
        return text2num(" ".join(words), "en")
    except ValueError:
        return None


def _match_words(doc: Doc, i: int, starts: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """Token count of the longest phrase that starts at token ``i`` (0 when none does), of the phrases indexed by
    their first word in ``starts``."""
    if i >= len(doc):
        return 0
    best = 0
    for phrase in starts.get(doc[i].lower_, ()):
        n = len(phrase)
        if n > best and i + n <= len(doc) and all(doc[i + k].lower_ == phrase[k] for k in range(n)):
            best = n
    return best


def _phrase_ends_at(doc: Doc, i: int, phrase: tuple[str, ...]) -> bool:
    """Whether the tokens right before token ``i`` are ``phrase`` (lowercase words)."""
    n = len(phrase)
    return i >= n and tuple(t.lower_ for t in doc[i - n : i]) == phrase


def _glued(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is written against the token before it, with no space."""
    return i > 0 and not doc[i - 1].whitespace_


def _scale_at(doc: Doc, i: int, lex: _Lexicon) -> tuple[Decimal, int] | None:
    """The multiplier of a scale token at ``i`` and the character where it ends, or None."""
    if i >= len(doc):
        return None
    token = doc[i]
    form = token.lower_
    if form not in lex.scales and form.endswith("."):
        # A sentence-final period is merged into an abbreviation token ("€5m." -> "m."): it is not the scale's.
        form = form.rstrip(".")
    if form not in lex.scales:
        return None
    multiplier, glued_only = lex.scales[form]
    if glued_only and not _glued(doc, i):
        return None
    return multiplier, token.idx + len(form)


def _read_scales(doc: Doc, i: int, end_char: int, lex: _Lexicon) -> tuple[Decimal, int, int]:
    """Multiply through the scale words from ``i`` on: (multiplier, next token, end character)."""
    multiplier = Decimal(1)
    while (scale := _scale_at(doc, i, lex)) is not None:
        multiplier *= scale[0]
        end_char = scale[1]
        i += 1
    return multiplier, i, end_char


def _read_digits(doc: Doc, i: int, lex: _Lexicon) -> _Core | None:
    match = _DIGITS.match(doc[i].text)
    if match is None:
        return None
    try:
        value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
    except InvalidOperation:
        return None
    suffix = (match.group(3) or "").lower()
    if suffix:
        # Digits written with their multiplier in one token ("3.5bn", "150k"); any other suffix ("3D", "5G") is a
        # name, not a number.
        if suffix not in lex.scales or not lex.scales[suffix][1]:
            return None
        value *= lex.scales[suffix][0]
    multiplier, end, end_char = _read_scales(doc, i + 1, doc[i].idx + len(doc[i].text), lex)
    return _Core(i, end, end_char, value * multiplier, "number")


def _read_number_words(doc: Doc, i: int, lex: _Lexicon, syntax: _Syntax) -> _Core | None:
    """A run of number words ("twenty-five", "one hundred and five", "a million", "two dozen")."""
    first = doc[i].lower_
    if first in _ONE_WORDS and first != "one":
        # "a million", "a dozen": the article stands for one, but only before a written-out scale word.
        scale = _scale_at(doc, i + 1, lex)
        if scale is None or lex.scales[doc[i + 1].lower_.rstrip(".")][1]:
            return None
        multiplier, end, end_char = _read_scales(doc, i + 1, scale[1], lex)
        return _Core(i, end, end_char, multiplier, "number")
    if first in lex.scales:
        return None  # a bare "hundred" or "million" is not a count by itself
    words: list[str] = []
    j = i
    while j < len(doc):
        word = doc[j].lower_
        # Only number words the tagger reads as numbers: "ones" and "none" are pronouns.
        if _number_word(word) is not None and syntax.is_cd(doc[j]):
            words.append(word)
            j += 1
        elif words and word in {"-", "and"} and j + 1 < len(doc) and _number_word(doc[j + 1].lower_) is not None:
            j += 1  # "twenty-five", "one hundred and five": joiners inside one number
        else:
            break
    value = _words_value(words) if words else None
    if value is None:
        return None
    multiplier, end, end_char = _read_scales(doc, j, doc[j - 1].idx + len(doc[j - 1].text), lex)
    return _Core(i, end, end_char, Decimal(value) * multiplier, "number")


def _read_fraction(doc: Doc, i: int, lex: _Lexicon) -> _Core | None:
    """ "a third of", "two-thirds of", "half of": a fraction is only read when "of" follows it."""
    numerator, j = Decimal(1), i
    first = doc[i].lower_
    if first in _ONE_WORDS:
        j = i + 1
    elif (value := _number_word(first)) is not None and value < 100:
        numerator, j = Decimal(value), i + 1
    if j < len(doc) and doc[j].text == "-" and j > i:
        j += 1
    if j >= len(doc) or doc[j].lower_ not in lex.fractions:
        return None
    if j == i and doc[j].lower_ != "half":
        return None  # "third of" without a numerator is an ordinal ("the third of five")
    fraction = numerator * lex.fractions[doc[j].lower_]
    if j + 2 < len(doc) and doc[j + 1].lower_ in _ONE_WORDS and (scale := _scale_at(doc, j + 2, lex)) is not None:
        # "half a dozen", "half a million": a fraction of a scale word is a count.
        multiplier, end, end_char = _read_scales(doc, j + 2, scale[1], lex)
        return _Core(i, end, end_char, fraction * multiplier, "number")
    if j + 1 >= len(doc) or doc[j + 1].lower_ != "of":
        return None
    end = doc[j].idx + len(doc[j].text)
    return _Core(i, j + 1, end, fraction, "fraction")


def _read_vague(doc: Doc, i: int, lex: _Lexicon) -> _Core | None:
    """ "dozens", "tens of thousands", "several hundred", "a few thousand"."""
    n = _match_words(doc, i, lex.vague_starts)
    if n == 0:
        return None
    base, kind = lex.vague[tuple(t.lower_ for t in doc[i : i + n])]
    j = i + n
    if kind == "multiplier":
        multiplier, end, end_char = _read_scales(doc, j, 0, lex)
        if end == j:
            return None  # "several" alone is no number
        return _Core(i, end, end_char, base * multiplier, "vague", doc[i:j].text.lower())
    value = 2 * base
    # Chained plurals: "tens of thousands", "hundreds of millions".
    while j + 1 < len(doc) and doc[j].lower_ == "of" and (doc[j + 1].lower_,) in lex.vague:
        next_base, next_kind = lex.vague[(doc[j + 1].lower_,)]
        if next_kind != "plural":
            break
        value = value * next_base
        j += 2
    end_char = doc[j - 1].idx + len(doc[j - 1].text)
    return _Core(i, j, end_char, value, "vague", doc[i:j].text.lower())


@cache
def _may_start(word: str) -> bool:
    """Whether a quantity may start at a token of this lower-cased form: the readers of ``_read_core`` each look
    at it first, and most words are none of these."""
    lex = _lexicon()
    return (word[:1].isdigit() or word in _ONE_WORDS or word in lex.vague_starts or word in lex.fractions
            or _number_word(word) is not None)


def _read_core(doc: Doc, i: int, lex: _Lexicon, syntax: _Syntax) -> _Core | None:
    core = (
        _read_fraction(doc, i, lex)
        or _read_vague(doc, i, lex)
        or _read_digits(doc, i, lex)
        or _read_number_words(doc, i, lex, syntax)
    )
    if core is not None and core.kind == "number":
        return replace(core, value=core.value * _range_scale(doc, core, lex, syntax))
    return core


def _range_scale(doc: Doc, core: _Core, lex: _Lexicon, syntax: _Syntax) -> Decimal:
    """The scale the first number of a range shares with the second: in "five to six million", "five" means five
    million. 1 when the number is no such first bound."""
    if _scale_at(doc, core.end - 1, lex) is not None or core.end + 1 >= len(doc):
        return Decimal(1)
    if doc[core.end].lower_ not in _RANGE_JOINERS:
        return Decimal(1)
    second = _read_digits(doc, core.end + 1, lex) or _read_number_words(doc, core.end + 1, lex, syntax)
    if second is None:
        return Decimal(1)
    multiplier = Decimal(1)
    i = second.end - 1
    while i > core.end + 1 and (scale := _scale_at(doc, i, lex)) is not None and not _glued(doc, i):
        multiplier *= scale[0]
        i -= 1
    return multiplier


def _is_number_token(token: Token, lex: _Lexicon) -> bool:
    form = token.lower_.rstrip(".")
    return bool(
        _DIGITS.match(token.text)
        or _number_word(form) is not None
        or form in lex.scales
        or form in lex.currencies
        or form in _ONE_WORDS
        or not token.is_alpha
    )


def _neighbours(doc: Doc, core: _Core) -> tuple[Token | None, Token | None]:
    before = doc[core.start - 1] if core.start > 0 else None
    after = doc[core.end] if core.end < len(doc) else None
    return before, after


def _in_date_or_name(doc: Doc, core: _Core, lex: _Lexicon) -> bool:
    """Whether spaCy tags the number as (part of) a date, time or ordinal, or it sits inside a name ("Boeing 737"),
    or next to a month name that spaCy missed ("Feb. 16")."""
    for token in doc[core.start : core.end]:
        if token.ent_type_ in _TIME_LABELS and not (core.kind == "fraction" and token.ent_type_ == "ORDINAL"):
            return True
        if token.ent_type_ in _NAME_LABELS:
            entity = next(e for e in doc.ents if e.start <= token.i < e.end)
            if not all(_is_number_token(t, lex) for t in entity):
                return True
    # Capitalized only: "may" and "march" are also a verb and a noun ("up to 10 may have died").
    return any(t is not None and t.is_title and t.lower_.rstrip(".") in _MONTHS for t in _neighbours(doc, core))


def _is_year(doc: Doc, core: _Core, lex: _Lexicon, syntax: _Syntax) -> bool:
    """ "198 AD", "198-199AD", or a bare 4-digit number from 1000 to 2099 that counts nothing ("in 2014", but not
    "1500 troops" or "$2000")."""
    following = doc[core.end : core.end + 3]
    if any(t.lower_.lstrip("0123456789") in lex.eras for t in following if t.text not in {"-", "\u2013"}):
        return True
    before, after = _neighbours(doc, core)
    has_currency = before is not None and before.lower_ in lex.currencies
    single = core.end - core.start == 1
    if not single or not _YEAR.match(doc[core.start].text) or has_currency:
        return False
    return not syntax.counts_something(after)


def _is_age(doc: Doc, core: _Core, lex: _Lexicon, syntax: _Syntax) -> bool:
    """ "Eduard Nitz, 13, ...", "Islam (pictured), 17, ...", "at the age of nine": an age describes a person."""
    if any(_phrase_ends_at(doc, core.start, cue) for cue in lex.age_cues):
        return True
    before, _ = _neighbours(doc, core)
    if before is None or before.text != "," or core.start < 2 or core.value >= _MAX_AGE:
        return False
    return syntax.is_age_set_off(doc, core)


def _is_compound_adjective(doc: Doc, core: _Core) -> bool:
    """A number word joined to a word makes an adjective ("one-party state", "four-legged"), not a count; digits so
    joined still measure ("16-foot crater")."""
    last = doc[core.end - 1]
    _, after = _neighbours(doc, core)
    if after is None or after.text != "-" or last.whitespace_ or not last.is_alpha:
        return False
    return core.end + 1 < len(doc) and _number_word(doc[core.end + 1].lower_) is None


def _is_label(doc: Doc, core: _Core, lex: _Lexicon, syntax: _Syntax) -> bool:
    """A number that names rather than counts: "G-7", "MH-17", "Flight 370", "page 4", "floors 25 and 26", a code
    with leading zeros ("007") or a value assigned in script text that leaked into the article ("width = 468")."""
    before, _ = _neighbours(doc, core)
    first = doc[core.start].text
    if (len(first) > 1 and first[0] == "0" and first[1].isdigit()) or (before is not None and before.text == "="):
        return True
    if before is not None and before.text in {"-", "/", "#"} and _glued(doc, core.start) and core.start > 1:
        if _glued(doc, core.start - 1) and doc[core.start - 2].text[-1:].isalpha():
            return True
    if before is not None and before.lower_ in lex.currencies:
        return False  # "RMB 70,000" is parsed as a label of "RMB" but is an amount
    return syntax.is_label_of_noun(doc, core)


def _is_label_of_noun(doc: Doc, core: _Core) -> bool:
    """Whether the parse makes the number a label of the noun right before it ("Flight 370")."""
    last, label_start = doc[core.end - 1], core.start
    while last.dep_ == "conj" and last.head.like_num and last.head.i < last.i:
        last = last.head  # "floors 25 and 26": the second number labels the same noun as the first
        label_start = last.i
    head = last.head
    if head.tag_ not in _NOUN_OR_NAME_TAGS or last.dep_ not in {"nummod", "appos", "npadvmod"}:
        return False
    # Right after its noun ("Flight 370"), or set off by a comma after a name ("Smith, 45,").
    after_comma = label_start > 1 and doc[label_start - 1].text == ","
    return head.i == label_start - 1 or (head.tag_ in _PROPER_NOUN_TAGS and head.i == label_start - 2 and after_comma)


def _excluded(doc: Doc, core: _Core, lex: _Lexicon, syntax: _Syntax) -> bool:
    """Whether the number is a date, time, ordinal, year, age, label or part of a name rather than a count."""
    if _in_date_or_name(doc, core, lex):
        return True
    if core.kind != "number":
        return False
    first = doc[core.start]
    if core.end - core.start == 1 and first.lower_ == "one" and not syntax.one_counts(first):
        return True  # "one of them", "the one who": a pronoun, not a count
    return (
        _is_year(doc, core, lex, syntax)
        or _is_age(doc, core, lex, syntax)
        or _is_compound_adjective(doc, core)
        or _is_label(doc, core, lex, syntax)
    )


def _qualifier_before(doc: Doc, start: int, core: _Core, lex: _Lexicon, syntax: _Syntax) -> int:
    """Token count of the qualifier that ends right before token ``start`` and bounds this number (0 if none)."""
    best = 0
    if start == 0:
        return 0
    for phrase in lex.qualifier_ends.get(doc[start - 1].lower_, ()):
        n = len(phrase)
        if n <= best or not _phrase_ends_at(doc, start, phrase):
            continue
        span = doc[start - n : start]
        numeric_entity = all(t.ent_type_ in {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"} for t in span)
        # A one-word qualifier may be the verb's preposition instead ("walked around 20 villages"): take it only
        # where the parse attaches it to the number. Phrases ("up to", "more than") are qualifiers wherever they
        # stand, and the parse often hangs them on the verb ("controls up to a third of").
        if n > 1 or numeric_entity or syntax.qualifier_attached(span, start, core):
            best = n
    return best


def _qualifier_attached(span: Span, start: int, core: _Core) -> bool:
    """Whether the parse attaches the words of ``span`` (before token ``start``) to the number."""
    inside = set(range(start - len(span), core.end))
    return all(t.head.i in inside or t.head.i >= core.end for t in span) and span[-1].head.i >= start


def _unit_after(doc: Doc, core: _Core, end: int) -> Token | None:
    """The noun the number counts: the noun it modifies, or with a vague count or a fraction the object of "of"."""
    candidates: list[Token] = []
    if core.kind != "number" and end < len(doc) and doc[end].lower_ == "of":
        # "two-thirds of the adult population overweight": what the fraction is of comes first.
        candidates.extend(child for child in doc[end].children if child.dep_ == "pobj")
    for token in doc[core.start : core.end]:
        head = token.head
        if head.i >= end and token.dep_ in {"nummod", "compound", "quantmod", "amod", "nmod"}:
            candidates.append(head)
    if end < len(doc) and doc[end].tag_ == "NNS":
        # When the parse attaches the number elsewhere ("5m people" parsed as an apposition), a plural noun right
        # after it is still what it counts.
        candidates.append(doc[end])
    for noun in candidates:
        # A common noun, or a plural name ("dozens of Kurds").
        if noun.tag_ not in _NOUN_TAGS | {"NNPS"} or noun.i - end > _MAX_UNIT_GAP:
            continue
        if noun.ent_type_ in _TIME_LABELS:
            continue
        between = doc[end : noun.i]
        # Only the noun's own modifiers may stand between ("150,000 Russian troops", "dozens of the vehicles").
        if all(noun.is_ancestor(t) or (t.i == end and t.lower_ == "of") for t in between) and not any(
            t.is_punct and t.tag_ != "HYPH" for t in between
        ):
            return noun
    return None


def _suffix(doc: Doc, i: int, lex: _Lexicon) -> tuple[str, str, int] | None:
    """A percent sign or word or a currency word at token ``i``: (unit, kind, tokens used)."""
    n = _match_words(doc, i, lex.percent_starts)
    if n:
        return lex.percents[tuple(t.lower_ for t in doc[i : i + n])], "percent", n
    if i < len(doc) and (currency := lex.currencies.get(doc[i].lower_)) is not None:
        code, where = currency
        if where == "suffix" or (where == "suffix-money" and doc[i].ent_type_ == "MONEY"):
            return code, "currency", 1
    return None


def _find(doc: Doc, syntax: _Syntax) -> list[Quantity]:
    """``find_quantities`` with its readings of the parse made by ``syntax``."""
    lex = _lexicon()
    found: list[Quantity] = []
    i = taken = 0  # tokens before ``taken`` belong to a quantity already found
    words = [token.lower_ for token in doc]
    while i < len(doc):
        core = _read_core(doc, i, lex, syntax) if _may_start(words[i]) else None
        if core is None or _excluded(doc, core, lex, syntax):
            i += 1
            continue
        start = core.start
        unit: str | None = None
        end, end_char = core.end, core.end_char
        if start > taken and core.kind == "number" and doc[start].lower_ not in _ONE_WORDS:
            currency = lex.currencies.get(doc[start - 1].lower_)
            if currency is not None and currency[1] == "prefix":
                unit, start = currency[0], start - 1
        suffix = _suffix(doc, end, lex)
        if suffix is not None and (unit is None or suffix[1] == "percent"):
            unit = suffix[0]
            end += suffix[2]
            end_char = doc[end - 1].idx + len(doc[end - 1].text)
        if unit is None and end < len(doc) and _glued(doc, end) and doc[end].is_alpha and core.kind == "number":
            # A unit written against the digits ("4GB", "28nm") is what they measure.
            unit = doc[end].lower_
            end, end_char = end + 1, doc[end].idx + len(doc[end].text)
        if unit is None:
            noun = syntax.unit_after(doc, core, end)
            if noun is not None:
                unit = noun.text if noun.tag_ in _PROPER_NOUN_TAGS else noun.lower_
                end, end_char = noun.i + 1, noun.idx + len(noun.text)
        # A sign between two amounts ("1.5 € 1.5") went to the first as its suffix; nothing of it is the second's.
        n_qualifier = min(_qualifier_before(doc, start, core, lex, syntax), start - taken)
        qualifier = doc[start - n_qualifier : start].text.lower() if n_qualifier else core.vague_words
        start -= n_qualifier
        start_char = doc[start].idx
        found.append(
            Quantity(
                text=doc.text[start_char:end_char],
                value=float(core.value),
                unit=unit,
                qualifier=qualifier,
                span=(start_char, end_char),
            )
        )
        i = taken = end
    return found


class _Parsed:
    """The readings of ``find_quantities`` that need the syntax pass, taken from its tags and dependencies."""

    @staticmethod
    def is_cd(token: Token) -> bool:
        return token.tag_ == "CD"

    @staticmethod
    def one_counts(token: Token) -> bool:
        return token.dep_ == "nummod"

    @staticmethod
    def counts_something(after: Token | None) -> bool:
        return after is not None and after.tag_ == "NNS"

    @staticmethod
    def is_age_set_off(doc: Doc, core: _Core) -> bool:
        """Whether a number after a comma follows a name and comes before no noun ("Smith, 45, said")."""
        named = doc[core.start - 2].tag_ in _PROPER_NOUN_TAGS or doc[core.start - 2].text == ")"
        _, after = _neighbours(doc, core)
        return named and (after is None or after.tag_ not in _NOUN_OR_NAME_TAGS)

    is_label_of_noun = staticmethod(_is_label_of_noun)
    qualifier_attached = staticmethod(_qualifier_attached)
    unit_after = staticmethod(_unit_after)


_Syntax = type[_Parsed] | type["_Unparsed"]


class _NeedsParse(Exception):
    """Raised where telling a reading needs the syntax pass."""


# Words that are never a noun, so no number's head, nor what a number counts: determiners, pronouns,
# prepositions, conjunctions and auxiliaries.
_FUNCTION_WORDS = frozenset(
    "a an the this that these those his her its their our my your some any each every no all both of in on at to "
    "from by for with about over under than into onto upon after before since during between among against within "
    "without through across near and or but nor as if while because who whom whose which what when where why how "
    "is are was were be been being am has have had do does did would shall should could may might not".split()
)
_COORDINATING = frozenset({"and", "or", "but", "nor"})
_DETERMINERS = ARTICLES | DEMONSTRATIVES | POSSESSIVES | {"some", "any", "each", "every", "no", "all", "both"}
# Plural nouns that do not end in "s".
_IRREGULAR_PLURALS = frozenset({"people", "men", "women", "children"})
_DASHES = frozenset({"-", "\u2013", "\u2014", "/"})


def _closes(token: Token) -> bool:
    """Whether ``token`` is punctuation that no parse lets a noun phrase run across (dashes may be hyphens)."""
    return token.is_punct and token.text not in _DASHES


def _surely_plural_noun(token: Token) -> bool:
    """Whether the tagger reads ``token`` as a plural common noun (NNS), as far as its form tells."""
    word = token.text
    if not word.isalpha() or not word.islower() or word in _FUNCTION_WORDS:
        return False
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


class _Unparsed:
    """The same readings from tokens and entities alone, where their form settles them; ``_NeedsParse`` elsewhere."""

    @staticmethod
    def is_cd(token: Token) -> bool:
        if token.lower_ == "one":
            if _before_of(token):
                return True  # read as a number or not, it is no count (``one_counts``): either way no quantity
            raise _NeedsParse
        if token.is_lower:
            return True  # any other number word in lowercase ("two", "hundred") is read as a number
        raise _NeedsParse

    @staticmethod
    def one_counts(token: Token) -> bool:
        if _before_of(token):
            return False  # "one of them": a pronoun
        raise _NeedsParse

    @staticmethod
    def counts_something(after: Token | None) -> bool:
        if after is None or _closes(after) or after.lower_ in _FUNCTION_WORDS:
            return False
        raise _NeedsParse

    @staticmethod
    def is_age_set_off(doc: Doc, core: _Core) -> bool:
        raise _NeedsParse

    @staticmethod
    def is_label_of_noun(doc: Doc, core: _Core) -> bool:
        if core.start == 0:
            return False
        before = doc[core.start - 1]
        if before.lower_ in _FUNCTION_WORDS and before.lower_ not in _COORDINATING:
            return False  # no noun right before the number for it to label, nor a list it ends
        word = before.text
        if word.isalpha() and word.islower() and len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
            return False  # a past participle or verb ("killed 300 people") is no noun
        raise _NeedsParse

    @staticmethod
    def qualifier_attached(span: Span, start: int, core: _Core) -> bool:
        raise _NeedsParse

    @staticmethod
    def unit_after(doc: Doc, core: _Core, end: int) -> Token | None:
        if end >= len(doc) or _closes(doc[end]):
            return None  # no noun it could count: one would lie across the punctuation
        noun = end
        if core.kind != "number" and doc[end].lower_ == "of":
            noun = end + 1  # "dozens of vehicles": what the count is of
        if noun < len(doc) and _surely_plural_noun(doc[noun]) and doc[noun].ent_type_ not in _TIME_LABELS:
            after = noun + 1
            # Not before a determiner: "three times the rate" counts the rate.
            following = doc[after].lower_ if after < len(doc) else ""
            if not following or _closes(doc[after]) or (following in _FUNCTION_WORDS and following not in _DETERMINERS):
                return doc[noun]  # a plural noun right after the number that ends its phrase
        raise _NeedsParse


def _before_of(token: Token) -> bool:
    return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "of"


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every quantity in ``doc``, in text order, each with ``doc.text[q.span[0]:q.span[1]] == q.text``.

    The span runs from the qualifier (or currency sign) to the number, its percent sign or currency word, and the
    counted noun when there is one ("more than 150,000 troops", "about 40%", "$1.2 billion", "dozens of vehicles").
    """
    return _find(doc, _Parsed)


def find_quantities_unparsed(sentence: Doc) -> list[Quantity] | None:
    """The quantities of ``sentence`` (a Doc of one sentence from the cheap pass: tokens and entities, no tags, no
    parse) as ``find_quantities`` gives them once the syntax pass has read it, or None when telling them needs the
    parse.

    Most quantities in news are plain: digits with a currency sign, a percent, or a plural noun right after them
    that ends the phrase ("more than 150,000 troops."), or nothing they could count ("rose 5.2%."). The parse is
    needed for number words (the tagger tells "one" the count from "one" the pronoun), a one-word qualifier that
    may be the verb's preposition, a noun before the number that it may label, a comma before it (an age), and a
    noun after it that may not be what it counts."""
    try:
        return _find(sentence, _Unparsed)
    except _NeedsParse:
        return None


def find_quantities_in_text(text: str, nlp: Language) -> list[Quantity]:
    """The quantities in ``text``, parsed with ``nlp`` (which needs its tagger, parser and NER)."""
    return find_quantities(nlp(text))


def may_hold_quantity(tokens: Span) -> bool:
    """Whether ``find_quantities`` could read any quantity in ``tokens`` (from the cheap pass: no tags needed): a
    token with a digit ("12m"), a number word, a vague count ("several"), or a fraction before "of" ("half of").
    A wide test: a number word the tagger reads as a pronoun ("one") passes it."""
    lex = _lexicon()
    doc = tokens.doc
    for token in tokens:
        word = token.lower_
        if any(c.isdigit() for c in word) or word in lex.vague_starts or _number_word(word) is not None:
            return True
        if word in lex.fractions and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
            return True
    return False


@cache
def qualifier_last_words() -> frozenset[str]:
    """The last words of the qualifiers ("least" of "at least"): a number after one is meant as a count."""
    return frozenset(_lexicon().qualifier_ends)
