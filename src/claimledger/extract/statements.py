"""Statements from the attribution tagger's labels: content, cue and source tied together, the speaker
resolved, the kind and date decided, the content trimmed to what was said.

Ties are made within a paragraph: a content takes the nearest cue on either side and that cue the nearest
source. Distance counts words, not punctuation or source words, and a sentence boundary counts as several words,
so a cue reports its own sentence first; a cue that opens a quotation (``saying, “...”``) or a content of its own
(``X said A, arguing B``) owns what follows it, not what comes before. A paragraph ending ``He said:`` lends its
cue to the quotation that opens the next. Without a tagged source the speaker is the last speaker when the cue
continues (``added``) or the content is a quotation following that speaker's statement, else the first person
named before the cue in its sentence. A content with neither cue nor source that no such rule claims is dropped.
One whose cue is negated (``did not disclose``, ``declined to say whether``) is kept, marked negated: the speaker
is reported on it without asserting it. Two reports joined by ``and warned`` or ``but said`` become two
statements of the one speaker. A transcript's turn (``PENCE: Well, ...``) is its speaker's words, whole and
direct; a quotation still open at the end of its paragraph goes on in the next under the same cue; a content
wholly in parentheses (``(CROSSTALK.)``) is a stage direction, not speech.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from spacy.attrs import IS_PUNCT
from spacy.tokens import Doc, Span as SpacySpan

from claimledger.extract.actors import ActorIndex
from claimledger.extract.labels import (
    DASHES,
    MIN_SET_OFF_WORDS,
    TIME_LEAD_WORDS,
    TaggedSpan,
    cue_lexicon,
    labelled_spans,
    may_close_quotation,
    may_open_quotation,
    quote_roles,
    quote_state,
    set_off_source,
)
from claimledger.extract.dates import resolve_date
from claimledger.extract.speakers import RELATIVE_PRONOUNS, SpeakerResolver
from claimledger.models import Span, Statement, StatementKind

# A cue this many words (not counting source words and punctuation) from a content is not its cue.
MAX_CUE_GAP = 10
MAX_SOURCE_GAP = 7
COMPLEMENTIZERS = frozenset({"that"})
TRAILING = " ,;:\u2015\u2014\u2013-"
QUOTES = "\"\u201c\u201d\u2018\u2019'"
# Dashes that sign a quotation when glued to its closing mark (“...”― Carla Sanchez); a hyphen never does.
SIGNATURE_DASHES = "\u2015\u2014\u2013"
JOINING_WORDS = frozenset({"and", "or", "but", "as", "well", "then"})
# "at" leads into a time or a place, never into a date.
DATE_LEAD_WORDS = TIME_LEAD_WORDS - {"at"}


@lru_cache(maxsize=1)
def negations() -> frozenset[str]:
    """Words that make a cue report that nothing was said (``negations.txt``)."""
    table = resources.files("claimledger").joinpath("data/extract/negations.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in table.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def addressing_verbs() -> frozenset[str]:
    """Verb forms whose object is who was spoken to (``addressing.txt``)."""
    table = resources.files("claimledger").joinpath("data/extract/addressing.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in table.splitlines() if line.strip() and not line.startswith("#"))


# Titles that may stand between an addressing verb and the addressee's name ("told Mr. Comey").
COURTESY_TITLES = frozenset({"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr"})


def _addressee(doc: Doc, source: TaggedSpan) -> bool:
    """Whether tagged source words are whom a verb before them addresses (``telling Trump that ...``, ``told The
    Huffington Post``, ``said to Mr. X``): the person spoken to, who is never the speaker."""
    i = source.start - 1
    while i >= 0 and doc[i].lower_ in COURTESY_TITLES:
        i -= 1
    if i < 0:
        return False
    word = doc[i].lower_
    if word in addressing_verbs():
        # After a quotation or a comma a finite verb is inverted and its subject follows it ("“...?” asked Sen.
        # Barbara Mikulski"): the name there is the speaker. A participle is not ("..., telling Trump that").
        inverted = i > 0 and (doc[i - 1].is_punct or doc[i - 1].is_quote) and not word.endswith("ing")
        return not inverted
    if word != "to" or i == 0 or doc[i - 1].lower_ == "according":  # "according to X": X is the source
        return False
    return cue_lexicon().get(doc[i - 1].lower_, ("", ""))[1] in ("say", "continue")


@dataclass
class _Tie:
    content: TaggedSpan
    cue: TaggedSpan | None
    source: TaggedSpan | None
    block: int


def _counted_words(doc: Doc, labels: Sequence[str]) -> list[int]:
    """Running count of the words that measure distance: neither punctuation nor tagged as source; the words
    between tokens ``i`` and ``j`` are ``counts[j] - counts[i]``."""
    counts = [0]
    for punct, label in zip(doc.to_array(IS_PUNCT).tolist(), labels):
        counts.append(counts[-1] + (0 if punct or label.endswith("SOURCE") else 1))
    return counts


# Words a sentence boundary between two parts counts for: a cue reports its own sentence first.
SENTENCE_DISTANCE = 6


def _sentence_ids(doc: Doc) -> list[int]:
    ids = [0] * len(doc)
    for number, sentence in enumerate(doc.sents):
        ids[sentence.start : sentence.end] = [number] * (sentence.end - sentence.start)
    return ids


def _distance(counts: Sequence[int], sentences: Sequence[int], a: TaggedSpan, b: TaggedSpan) -> int:
    if a.end <= b.start:
        return counts[b.start] - counts[a.end] + SENTENCE_DISTANCE * (sentences[b.start] - sentences[a.end - 1])
    if b.end <= a.start:
        return counts[a.start] - counts[b.end] + SENTENCE_DISTANCE * (sentences[a.start] - sentences[b.end - 1])
    return 0


def tie_spans(doc: Doc, labels: Sequence[str], paragraphs: Sequence[tuple[int, int]]) -> list[_Tie]:
    """Contents with their cue and source, paragraph by paragraph, in text order."""
    ties: list[_Tie] = []
    counts = _counted_words(doc, labels)
    sentence_ids = _sentence_ids(doc)
    introduced: tuple[TaggedSpan | None, TaggedSpan | None] = (None, None)
    for block, (start, end) in enumerate(paragraphs):
        spans = labelled_spans(labels[start:end])
        spans = [TaggedSpan(s.label, s.start + start, s.end + start) for s in spans]
        cues = [s for s in spans if s.label == "CUE"]
        sources = [s for s in spans if s.label == "SOURCE" and not _addressee(doc, s)]
        contents = [s for s in spans if s.label == "CONTENT"]
        # A cue followed by a content of its own or opening a quotation (``saying, “...”``) reports what follows
        # it: words before it more likely belong to another cue (``X said A, arguing B``).
        reporting = {c for c in cues if _reports_after(labels, c, end)}
        introducing = reporting | {c for c in cues if _introduces_quotation(doc, c)}
        if contents and not cues and introduced[0] is not None and contents[0].start - start <= 1:
            # The paragraph before ended "He said:" and this one opens with what he said.
            ties.append(_Tie(contents[0], introduced[0], introduced[1], block))
            contents = contents[1:]
        introduced = _introduction(doc, spans, end)
        parenthetical = _parenthetical_cues(doc, labels, cues)
        contents = sorted(contents + _openings_before(doc, labels, parenthetical, start), key=lambda c: c.start)
        for content in contents:
            inside = parenthetical.get(content.end)
            if inside is not None and _sentence_opening(doc, content.end, start) == content.start:
                # "The average weekly benefit, it says, would be $300": the words before the cue are said too.
                ties.append(_Tie(content, *inside, block))
                continue
            # Unquoted words before a cue that reports what follows it are not what it reports: they set the
            # scene ("Heading into the debate, Sanders told MSNBC that ...") or belong to another cue.
            candidates = cues if _quoted(doc, content) else [
                c for c in cues if not (c.start >= content.end and c in reporting)
            ]
            if len(candidates) < len(cues) and not any(
                _distance(counts, sentence_ids, content, c) <= MAX_CUE_GAP for c in candidates
            ):
                continue
            near = sorted(
                candidates,
                key=lambda c: (
                    _distance(counts, sentence_ids, content, c) + (c.start >= content.end and c in introducing),
                    # A cue in a relative clause after the content (``Fowler said he expects X, which forced``)
                    # tells of the noun before it, not of the content.
                    c.start >= content.end and doc[c.start - 1].lower_ in RELATIVE_PRONOUNS,
                    c.start < content.start,
                ),
            )
            cue = near[0] if near and _distance(counts, sentence_ids, content, near[0]) <= MAX_CUE_GAP else None
            signed = next(
                (s for s in sources if s.start == content.end and doc[content.end - 1].text[-1] in SIGNATURE_DASHES),
                None,
            )
            if signed is not None:
                # A quotation signed with a name after a dash glued to its closing mark (“...”― Carla Sanchez):
                # the name is the speaker whatever cue is near, and the sentencizer may cut before it.
                ties.append(_Tie(content, None, signed, block))
                continue
            source = None
            anchor = cue or content
            close = sorted(sources, key=lambda s: _distance(counts, sentence_ids, anchor, s))
            if close and _distance(counts, sentence_ids, anchor, close[0]) <= (MAX_SOURCE_GAP if cue else 1):
                source = close[0]
            elif cue is not None:
                # A relative clause may stand between speaker and verb ("McConnell, who ..., said"): any source
                # in the cue's sentence will do.
                sentence = doc[cue.start].sent
                same = [s for s in close if sentence.start <= s.start and s.end <= sentence.end]
                source = same[0] if same else None
            if cue is not None and cue.start >= content.end:
                content = _extend_to_sentence_start(doc, labels, content, start)
            if cue is not None and cue.end <= content.start and not is_turn(doc, cue, source):
                whole, content = content, _without_trailing_clause(doc, content)
                # A quotation in the clause cut off is still what the cue reports ("suggesting a few questions,
                # including, “...”"): it stays, a statement of its own.
                quotation = _quotation_within(doc, content.end, whole.end)
                if quotation is not None:
                    ties.append(_Tie(content, cue, source, block))
                    content = quotation
            ties.append(_Tie(content, cue, source, block))
    return ties


JOINED_REPORT = frozenset({"and", "but"})
MIN_JOINED_CONTENT = 3


def split_joined_reports(doc: Doc, ties: Sequence[_Tie]) -> list[_Tie]:
    """Ties whose content holds a second report by the same speaker (``it was "resolutely opposed" to the test
    and warned North Korea to refrain ...``) cut in two at ``and``/``but`` and the speech verb, which becomes the
    second report's cue."""
    lexicon = cue_lexicon()
    out: list[_Tie] = []
    for tie in ties:
        content = tie.content
        inside = quote_state(doc, content.start, content.end)
        cut = None
        for k in range(content.start + MIN_JOINED_CONTENT, content.end - MIN_JOINED_CONTENT):
            if doc[k].lower_ not in JOINED_REPORT or inside[k - content.start]:
                continue
            verb = k + 1 + (doc[k + 1].lower_ == "also")
            entry = lexicon.get(doc[verb].lower_)
            if entry is not None and entry[1] in ("say", "continue") and doc[verb].lower_.endswith(("ed", "id", "ld")):
                cut = (k, verb)
                break
        if cut is None:
            out.append(tie)
            continue
        k, verb = cut
        first = verb + 1 + (doc[verb + 1].lower_ in COMPLEMENTIZERS)
        out.append(_Tie(TaggedSpan("CONTENT", content.start, k), tie.cue, tie.source, tie.block))
        out.append(_Tie(TaggedSpan("CONTENT", first, content.end), TaggedSpan("CUE", verb, verb + 1), None, tie.block))
    return out


def is_turn(doc: Doc, cue: TaggedSpan | None, source: TaggedSpan | None) -> bool:
    """Whether a cue is the colon of a transcript's turn (``PENCE: Well, ...``): a name in capitals right before
    it. What follows is the speaker's words as spoken, one whole turn."""
    return (
        cue is not None and source is not None and source.end == cue.start and cue.end - cue.start == 1
        and doc[cue.start].text == ":" and all(t.is_upper or t.is_punct for t in doc[source.start : source.end])
    )


def _introduces_quotation(doc: Doc, cue: TaggedSpan) -> bool:
    """Whether a cue opens a quotation after it (``saying, “...”``): that quotation is what it reports, so
    words before it more likely belong to another cue."""
    i = cue.end
    if i < len(doc) and doc[i].text in ("\u201c", '"') and doc[cue.start].text.islower():
        return True  # chanted "What curfew?"
    return i + 1 < len(doc) and doc[i].text in (",", ":") and doc[i + 1].text in ("\u201c", '"')


# Unlabelled words that may stand between a cue and the content it reports: whom it was told to ("told MSNBC's
# Morning Joe that ...").
MAX_ADDRESSEE = 6


def _quoted(doc: Doc, content: TaggedSpan) -> bool:
    return may_open_quotation(doc, content.start) or may_close_quotation(doc, content.end - 1)


def _parenthetical_cues(
    doc: Doc, labels: Sequence[str], cues: Sequence[TaggedSpan]
) -> dict[int, tuple[TaggedSpan, TaggedSpan]]:
    """Cues set off by commas inside what was said (``A, X said, B``: a source and its cue between two commas,
    a content right after the second), with their source, by the token of the first comma."""
    found = {}
    for cue in cues:
        source = set_off_source(doc, labels, cue)
        if source is not None and cue.end + 1 < len(doc) and labels[cue.end + 1] == "B-CONTENT":
            found[source.start - 1] = (cue, source)
    return found


def _sentence_opening(doc: Doc, end: int, floor: int) -> int:
    """Where the words of the sentence that ``end`` closes begin: past leading punctuation, not before ``floor``."""
    opening = max(doc[end - 1].sent.start, floor)
    while opening < end and (doc[opening].is_punct or doc[opening].is_space):
        opening += 1
    return opening


def _openings_before(
    doc: Doc, labels: Sequence[str], parenthetical: dict[int, tuple[TaggedSpan, TaggedSpan]], floor: int
) -> list[TaggedSpan]:
    """The unlabelled words that open a sentence before a parenthetical cue (``The museum, Mr. Bush said,
    celebrated ...``): the start of what was said, as contents."""
    found = []
    for comma in parenthetical:
        opening = _sentence_opening(doc, comma, floor)
        words = [t for t in doc[opening:comma] if not t.is_punct]
        if len(words) >= MIN_SET_OFF_WORDS and all(labels[i] == "O" for i in range(opening, comma)):
            found.append(TaggedSpan("CONTENT", opening, comma))
    return found




def _reports_after(labels: Sequence[str], cue: TaggedSpan, end: int) -> bool:
    i = cue.end
    while i < min(end, cue.end + MAX_ADDRESSEE) and labels[i] == "O":
        i += 1
    return i < end and labels[i] == "B-CONTENT"


def _introduction(
    doc: Doc, spans: Sequence[TaggedSpan], end: int
) -> tuple[TaggedSpan | None, TaggedSpan | None]:
    """The cue and source of a paragraph that ends by introducing a quotation (``He said:``), else Nones."""
    last = end - 1
    while last >= 0 and doc[last].is_space:
        last -= 1
    if last < 0 or doc[last].text != ":":
        return None, None
    cues = [s for s in spans if s.label == "CUE" and last - s.end <= 2]
    if not cues:
        return None, None
    sources = [s for s in spans if s.label == "SOURCE" and s.end <= cues[-1].start]
    return cues[-1], (sources[-1] if sources else None)


def _extend_to_sentence_start(doc: Doc, labels: Sequence[str], content: TaggedSpan, floor: int) -> TaggedSpan:
    """A content reported by a cue after it (``C, X said``) runs from the start of its sentence: words before it
    that the tagger gave to a nested attribution (``NATO has not seen ...``) belong to what X said."""
    if may_open_quotation(doc, content.start):
        return content  # a quotation opens where the words quoted do: what stands before it is the writer's
    sentence_start = max(doc[content.start].sent.start, floor)
    between = range(sentence_start, content.start)
    if any(labels[i].endswith("CONTENT") for i in between):
        return content
    for i in between:
        if "\n" in doc[i].text:
            sentence_start = i + 1  # a line break ends a sentence the sentencizer ran on ("― Veronica Cruz\n“As ...")
    while sentence_start < content.start and (doc[sentence_start].is_space):
        sentence_start += 1
    sentence_start = _past_dateline(doc, sentence_start, content.start)
    return TaggedSpan(content.label, sentence_start, content.end)


MAX_DATELINE_WORDS = 4


def _past_dateline(doc: Doc, start: int, end: int) -> int:
    """Past a dateline opening ``doc[start:end]`` (``WASHINGTON ―``, ``NEW YORK, N.Y. --``): words in capitals and
    a dash, the writer's and not what was said."""
    i = start
    while i < end and i - start < MAX_DATELINE_WORDS and (doc[i].is_upper or doc[i].text in (",", ".")):
        i += 1
    if start < i < end and doc[i].text in DASHES:
        return i + 1
    return start


# Words that, after a comma or dash, open a clause of the writer's own after a reported one: a participle
# ("..., requiring state police to ...", "— lambasting Trump's plan") or a contrast ("..., but was treated ...").
CLAUSE_OPENINGS = frozenset({"but", "when", "while", "although", "though", "whereas"})
CLAUSE_BREAKS = frozenset({",", "\u2014", "--", ";"})
MIN_PARTICIPLE = 5
# Words in -ing after a comma that go on with what was said instead of opening the writer's clause: "including"
# lists examples of it ("... “race still determines too much” in America, including how people are treated"),
# unless punctuation follows it ("suggesting a few questions, including, “...”": a quotation of its own).
NOT_PARTICIPLES = frozenset({"including"})


def _without_trailing_clause(doc: Doc, content: TaggedSpan) -> TaggedSpan:
    """An unquoted content without the clause the tagger ran it on into: from the first comma or dash outside
    quotation marks that a participle or a contrasting conjunction follows."""
    roles = quote_roles(doc, content.start, content.end)
    if roles[0] == "open" and roles[-1] == "close":
        return content  # a quotation, which the speaker's words end
    for k in range(content.start + 2, content.end - 1):
        if doc[k].text not in CLAUSE_BREAKS or roles[k - content.start] != "out":
            continue
        word = doc[k + 1].text
        listing = word in NOT_PARTICIPLES and k + 2 < content.end and not doc[k + 2].is_punct
        if word in CLAUSE_OPENINGS or (
            word.islower() and word.endswith("ing") and len(word) >= MIN_PARTICIPLE and not listing
        ):
            return TaggedSpan(content.label, content.start, k)
    return content


def _quotation_within(doc: Doc, start: int, end: int) -> TaggedSpan | None:
    """The first whole quotation in ``doc[start:end]``, marks included, if any."""
    opened = None
    for offset, role in enumerate(quote_roles(doc, start, end)):
        if role == "open":
            opened = start + offset
        elif role == "close" and opened is not None:
            return TaggedSpan("CONTENT", opened, start + offset + 1)
    return None


def _trim(doc: Doc, span: TaggedSpan, text: str) -> tuple[int, int]:
    """Character span of the content words: no leading complementizer, no trailing commas or dashes, and no
    enclosing quotation marks (nor the opening one of a quotation that runs on into the next paragraph)."""
    tokens = doc[span.start : span.end]
    if len(tokens) > 1 and tokens[0].lower_ in COMPLEMENTIZERS:
        tokens = tokens[1:]
    start, end = tokens.start_char, tokens.end_char
    while end > start and text[end - 1] in TRAILING + " ":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    inner = text[start:end]
    if _one_quotation(inner):
        start, end = start + 1, end - 1
        while end > start and text[end - 1] in TRAILING + " ":
            end -= 1
    elif len(inner) > 1 and inner[0] in "\"\u201c" and not any(q in inner[1:] for q in "\"\u201c\u201d"):
        start += 1  # a quoted paragraph that the next one continues: its marks close only at the end of the last
    return start, end


def _one_quotation(text: str) -> bool:
    """Whether ``text`` is one quotation from its first character to its last, the marks inside it (if any)
    quoting within it: ``“I’d rather live in what he calls “hell” than ...”``."""
    if len(text) <= 2 or text[0] not in QUOTES or text[-1] not in QUOTES:
        return False
    body = text[1:-1]
    if not any(q in body for q in "\"\u201c\u201d"):
        return True
    if text[0] != "\u201c" or text[-1] != "\u201d" or '"' in body:
        return False
    depth = 0
    for char in body:
        if char == "\u201c":
            depth += 1
        elif char == "\u201d":
            depth -= 1
            if depth < 0:  # “A,” he said, “B”: two quotations
                return False
    return depth == 0


def _quoted_fragments(doc: Doc, content: TaggedSpan) -> list[TaggedSpan]:
    """The quotations of a content made of several joined only by conjunctions (``"A" and "B"``), each with its
    marks; empty when the content is anything else."""
    roles = quote_roles(doc, content.start, content.end)
    fragments: list[TaggedSpan] = []
    opened: int | None = None
    for offset, role in enumerate(roles):
        i = content.start + offset
        if role == "open":
            opened = i
        elif role == "close" and opened is not None:
            fragments.append(TaggedSpan("CONTENT", opened, i + 1))
            opened = None
        elif role == "out" and not doc[i].is_punct and doc[i].lower_ not in JOINING_WORDS:
            return []
    return fragments if len(fragments) > 1 and opened is None else []


def _kind(doc: Doc, span: TaggedSpan, speaker_kind: str | None) -> StatementKind:
    inside = quote_state(doc, span.start, span.end)
    words = [(tok, flag) for tok, flag in zip(doc[span.start : span.end], inside) if not tok.is_punct]
    quoted = sum(1 for _, flag in words if flag)
    if words and quoted == len(words):
        return "direct"
    if quoted:
        text = doc[span.start : span.end].text.rstrip(TRAILING + " ")
        return "direct" if _one_quotation(text) else "partial"
    if speaker_kind in ("organization", "country"):
        return "announcement"
    return "indirect"


def _date(doc: Doc, dates: Sequence[SpacySpan], cue: TaggedSpan | None, published: str | None) -> str | None:
    """When the statement was made, from a date (one of ``dates``, the DATE entities) next to its cue (``said
    Wednesday``, ``on Tuesday said``)."""
    if cue is None or published is None:
        return None
    after = cue.end
    while after < len(doc) and doc[after].lower_ in DATE_LEAD_WORDS and doc[after].ent_type_ != "DATE":
        after += 1
    for ent in dates:
        if ent.start == after or (ent.end == cue.start) or (ent.end + 1 == cue.start and doc[ent.end].is_punct):
            return resolve_date(doc[min(cue.start, ent.start) : max(cue.end, ent.end)].text, published)
    return None


# An interview set out as questions and answers ("Q: ..." / "A: ..."): at least this many answers.
MIN_ANSWERS = 2
FIRST_PERSON = frozenset({"i", "we", "me"})
SECOND_PERSON = frozenset({"you"})


def interview_turns(doc: Doc, paragraphs: Sequence[tuple[int, int]]) -> dict[int, str]:
    """The paragraphs of an interview printed as questions and answers, by block: ``"Q"`` for a question, ``"A"``
    for an answer; empty when the article is not one (fewer than two paragraphs open with ``A:``)."""
    turns = {}
    for block, (start, end) in enumerate(paragraphs):
        i = start
        while i < end and doc[i].is_space:
            i += 1
        if i + 1 < end and doc[i].text in ("Q", "A") and doc[i + 1].text == ":":
            turns[block] = doc[i].text
    return turns if sum(1 for role in turns.values() if role == "A") >= MIN_ANSWERS else {}


def interviewee(index: ActorIndex, text: str) -> str | None:
    """Who answers in an interview: the person the article names first (in its title or lede, ``Q&A with Vice
    President Joe Biden``)."""
    return next((m[2] for m in index.mentions_in(0, len(text)) if index.kind(m[2]) == "person"), None)


def build_statements(
    doc: Doc,
    labels: Sequence[str],
    paragraphs: Sequence[tuple[int, int]],
    index: ActorIndex,
    published: str | None,
) -> list[Statement]:
    """Statements of one article from its tagged tokens; ``paragraphs`` are the token ranges of its blocks."""
    text = doc.text
    lexicon = cue_lexicon()
    resolver = SpeakerResolver(index, text)
    dates = [ent for ent in doc.ents if ent.label_ == "DATE"]
    statements: list[Statement] = []
    last_block: int | None = None
    last_sentence: int | None = None
    last_end = 0  # where the last statement's content ended (a token)
    # A speaker's undated statement takes the date of their last dated one in the article: news reports the quotes
    # of one event around a single "said Wednesday".
    last_date: dict[str, str] = {}
    # The cue and source spans of the last statement when its quotation was still open at the end of its paragraph:
    # a quotation opening the next paragraph goes on with it, reported by the same cue.
    running_on: tuple[Span | None, Span | None] | None = None
    # Those of the last statement when it was a quotation with a cue: a quotation after it in the same paragraph
    # with neither cue nor speaker of its own ("“A,” Mr. Obama said at the gala. “B.”") goes on with it.
    quoted_before: tuple[Span | None, Span | None] | None = None
    turns = interview_turns(doc, paragraphs)
    answering = interviewee(index, text) if turns else None
    for tie in split_joined_reports(doc, tie_spans(doc, labels, paragraphs)):
        negated = tie.cue is not None and any(t.lower_ in negations() for t in doc[tie.cue.start : tie.cue.end])
        start, end = _trim(doc, tie.content, text)
        if end <= start or not any(ch.isalnum() for ch in text[start:end]) or _stage_direction(text[start:end]):
            continue
        speaker: str | None = None
        quoted = _kind(doc, tie.content, None) == "direct"
        sentence = doc[tie.content.start].sent.start
        if tie.source is None and statements and last_sentence == sentence and resolver.last_speaker and (
            tie.cue is not None or _joined(doc, last_end, tie.content.start)
        ):
            speaker = resolver.last_speaker  # "Russia announced X, as well as a desire to Y": one subject
        elif is_turn(doc, tie.cue, tie.source):
            speaker = resolver.turn_speaker(doc[tie.source.start : tie.source.end])
        elif tie.source is not None and answering is not None and _interviewee_pronoun(
            doc[tie.source.start : tie.source.end].text, turns.get(tie.block)
        ):
            # "A: ... I think his conclusory comment is correct": in an interview the answer's "I" is the
            # interviewee, and so is the question's "you"; never the person last quoted or the interviewer.
            speaker = answering
        elif tie.source is not None:
            speaker = resolver.resolve(doc[tie.source.start : tie.source.end])
        elif tie.cue is not None:
            cue_class = lexicon.get(doc[tie.cue.start].lower_, ("", ""))[1]
            continuing = cue_class == "continue" or quoted
            before_cue = doc[doc[tie.cue.start].sent.start : tie.cue.start]
            # "Protesters marching through the streets chanted "What curfew?"": a subject before the verb that
            # reports the quotation speaks it, not the last speaker.
            reports_quotation = quoted and cue_class != "continue" and tie.cue.end <= tie.content.start
            subject = resolver.subject_before(before_cue) if reports_quotation else None
            if subject is None and continuing and statements and last_block is not None and tie.block - last_block <= 1:
                speaker = resolver.last_speaker
            else:
                speaker = subject if reports_quotation else resolver.subject_before(before_cue)
        elif quoted and statements and last_block is not None and tie.block - last_block <= 1:
            speaker = resolver.last_speaker
        else:
            continue
        # What was not said was not announced: a negated report of an organization stays indirect.
        speaker_kind = index.kind(speaker) if speaker and not negated else None
        pieces = [(_kind(doc, f, speaker_kind), _trim(doc, f, text)) for f in _quoted_fragments(doc, tie.content)]
        if not pieces:
            # A transcript's turn is the speaker's words as spoken, quoted or not.
            kind = "direct" if is_turn(doc, tie.cue, tie.source) else _kind(doc, tie.content, speaker_kind)
            pieces = [(kind, (start, end))]
        cue_span = (doc[tie.cue.start].idx, doc[tie.cue.end - 1].idx + len(doc[tie.cue.end - 1])) if tie.cue else None
        source_span = (
            (doc[tie.source.start].idx, doc[tie.source.end - 1].idx + len(doc[tie.source.end - 1])) if tie.source else None
        )
        if tie.cue is None and tie.source is None and quoted and speaker == resolver.last_speaker:
            if running_on is not None and last_block is not None and tie.block == last_block + 1:
                cue_span, source_span = running_on
            elif quoted_before is not None and tie.block == last_block:
                cue_span, source_span = quoted_before
        date = _date(doc, dates, tie.cue, published) or (last_date.get(speaker) if speaker else None)
        if speaker and date:
            last_date[speaker] = date
        for kind, (start, end) in pieces:
            statements.append(
                Statement(
                    id=f"s{len(statements) + 1}",
                    speaker=speaker,
                    speaker_name=index.name(speaker) if speaker else None,
                    kind=kind,
                    cue=text[cue_span[0] : cue_span[1]] if cue_span else None,
                    text=text[start:end],
                    span=(start, end),
                    date=date,
                    cue_span=cue_span,
                    speaker_span=source_span,
                    negated=negated,
                )
            )
        resolver.spoke(speaker)
        paragraph = paragraphs[tie.block]
        running_on = (cue_span, source_span) if cue_span and _open_at_end(doc, *paragraph) else None
        quoted_before = (cue_span, source_span) if cue_span and quoted else None
        last_block = tie.block
        last_sentence = sentence
        last_end = tie.content.end
    return statements


def _interviewee_pronoun(source: str, turn: str | None) -> bool:
    """Whether source words are a pronoun that stands for the interviewee in a turn of an interview: the first
    person in an answer, the second in a question."""
    word = source.strip().lower()
    return (turn == "A" and word in FIRST_PERSON) or (turn == "Q" and word in SECOND_PERSON)


def _open_at_end(doc: Doc, start: int, end: int) -> bool:
    """Whether a quotation opened in ``doc[start:end]`` is still open at its end."""
    marks = [role for role in quote_roles(doc, start, end) if role in ("open", "close")]
    return bool(marks) and marks[-1] == "open"


def _stage_direction(text: str) -> bool:
    """Whether a content is wholly in parentheses, as a transcript's stage directions are (``(CROSSTALK.)``,
    ``(Applause)``): what happened, not what was said."""
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1


def _joined(doc: Doc, end: int, start: int) -> bool:
    """Whether only punctuation and joining words (``, as well as``) stand between ``end`` and ``start``: a
    content without cue or source after another is the same speaker's only then, not after the writer's own
    words (``..., contradicting the police's earlier claim that ...``)."""
    return all(t.is_punct or t.lower_ in JOINING_WORDS for t in doc[end:start])
