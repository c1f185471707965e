"""The candidate prefilter of find_dates: it must try every place the full pattern can match, so nothing changes.

The first test reads the patterns' parse trees (``re._parser``, the module behind ``re.compile``) for every run of
letters a match can begin with; the others compare the prefiltered scan with the plain one on real and odd text.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.extract import dates

_parser = pytest.importorskip("re._parser")
C = pytest.importorskip("re._constants")

LETTERS = frozenset(string.ascii_letters)
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _accepts(op, av) -> tuple[set[str], bool]:
    """The ASCII letters (lower-cased) one parsed item can match, and whether it can match anything else."""
    if op is C.LITERAL:
        char = chr(av)
        return ({char.lower()}, False) if char in LETTERS else (set(), True)
    if op is C.IN:
        assert not any(o is C.NEGATE for o, _ in av), "a negated class at a candidate's start: extend this test"
        letters, other = set(), False
        for o, a in av:
            if o is C.LITERAL:
                chars = [chr(a)]
            elif o is C.RANGE:
                chars = [chr(c) for c in range(a[0], a[1] + 1)]
            elif o is C.CATEGORY and a in (C.CATEGORY_DIGIT, C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD):
                other = True
                continue
            else:
                raise AssertionError(f"class item {o} {a} at a candidate's start: extend this test")
            letters |= {c.lower() for c in chars if c in LETTERS}
            other |= any(c not in LETTERS for c in chars)
        return letters, other
    if op is C.CATEGORY and av in (C.CATEGORY_DIGIT, C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD):
        return set(), True
    raise AssertionError(f"{op} {av} at a candidate's start: extend this test")


def _first_runs(items: list, run: str, found: set[str]) -> None:
    """Add to ``found`` every letter run a match of ``items`` can begin with after ``run``, closed by a non-letter.

    Lookarounds only narrow a match, so skipping them can only find more runs, never fewer."""
    assert len(run) < 40, run
    if not items:
        raise AssertionError(f"a match can end inside the letters {run!r}: the prefilter's word check breaks")
    (op, av), rest = items[0], items[1:]
    if op is C.AT:
        if av is C.AT_BOUNDARY and run:
            found.add(run)  # a word boundary after letters: no letter follows
        else:
            _first_runs(rest, run, found)
    elif op in (C.ASSERT, C.ASSERT_NOT):
        _first_runs(rest, run, found)
    elif op is C.SUBPATTERN:
        _first_runs(list(av[3]) + rest, run, found)
    elif op is C.BRANCH:
        for branch in av[1]:
            _first_runs(list(branch) + rest, run, found)
    elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, high, item = av
        if high == C.MAXREPEAT:
            # Unbounded: fine as long as one more copy adds no new run, i.e. the copies hold no letters.
            once, twice = set(), set()
            _first_runs(list(item) * (low + 1) + rest, run, once)
            _first_runs(list(item) * (low + 2) + rest, run, twice)
            assert once == twice, "letters repeated without bound at a candidate's start: extend this test"
            high = low + 1
        for times in range(low, high + 1):
            _first_runs(list(item) * times + rest, run, found)
    else:
        letters, other = _accepts(op, av)
        if other:
            found.add(run)  # "" when a match can begin with a digit or an apostrophe
        for letter in letters:
            _first_runs(rest, run + letter, found)


def test_first_words_hold_every_run_of_letters_a_candidate_can_begin_with():
    runs: set[str] = set()
    for pattern in dates._PATTERNS.values():
        _first_runs(list(_parser.parse(pattern, re.IGNORECASE)), "", runs)
    runs.discard("")
    assert runs <= {word.lower() for word in dates._FIRST_WORDS}


def _plain(text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in dates._CANDIDATES.finditer(text)]


def _prefiltered(text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in dates._candidates(text)]


@pytest.mark.parametrize(
    "text",
    [
        "In the mid-1990s and the '80s, Q3 2021 sales fell; H1 of fiscal 2020 rose.",
        "The March of Dimes met May 5, sept. 3 and Sept 4th; Jan Kavan left on Monday.",
        "Markets fell 3% over the past two weeks, a year earlier, about five years ago, at 5 p.m. today.",
        "anew ahead thereafter inthe Mayday Augusta Marchers 1990s20s year-end year's end the year 2000",
        "Nowadays, right now, at present and in the near future; Valentine's Day and New Year's Eve 2023.",
    ],
)
def test_prefiltered_scan_matches_the_plain_one_on_tricky_phrasings(text: str):
    assert _prefiltered(text) == _plain(text)


@given(st.lists(st.sampled_from(sorted(dates._FIRST_WORDS) + ["1990", "'90s", "-", ", ", " ", ".", "x", "s"])))
def test_prefiltered_scan_matches_the_plain_one_on_word_salad(pieces: list[str]):
    text = " ".join(pieces) + "".join(pieces)
    assert _prefiltered(text) == _plain(text)


@pytest.mark.parametrize("folder", ["polnear/dev/text", "tempeval3/train-tbaq"])
def test_prefiltered_scan_matches_the_plain_one_on_news(folder: str):
    directory = SHARED / folder
    if not directory.is_dir():
        pytest.skip(f"../shared/data/{folder} not present")
    paths = sorted(p for p in directory.rglob("*") if p.suffix in (".txt", ".tml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _prefiltered(text) == _plain(text), path.name
