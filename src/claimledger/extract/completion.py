"""Rules that complete and repair the attribution tagger's labels with the plainest reporting shapes of news.

The tagger learns from PolNeAR, where such clauses often sit inside another attribution, so it tends to leave
them out, and it sometimes reads a quotation's cue and speaker as part of the quotation. These rules work on the
labels alone (tokens, entity labels, quotation marks, the cue lexicon), like the tagger: no parser.

Every rule is one entry of ``RULES``, applied in that order: its name, what it fixes and an example. The setting
``disabled_rules`` switches rules off by name, and ``claimledger eval quotes --cv --ablate`` measures what each
adds on the cross-validation folds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Sequence

from spacy.tokens import Doc, Span

from claimledger.extract.labels import (
    DASHES,
    MIN_SET_OFF_WORDS,
    SIGNATURE_DASH_CHARS,
    TIME_LEAD_WORDS,
    cue_lexicon,
    labelled_spans,
    line_breaks,
    paint,
    quote_kinds,
    quote_roles,
    set_off_source,
    word_forms,
)
from claimledger.extract.speakers import is_pronoun
from claimledger.extract.words import NOUN_PHRASE_OPENERS


# Words that may stand between a speaker and a speech verb ("Moscow had announced").
_AUXILIARIES = frozenset(
    {"had", "has", "have", "also", "then", "later", "previously", "earlier", "again", "once", "too"}
)
# A speech verb followed by one of these reports where or to whom, not what ("said in Brussels").
_NOT_CONTENT = frozenset({"in", "on", "at", "to", "for", "with", "by", "of", "about", "from", "during", "after",
                          "before", "through", "via", "and", "or", "but", "as", "so", "yet"})
_SOURCE_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_RULE_CLASSES = frozenset({"say", "announce", "continue"})
MIN_RULE_CONTENT = 4


def _source_before(doc: Doc, labels: Sequence[str], end: int, floor: int) -> int | None:
    """Start of the speaker words ending just before token ``end``: a tagged source, a named entity or a
    pronoun; None when there are none."""
    j = end - 1
    if j < floor:
        return None
    if labels[j].endswith("SOURCE"):
        while j > floor and labels[j].startswith("I-"):
            j -= 1
        return j
    if labels[j] != "O":
        return None
    if doc[j].ent_type_ in _SOURCE_ENTITIES:
        while j > floor and doc[j].ent_iob_ == "I":
            j -= 1
        return j
    return j if is_pronoun(doc[j].text) else None


MAX_PHRASE_WORDS = 4


def _noun_phrase_before(doc: Doc, labels: Sequence[str], end: int, floor: int) -> int | None:
    """Start of a short unlabelled phrase opened by a determiner and ending just before token ``end`` (``the
    fund``, ``many economists``), which may be the subject of a speech verb; None when there is none."""
    for start in range(end - 1, max(floor, end - MAX_PHRASE_WORDS) - 1, -1):
        if labels[start] != "O" or not doc[start].is_alpha:
            return None
        if doc[start].lower_ in NOUN_PHRASE_OPENERS and start < end - 1:
            return start
    return None


@dataclass
class Reading:
    """What the rules read and relabel: the doc, its labels (relabelled in place), which tokens lie in the
    article's paragraphs, the quotation marks' roles (which no relabelling changes), the cue lexicon, the
    paragraphs (token ranges) and each token's word form."""

    doc: Doc
    labels: list[str]
    allowed: list[bool]
    roles: list[str]
    lexicon: dict[str, tuple[str, str]]
    paragraphs: Sequence[tuple[int, int]]
    forms: list[str]


@dataclass(frozen=True)
class Cue:
    """A speech verb the per-cue rules look at: its token, where its speaker would end (before auxiliaries:
    "Moscow had announced") and start, when there is one before it."""

    sentence: Span
    token: int
    speaker_end: int
    speaker_start: int | None


@dataclass(frozen=True)
class Rule:
    """One rule of the stack: its name (what ``disabled_rules`` and ``eval quotes --ablate`` call it), what it
    fixes, an example it reads right (``tests/extract/test_rules.py`` extracts it with and without the rule), and
    where it applies: once over the document (``pass``), to each sentence (``sentence``), or to each speech verb
    in turn until one rule takes it (``cue``)."""

    name: str
    fixes: str
    example: str
    scope: Literal["pass", "sentence", "cue"]
    apply: Callable[..., object]


def _pass(function: Callable[..., None], *fields: str) -> Callable[[Reading], None]:
    return lambda reading: function(reading.doc, reading.labels, *(getattr(reading, f) for f in fields))


def complete_labels(doc: Doc, labels: Sequence[str], paragraphs: Sequence[tuple[int, int]],
                    disabled: frozenset[str] = frozenset()) -> list[str]:
    """``labels`` with the plainest attributions the tagger left unlabelled added, and what it over-read
    repaired, by the rules of ``RULES`` in their order, less those named in ``disabled``.

    The tagger learns from sequences where such clauses often sit inside another attribution, so it tends to
    leave them out; and it sometimes reads a quotation's cue and speaker as part of the quotation.
    """
    allowed = [False] * len(doc)
    for start, end in paragraphs:
        allowed[start:end] = [True] * (end - start)
    reading = Reading(doc, list(labels), allowed, quote_roles(doc, 0, len(doc)), cue_lexicon(), paragraphs,
                      word_forms(doc))
    rules = [rule for rule in RULES if rule.name not in disabled]
    for rule in rules:
        if rule.scope == "pass":
            rule.apply(reading)
    per_sentence = [rule for rule in rules if rule.scope == "sentence"]
    per_cue = [rule for rule in rules if rule.scope == "cue"]
    for sentence in doc.sents:
        for rule in per_sentence:
            rule.apply(reading, sentence)
        for i in range(sentence.start, sentence.end):
            cue = _cue_at(reading, sentence, i)
            if cue is None:
                continue
            for rule in per_cue:  # the first rule that takes the cue ends its turn
                if rule.apply(reading, cue):
                    break
    return reading.labels


def _cue_at(reading: Reading, sentence: Span, i: int) -> Cue | None:
    """The speech verb at token ``i``, tagged as a cue or a verb of the lexicon's saying classes left unlabelled,
    inside a paragraph; None elsewhere."""
    labels, doc = reading.labels, reading.doc
    entry = reading.lexicon.get(reading.forms[i])
    is_cue = labels[i].endswith("CUE") or (labels[i] == "O" and entry is not None and entry[1] in _RULE_CLASSES)
    if not reading.allowed[i] or not is_cue:
        return None
    j = i
    while j > sentence.start and doc[j - 1].lower_ in _AUXILIARIES:
        j -= 1
    source_start = _source_before(doc, labels, j, sentence.start)
    if source_start is None and labels[i] == "O" and i + 1 < sentence.end and doc[i + 1].lower_ == "that":
        source_start = _noun_phrase_before(doc, labels, j, sentence.start)  # "the fund predicted that"
    return Cue(sentence, i, j, source_start)


def _cue_opens_quotation(reading: Reading, cue: Cue) -> bool:
    """A cue, a comma or colon and a quotation (``saying, “...”``): the quotation is what was said, a speaker
    before the cue who said it."""
    if not _quotation_after_cue(reading.doc, reading.labels, reading.allowed, reading.roles, cue.token):
        return False
    if cue.speaker_start is not None:
        paint(reading.labels, "SOURCE", cue.speaker_start, cue.speaker_end)
    return True


def _verb_then_speaker(reading: Reading, cue: Cue) -> bool:
    """``Its first ad could start this week, said Brian Baker``: the comma before the verb ends what he said, as
    it does before the speaker in ``C, Baker said``. Where the tagger labelled what was said already
    (``C/CONTENT, said/CUE Janet Yellen``), the name after the verb still needs labelling as the source."""
    doc, labels, i = reading.doc, reading.labels, cue.token
    if cue.speaker_start is not None or not _speaker_after(doc, labels, i):
        return False
    labelled_before = i >= 2 and doc[i - 1].text == "," and labels[i - 2].endswith("CONTENT")
    if labelled_before or _postposed(doc, labels, reading.allowed, reading.roles, cue.sentence, i, False):
        if not labels[i].endswith("CUE"):
            paint(labels, "CUE", i, i + 1)
        if labels[i + 1] == "O":
            name_end = i + 1
            while name_end < cue.sentence.end and doc[name_end].ent_type_ == "PERSON":
                name_end += 1
            paint(labels, "SOURCE", i + 1, name_end)
    return True


# The most words of a speaker's name in capitals before a transcript turn's colon ("JAKE TAPPER:").
MAX_TURN_NAME = 3
MIN_TURN_WORDS = 2


def _transcript_turns(doc: Doc, paragraphs: Iterable[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Paragraphs that open, past any quotation mark, with words in capitals and a colon, then at least two
    words: (first name token, colon token, paragraph end) for each."""
    turns = []
    for start, end in paragraphs:
        i = start
        while i < end and (doc[i].is_space or doc[i].is_quote):
            i += 1
        colon = i
        while colon < min(end, i + MAX_TURN_NAME) and doc[colon].is_alpha and doc[colon].is_upper \
                and len(doc[colon]) > 1:
            colon += 1
        if colon == i or colon >= end or doc[colon].text != ":":
            continue
        while end > colon and doc[end - 1].is_space:
            end -= 1
        if sum(1 for t in doc[colon + 1 : end] if not t.is_punct) >= MIN_TURN_WORDS:
            turns.append((i, colon, end))
    return turns


def _label_transcript_turns(doc: Doc, labels: list[str], paragraphs: Iterable[tuple[int, int]]) -> None:
    """Label the turns of a transcript (``"PENCE: Gennifer Flowers will not be attending ...``): the name in
    capitals is the source, the colon the cue, the rest of the paragraph what was said, whatever the tagger read
    inside it. Only in a dialogue: a name opens two turns or more and another name at least one, and each name
    taken recurs, or is a person's name in the article (``CLINTON:`` once, beside ``Hillary Clinton``), so that
    the writer's labels (``UPDATE:``, ``EXCLUSIVE:``, ``BYLINE:``) are left alone."""
    turns = _transcript_turns(doc, paragraphs)
    surnames = [doc[colon - 1].lower_ for _, colon, _ in turns]
    if len(set(surnames)) < 2 or max(surnames.count(s) for s in surnames) < 2:
        return
    people = {t.lower_ for t in doc if t.ent_type_ == "PERSON" and not t.is_upper}
    for (first, colon, end), surname in zip(turns, surnames):
        if surnames.count(surname) < 2 and surname not in people:
            continue
        paint(labels, "SOURCE", first, colon)
        paint(labels, "CUE", colon, colon + 1)
        paint(labels, "CONTENT", colon + 1, end)


def _label_introduced_paragraphs(doc: Doc, labels: list[str], paragraphs: Sequence[tuple[int, int]]) -> None:
    """Label as content a whole paragraph that a cue and colon ending the paragraph before introduce, when it is
    set out without quotation marks (``Limbaugh added:`` / ``And from a supposed front-runner, ...``): what follows
    the colon is what was said, whatever the tagger read inside it. A quoted paragraph is left to the rules for
    quotations."""
    for (_, before_end), (start, end) in zip(paragraphs, paragraphs[1:]):
        last = before_end - 1
        while last > 0 and doc[last].is_space:
            last -= 1
        if doc[last].text != ":" or not labels[last - 1].endswith("CUE"):
            continue
        first = start
        while first < end and doc[first].is_space:
            first += 1
        while end > first and doc[end - 1].is_space:
            end -= 1
        if first < end and not doc[first].is_quote and doc[first].text not in "\u201c\u201d\"'":
            paint(labels, "CONTENT", first, end)


def _split_at_line_breaks(doc: Doc, labels: list[str]) -> None:
    """End every labelled span at a line break: a line of news is a paragraph of its own, and what was said in
    one (``“We have no context ... where we came from.”``) does not run on into the writer's next line."""
    for i in sorted(line_breaks(doc)):
        if labels[i] == "O":
            continue
        labels[i] = "O"
        if i + 1 < len(labels) and labels[i + 1].startswith("I-"):
            labels[i + 1] = "B-" + labels[i + 1][2:]


def _speakers_read_as_content(doc: Doc, labels: list[str]) -> None:
    """Relabel as source a content that is nothing but a name or a pronoun right before a cue (``NATO/CONTENT
    has not seen/CUE signs ...``), or a name that ends the sentence right after an inverted cue (``..., said/CUE
    Batchelder/CONTENT.``): what a speech verb follows without a break, or what ends ``said X.``, is who speaks."""
    for span in labelled_spans(labels):
        if span.label != "CONTENT":
            continue
        words = doc[span.start : span.end]
        if span.end < len(doc) and labels[span.end] == "B-CUE":
            named = all(t.ent_type_ in _SOURCE_ENTITIES for t in words) and words[0].ent_iob_ == "B"
            if named or (len(words) == 1 and is_pronoun(words[0].text)):
                paint(labels, "SOURCE", span.start, span.end)
        elif (
            span.start >= 2 and labels[span.start - 1].endswith("CUE")
            and doc[span.start - 2].text in (",", "\u201d", '"')
            and len(words) <= MAX_SIGNATURE_WORDS and all(t.is_title for t in words)
            and _ends_sentence(doc, _past_time(doc, span.end))
        ):
            paint(labels, "SOURCE", span.start, span.end)


def _past_time(doc: Doc, i: int) -> int:
    """Past the words of when, if any, from token ``i`` (``on Monday``, ``Friday afternoon``)."""
    j = i
    while j < len(doc) and (doc[j].lower_ in TIME_LEAD_WORDS or doc[j].ent_type_ in ("DATE", "TIME")):
        j += 1
    return j if j > i and doc[j - 1].ent_type_ in ("DATE", "TIME") else i


def _ends_sentence(doc: Doc, i: int) -> bool:
    return i == len(doc) or doc[i].text in (".", "\n") or doc[i].is_space


# The most unlabelled words between a content and the comma of the postposed cue that reports it.
MAX_CONTENT_GAP = 6


def _fill_gaps_before_postposed_cues(doc: Doc, labels: list[str]) -> None:
    """Run a content on over the few unlabelled words between it and the comma before a cue that reports it from
    after (``the losses would/CONTENT outstrip the gains, said Batchelder``): what was said runs to that comma."""
    for span in labelled_spans(labels):
        if span.label != "CONTENT":
            continue
        comma = span.end
        while comma < min(len(doc), span.end + MAX_CONTENT_GAP + 1) and labels[comma] == "O" and doc[comma].text != ",":
            if doc[comma].is_space or doc[comma].text in (".", "?", "!", ";"):
                break
            comma += 1
        if comma == span.end or comma + 1 >= len(doc) or doc[comma].text != "," or labels[comma] != "O":
            continue
        cue = comma + 1
        if labels[cue] == "B-CUE" or (labels[cue] == "B-SOURCE" and any(
                labels[k] == "B-CUE" for k in range(cue + 1, min(len(doc), cue + MAX_SWALLOWED_SOURCE)))):
            paint(labels, "CONTENT", span.start, comma)


def _label_after_parenthetical_cues(doc: Doc, labels: list[str], allowed: list[bool]) -> None:
    """Label as content the rest of a sentence after a cue set off by commas inside what was said (``Lenox was a
    juggernaut, Mr. Clarke said, until it went bankrupt``; ``The museum, Mr. Bush said, celebrated several of his
    heroes``) when the tagger left some or all of it out and labelled nothing else there."""
    for span in labelled_spans(labels):
        if span.label != "CUE" or span.end + 1 >= len(doc) or set_off_source(doc, labels, span) is None:
            continue
        end = doc[span.end].sent.end
        while end > span.end + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        rest = range(span.end + 1, end)
        if len(rest) >= MIN_SET_OFF_WORDS and all(
            allowed[k] and (labels[k] == "O" or labels[k].endswith("CONTENT")) and "\n" not in doc[k].text for k in rest
        ) and any(labels[k] == "O" for k in rest):
            paint(labels, "CONTENT", span.end + 1, end)


# The most unlabelled name words between a source's first words and its cue that join the source.
MAX_SOURCE_GAP_WORDS = 5


def _join_source_pieces(doc: Doc, labels: list[str]) -> None:
    """Make one source of what the tagger cut in pieces: two source spans side by side (``retired/SOURCE Air
    Force general Lloyd Newton/SOURCE said``; so too two contents between two words, ``Christian Bale is
    reportedly/CONTENT in “late talks”/CONTENT``), and a source's first words and the name after them that it left
    out right before the cue (``the/SOURCE IMF did not single out``, ``The/SOURCE Tax Policy Center estimates``)."""
    for i in range(1, len(labels)):
        if labels[i] == "B-SOURCE" and labels[i - 1].endswith("SOURCE") and not doc[i - 1].is_punct:
            labels[i] = "I-SOURCE"
        elif labels[i] == "B-CONTENT" and labels[i - 1].endswith("CONTENT") and doc[i - 1].is_alpha and doc[i].is_alpha:
            labels[i] = "I-CONTENT"
    for span in labelled_spans(labels):
        if span.label != "SOURCE":
            continue
        j = span.end
        while j < min(len(doc), span.end + MAX_SOURCE_GAP_WORDS) and labels[j] == "O" and (
            doc[j].ent_type_ in _SOURCE_ENTITIES
        ):
            j += 1
        if j > span.end and j < len(doc) and labels[j] == "B-CUE":
            paint(labels, "SOURCE", span.start, j)


def _clear_addressees(doc: Doc, labels: list[str]) -> None:
    """Unlabel the addressee that a cue's last word "to" introduces and that the tagger took for a source
    (``“...,” Blige sings to Clinton before asking her``): who is spoken to is not who speaks, nor part of the
    verb."""
    for span in labelled_spans(labels):
        if span.label != "CUE" or span.end - span.start < 2 or doc[span.end - 1].lower_ != "to":
            continue
        if doc[span.start].lower_ == "according":
            continue  # "according to X": X is the source
        end = span.end
        while end < len(doc) and labels[end].endswith("SOURCE") and (end == span.end or labels[end].startswith("I-")):
            end += 1
        if end > span.end:
            labels[span.end - 1 : end] = ["O"] * (end - span.end + 1)


def _label_quoted_sentences(doc: Doc, labels: list[str], allowed: list[bool], roles: list[str]) -> None:
    """Label a whole quoted sentence right after a verb (``Protesters chanted "What curfew?"``, ``singing "It's
    Our Time."``) as content and the verb as its cue: a quotation that ends a sentence of its own inside the
    marks is something said, not a term. (A rule that took every quotation of four words or more opening with a
    capital took more titles than speech: "The Rachel Maddow Show", "State of the Union"; it was removed.)"""
    for i in range(1, len(doc) - 2):
        if roles[i] != "open":
            continue
        verb = doc[i - 1]
        if not (verb.is_alpha and verb.text.islower()) or verb.lower_ in _NOT_CONTENT:
            continue
        close = next((j for j in range(i + 1, len(doc)) if roles[j] != "in" or "\n" in doc[j].text), None)
        if close is None or roles[close] != "close" or doc[close - 1].text not in (".", "?", "!"):
            continue
        words = [doc[k] for k in range(i + 1, close) if not doc[k].is_punct]
        if len(words) < 2 or not words[0].text[:1].isupper():
            continue
        participle = i >= 2 and doc[i - 2].text == "," and verb.lower_.endswith("ing")
        # The tagger may have read the quotation as content already and left the verb out: it is still the cue.
        labelled = allowed[i - 1] and labels[i - 1] == "O" and labels[i] == "B-CONTENT" and all(
            labels[k] == "I-CONTENT" for k in range(i + 1, close)) and labels[close] in ("I-CONTENT", "O") and (
            close + 1 >= len(doc) or labels[close + 1] != "I-CONTENT")
        if not labelled:
            if not all(
                allowed[k] and (labels[k] == "O" or (participle and labels[k] == "I-CONTENT"))
                for k in range(i - 1, close + 1)
            ):
                continue
            if participle and labels[i - 1] == "I-CONTENT":
                # "called bigwigs to the stage, singing "It's Our Time."": the tagger ran the first report on
                # into the song; the participle reports a quotation of its own, the first report ends at the comma.
                if close + 1 < len(doc) and labels[close + 1] == "I-CONTENT":
                    continue
                labels[i - 2] = "O"
            paint(labels, "CONTENT", i, close + 1)
        paint(labels, "CUE", i - 1, i)
        source = _source_before(doc, labels, i - 1, doc[i - 1].sent.start)
        if source is not None:
            paint(labels, "SOURCE", source, i - 1)


MAX_SIGNATURE_WORDS = 5


def _label_signatures(doc: Doc, labels: list[str], allowed: list[bool], roles: list[str]) -> None:
    """Label quotations signed with a dash and a name (``“...” ― Pamela Padilla``), as readers' comments and
    epigraphs are printed: the dash is the cue, the name the source."""
    kinds = quote_kinds(doc)
    breaks = line_breaks(doc)
    opened: int | None = None
    first_opened: int | None = None  # the paragraph's first opening mark not yet signed
    for i, role in enumerate(roles):
        if i in breaks:
            opened = first_opened = None
        if role == "open":
            opened = i
            first_opened = i if first_opened is None else first_opened
            continue
        if role == "close" and opened is not None:
            start, opened = opened, None
        elif role == "out" and kinds[i] == "close" and first_opened is not None:
            # A quotation that quotes within it (“I’d rather live in what he calls “hell” than ...” ― Name):
            # its inner closing mark ended it for the roles, so its own closing mark reads as a stray one.
            start = first_opened
        else:
            continue
        dash = i + 1
        while dash < len(doc) and doc[dash].is_space:
            dash += 1
        if doc[i].text[-1] in SIGNATURE_DASH_CHARS:
            dash = i  # “...”― Name: one token for the tokenizer
        elif dash + 1 >= len(doc) or doc[dash].text not in DASHES:
            continue
        name_start = dash + 1
        while name_start < len(doc) and doc[name_start].is_space and "\n" not in doc[name_start].text:
            name_start += 1  # "― Jorge Falcon" with a no-break space
        name_end = name_start
        while (
            name_end < len(doc)
            and name_end - name_start < MAX_SIGNATURE_WORDS
            and (doc[name_end].text[:1].isupper() or doc[name_end].ent_type_ == "PERSON")
            and roles[name_end] == "out"
        ):
            name_end += 1
        content_end = i + 1  # a glued dash stays with the quotation: the name alone then signs it
        if name_end == name_start or not all(
            allowed[k] and labels[k] in ("O", "B-CONTENT", "I-CONTENT") for k in range(start, content_end)
        ):
            continue
        # The tagger often reads a signature's name as part of the next quotation: the name is no content. Where
        # it read the name as a source already, the dash still needs to become its cue.
        if not all(_is_content_or_free(labels[k]) or labels[k].endswith("SOURCE") for k in range(dash + 1, name_end)) \
                or not allowed[dash]:
            continue
        paint(labels, "CONTENT", start, content_end)
        if dash > i:
            paint(labels, "CUE", dash, dash + 1)
        paint(labels, "SOURCE", name_start, name_end)
        first_opened = None


# Words a swallowed speaker may be made of ("said 9/11 widow Terry Strada"): at most this many.
MAX_SWALLOWED_SOURCE = 8


def _is_content_or_free(label: str) -> bool:
    return label == "O" or label.endswith("CONTENT")


def _postposed(
    doc: Doc,
    labels: list[str],
    allowed: list[bool],
    roles: list[str],
    sentence: Span,
    source_start: int,
    reports_after: bool,
) -> bool:
    """Label as content the opening of ``sentence`` when a comma or a closing quotation mark separates it from
    the speaker at ``source_start`` (``C, X said`` / ``“C,” X said``); whether it did. Unquoted words before a
    cue that reports what follows it (``reports_after``) set the scene instead (``At a tense breakfast the
    following morning, Cruz said he ...``)."""
    boundary = source_start - 1
    if boundary <= sentence.start:
        return False
    if roles[boundary] == "close":
        end = boundary + 1
    elif doc[boundary].text == "," and not reports_after:
        end = boundary
    else:
        return False
    start = sentence.start
    while start < end and (doc[start].is_space or (doc[start].is_punct and roles[start] != "open")):
        start += 1
    while start > 0 and labels[start].startswith("I-CONTENT"):
        start -= 1  # a quotation the sentencizer cut at a full stop inside it
    if end - start < MIN_RULE_CONTENT or not all(
        _is_content_or_free(labels[i]) and allowed[i] for i in range(start, end)
    ):
        return False
    if all(labels[i] == "O" for i in range(start, end)) or roles[end - 1] == "close":
        paint(labels, "CONTENT", start, end)
        return True
    return False


def _label_according_to(
    doc: Doc, labels: list[str], allowed: list[bool], forms: Sequence[str], sentence: Span
) -> None:
    """``According to X, C``: the rest of the sentence after the comma is what X says, when nothing in it is
    labelled yet (the tagger often leaves it unlabelled, or takes only its end)."""
    for i in range(sentence.start, sentence.end - 3):
        if forms[i] != "according" or forms[i + 1] != "to" or not all(allowed[i : sentence.end]):
            continue
        comma = i + 2
        while comma < sentence.end and forms[comma] != "," and comma - i <= MAX_SOURCE_AFTER_ACCORDING:
            comma += 1
        if comma >= sentence.end or forms[comma] != "," or comma == i + 2:
            continue
        end = sentence.end
        while end > comma + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if end - (comma + 1) < MIN_RULE_CONTENT or any(
            labels[k].endswith(("CUE", "SOURCE")) for k in range(comma + 1, end)
        ):
            continue
        paint(labels, "CUE", i, i + 2)
        paint(labels, "SOURCE", i + 2, comma)
        labels[comma] = "O"
        paint(labels, "CONTENT", comma + 1, end)


MAX_SOURCE_AFTER_ACCORDING = 12


OBJECT_PRONOUNS = frozenset({"her", "him", "them", "me", "us", "reporters"})


def _speaker_after(doc: Doc, labels: Sequence[str], cue: int) -> bool:
    """Whether the words right after the cue at ``cue`` name who spoke: a tagged source or a person's name."""
    k = cue + 1
    return k < len(doc) and (labels[k] == "B-SOURCE" or (labels[k] == "O" and doc[k].ent_type_ == "PERSON"))


def _quotation_after_cue(doc: Doc, labels: list[str], allowed: list[bool], roles: list[str], cue: int) -> bool:
    """Label a quotation introduced by the cue at ``cue`` and a comma or colon (``saying, “...”``, ``Said Ellis:
    “...”``, or a colon that ends the paragraph and a quoted paragraph below it) as content, a name between cue
    and colon as source; whether it did."""
    k = cue + 1
    name_end = k
    while name_end < len(doc) and doc[name_end].ent_type_ == "PERSON" and labels[name_end] == "O":
        name_end += 1
    k = name_end
    if name_end == cue + 1 and k < len(doc) and doc[k].lower_ in OBJECT_PRONOUNS and labels[k] == "O":
        k += 1  # "asking her, “...”"
    while k < len(doc) and doc[k].lower_ in _AUXILIARIES and labels[k] == "O":
        k += 1  # "adding later, “...”"
    if k + 1 >= len(doc) or doc[k].text not in (",", ":"):
        return False
    opening = k + 1
    if doc[k].text == ":" and doc[opening].is_space and "\n" in doc[opening].text:
        opening += 1  # a block quotation: "The New York Times reports:" and the quoted paragraph below
    block = opening > k + 1
    if opening >= len(doc) or roles[opening] != "open":
        return False
    # A block quotation may run on past its paragraph, which reopens the marks: it ends with the paragraph.
    close = next(
        (i for i in range(opening + 1, len(doc)) if roles[i] in ("close", "open") or "\n" in doc[i].text),
        len(doc) if block else None,
    )
    if close is None or (close < len(doc) and roles[close] == "open"):
        return False
    closed = close < len(doc) and roles[close] == "close"
    if not closed and not block:
        return False
    end = close + 1 if closed else close
    while end > opening + 1 and doc[end - 1].is_space:
        end -= 1
    if not all(_is_content_or_free(labels[i]) and allowed[i] for i in range(opening, end)):
        return False
    paint(labels, "CONTENT", opening, end)
    if labels[cue] == "O":
        paint(labels, "CUE", cue, cue + 1)
    if name_end > cue + 1:
        paint(labels, "SOURCE", cue + 1, name_end)
    return True


RULES: tuple[Rule, ...] = (
    Rule("split-at-line-breaks", "a span the tagger ran on into the writer's next line",
         "DuVernay said she felt the amendment was worth a film because “most people don’t know about that "
         "loophole,” she said. “We have no context for the current moment if we don’t know where we came from.”"
         "\u00a0\nAs it stands, the country's prisons hold a quarter of the world’s inmates, 40 percent of whom are "
         "black, according to the Federal Bureau of Prisons.", "pass", _pass(_split_at_line_breaks)),
    Rule("speakers-read-as-content", "a name or pronoun before a cue, or after an inverted one, tagged as content",
         "That’s because Trump wants to junk personal exemptions as well as the head-of-household filing "
         "status, which subsidizes single parents. Trump would simultaneously expand the standard "
         "deduction they take, but for some, the losses would outstrip the gains, said Batchelder.", "pass",
         _pass(_speakers_read_as_content)),
    Rule("join-source-pieces", "a speaker cut in pieces by the tagger",
         "Secret Service protocol called for the Democratic presidential nominee to be taken to a "
         "state-designated Level I Trauma Center in the wake of her Sunday morning health crisis at "
         "Ground Zero, sources said.", "pass", _pass(_join_source_pieces)),
    Rule("fill-gaps-before-postposed-cues", "the words left out between what was said and the comma before a cue",
         "The losses would outstrip the gains for years to come, said Batchelder.", "pass",
         _pass(_fill_gaps_before_postposed_cues)),
    Rule("after-parenthetical-cues", "what was said after a cue set off by commas inside it",
         "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt in 2008.", "pass",
         _pass(_label_after_parenthetical_cues, "allowed")),
    Rule("clear-addressees", "the person spoken to taken for the speaker",
         "“You have to win this,” Blige sings to Clinton before asking her about the police.", "pass",
         _pass(_clear_addressees)),
    Rule("quoted-sentences", "a shorter quoted sentence right after a verb left out",
         "\"Trump walked onto the stage, chanting “U-S-A! U-S-A!”", "pass",
         _pass(_label_quoted_sentences, "allowed", "roles")),
    Rule("signatures", "a quotation signed with a dash and a name",
         "“This is the best decision the council has made in years.” ― Pamela Padilla", "pass",
         _pass(_label_signatures, "allowed", "roles")),
    Rule("transcript-turns", "the turns of an interview transcript (NAME: ...)",
         "PENCE: Gennifer Flowers will not be attending the debate tonight.\n\nKAINE: That is good to hear from "
         "you.\n\nPENCE: We will talk about the economy instead.", "pass",
         _pass(_label_transcript_turns, "paragraphs")),
    Rule("introduced-paragraphs", "a paragraph introduced by a cue and colon, set out without quotation marks",
         "Limbaugh added:\n\nAnd from a supposed front-runner, this is a sign of weakness in the campaign.",
         "pass", _pass(_label_introduced_paragraphs, "paragraphs")),
    Rule("according-to", "what X says in ``According to X, C`` left out",
         "According to the Pew Hispanic Center, in 2050, whites will be 47 percent of the country while Hispanics "
         "will grow to 29 percent and Asians to 9 percent.", "sentence",
         lambda reading, sentence: _label_according_to(reading.doc, reading.labels, reading.allowed, reading.forms,
                                                       sentence)),
    Rule("cue-opens-quotation", "a quotation introduced by a cue and a comma or colon",
         "Small groups of protesters continued to call for more information about the fatal shooting of "
         "Keith Lamont Scott, looping the streets around Bank of America Stadium - where the National "
         "Football League's Charlotte Panthers played the Minnesota Vikings - while chanting, \"Hands up, "
         "don't shoot.\"", "cue",
         _cue_opens_quotation),
    Rule("verb-then-speaker", "the speaker after an inverted cue (``C, said Brian Baker``)",
         "As for complexity, ''broadening the base and closing loopholes for the wealthy inevitably "
         "involve a certain amount of administration,'' said Mr. Kamin, who emphasized that her proposals "
         "would simplify returns for small businesses and people with modest tax burdens.", "cue", _verb_then_speaker),
)
