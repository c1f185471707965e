"""Attribution parts as BIO labels over a document's tokens, and what the tagger and the rules read: quotation
marks, and the curated lexicon of speech and attribution cues."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Sequence

from spacy.attrs import ORTH
from spacy.tokens import Doc

# Double quotation marks only: single ones nest inside them (‘oh so much’) or are apostrophes (’90s).
OPENING_QUOTES = frozenset({"\u201c"})
CLOSING_QUOTES = frozenset({"\u201d"})
STRAIGHT_QUOTES = frozenset({'"', "''", "``"})
SIGNATURE_DASH_CHARS = "\u2015\u2014\u2013-"
# Dashes as tokens: those that sign a quotation (``“...” ― Name``) or end a dateline (``WASHINGTON ―``).
DASHES = frozenset({"\u2015", "\u2014", "\u2013", "-", "--"})
# Words that lead into when something happened (``said on Monday``, ``Russia's parliament late Tuesday``).
TIME_LEAD_WORDS = frozenset({"on", "in", "at", "late", "early", "earlier", "this", "last"})


@dataclass(frozen=True)
class TaggedSpan:
    """A run of tokens ``doc[start:end]`` that the tagger labelled as one attribution part."""

    label: str
    start: int
    end: int


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, tuple[str, str]]:
    """Every inflected cue form, lower-cased, mapped to its (lemma, class) from the curated ``cues.tsv``."""
    table = resources.files("claimledger").joinpath("data/extract/cues.tsv").read_text(encoding="utf-8")
    forms: dict[str, tuple[str, str]] = {}
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, cue_class, inflected = line.split("\t")
        for form in inflected.split():
            forms[form] = (lemma, cue_class)
    return forms


def _quote_kind(text: str) -> str:
    text = text.rstrip(SIGNATURE_DASH_CHARS) or text  # a closing mark the tokenizer glued to a signature's dash
    if text in OPENING_QUOTES:
        return "open"
    if text in CLOSING_QUOTES:
        return "close"
    if text in STRAIGHT_QUOTES:
        return "straight"
    return ""


QUOTE_KINDS_KEY = "claimledger.quote_kinds"
WORD_FORMS_KEY = "claimledger.word_forms"


def _per_token(doc: Doc, key: str, of_text: Callable[[str], str]) -> list[str]:
    """``of_text`` of every token's text, worked out once per document and kept in its ``user_data`` under
    ``key``: the readers ask for many spans, and making a spaCy Token object per word is what costs. Read from the
    token ids, each distinct word once."""
    values = doc.user_data.get(key)
    if values is None or len(values) != len(doc):
        orths = doc.to_array(ORTH).tolist()
        strings = doc.vocab.strings
        value_of = {orth: of_text(strings[orth]) for orth in set(orths)}
        values = [value_of[orth] for orth in orths]
        doc.user_data[key] = values
    return values


def quote_kinds(doc: Doc) -> list[str]:
    """The quotation-mark kind of every token of ``doc`` (see ``_quote_kind``). A closing curly mark that opens
    a line opens a quotation: a typing slip news makes (``”Fear. I am truly afraid ...”― Edwin G. Monroy``)."""
    cached = doc.user_data.get(QUOTE_KINDS_KEY)
    if cached is not None and len(cached) == len(doc):
        return cached
    kinds = _per_token(doc, QUOTE_KINDS_KEY, _quote_kind)
    closing = [i for i, kind in enumerate(kinds) if kind == "close"]
    if closing:
        breaks = line_breaks(doc)
        for i in closing:
            if (i == 0 or i - 1 in breaks) and doc[i].text in CLOSING_QUOTES:
                kinds[i] = "open"
    return kinds


def word_forms(doc: Doc) -> list[str]:
    """``word_form`` of every token of ``doc``."""
    return _per_token(doc, WORD_FORMS_KEY, word_form)


def line_breaks(doc: Doc) -> frozenset[int]:
    """The tokens of ``doc`` that hold a line break (whitespace tokens between paragraphs, mostly)."""
    return frozenset(i for i, form in enumerate(word_forms(doc)) if "\n" in form)


def may_open_quotation(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a mark that may open a quotation (a curly opening or a straight one)."""
    return quote_kinds(doc)[i] in ("open", "straight")


def may_close_quotation(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a mark that may close a quotation (a curly closing or a straight one)."""
    return quote_kinds(doc)[i] in ("close", "straight")


def quote_roles(doc: Doc, start: int, end: int) -> list[str]:
    """For each token of ``doc[start:end]``: ``open`` or ``close`` for a quotation mark, else ``in`` or ``out``.

    Curly quotes open and close explicitly; a straight quote toggles. A closing curly apostrophe used as one
    (``Russia’s`` stays one word for the tokenizer, a stray ``’`` outside quotes) never opens a quotation.
    """
    inside = False
    roles: list[str] = []
    for kind in quote_kinds(doc)[start:end]:
        if kind == "open" or (kind == "straight" and not inside):
            roles.append("open")
            inside = True
        elif kind == "close" and not inside:
            roles.append("out")
        elif kind in ("close", "straight"):
            roles.append("close")
            inside = False
        else:
            roles.append("in" if inside else "out")
    return roles


def quote_state(doc: Doc, start: int, end: int) -> list[bool]:
    """For each token of ``doc[start:end]``, whether it lies inside quotation marks (the marks themselves do not)."""
    return [role == "in" for role in quote_roles(doc, start, end)]


def word_form(text: str) -> str:
    """A token's lower-cased form with every quotation mark and apostrophe spelled one way: news mixes them."""
    return text.lower().translate(_UNIFY)


_UNIFY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})


def labelled_spans(labels: Sequence[str]) -> list[TaggedSpan]:
    """The runs of ``labels`` as spans; an ``I-`` after a different label starts a new span, as in BIO repair."""
    spans: list[TaggedSpan] = []
    current: str | None = None
    begin = 0
    for i, tag in enumerate([*labels, "O"]):
        prefix, _, name = tag.partition("-")
        if current is not None and (prefix != "I" or name != current):
            spans.append(TaggedSpan(current, begin, i))
            current = None
        if prefix == "B" or (prefix == "I" and current is None):
            current, begin = name, i
    return spans


# The fewest words of what was said on either side of a cue set off by commas (``A, X said, B``).
MIN_SET_OFF_WORDS = 2


def set_off_source(doc: Doc, labels: Sequence[str], cue: TaggedSpan) -> TaggedSpan | None:
    """The source right before ``cue`` where commas set the two off inside what was said (``The museum, Mr. Bush
    said, celebrated ...``); None where they are not so set off."""
    start = cue.start - 1
    while start > 0 and labels[start] == "I-SOURCE":
        start -= 1
    if start < 1 or labels[start] != "B-SOURCE" or doc[start - 1].text != ",":
        return None
    if cue.end >= len(doc) or doc[cue.end].text != ",":
        return None
    return TaggedSpan("SOURCE", start, cue.start)


def paint(labels: list[str], name: str, start: int, end: int) -> None:
    """Label ``labels[start:end]`` as one ``name`` span."""
    for i in range(start, end):
        labels[i] = ("B-" if i == start else "I-") + name
