"""The closed classes of English words that extraction's passes look for, in one place.

Each pass asks its own question ("does this word open a noun phrase?", "can this word start a place's name?"), so
each builds its set from these classes and says why it takes the ones it takes. The classes are what the word is;
the sets are what a pass does with it.
"""

from __future__ import annotations

ARTICLES = frozenset({"a", "an", "the"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# "her" is also an object pronoun ("told her Russia would"): a pass that must not take it leaves it out.
POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my", "your"})
# Quantifiers that stand before a noun ("some officials", "every member", "no sign").
QUANTIFIERS = frozenset({"all", "another", "any", "both", "each", "either", "every", "half", "many", "more", "most",
                         "less", "neither", "no", "other", "several", "some", "such"})
SMALL_NUMBERS = frozenset({"one", "two", "three"})
# Ordinal number words (spaCy's English list, which it keeps private).
ORDINAL_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth fiftieth sixtieth seventieth "
    "eightieth ninetieth hundredth thousandth millionth billionth trillionth quadrillionth quintillionth sextillionth "
    "septillionth octillionth nonillionth decillionth gajillionth bazillionth".split())

# Words that open a noun phrase and never end one ("the minister", "his aides", "some officials", "two
# diplomats"): where a cue's object, a source's words, or an unlabelled phrase starts. One set for every pass
# that asks, chosen by the cross-validated figures (``eval quotes --cv``), where three lists had grown apart.
NOUN_PHRASE_OPENERS = ARTICLES | DEMONSTRATIVES | POSSESSIVES | frozenset(
    {"all", "any", "every", "less", "many", "more", "most", "no", "some", "two"})
