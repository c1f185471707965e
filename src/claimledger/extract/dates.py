"""Temporal expressions in news text, normalized against the article's publication date.

``find_dates`` finds calendar expressions ("Feb. 16", "said Wednesday", "last year", "the third quarter", "the
1990s", "now") and gives each a TIMEX3-style value at the granularity the text gives: ``2022``, ``2022-02``,
``2022-02-16``, ``2022-W07``, ``2022-Q3``, ``2022-SU``, ``199`` (a decade), ``PRESENT_REF``. Durations ("the
last several months") and clock times are left out on purpose.

Candidates are found with one precompiled regular expression, because ``dateparser.search`` finds spans poorly in
running text (it takes bare numbers and clock times for dates) and is too slow to run on every article. Month and
weekday names come from dateutil, spelled-out counts ("five months ago") are read by dateparser, and the other
words live in ``claimledger/data/dates/lexicon.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, Iterator

import dateparser
from dateutil import relativedelta as relativedelta_weekdays
from dateutil.easter import easter
from dateutil.parser import parserinfo
from dateutil.relativedelta import relativedelta

from claimledger.models import DateMention

Anchor = dt.date | dt.datetime | str | None

_LEXICON = tomllib.loads(resources.files("claimledger").joinpath("data/dates/lexicon.toml").read_text("utf-8"))
_INFO = parserinfo()
_REFERENCES: dict[str, str] = _LEXICON["references"]
_ORDINALS: dict[str, int] = _LEXICON["ordinals"]
_SEASONS: dict[str, str] = _LEXICON["seasons"]
_DECADES: dict[str, int] = _LEXICON["decades"]
_HOLIDAYS: dict[str, dict[str, int | str]] = _LEXICON["holidays"]
_NUMBERS: dict[str, int] = _LEXICON["numbers"]


def _alternation(words: Iterable[object]) -> str:
    """A regex alternation of ``words``, longest first so that the longest spelling wins."""
    spelled = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in spelled)


def _month_pattern(dotless_abbreviations: bool) -> str:
    # Names are matched case-sensitively: "may" and "march" in lower case are a verb, not a month. A bare
    # abbreviation without its dot is a month only next to a day or year ("Jan Kavan" is a name).
    full = [names[-1] for names in _INFO.MONTHS]
    short = [name for names in _INFO.MONTHS for name in names[:-1] if name not in full]
    dot = r"(?:\.|\b)" if dotless_abbreviations else r"\."
    return rf"(?-i:(?:{_alternation(full)})\b|(?:{_alternation(short)}){dot})"


_MONTH = _month_pattern(dotless_abbreviations=True)
_MONTH_ALONE = _month_pattern(dotless_abbreviations=False)
_WEEKDAY = rf"(?-i:(?:{_alternation(names[-1] for names in _INFO.WEEKDAYS)})\b)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?!:\d|\.\d|,\d)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)\b(?!\s*%|\s+percent|,\d|\.\d)"
_ORDINAL = _alternation(_ORDINALS)
_SEASON = _alternation(_SEASONS)
_REL = r"(?:last|this|next|this\s+past|this\s+coming|the\s+current|the\s+previous|the\s+following)"
_EDGE = r"(?:early|mid|late|the\s+(?:beginning|start|middle|end)\s+of|(?:earlier|later)(?:\s+in)?)"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_COUNT = rf"(?:\d+|a|an|{_alternation(_NUMBERS)})"
_UNIT = r"(?:day|week|month|year|decade)s?"
_ONES = _alternation(w for w, n in _NUMBERS.items() if n < 10)
_TEENS = _alternation(w for w, n in _NUMBERS.items() if 10 <= n < 20)
_TENS = _alternation(w for w, n in _NUMBERS.items() if n >= 20)
_SPAN_PREPOSITION = r"(?:in|over|for|during|within)"
_SPOKEN_YEAR = (
    rf"\b(?:nineteen|eighteen|twenty)[-\s]+(?:(?:{_TENS})(?:[-\s]+(?:{_ONES}))?|{_TEENS}|hundred)\b"
    rf"|\bthe\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?:{_ONES}|{_TEENS}))?\b"
)


# Alternatives in priority order: where two start at the same place, the first listed wins, so longer forms come
# first. ``skip`` alternatives are durations and times that would otherwise leave a fragment behind ("the last
# several months" must not yield "last ... months"); they are consumed and dropped.
_PATTERNS: dict[str, str] = {
    "skip_duration": rf"\b(?:{_SPAN_PREPOSITION}\s+)?(?:the\s+)?(?:past|last|next|coming|previous|following)\s+"
    rf"{_COUNT}\s+(?:days|weeks|months|years|decades|quarters)\b"
    rf"|\b(?:{_SPAN_PREPOSITION}\s+)?the\s+(?:past|last|next|coming)\s+(?:day|week|month|year|decade|century)\b"
    rf"|\b{_COUNT}\s+{_UNIT}\b(?!\s+(?:ago|earlier|later)\b)",
    "skip_time": r"\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)",
    "iso": r"\b(?:1[6-9]|20)\d\d-[01]\d-[0-3]\d\b",
    "slash": r"\b[01]?\d/[0-3]?\d/(?:(?:1[6-9]|20)\d\d|\d\d)\b",
    "weekday_month_day": rf"(?:(?:last|this|next)\s+)?(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_MONTH}\s*{_DAY}"
    rf"(?:,?\s*{_YEAR})?",
    "day_month": rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?",
    "month_rel_year": rf"(?:{_EDGE}[-\s]+)?{_MONTH}(?:,|\s+of)?\s+(?:last|this|next)\s+year\b",
    "month_year": rf"(?:{_EDGE}[-\s]+)?{_MONTH},?\s+(?:of\s+)?{_YEAR}",
    # A month followed by a pronoun or "be" is the modal ("May I", "May be"), by "of" a march ("March of Dimes").
    "month": rf"\b(?:(?:{_REL}|{_EDGE})[-\s]+)?{_MONTH_ALONE}"
    r"(?!\s+(?:I|you|we|they|he|she|it|be|not|have|of)\b)",
    "quarter": rf"\b(?:(?:the|its|this|last|next|that|a|the\s+current|the\s+latest|the\s+same|(?:the\s+)?"
    rf"(?:comparable\s+)?year-(?:earlier|ago)|(?:last|this|next)\s+year's|the\s+{_YEAR})\s+)?"
    rf"(?:fiscal[-\s]+)?(?:{_ORDINAL})[-\s]+(?:quarter|half)\b"
    rf"(?:\s+of\s+(?:(?:fiscal\s+)?{_YEAR}|(?:this|last|next)\s+year\b))?"
    rf"|\b(?-i:[QH][1-4])\b(?:\s+(?:of\s+)?(?:fiscal\s+)?{_YEAR})?",
    "quarter_rel": rf"\bthe\s+{_YEAR}\s+(?:quarter|period)\b"
    r"|\b(?:the\s+(?:(?:comparable\s+)?year-(?:earlier|ago)|latest|current|previous|last|same)|this|last|next"
    r"|last\s+year's|that)\s+(?:quarter|period)\b|\bthe\s+quarter\b",
    "year_ago_period": r"\byear-(?:earlier|ago)\b",
    "decade": rf"\b(?:the\s+)?(?:(?:early|mid|late)[-\s]*)?(?:(?:1[6-9]|20)\d0|'\d0)'?s\b"
    rf"|\bthe\s+(?:{_alternation(_DECADES)})\b",
    "century": r"\b(?:the\s+)?(?:1\d|2[01]|[1-9])(?:st|nd|rd|th)\s+century\b|\b(?:this|last|next)\s+century\b",
    "season": rf"\b(?:(?:{_REL}|early|late|mid|the)[-\s]+)(?:{_SEASON})\b(?:\s+(?:of\s+)?{_YEAR})?"
    rf"|\b(?:{_SEASON})\s+(?:of\s+)?{_YEAR}",
    "relative_unit": rf"\b(?:(?:{_EDGE}|sometime|around)\s+)?"
    r"(?:last|this|next|this\s+past|this\s+coming|the\s+current)\s+(?:(?:fiscal|calendar)\s+)?"
    r"(?:week(?:end)?|month|year|decade)\b|\byear(?:[-\s]|'s\s+)end\b|\bthe\s+weekend\b"
    r"|\bthe\s+full\s+year\b|\b(?:earlier|later)\s+in\s+the\s+(?:year|month|week)\b"
    r"|\bthe\s+(?:end|beginning|start|middle)\s+of\s+the\s+(?:year|month|week)\b",
    "year_earlier": r"\b(?:a|one)\s+year\s+(?:earlier|ago|before)\b",
    "ago": rf"\b(?:(?:about|nearly|almost|some|more\s+than|over|just|only|roughly)\s+)?"
    rf"(?:{_COUNT}|several|a\s+few|a\s+couple\s+of)\s+{_UNIT}\s+ago\b",
    "relative_day": r"\b(?:(?:early|late|earlier|later)\s+)?(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)"
    r"|today|yesterday|tomorrow|tonight)\b",
    "weekday": rf"\b(?:(?:{_REL}|early|late|earlier|later)\s+)?{_WEEKDAY}{_PART_OF_DAY}",
    "holiday": rf"\b(?:(?:last|this|next|this\s+past|this\s+coming)\s+)?(?:{_alternation(_HOLIDAYS)})\b"
    rf"(?:,?\s+{_YEAR})?",
    "spoken_year": _SPOKEN_YEAR,
    "year": rf"(?<![$\d.,-])\b(?:(?:fiscal|calendar|the\s+year|(?:the\s+)?(?:early|mid|late)|the\s+end\s+of|"
    rf"the\s+beginning\s+of)[-\s]+)?{_YEAR}",
    "vague_past": rf"\b(?:(?:in|over|during)\s+)?(?:(?:the\s+)?(?:past|last)\s+(?:few|several|many|couple\s+of)\s+"
    rf"|recent\s+|past\s+)(?:days|weeks|months|years|decades|quarters)\b",
    "vague_future": rf"\b(?:(?:in|over|during)\s+)?(?:(?:the\s+)?(?:next|coming)\s+(?:few|several|many|couple\s+of)\s+"
    rf"|(?:the\s+)?coming\s+|future\s+)(?:days|weeks|months|years|decades|quarters)\b",
    "reference": rf"\b(?:{_alternation(_REFERENCES)})\b(?!\s+of\b)",
}
# Every expression starts at the start of a word; checking that once, before the alternatives, saves trying each
# of them at every character inside a word.
_CANDIDATES = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9'])(?:" + "|".join(f"(?P<{name}>{p})" for name, p in _PATTERNS.items()) + ")",
    re.IGNORECASE,
)
# The words a candidate can begin with (a digit or an apostrophe may begin one too). Trying the alternatives only
# at those word starts, instead of at every one, leaves the matches as they were and takes a fraction of the time;
# tests/extract/test_dates_candidates.py reads the patterns to check that no word they can begin with is missing.
_FIRST_WORDS = {
    word.group()
    for phrase in (
        *(name for names in _INFO.MONTHS for name in names),
        *(names[-1] for names in _INFO.WEEKDAYS),
        *_ORDINALS,
        *_SEASONS,
        *_NUMBERS,
        *_HOLIDAYS,
        *_REFERENCES,
        *"""a an the its that this last next past coming previous following early mid late earlier later in over
        for during within about nearly almost some more just only roughly several fiscal calendar comparable year
        sometime around today yesterday tomorrow tonight recent future q h""".split(),
    )
    if (word := re.match(r"[A-Za-z]+", phrase))
}


def _trie(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, their shared beginnings factored out ("a(?:bout|n)?"): Python's ``re``
    tries an alternation's branches one by one, so a flat list of 133 words cost four times as much to scan."""
    branches: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        branches.setdefault(word[:1], []).append(word[1:])
    ends_here = "" in branches
    parts = [re.escape(first) + _trie(rests) for first, rests in branches.items() if first]
    if not parts:
        return ""
    return f"(?:{'|'.join(parts)}){'?' if ends_here else ''}"


_CANDIDATE_STARTS = re.compile(
    rf"(?<![A-Za-z0-9])(?:[0-9']|{_trie(w.lower() for w in _FIRST_WORDS)}(?-i:(?![A-Za-z])))", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?;\n]\s|\n")
_FUTURE = re.compile(rf"\b(?:{_alternation(_LEXICON['tense']['future'])})\b|'ll\b", re.IGNORECASE)
_PAST = re.compile(
    rf"\b(?:{_alternation(_LEXICON['tense']['past'])})\b"
    rf"|\b(?!(?:{_alternation(_LEXICON['tense']['not_past'])})\b)\w{{2,}}[^\We]ed\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+")
_BACKWARD = re.compile(r"\b(?:last|previous|past)\b|year-(?:earlier|ago)")
_FORWARD = re.compile(r"\b(?:next|coming|following)\b")
_YEAR_RE = re.compile(_YEAR)
_MONTH_RE = re.compile(_MONTH, re.IGNORECASE)
_WEEKDAY_RE = re.compile(_WEEKDAY, re.IGNORECASE)
_ORDINAL_RE = re.compile(rf"\b(?:{_ORDINAL})\b", re.IGNORECASE)
_SEASON_RE = re.compile(rf"\b(?:{_SEASON})\b", re.IGNORECASE)
_DAY_AFTER_MONTH = re.compile(rf"{_MONTH}\s*({_DAY})", re.IGNORECASE)
_DAY_BEFORE_MONTH = re.compile(rf"({_DAY})\s+(?:of\s+)?{_MONTH}", re.IGNORECASE)
_STRONG_PAST = re.compile(r"\b(?:was|were|had|did|ago|since)\b", re.I)
_AFTER_PENALTY = 20
_DEADLINE = re.compile(r"\b(?:by|until|till|through)\s+$", re.IGNORECASE)
_QUARTER_CODE = re.compile(r"([QH])([1-4])\b")
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")
_QUARTER_CONTEXT = re.compile(r"\bquarter|\bperiod\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Context:
    """The text around one candidate, the article date, and the direction the sentence's tense points."""

    anchor: dt.date
    before: str
    after: str
    # The quarter the article last named: earnings reports compare "the quarter" with "a year earlier".
    quarter: tuple[int, int] | None = None

    @property
    def deadline(self) -> bool:
        """Whether the expression follows "by", "until" or "through": a time that has not come yet."""
        return _DEADLINE.search(self.before) is not None

    @property
    def past(self) -> bool:
        """Whether the clause before the expression is plainly in the past ("was", "had", "ago")."""
        return _STRONG_PAST.search(self.before) is not None

    @property
    def future(self) -> bool:
        """Whether the tense cue nearest the expression, on either side, points after the article date."""
        cues = [(len(self.before) - m.end(), 0, True) for m in _FUTURE.finditer(self.before)]
        cues += [(len(self.before) - m.end(), 1, False) for m in _PAST.finditer(self.before)]
        # A cue after the expression counts as a little farther than one as far before it ("said Friday it will").
        cues += [(m.start() + _AFTER_PENALTY, 0, True) for m in _FUTURE.finditer(self.after)]
        cues += [(m.start() + _AFTER_PENALTY, 1, False) for m in _PAST.finditer(self.after)]
        # A future cue wins a tie ("scheduled" is both).
        return min(cues)[2] if cues else False


def _day(value: dt.date) -> str:
    return value.isoformat()


def _month(value: dt.date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _week(value: dt.date) -> str:
    year, week, _ = value.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _quarter_of(value: dt.date) -> int:
    return (value.month - 1) // 3 + 1


def _year_in(text: str) -> int | None:
    found = _YEAR_RE.search(text)
    return int(found.group()) if found else None


def _shift(text: str) -> int:
    """-1, 0 or +1 for a "last", "this" or "next" (or their synonyms) in ``text``."""
    lowered = text.lower()
    if _BACKWARD.search(lowered):
        return -1
    return 1 if _FORWARD.search(lowered) else 0


def _month_number(text: str) -> int:
    month = _INFO.month(_MONTH_RE.search(text).group().rstrip("."))  # type: ignore[union-attr]
    assert month is not None, text
    return month


def _resolve_iso(text: str, ctx: _Context | None) -> str | None:
    try:
        return _day(dt.date.fromisoformat(text))
    except ValueError:
        return None


def _resolve_slash(text: str, ctx: _Context | None) -> str | None:
    month, day, year = (int(n) for n in _NUMBER.findall(text))
    if year < 100:
        year += 1900 if year >= 50 else 2000
    try:
        return _day(dt.date(year, month, day))
    except ValueError:
        return None


def _resolve_month_day(text: str, ctx: _Context | None) -> str | None:
    found = _DAY_AFTER_MONTH.search(text) or _DAY_BEFORE_MONTH.search(text)
    assert found is not None, text
    day, month = int(_NUMBER.search(found.group(1)).group()), _month_number(text)  # type: ignore[union-attr]
    year = _year_in(text[found.end(1) :] if found.re is _DAY_AFTER_MONTH else text[found.end() :])
    if year is None:
        if ctx is None:
            return None
        year = ctx.anchor.year
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        # A date more than a season away in the wrong direction for the sentence's tense belongs to the
        # neighbouring year ("Dec. 28" in a January article that says what happened).
        if ctx.future and (ctx.anchor - candidate).days > 90:
            year += 1
        elif not ctx.future and (candidate - ctx.anchor).days > 90:
            year -= 1
    try:
        return _day(dt.date(year, month, day))
    except ValueError:
        return None


def _resolve_month_year(text: str, ctx: _Context | None) -> str | None:
    year = _year_in(text)
    return f"{year:04d}-{_month_number(text):02d}" if year else None


def _resolve_month_rel_year(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    return f"{ctx.anchor.year + _shift(text):04d}-{_month_number(text):02d}"


def _resolve_month(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    month, anchor = _month_number(text), ctx.anchor
    shift = _shift(text[: _MONTH_RE.search(text).start()])  # type: ignore[union-attr]
    if shift == -1:
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif shift == 1:
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif re.match(r"this\b", text, re.IGNORECASE) or month == anchor.month:
        year = anchor.year
    elif ctx.deadline or ctx.future:
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        ahead = (month - anchor.month) % 12
        year = anchor.year if month < anchor.month else anchor.year - 1
        if ahead <= 3 and not ctx.past:
            year = anchor.year if month > anchor.month else anchor.year + 1
    return f"{year:04d}-{month:02d}"


def _resolve_weekday(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    weekday = _INFO.weekday(_WEEKDAY_RE.search(text).group())  # type: ignore[union-attr]
    assert weekday is not None, text
    anchor, lowered = ctx.anchor, text.lower()
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if lowered.startswith(("last", "this past", "the previous")):
        return _day(anchor - dt.timedelta(days=back or 7))
    if lowered.startswith(("next", "the following")):
        return _day(anchor + dt.timedelta(days=ahead or 7))
    if lowered.startswith("this"):
        return _day(anchor + dt.timedelta(days=ahead))
    return _day(anchor + dt.timedelta(days=ahead) if ctx.future else anchor - dt.timedelta(days=back))


def _resolve_relative_day(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    lowered = text.lower()
    offset = 0
    if "before yesterday" in lowered:
        offset = -2
    elif "after tomorrow" in lowered:
        offset = 2
    elif "yesterday" in lowered:
        offset = -1
    elif "tomorrow" in lowered:
        offset = 1
    return _day(ctx.anchor + dt.timedelta(days=offset))


def _resolve_relative_unit(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    lowered = text.lower()
    shift = _shift(lowered)
    anchor = ctx.anchor
    if "weekend" in lowered:
        # A weekend named without "next" is the one just past in news, unless the sentence looks ahead.
        if shift == 0 and not lowered.startswith("this"):
            shift = 1 if ctx.future else -1
        saturday = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7)
        if shift == -1 or (shift == 0 and saturday > anchor + dt.timedelta(days=1) and not ctx.future):
            saturday -= dt.timedelta(days=7)
        if shift == 1 and saturday <= anchor:
            saturday += dt.timedelta(days=7)
        return _week(saturday) + "-WE"
    if "week" in lowered:
        return _week(anchor + dt.timedelta(weeks=shift))
    if "month" in lowered:
        return _month(anchor + relativedelta(months=shift))
    if "decade" in lowered:
        return f"{(anchor.year // 10 + shift):03d}"
    return f"{anchor.year + shift:04d}"


def _resolve_year(text: str, ctx: _Context | None) -> str | None:
    year = _year_in(text)
    return f"{year:04d}" if year else None


def _resolve_decade(text: str, ctx: _Context | None) -> str | None:
    lowered = text.lower()
    for word, digit in _DECADES.items():
        if word in lowered:
            return f"19{digit}"
    found = re.search(r"(\d{3}|'\d)0'?s", text)
    assert found is not None, text
    digits = found.group(1)
    return digits if len(digits) == 3 else f"19{digits[1]}"


def _resolve_century(text: str, ctx: _Context | None) -> str | None:
    number = _NUMBER.search(text)
    if number:
        return f"{int(number.group()) - 1:02d}"
    if ctx is None:
        return None
    return f"{ctx.anchor.year // 100 + _shift(text):02d}"


def _resolve_season(text: str, ctx: _Context | None) -> str | None:
    code = _SEASONS[_SEASON_RE.search(text).group().lower()]  # type: ignore[union-attr]
    year = _year_in(text)
    if year is None:
        if ctx is None:
            return None
        shift = _shift(text)
        season_rank = ("SP", "SU", "FA", "WI").index(code)
        current_rank = (ctx.anchor.month % 12) // 3 - 1  # Dec-Feb winter (-1 for Jan/Feb), Mar-May spring...
        year = ctx.anchor.year
        if shift == -1 or (shift == 0 and not text.lower().startswith("this") and not ctx.future):
            year -= 1 if season_rank >= current_rank else 0
        elif shift == 1 or (shift == 0 and ctx.future):
            year += 1 if season_rank < current_rank else 0
    return f"{year:04d}-{code}"


def _latest_quarter(anchor: dt.date) -> tuple[int, int]:
    """The last quarter that had ended by ``anchor``, which is what a company's "the quarter" reports on."""
    quarter = _quarter_of(anchor) - 1
    return (anchor.year, quarter) if quarter else (anchor.year - 1, 4)


def _resolve_quarter(text: str, ctx: _Context | None) -> str | None:
    lowered = text.lower()
    code = _QUARTER_CODE.match(text)
    if code:
        kind, ordinal = code.group(1), int(code.group(2))
    else:
        ordinal = _ORDINALS[_ORDINAL_RE.search(lowered).group()]  # type: ignore[union-attr]
        kind = "H" if "half" in lowered else "Q"
    if kind == "H" and ordinal > 2:
        return None
    year = _year_in(text)
    if year is None:
        if ctx is None:
            return None
        shift = _shift(lowered)
        year = ctx.anchor.year + shift
        current = _quarter_of(ctx.anchor) if kind == "Q" else (ctx.anchor.month - 1) // 6 + 1
        # A quarter not yet begun is last year's in a past-tense sentence, unless "this" or a year says otherwise.
        if shift == 0 and ordinal > current and not ctx.future and "this" not in lowered:
            year -= 1
    return f"{year:04d}-{kind}{ordinal}"


def _resolve_quarter_rel(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    lowered = text.lower()
    year, quarter = ctx.quarter or _latest_quarter(ctx.anchor)
    if "latest" in lowered:
        year, quarter = _latest_quarter(ctx.anchor)
    named_year = _year_in(text)
    if named_year is not None:
        return f"{named_year:04d}-Q{quarter}" if ctx.quarter else f"{named_year:04d}"
    if re.search(r"\b(?:this|current)\b", lowered):
        year, quarter = ctx.anchor.year, _quarter_of(ctx.anchor)
    elif "next" in lowered:
        year, quarter = (ctx.anchor.year, _quarter_of(ctx.anchor) + 1) if _quarter_of(ctx.anchor) < 4 else (
            ctx.anchor.year + 1, 1)
    if re.search(r"year-(?:earlier|ago)|last\s+year's", lowered):
        year -= 1
    return f"{year:04d}-Q{quarter}"


def _resolve_year_earlier(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    # In earnings reports "a year earlier" is the same quarter of the year before.
    if ctx.quarter is not None:
        return f"{ctx.quarter[0] - 1:04d}-Q{ctx.quarter[1]}"
    if _QUARTER_CONTEXT.search(ctx.before) or _QUARTER_CONTEXT.search(ctx.after):
        year, quarter = _latest_quarter(ctx.anchor)
        return f"{year - 1:04d}-Q{quarter}"
    return f"{ctx.anchor.year - 1:04d}"


def _resolve_ago(text: str, ctx: _Context | None) -> str | None:
    if ctx is None:
        return None
    lowered = text.lower()
    if re.search(r"\b(?:several|few|couple)\b", lowered):
        return "PAST_REF"
    phrase = re.sub(r"^(?:about|nearly|almost|some|more\s+than|over|just|only|roughly)\s+", "", lowered)
    # dateparser knows no decades: "a decade ago" is read as "10 years ago", "two decades ago" as "2 10 years".
    count = next((_NUMBERS.get(w) or int(w) for w in phrase.split() if w.isdigit() or w in _NUMBERS), 1)
    phrase = re.sub(r"^.*\bdecades?\b", f"{10 * count} years", phrase)
    parsed = dateparser.parse(phrase, languages=["en"], settings={"RELATIVE_BASE": _midnight(ctx.anchor)})
    if parsed is None:
        return None
    if "day" in lowered:
        return _day(parsed.date())
    if "week" in lowered:
        return _week(parsed.date())
    if "month" in lowered:
        return _month(parsed.date())
    return f"{parsed.year:04d}"


def _holiday_in(name: str, year: int) -> dt.date:
    rule = _HOLIDAYS[name]
    if "easter" in rule:
        return easter(year) + dt.timedelta(days=int(rule["easter"]))
    start = dt.date(year, int(rule["month"]), int(rule["day"]))
    if "weekday" not in rule:
        return start
    weekday = getattr(relativedelta_weekdays, str(rule["weekday"]))(int(rule["nth"]))
    return start + relativedelta(weekday=weekday)


def _resolve_holiday(text: str, ctx: _Context | None) -> str | None:
    lowered = re.sub(r"\s+", " ", text.lower())
    name = max((h for h in _HOLIDAYS if h in lowered), key=len)
    year = _year_in(text)
    if year is not None:
        return _day(_holiday_in(name, year))
    if ctx is None:
        return None
    shift, anchor = _shift(lowered), ctx.anchor
    this_year = _holiday_in(name, anchor.year)
    if lowered.startswith("this") and shift == 0:
        return _day(this_year)
    if shift == 1 or (shift == 0 and ctx.future):
        return _day(this_year if this_year > anchor else _holiday_in(name, anchor.year + 1))
    if shift == -1:
        return _day(this_year if this_year < anchor else _holiday_in(name, anchor.year - 1))
    return _day(this_year if this_year <= anchor else _holiday_in(name, anchor.year - 1))


def _resolve_spoken_year(text: str, ctx: _Context | None) -> str | None:
    words = re.findall(r"[a-z]+", text.lower())
    if "thousand" in words:
        return f"{2000 + sum(_NUMBERS.get(w, 0) for w in words[words.index('thousand') + 1 :]):04d}"
    century = _NUMBERS[words[0]] * 100
    return f"{century:04d}" if words[1:] == ["hundred"] else f"{century + sum(_NUMBERS[w] for w in words[1:]):04d}"


def _resolve_reference(text: str, ctx: _Context | None) -> str | None:
    key = re.sub(r"\s+", " ", text.lower())
    return _REFERENCES.get(key, "PAST_REF")


_RESOLVERS: dict[str, Callable[[str, _Context | None], str | None]] = {
    "iso": _resolve_iso,
    "slash": _resolve_slash,
    "weekday_month_day": _resolve_month_day,
    "day_month": _resolve_month_day,
    "month_rel_year": _resolve_month_rel_year,
    "month_year": _resolve_month_year,
    "month": _resolve_month,
    "quarter": _resolve_quarter,
    "quarter_rel": _resolve_quarter_rel,
    "year_ago_period": _resolve_year_earlier,
    "decade": _resolve_decade,
    "century": _resolve_century,
    "season": _resolve_season,
    "relative_unit": _resolve_relative_unit,
    "ago": _resolve_ago,
    "year_earlier": _resolve_year_earlier,
    "relative_day": _resolve_relative_day,
    "weekday": _resolve_weekday,
    "year": _resolve_year,
    "reference": _resolve_reference,
    "holiday": _resolve_holiday,
    "spoken_year": _resolve_spoken_year,
    "vague_past": lambda text, ctx: "PAST_REF",
    "vague_future": lambda text, ctx: "FUTURE_REF",
}


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


@lru_cache(maxsize=256)
def _anchor_from_text(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError:
        parsed = dateparser.parse(text, languages=["en"])
        return parsed.date() if parsed else None


def to_anchor(anchor: Anchor) -> dt.date | None:
    """The calendar day of ``anchor``: a date, a datetime, an ISO or free-form date string, or None.

    None too for a day in the calendar's first or last year (0001-01-01 and 9999-12-31 are what some feeds give
    for no date): the resolvers move the anchor by up to a year ("next Christmas"), which would leave the calendar.
    """
    if anchor is None or isinstance(anchor, dt.datetime):
        day = anchor.date() if anchor else None
    elif isinstance(anchor, dt.date):
        day = anchor
    else:
        day = _anchor_from_text(anchor)
    return day if day is not None and dt.MINYEAR < day.year < dt.MAXYEAR else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the stretch around ``start:end`` that tense cues are read from (its clause, roughly)."""
    left = max(0, start - 120)
    for boundary in _SENTENCE_END.finditer(text, left, start):
        left = boundary.end()
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + 60))
    return left, right_match.start() if right_match else min(len(text), end + 60)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_CANDIDATES.finditer(text)``, tried only where ``_CANDIDATE_STARTS`` says one may begin."""
    resume = 0
    for start in _CANDIDATE_STARTS.finditer(text):
        if start.start() < resume:
            continue
        found = _CANDIDATES.match(text, start.start())
        if found:
            resume = found.end()
            yield found


def find_dates(text: str, anchor: Anchor) -> list[DateMention]:
    """Every calendar expression in ``text`` with its value normalized against ``anchor`` (the publication date).

    Spans are character offsets into ``text`` and never overlap; ``text[start:end] == mention.text``. Expressions
    that need an anchor ("Tuesday", "last year") are left out when ``anchor`` is None or cannot be read.
    """
    day = to_anchor(anchor)
    mentions: list[DateMention] = []
    quarter: tuple[int, int] | None = None
    for found in _candidates(text):
        kind = found.lastgroup
        if kind is None or kind.startswith("skip_"):
            continue
        start, end = found.span()
        ctx = None
        if day is not None:
            left, right = _sentence_bounds(text, start, end)
            ctx = _Context(day, text[left:start], text[end:right], quarter)
        value = _RESOLVERS[kind](found.group(), ctx)
        if value is not None and kind == "quarter" and (named := _QUARTER_VALUE.fullmatch(value)):
            named_quarter = (int(named.group(1)), int(named.group(2)))
            # Only a quarter that has ended can be the one a report is about ("expects fourth-quarter sales").
            if day is not None and named_quarter <= _latest_quarter(day):
                quarter = named_quarter
        if value is not None:
            mentions.append(DateMention(found.group(), value, (start, end)))
    return mentions


def resolve_date(expression: str, anchor: Anchor) -> str | None:
    """The normalized value of one temporal expression ("said Wednesday", "Feb. 16", "two weeks ago").

    The expression is read as a whole, so its own tense words count ("will meet Friday" looks ahead). Falls back
    to dateparser for phrasings the patterns do not know; returns None when nothing in it is a date, and for
    durations and clock times.
    """
    mentions = find_dates(expression, anchor)
    if mentions:
        return max(mentions, key=lambda m: m.span[1] - m.span[0]).value
    if any(found.lastgroup.startswith("skip_") for found in _CANDIDATES.finditer(expression) if found.lastgroup):
        return None  # a duration or a clock time: dateparser would turn "the past two months" into a day
    day = to_anchor(anchor)
    settings = {"RELATIVE_BASE": _midnight(day)} if day else {}
    parsed = dateparser.parse(expression, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return _day(parsed.date()) if parsed else None


__all__ = ["find_dates", "resolve_date", "to_anchor"]
