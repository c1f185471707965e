"""A trained token tagger that marks attribution parts: who (SOURCE), the cue (CUE) and what was said (CONTENT).

A linear-chain CRF (crfsuite) labels every token of a paragraph B-/I-SOURCE, B-/I-CUE, B-/I-CONTENT or O. It is
trained on PolNeAR (``train_attribution``) and reads only cheap features: the words, their shapes, named entity
labels, quotation-mark state, sentence boundaries and a curated cue lexicon, so no parser is needed at run time.
A paragraph is the sequence: news paragraphs hold whole attributions, and quotations that run across sentences
stay in one sequence. ``complete_labels`` then adds, by rule, the plainest reporting shapes the tagger missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import pycrfsuite
from spacy.tokens import Doc, Span

from claimledger.extract.speakers import is_pronoun

LABELS = ("SOURCE", "CUE", "CONTENT")
MODEL_FILE = "attribution.crfsuite"
# Double quotation marks only: single ones nest inside them (‘oh so much’) or are apostrophes (’90s).
OPENING_QUOTES = frozenset({"\u201c"})
CLOSING_QUOTES = frozenset({"\u201d"})
STRAIGHT_QUOTES = frozenset({'"', "''", "``"})
SIGNATURE_DASH_CHARS = "\u2015\u2014\u2013-"


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


def quote_kinds(doc: Doc) -> list[str]:
    """The quotation-mark kind of every token of ``doc`` (see ``_quote_kind``), worked out once per document: the
    readers ask for quotation roles of many spans, and making spaCy Token objects for each is what costs."""
    kinds = doc.user_data.get(QUOTE_KINDS_KEY)
    if kinds is None or len(kinds) != len(doc):
        kinds = [_quote_kind(text) for text in (token.text for token in doc)]
        doc.user_data[QUOTE_KINDS_KEY] = kinds
    return kinds


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


def _word(text: str) -> str:
    """A token's lower-cased form with every quotation mark and apostrophe spelled one way: news mixes them."""
    return text.lower().translate(_UNIFY)


_UNIFY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})


def _shape(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "UPPER"
    if text[:1].isupper():
        return "Title"
    if text.isdigit():
        return "digit"
    if text.isalpha():
        return "lower"
    return "other"


_NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
# What a neighbour outside the paragraph gives, at each offset.
_EDGE_KEYS = tuple((f"{offset}:edge",) for offset in _NEIGHBOUR_OFFSETS)
_CUE_DISTANCE = ("0", "1", "2", "3", "4", "5") + ("far",) * 19
_CUE_BEFORE_KEYS = tuple(f"cue_before={name}" for name in _CUE_DISTANCE)
_CUE_AFTER_KEYS = tuple(f"cue_after={name}" for name in _CUE_DISTANCE)


@lru_cache(maxsize=4096)
def _token_keys(
    text: str, is_punct: bool, ent: str, role: str
) -> tuple[str, bool, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A token's word, whether it is a cue, its own feature names (the bias first) and the names it gives the token
    at each neighbour offset. They depend on these four values alone and common words recur, so they are built
    once per kind of token rather than at every position: string building was most of the features' cost."""
    lower = _word(text)
    cue = cue_lexicon().get(lower)
    cue_class = cue[1] if cue else ""
    quote = role if role in ("open", "close") else ""
    inside = "1" if role == "in" else "0"
    own = (
        "bias",
        f"w={lower}",
        f"shape={_shape(text)}",
        f"suf={lower[-3:]}",
        f"ent={ent}",
        f"cue={cue_class}",
        f"q={quote}",
        f"in={inside}",
        f"punct={'1' if is_punct else '0'}",
        f"w|in={lower}|{inside}",
    )
    neighbour = []
    for offset in _NEIGHBOUR_OFFSETS:
        keys = [f"{offset}:w={lower}"]
        if abs(offset) <= 2:
            keys += [f"{offset}:ent={ent}", f"{offset}:q={quote}", f"{offset}:in={inside}"]
        if cue_class:
            keys.append(f"{offset}:cue={cue_class}")
        neighbour.append(tuple(keys))
    return lower, cue is not None, own, tuple(neighbour)


def paragraph_features(doc: Doc, start: int, end: int) -> list[dict[str, float]]:
    """CRF features of each token of ``doc[start:end]`` (one paragraph)."""
    roles = quote_roles(doc, start, end)
    words: list[str] = []
    is_cue: list[bool] = []
    owns: list[tuple[str, ...]] = []
    # Three edge entries on either side, so that every neighbour offset of every token has an entry.
    neighbours: list[tuple[tuple[str, ...], ...]] = [_EDGE_KEYS] * 3
    sentence_of: list[int] = []
    sentence = 0
    for i, token in enumerate(doc[start:end]):
        if i and token.is_sent_start:
            sentence += 1
        sentence_of.append(sentence)
        ent_type = token.ent_type_
        lower, cue, own, neighbour = _token_keys(
            token.text, token.is_punct, f"{token.ent_iob_}-{ent_type}" if ent_type else "O", roles[i]
        )
        words.append(lower)
        is_cue.append(cue)
        owns.append(own)
        neighbours.append(neighbour)
    neighbours += [_EDGE_KEYS] * 3
    n = len(words)
    # The nearest cue strictly before and strictly after each token (-1: none), one pass each way.
    before = [-1] * n
    after = [-1] * n
    last = -1
    for i in range(n):
        before[i] = last
        if is_cue[i]:
            last = i
    last = -1
    for i in range(n - 1, -1, -1):
        after[i] = last
        if is_cue[i]:
            last = i
    no_cue = not any(is_cue)
    features: list[dict[str, float]] = []
    for i in range(n):
        # Names in the order they were always added: crfsuite sums the weights in this order.
        feats = dict.fromkeys(
            (
                *owns[i],
                *neighbours[i][0],
                *neighbours[i + 1][1],
                *neighbours[i + 2][2],
                *neighbours[i + 4][3],
                *neighbours[i + 5][4],
                *neighbours[i + 6][5],
            ),
            1.0,
        )
        cue_before, cue_after = before[i], after[i]
        if cue_before >= 0:
            distance = i - cue_before
            feats[_CUE_BEFORE_KEYS[distance] if distance < 25 else "cue_before=very_far"] = 1.0
        if cue_after >= 0:
            distance = cue_after - i
            feats[_CUE_AFTER_KEYS[distance] if distance < 25 else "cue_after=very_far"] = 1.0
        if no_cue:
            feats["no_cue"] = 1.0
        # Reporting is a matter of the sentence: a cue in the same sentence, before or after, matters most.
        own_sentence = sentence_of[i]
        if cue_before >= 0 and sentence_of[cue_before] == own_sentence:
            feats["sent_cue_before"] = 1.0
        if cue_after >= 0 and sentence_of[cue_after] == own_sentence:
            feats["sent_cue_after"] = 1.0
        if own_sentence == 0:
            feats["first_sentence"] = 1.0
        if i == 0 or sentence_of[i - 1] != own_sentence:
            feats["sent_start"] = 1.0
        if i > 0:
            feats[f"bigram-={words[i - 1]}|{words[i]}"] = 1.0
        if i + 1 < n:
            feats[f"bigram+={words[i]}|{words[i + 1]}"] = 1.0
        feats["pos_in_par"] = min(i, 50) / 50.0
        features.append(feats)
    return features


class AttributionTagger:
    """The trained CRF; ``tag`` labels the tokens of the given paragraphs of a document."""

    def __init__(self, model_path: Path) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    def tag(self, doc: Doc, paragraphs: Iterable[tuple[int, int]]) -> list[str]:
        """One label per token of ``doc``; tokens outside the paragraphs (token ranges) are ``O``."""
        paragraphs = list(paragraphs)
        labels = ["O"] * len(doc)
        for start, end in paragraphs:
            if end > start:
                labels[start:end] = self._tagger.tag(paragraph_features(doc, start, end))
        return complete_labels(doc, labels, paragraphs)


@lru_cache(maxsize=2)
def load_tagger(model_dir: str | None = None) -> AttributionTagger:
    """The tagger saved in ``model_dir`` (default: the weights shipped in ``claimledger/data/attribution``)."""
    if model_dir is None:
        with resources.as_file(resources.files("claimledger").joinpath("data/attribution", MODEL_FILE)) as path:
            return AttributionTagger(path)
    return AttributionTagger(Path(model_dir) / MODEL_FILE)


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


def _paint(labels: list[str], name: str, start: int, end: int) -> None:
    for i in range(start, end):
        labels[i] = ("B-" if i == start else "I-") + name


def complete_labels(doc: Doc, labels: Sequence[str], paragraphs: Iterable[tuple[int, int]]) -> list[str]:
    """``labels`` with the plainest attributions the tagger left unlabelled added by rule.

    Shapes of news reporting unambiguous enough to take by rule where the tagger saw none: a quotation that
    reads as speech (four words or more, opening with a capital); a quotation signed with a dash and a name; a
    cue that opens a quotation (``saying, “...”``); a speaker, a speech verb and the rest of the sentence
    (``Moscow had announced it was returning ...``); and a sentence opening with what was said, then a comma or
    closing quotation mark, the speaker and the verb (``NATO has not seen signs ..., Secretary General Jens
    Stoltenberg said Wednesday``). The tagger learns from sequences where such clauses often sit inside another
    attribution, so it tends to leave them out.

    Before that, two repairs of what the tagger over-reads: a cue and speaker it swallowed into a quotation
    (``“...,” said Terry Strada`` all tagged content) are given back, and words it tagged as content right after
    the cue of a quotation (``“...,” she said several months later``) are unlabelled.
    """
    lexicon = cue_lexicon()
    completed = list(labels)
    allowed = [False] * len(doc)
    for start, end in paragraphs:
        allowed[start:end] = [True] * (end - start)
    _split_swallowed_cues(doc, completed, lexicon)
    _clear_after_postposed(doc, completed, lexicon)
    _label_quotations(doc, completed, allowed)
    _label_quoted_sentences(doc, completed, allowed)
    _label_signatures(doc, completed, allowed)
    roles = quote_roles(doc, 0, len(doc))
    for sentence in doc.sents:
        for token in sentence:
            entry = lexicon.get(_word(token.text))
            is_cue = completed[token.i].endswith("CUE") or (
                completed[token.i] == "O" and entry is not None and entry[1] in _RULE_CLASSES
            )
            if not allowed[token.i] or not is_cue:
                continue
            j = token.i
            while j > sentence.start and doc[j - 1].lower_ in _AUXILIARIES:
                j -= 1
            source_start = _source_before(doc, completed, j, sentence.start)
            if _quotation_after_cue(doc, completed, allowed, roles, token.i):
                if source_start is not None:
                    _paint(completed, "SOURCE", source_start, j)
                continue
            if source_start is None or token.text[:1].isupper():
                continue
            if _postposed(doc, completed, allowed, roles, sentence, source_start):
                _paint(completed, "SOURCE", source_start, j)
                if not completed[token.i].endswith("CUE"):
                    _paint(completed, "CUE", token.i, token.i + 1)
                continue
            if completed[token.i] != "O" or token.i + 1 >= sentence.end:
                continue
            first = doc[token.i + 1]
            if first.is_punct or first.lower_ in _NOT_CONTENT or first.ent_type_ in ("DATE", "TIME"):
                continue
            content_end = sentence.end
            while content_end > token.i + 1 and (doc[content_end - 1].is_punct or doc[content_end - 1].is_space):
                content_end -= 1
            if content_end - (token.i + 1) < MIN_RULE_CONTENT:
                continue
            if any(completed[i] != "O" or not allowed[i] for i in range(source_start, content_end)):
                continue
            _paint(completed, "SOURCE", source_start, j)
            _paint(completed, "CUE", token.i, token.i + 1)
            _paint(completed, "CONTENT", token.i + 1, content_end)
    return completed


MIN_QUOTATION_WORDS = 4


def _label_quotations(doc: Doc, labels: list[str], allowed: list[bool]) -> None:
    """Label as content every quotation the tagger left out that reads as speech: at least four words, opening
    with a capital. Shorter or lower-case quotations are titles, terms or scare quotes."""
    roles = quote_roles(doc, 0, len(doc))
    opened: int | None = None
    for i, role in enumerate(roles):
        if role == "open":
            opened = i
        elif role == "close" and opened is not None:
            inside = range(opened + 1, i)
            words = [doc[k] for k in inside if not doc[k].is_punct]
            if (
                len(words) >= MIN_QUOTATION_WORDS
                and words[0].text[:1].isupper()
                and all(labels[k] == "O" and allowed[k] for k in range(opened, i + 1))
            ):
                _paint(labels, "CONTENT", opened, i + 1)
            opened = None
        elif doc[i].text == "\n" or (doc[i].is_space and "\n\n" in doc[i].text):
            opened = None


def _label_quoted_sentences(doc: Doc, labels: list[str], allowed: list[bool]) -> None:
    """Label a whole quoted sentence right after a verb (``Protesters chanted "What curfew?"``, ``singing "It's
    Our Time."``) as content and the verb as its cue: shorter than ``_label_quotations`` asks, but a quotation
    that ends a sentence of its own inside the marks is something said, not a term."""
    roles = quote_roles(doc, 0, len(doc))
    for i in range(1, len(doc) - 2):
        verb = doc[i - 1]
        if roles[i] != "open" or not (verb.is_alpha and verb.text.islower()) or verb.lower_ in _NOT_CONTENT:
            continue
        close = next((j for j in range(i + 1, len(doc)) if roles[j] != "in" or "\n" in doc[j].text), None)
        if close is None or roles[close] != "close" or doc[close - 1].text not in (".", "?", "!"):
            continue
        words = [doc[k] for k in range(i + 1, close) if not doc[k].is_punct]
        if len(words) < 2 or not words[0].text[:1].isupper():
            continue
        participle = i >= 2 and doc[i - 2].text == "," and verb.lower_.endswith("ing")
        if not all(
            allowed[k] and (labels[k] == "O" or (participle and labels[k] == "I-CONTENT")) for k in range(i - 1, close + 1)
        ):
            continue
        if participle and labels[i - 1] == "I-CONTENT":
            # "called bigwigs to the stage, singing "It's Our Time."": the tagger ran the first report on
            # into the song; the participle reports a quotation of its own, the first report ends at the comma.
            if close + 1 < len(doc) and labels[close + 1] == "I-CONTENT":
                continue
            labels[i - 2] = "O"
        _paint(labels, "CUE", i - 1, i)
        _paint(labels, "CONTENT", i, close + 1)
        source = _source_before(doc, labels, i - 1, doc[i - 1].sent.start)
        if source is not None:
            _paint(labels, "SOURCE", source, i - 1)


SIGNATURE_DASHES = frozenset({"\u2015", "\u2014", "\u2013", "-", "--"})
MAX_SIGNATURE_WORDS = 5


def _label_signatures(doc: Doc, labels: list[str], allowed: list[bool]) -> None:
    """Label quotations signed with a dash and a name (``“...” ― Pamela Padilla``), as readers' comments and
    epigraphs are printed: the dash is the cue, the name the source."""
    roles = quote_roles(doc, 0, len(doc))
    opened: int | None = None
    for i, role in enumerate(roles):
        if role == "open":
            opened = i
            continue
        if role != "close" or opened is None:
            continue
        start, opened = opened, None
        dash = i + 1
        while dash < len(doc) and doc[dash].is_space:
            dash += 1
        if doc[i].text[-1] in SIGNATURE_DASH_CHARS:
            dash = i  # “...”― Name: one token for the tokenizer
        elif dash + 1 >= len(doc) or doc[dash].text not in SIGNATURE_DASHES:
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
        # The tagger often reads a signature's name as part of the next quotation: the name is no content.
        if not all(_is_content_or_free(labels[k]) for k in range(dash + 1, name_end)) or not allowed[dash]:
            continue
        _paint(labels, "CONTENT", start, content_end)
        if dash > i:
            _paint(labels, "CUE", dash, dash + 1)
        _paint(labels, "SOURCE", name_start, name_end)


# Words a swallowed speaker may be made of ("said 9/11 widow Terry Strada"): at most this many.
MAX_SWALLOWED_SOURCE = 8


def _split_swallowed_cues(doc: Doc, labels: list[str], lexicon: dict[str, tuple[str, str]]) -> None:
    """Give back the cue and speaker that the tagger read as part of a quotation's content (``“...,” said
    Terry Strada`` or ``“...,” she said``, all tagged content): the content ends at the closing mark, and what
    follows the cue in its sentence is not content unless it opens another quotation."""
    roles = quote_roles(doc, 0, len(doc))
    for run in labelled_spans(labels):
        if run.label != "CONTENT":
            continue
        if roles[run.start] != "open":
            _split_leading_cue(doc, labels, lexicon, roles, run)
            continue
        for close in range(run.start + 1, run.end - 1):
            if roles[close] != "close":
                continue
            cue = _named_then_verb(doc, close + 1, run.end) if doc[close - 1].text == "," else None
            cue = cue or next(
                (k for k in range(close + 1, min(close + 1 + MAX_SWALLOWED_SOURCE, run.end))
                 if lexicon.get(_word(doc[k].text), ("", ""))[1] in _RULE_CLASSES),
                None,
            )
            if cue is None or any(roles[k] != "out" for k in range(close + 1, cue + 1)):
                continue
            sentence_end = min(doc[cue].sent.end, run.end)
            if cue == close + 1:  # “...,” said Terry Strada.
                source_end = cue + 1
                while source_end < sentence_end and roles[source_end] == "out" and not doc[source_end].is_punct:
                    source_end += 1
                source = (cue + 1, source_end)
            else:  # “...,” she said / “...” To which she said, “...”
                begin = _source_before(doc, ["O"] * len(doc), cue, close + 1)
                source = (close + 1 if begin is None else begin, cue)
            rest = max(source[1], cue + 1)
            opens_another = rest + 1 < run.end and doc[rest].text in (",", ":") and roles[rest + 1] == "open"
            if doc[close - 1].text not in (",", "?", "!") and not opens_another:
                continue  # “...” She said: a new sentence, maybe a new speaker; leave it to the tagger
            if source[1] - source[0] < 1 or source[1] - source[0] > MAX_SWALLOWED_SOURCE:
                continue
            for k in range(close + 1, run.end):
                labels[k] = "O"
            _paint(labels, "SOURCE", *source)
            _paint(labels, "CUE", cue, cue + 1)
            if opens_another:
                _paint(labels, "CONTENT", rest + 1, run.end)  # “A,” she said, “B.”
            break


def _named_then_verb(doc: Doc, start: int, end: int) -> int | None:
    """The verb of ``“...,” Blige sings``: after a closing mark and comma, a name (or pronoun) then a lower-case
    word is a speaker and what they did with the words, whatever the verb."""
    i = start
    if i < end and doc[i].ent_type_ in _SOURCE_ENTITIES and doc[i].ent_iob_ == "B":
        i += 1
        while i < end and doc[i].ent_iob_ == "I":
            i += 1
    elif i < end and is_pronoun(doc[i].text):
        i += 1
    else:
        return None
    verb = doc[i] if i < end else None
    if verb is None or not verb.is_alpha or not verb.text.islower() or verb.lower_ in _NOT_CONTENT:
        return None
    return i


def _split_leading_cue(
    doc: Doc, labels: list[str], lexicon: dict[str, tuple[str, str]], roles: list[str], run: TaggedSpan
) -> None:
    """A content run that opens with a speaker and cue introducing a quotation (``To which she said, “...”``,
    all tagged content): the quotation is the content, the words before it its cue and speaker."""
    for cue in range(run.start, min(run.start + MAX_SWALLOWED_SOURCE, run.end - 2)):
        if roles[cue] != "out":
            return
        if lexicon.get(_word(doc[cue].text), ("", ""))[1] not in _RULE_CLASSES:
            continue
        if doc[cue + 1].text not in (",", ":") or roles[cue + 2] != "open":
            return
        begin = _source_before(doc, ["O"] * len(doc), cue, run.start)
        for k in range(run.start, cue + 2):
            labels[k] = "O"
        if begin is not None:
            _paint(labels, "SOURCE", begin, cue)
        _paint(labels, "CUE", cue, cue + 1)
        _paint(labels, "CONTENT", cue + 2, run.end)
        return


def _clear_after_postposed(doc: Doc, labels: list[str], lexicon: dict[str, tuple[str, str]]) -> None:
    """Unlabel the words the tagger took as content right after the cue of a quotation it closes (``“...,” she
    said several months after her release``): such a cue has reported its quotation; only another quotation
    (``“A,” she said, “B.”``) may follow as content."""
    roles = quote_roles(doc, 0, len(doc))
    spans = labelled_spans(labels)
    for before, cue, after in zip(spans, spans[1:], spans[2:]):
        if cue.label != "CUE":
            continue
        source = before if before.label == "SOURCE" and before.end == cue.start else None
        if source is None and after.label == "SOURCE" and after.start == cue.end:
            source = after
        quoted_end = (source.start if source is not None and source.end == cue.start else cue.start) - 1
        if (
            quoted_end < 1
            or roles[quoted_end] != "close"
            or doc[quoted_end - 1].text not in (",", "?", "!")  # “...,” she said; not “...”. She said
            or not labels[quoted_end].endswith("CONTENT")
            or doc[quoted_end].sent.start != doc[cue.start].sent.start
        ):
            continue
        follow = max(cue.end, source.end if source is not None else 0)
        run = next((s for s in spans if s.label == "CONTENT" and follow <= s.start <= follow + 1), None)
        if run is None:
            continue
        first = run.start + (doc[run.start].text == ",")
        if first < run.end and roles[first] != "open":
            for k in range(run.start, run.end):
                labels[k] = "O"
            # "“...,” Sanders said, suggesting a few questions, including, “...”": a cue of its own
            inner = next((k for k in range(run.start, run.end) if _word(doc[k].text) in lexicon), None)
            if inner is not None:
                _paint(labels, "CUE", inner, inner + 1)


def _is_content_or_free(label: str) -> bool:
    return label == "O" or label.endswith("CONTENT")


def _postposed(
    doc: Doc, labels: list[str], allowed: list[bool], roles: list[str], sentence: Span, source_start: int
) -> bool:
    """Label as content the opening of ``sentence`` when a comma or a closing quotation mark separates it from
    the speaker at ``source_start`` (``C, X said`` / ``“C,” X said``); whether it did."""
    boundary = source_start - 1
    if boundary <= sentence.start:
        return False
    if roles[boundary] == "close":
        end = boundary + 1
    elif doc[boundary].text == ",":
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
        _paint(labels, "CONTENT", start, end)
        return True
    return False


OBJECT_PRONOUNS = frozenset({"her", "him", "them", "me", "us", "reporters"})


def _quotation_after_cue(doc: Doc, labels: list[str], allowed: list[bool], roles: list[str], cue: int) -> bool:
    """Label a quotation introduced by the cue at ``cue`` and a comma or colon (``saying, “...”``, ``Said Ellis:
    “...”``) as content, a name between cue and colon as source; whether it did."""
    k = cue + 1
    name_end = k
    while name_end < len(doc) and doc[name_end].ent_type_ == "PERSON" and labels[name_end] == "O":
        name_end += 1
    k = name_end
    if name_end == cue + 1 and k < len(doc) and doc[k].lower_ in OBJECT_PRONOUNS and labels[k] == "O":
        k += 1  # "asking her, “...”"
    while k < len(doc) and doc[k].lower_ in _AUXILIARIES and labels[k] == "O":
        k += 1  # "adding later, “...”"
    if k + 1 >= len(doc) or doc[k].text not in (",", ":") or roles[k + 1] != "open":
        return False
    close = next((i for i in range(k + 2, len(doc)) if roles[i] in ("close", "open") or "\n" in doc[i].text), None)
    if close is None or roles[close] != "close":
        return False
    if not all(_is_content_or_free(labels[i]) and allowed[i] for i in range(k + 1, close + 1)):
        return False
    _paint(labels, "CONTENT", k + 1, close + 1)
    if labels[cue] == "O":
        _paint(labels, "CUE", cue, cue + 1)
    if name_end > cue + 1:
        _paint(labels, "SOURCE", cue + 1, name_end)
    return True
