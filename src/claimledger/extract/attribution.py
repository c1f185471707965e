"""A trained token tagger that marks attribution parts: who (SOURCE), the cue (CUE) and what was said (CONTENT).

A linear-chain CRF (crfsuite) labels every token of a paragraph B-/I-SOURCE, B-/I-CUE, B-/I-CONTENT or O. It is
trained on PolNeAR (``claimledger.train.attribution``) and reads only cheap features: the words, their shapes,
named entity labels, quotation-mark state, sentence boundaries and a curated cue lexicon, so no parser is needed
at run time.
A paragraph is the sequence: news paragraphs hold whole attributions, and quotations that run across sentences
stay in one sequence. ``completion.complete_labels`` then adds, by rule, the plainest reporting shapes the tagger
missed. Beside the CRF, where one was trained, a BiLSTM over the entity recognizer's token vectors
(``lstm_tagger``) gives label probabilities of its own, and the labels are read from the two averaged. Where the
best path leaves something no statement can come of, the label probabilities are read again: a content
with no cue or source in its sentences is split where they see a cue inside it (``Donald Trump is demanding
President Barack Obama make a pledge ...``), and a cue with no content in its sentence takes the words they most
read as content.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy
import pycrfsuite
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_PUNCT, ORTH, SENT_START
from spacy.tokens import Doc

from claimledger.extract.completion import Rule, complete_labels
from claimledger.extract.crf import CrfMarginals
from claimledger.extract.labels import cue_lexicon, labelled_spans, may_open_quotation, paint, quote_roles, word_form
from claimledger.extract.lstm_tagger import LABELS as TAG_LABELS
from claimledger.extract.lstm_tagger import LstmEnsemble, load_lstm_tagger
from claimledger.extract.words import NOUN_PHRASE_OPENERS

LABELS = ("SOURCE", "CUE", "CONTENT")
MODEL_FILE = "attribution.crfsuite"
_LABEL_COLUMN = {label: i for i, label in enumerate(TAG_LABELS)}
# Chosen on PolNeAR dev: the BiLSTMs' share of the averaged label probabilities. With one BiLSTM, 0.6 tagged dev
# better than 0.5 but misread the seed; with the ensemble of two, joint F1 0.805 at 0.5 and 0.808 at 0.6, strict
# joint 0.715 and 0.716, and the seed reads right.
LSTM_WEIGHT = 0.6


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
_COMMA_KEYS = tuple(f"commas_since_cue={count}" for count in range(4))
_TO_SENTENCE_END_KEYS = ("",) + tuple(
    f"to_sent_end={distance if distance < 4 else 'near' if distance < 10 else 'far'}" for distance in range(1, 11)
)


@lru_cache(maxsize=4096)
def _token_keys(
    text: str, is_punct: bool, ent: str, role: str
) -> tuple[str, bool, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A token's word, whether it is a cue, its own feature names (the bias first) and the names it gives the token
    at each neighbour offset. They depend on these four values alone and common words recur, so they are built
    once per kind of token rather than at every position: string building was most of the features' cost."""
    lower = word_form(text)
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


_TOKEN_VALUES_KEY = "claimledger.token_values"
_IOB = {0: "", 1: "I", 2: "O", 3: "B"}


def _token_values(doc: Doc) -> list[tuple[str, bool, str, bool]]:
    """Each token's text, whether it is punctuation, its entity label (``B-GPE``, ``O``) and whether it starts a
    sentence, read from the token arrays once per document: a Token object per word costs more than the rest."""
    values = doc.user_data.get(_TOKEN_VALUES_KEY)
    if values is None or len(values) != len(doc):
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, IS_PUNCT, ENT_IOB, ENT_TYPE, SENT_START]).tolist()
        values = [
            (strings[orth], bool(punct), f"{_IOB[iob]}-{strings[ent]}" if ent else "O", sent_start == 1)
            for orth, punct, iob, ent, sent_start in rows
        ]
        doc.user_data[_TOKEN_VALUES_KEY] = values
    return values


@dataclass
class ParagraphFeatures:
    """The CRF's features of one paragraph's tokens, in two parts: each token's own names and those it gives its
    neighbours, which depend only on the kind of token (``kinds``, the arguments of ``_token_keys``) and so can be
    scored once per kind; and the names and values that depend on its place in the paragraph (``placed``)."""

    kinds: list[tuple[str, bool, str, str]]
    placed: list[list[tuple[str, float]]]

    def dicts(self) -> list[dict[str, float]]:
        """Each token's features as crfsuite reads them: every name with its value."""
        keys = [_token_keys(*kind) for kind in self.kinds]
        neighbours = [_EDGE_KEYS] * 3 + [k[3] for k in keys] + [_EDGE_KEYS] * 3
        features = []
        for i, (_, _, own, _) in enumerate(keys):
            # Names in the order they were always added: crfsuite sums the weights in this order.
            feats = dict.fromkeys(
                (
                    *own,
                    *neighbours[i][0],
                    *neighbours[i + 1][1],
                    *neighbours[i + 2][2],
                    *neighbours[i + 4][3],
                    *neighbours[i + 5][4],
                    *neighbours[i + 6][5],
                ),
                1.0,
            )
            feats.update(self.placed[i])
            features.append(feats)
        return features


def paragraph_features(doc: Doc, start: int, end: int) -> list[dict[str, float]]:
    """CRF features of each token of ``doc[start:end]`` (one paragraph)."""
    return paragraph_parts(doc, start, end).dicts()


def paragraph_parts(doc: Doc, start: int, end: int) -> ParagraphFeatures:
    """CRF features of each token of ``doc[start:end]`` (one paragraph), in their two parts."""
    roles = quote_roles(doc, start, end)
    kinds: list[tuple[str, bool, str, str]] = []
    words: list[str] = []
    is_cue: list[bool] = []
    sentence_of: list[int] = []
    sentence = 0
    for i, (text, is_punct, ent, sent_start) in enumerate(_token_values(doc)[start:end]):
        if i and sent_start:
            sentence += 1
        sentence_of.append(sentence)
        kind = (text, is_punct, ent, roles[i])
        lower, cue, _, _ = _token_keys(*kind)
        kinds.append(kind)
        words.append(lower)
        is_cue.append(cue)
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
    # Where each token's sentence ends (the index of the next sentence's first token).
    sentence_end = [n] * n
    for i in range(n - 2, -1, -1):
        sentence_end[i] = i + 1 if sentence_of[i + 1] != sentence_of[i] else sentence_end[i + 1]
    commas = -1  # commas since the last cue of the sentence (-1: no cue yet)
    placed: list[list[tuple[str, float]]] = []
    for i in range(n):
        feats: list[tuple[str, float]] = []
        cue_before, cue_after = before[i], after[i]
        if cue_before >= 0:
            distance = i - cue_before
            feats.append((_CUE_BEFORE_KEYS[distance] if distance < 25 else "cue_before=very_far", 1.0))
        if cue_after >= 0:
            distance = cue_after - i
            feats.append((_CUE_AFTER_KEYS[distance] if distance < 25 else "cue_after=very_far", 1.0))
        if no_cue:
            feats.append(("no_cue", 1.0))
        # Reporting is a matter of the sentence: a cue in the same sentence, before or after, matters most.
        own_sentence = sentence_of[i]
        if cue_before >= 0 and sentence_of[cue_before] == own_sentence:
            feats.append(("sent_cue_before", 1.0))
        if cue_after >= 0 and sentence_of[cue_after] == own_sentence:
            feats.append(("sent_cue_after", 1.0))
        if own_sentence == 0:
            feats.append(("first_sentence", 1.0))
        if i == 0 or sentence_of[i - 1] != own_sentence:
            feats.append(("sent_start", 1.0))
        if i > 0:
            feats.append((f"bigram-={words[i - 1]}|{words[i]}", 1.0))
        if i + 1 < n:
            feats.append((f"bigram+={words[i]}|{words[i + 1]}", 1.0))
        feats.append(("pos_in_par", min(i, 50) / 50.0))
        # How far a reported clause runs: the commas passed since its cue, and how near its sentence's end is.
        if i == 0 or sentence_of[i - 1] != own_sentence:
            commas = -1
        if commas >= 0:
            feats.append((_COMMA_KEYS[min(commas, 3)], 1.0))
        if is_cue[i]:
            commas = 0
        elif commas >= 0 and words[i] == ",":
            commas += 1
        feats.append((_TO_SENTENCE_END_KEYS[min(sentence_end[i] - i, 10)], 1.0))
        placed.append(feats)
    return ParagraphFeatures(kinds, placed)


class _CrfScores:
    """The CRF's label scores of paragraphs, from their features' two parts: what a kind of token contributes
    (its own names, and those it gives each neighbour) is summed once per kind and kept."""

    def __init__(self, crf: CrfMarginals) -> None:
        self.crf = crf
        self._kinds: dict[tuple[str, bool, str, str], tuple[numpy.ndarray, numpy.ndarray]] = {}
        self._edge = crf.weights_of(_EDGE_KEYS)

    def _learn(self, kinds: Iterable[tuple[str, bool, str, str]]) -> None:
        """Sum and keep the weights of ``kinds`` not kept yet: all their names read in one pass."""
        new = [kind for kind in dict.fromkeys(kinds) if kind not in self._kinds]
        if not new:
            return
        if len(self._kinds) + len(new) > _MAX_KINDS:
            self._kinds.clear()
        groups: list[Sequence[str]] = []
        for kind in new:
            _, _, own, neighbour = _token_keys(*kind)
            groups.append(own)
            groups.extend(neighbour)
        sums = self.crf.weights_of(groups).reshape(len(new), 1 + len(_NEIGHBOUR_OFFSETS), -1)
        for kind, rows in zip(new, sums):
            self._kinds[kind] = (rows[0], rows[1:])

    def scores(self, parts: ParagraphFeatures) -> numpy.ndarray:
        """Each token's score for each label (tokens x labels)."""
        self._learn(parts.kinds)
        kinds = [self._kinds[kind] for kind in parts.kinds]
        n = len(kinds)
        scores = numpy.array([own for own, _ in kinds]) + self.crf.weighted(parts.placed)
        # What each token is given by the tokens at each offset: edge values beyond the paragraph.
        given = numpy.concatenate([numpy.repeat(self._edge[None], 3, axis=0),
                                   numpy.array([neighbour for _, neighbour in kinds]),
                                   numpy.repeat(self._edge[None], 3, axis=0)])
        for k, offset in enumerate(_NEIGHBOUR_OFFSETS):
            scores += given[3 + offset : 3 + offset + n, k]
        return scores


# Kinds of token whose summed weights are kept before starting over: far more than a corpus's distinct words.
_MAX_KINDS = 200_000


class AttributionTagger:
    """The trained CRF, with the BiLSTMs beside it where they were trained (``lstm_tagger``); ``tag`` labels the
    tokens of the given paragraphs of a document.

    With both, each token's label probabilities are the two models' averaged (the CRF's marginals, the BiLSTMs'
    averaged softmax, weighted ``LSTM_WEIGHT``) and the labels are the best path through them that keeps BIO well
    formed. The CRF reads words and their neighbours closely, the BiLSTMs the whole paragraph: on PolNeAR dev their
    average tags better than either. A doc without the recognizer vectors the BiLSTMs were trained on (another spaCy
    model) is tagged by the CRF alone.
    """

    def __init__(self, model_path: Path, lstm: LstmEnsemble | None = None) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        self._lstm = lstm
        self._crf = _CrfScores(CrfMarginals(self._tagger, TAG_LABELS)) if lstm is not None else None

    def tag(self, doc: Doc, paragraphs: Iterable[tuple[int, int]], disabled: frozenset[str] = frozenset()
            ) -> list[str]:
        """One label per token of ``doc``; tokens outside the paragraphs (token ranges) are ``O``. ``disabled``
        names rules (``completion.RULES``, ``PARAGRAPH_RULES``) not to apply."""
        return self.tag_many([(doc, paragraphs)], disabled)[0]

    def tag_many(self, docs: Sequence[tuple[Doc, Iterable[tuple[int, int]]]],
                 disabled: frozenset[str] = frozenset()) -> list[list[str]]:
        """``tag`` of each (doc, paragraphs); the BiLSTM and the CRF's marginals read all their paragraphs as one
        batch, which costs less than one batch a document."""
        jobs = [(doc, [(start, end) for start, end in paragraphs if end > start]) for doc, paragraphs in docs]
        parts = [[paragraph_parts(doc, start, end) for start, end in paragraphs] for doc, paragraphs in jobs]
        probabilities: list[list[numpy.ndarray | None]] = [[None] * len(paragraphs) for _, paragraphs in jobs]
        lstm, crf = self._lstm, self._crf
        read = [k for k, (doc, _) in enumerate(jobs) if lstm.reads(doc)] if lstm is not None else []
        if read:
            from_lstm = iter(lstm.probabilities([lstm.inputs(jobs[k][0], start, end)
                                                 for k in read for start, end in jobs[k][1]]))
            from_crf = iter(crf.crf.marginals([crf.scores(p) for k in read for p in parts[k]]))
            for k in read:
                probabilities[k] = [LSTM_WEIGHT * next(from_lstm) + (1 - LSTM_WEIGHT) * next(from_crf)
                                    for _ in parts[k]]
        tagged = []
        for (doc, paragraphs), doc_parts, doc_probabilities in zip(jobs, parts, probabilities):
            labels = ["O"] * len(doc)
            if doc_probabilities and doc_probabilities[0] is not None:
                for (start, end), path in zip(paragraphs, best_paths(doc_probabilities)):
                    labels[start:end] = path
            else:
                for (start, end), paragraph in zip(paragraphs, doc_parts):
                    labels[start:end] = self._tagger.tag(paragraph.dicts())
            labels = complete_labels(doc, labels, paragraphs, disabled)
            sentence_bounds = _sentence_bounds(doc)
            repairs = [rule for rule in PARAGRAPH_RULES if rule.name not in disabled]
            for (start, end), paragraph, given in zip(paragraphs, doc_parts, doc_probabilities):
                reading = _Paragraph(doc, labels, start, end, sentence_bounds, self._tagger, paragraph, given)
                for rule in repairs:
                    rule.apply(reading)
            tagged.append(labels)
        return tagged


def _transitions() -> numpy.ndarray:
    """Scores added to a step from label a (row) to label b (column): 0 where BIO allows it, a large negative
    number where it does not (``I-X`` only after ``B-X`` or ``I-X``)."""
    scores = numpy.zeros((len(TAG_LABELS), len(TAG_LABELS)))
    for b, label in enumerate(TAG_LABELS):
        if label.startswith("I-"):
            scores[:, b] = _FORBIDDEN
            scores[TAG_LABELS.index("B-" + label[2:]), b] = 0.0
            scores[b, b] = 0.0
    return scores


_FORBIDDEN = -1e9
_TRANSITIONS = _transitions()
_OPENING = numpy.array([_FORBIDDEN if label.startswith("I-") else 0.0 for label in TAG_LABELS])
# The weight of "O" against the other labels when the best path is chosen. Chosen on PolNeAR dev, where the
# averaged models leave more gold attributions out than they invent (content precision 0.89, recall 0.77): joint
# F1 0.790 at 1, 0.793 at 0.85, 0.794 at 0.8, 0.792 at 0.75; strict joint F1 0.691, 0.694, 0.696, 0.693.
# Both weights were checked on the five cross-validation folds (fold models; joint, strict joint F1 means), with
# LSTM_WEIGHT/O_WEIGHT: 0.6/0.8 (these) 0.7691 0.6696; 0.6/0.6 0.7725 0.6702; 0.6/0.45 0.7734 0.6674; 0.6/0.3
# 0.7694 0.6578; 0.5/0.6 0.7712 0.6679; 0.7/0.6 0.7730 0.6703; 0.7/0.5 0.7735 0.6689. Chosen on four folds and
# scored on the fifth, in turn, the best of them by joint + strict gave 0.7724 and 0.6682: joint +0.003, strict
# -0.001, and three curated shapes of tests/extract/test_statements.py misread. These stay.
O_WEIGHT = 0.8
_PRIOR = numpy.log(numpy.array([O_WEIGHT if label == "O" else 1.0 for label in TAG_LABELS]))


def best_paths(probabilities: Sequence[numpy.ndarray]) -> list[list[str]]:
    """For each paragraph's label probabilities (tokens x ``TAG_LABELS``), the labels that make the likeliest
    well-formed BIO sequence (Viterbi over log probabilities); all paragraphs run as one batch."""
    if not probabilities:
        return []
    lengths = [len(p) for p in probabilities]
    batch, steps = len(lengths), max(lengths)
    scores = numpy.zeros((batch, steps, len(TAG_LABELS)))
    for row, p in enumerate(probabilities):
        scores[row, : len(p)] = numpy.log(p + 1e-9) + _PRIOR
    total = scores[:, 0] + _OPENING
    back = numpy.zeros((batch, steps, len(TAG_LABELS)), dtype=numpy.int64)
    ends = numpy.asarray(lengths)[:, None]
    for t in range(1, steps):
        step = total[:, :, None] + _TRANSITIONS
        back[:, t] = step.argmax(axis=1)
        # A paragraph that has ended keeps its total; its back pointers past its end are never read.
        total = numpy.where(ends > t, step.max(axis=1) + scores[:, t], total)
    paths = []
    for row, length in enumerate(lengths):
        best = [int(total[row].argmax())]
        pointers = back[row]
        for t in range(length - 1, 0, -1):
            best.append(int(pointers[t, best[-1]]))
        paths.append([TAG_LABELS[i] for i in reversed(best)])
    return paths


class _Paragraph:
    """One tagged paragraph ``doc[start:end]`` as the marginal repairs read it: its labels (repaired in place),
    the sentence around any of its tokens, and each token's label probabilities: those the paragraph was tagged
    from, or the CRF's marginals, computed (forward-backward) on first use: only paragraphs with something to
    repair pay for them."""

    def __init__(
        self,
        doc: Doc,
        labels: list[str],
        start: int,
        end: int,
        sentence_bounds: list[tuple[int, int]],
        tagger: pycrfsuite.Tagger,
        features: ParagraphFeatures,
        probabilities: numpy.ndarray | None = None,
    ) -> None:
        self.doc, self.labels, self.start, self.end = doc, labels, start, end
        self._sentence_bounds = sentence_bounds
        self._tagger = tagger
        self._features = features
        self._probabilities = probabilities
        self.ensemble = probabilities is not None  # tagged from the averaged models, not the CRF alone
        self._set = False

    def spans(self, label: str) -> list[tuple[int, int]]:
        """Token ranges of the paragraph's spans labelled ``label``."""
        return [(s.start + self.start, s.end + self.start) for s in labelled_spans(self.labels[self.start : self.end])
                if s.label == label]

    def sentences_of(self, first: int, last: int) -> tuple[int, int]:
        """The tokens of the sentences that ``doc[first:last]`` lies in, within the paragraph."""
        return (max(self._sentence_bounds[first][0], self.start),
                min(self._sentence_bounds[last - 1][1], self.end))

    def marginal(self, label: str, i: int) -> float:
        if self._probabilities is not None:
            return float(self._probabilities[i - self.start, _LABEL_COLUMN[label]])
        if not self._set:
            self._tagger.set(self._features.dicts())
            self._set = True
        return self._tagger.marginal(label, i - self.start)

    def content(self, i: int) -> float:
        return self.marginal("B-CONTENT", i) + self.marginal("I-CONTENT", i)

    def mean_content(self, first: int, last: int) -> float:
        return sum(self.content(i) for i in range(first, last)) / (last - first)


def _split_unattributed(paragraph: _Paragraph) -> None:
    """Split each content of the paragraph that has no cue nor source in its sentences (so no statement could be
    made of it) where the CRF's marginals see a cue inside it: the words before become the source, the cue runs
    on over auxiliaries (``is demanding``), and the rest stays content.

    The best path often labels a whole sentence content when its subject and verb are the likelier reading only
    token by token; the marginals keep that reading.
    """
    doc, labels = paragraph.doc, paragraph.labels
    for first, last in paragraph.spans("CONTENT"):
        if may_open_quotation(doc, first):
            continue
        low, high = paragraph.sentences_of(first, last)
        if any(labels[i] != "O" and not labels[i].endswith("CONTENT") for i in range(low, high)):
            continue
        cue, best = None, MIN_CUE_MARGINAL
        for i in range(first + 1, min(last - 1, first + MAX_SOURCE_TOKENS + 1)):
            p = paragraph.marginal("B-CUE", i)
            if p > best:
                cue, best = i, p
        if cue is None:
            continue
        cue_end = cue + 1
        while cue_end < last - 1 and (
            paragraph.marginal("I-CUE", cue_end) > 0.5
            or (all(t.lower_ in _CUE_AUXILIARIES for t in doc[cue:cue_end])
                and doc[cue_end].lower_ not in NOUN_PHRASE_OPENERS and not doc[cue_end].like_num)
        ):
            cue_end += 1
        source = first
        while source < cue - 1 and (doc[source].lower_ in _NOT_SOURCE_OPENINGS or doc[source].is_punct):
            source += 1  # "After the Clinton camp announced ...": the camp announced
        labels[first:source] = ["O"] * (source - first)
        paint(labels, "SOURCE", source, cue)
        paint(labels, "CUE", cue, cue_end)
        paint(labels, "CONTENT", cue_end, last)


def _run_on_past_comma(paragraph: _Paragraph) -> None:
    """Run each unquoted content that stops at a comma on to its sentence's end when nothing else is labelled
    there and the averaged probabilities read the rest as content more than not on the whole
    (``the fund predicted that advanced economies will grow 1.6 percent, down 0.2 percentage points ...``).

    Token by token the two models often part there (the BiLSTM reads on, the CRF stops at the comma), and the best
    path stops where their average dips under one half: over the whole run-on their reading is the better guide.
    """
    doc, labels = paragraph.doc, paragraph.labels
    for first, last in paragraph.spans("CONTENT"):
        if last >= paragraph.end or doc[last].text != "," or may_open_quotation(doc, first):
            continue
        _, high = paragraph.sentences_of(first, last)
        stop = high
        while stop > last + 1 and (doc[stop - 1].is_punct or doc[stop - 1].is_space):
            stop -= 1
        if stop - last < 2 or any(labels[i] != "O" for i in range(last, high)):
            continue
        if paragraph.mean_content(last, stop) >= MIN_RUN_ON_MARGINAL:
            paint(labels, "CONTENT", first, stop)


def _fill_lone_cues(paragraph: _Paragraph) -> None:
    """Give each cue of the paragraph with no content in its sentence the words the CRF's marginals most read as
    content: after it (``Stumpf said on Tuesday that the lowest-paid ...``, from the first likely word to the
    sentence's end) or, set off by a comma, before it (``..., said Batchelder``)."""
    doc, labels = paragraph.doc, paragraph.labels
    for first, last in paragraph.spans("CUE"):
        low, high = paragraph.sentences_of(first, last)
        if any(labels[i].endswith("CONTENT") for i in range(low, high)):
            continue
        candidates = []
        stop = high
        while stop > last and (doc[stop - 1].is_punct or doc[stop - 1].is_space):
            stop -= 1
        opening = last
        while opening < stop and (labels[opening] != "O" or paragraph.content(opening) < MIN_CONTENT_MARGINAL):
            opening += 1
        closing = opening
        while closing < stop and labels[closing] == "O" and paragraph.content(closing) >= MIN_RUN_MARGINAL:
            closing += 1
        if closing - opening >= MIN_FILLED_CONTENT:
            candidates.append((opening, closing))
        before = first
        while before > low and labels[before - 1].endswith("SOURCE"):
            before -= 1
        if before > low and doc[before - 1].text in _POSTPOSING_MARKS:
            closing = before - 1
            while closing > low and (doc[closing - 1].is_punct or doc[closing - 1].is_space):
                closing -= 1
            opening = low
            while opening < closing and (doc[opening].is_punct or doc[opening].is_space):
                opening += 1
            if closing - opening >= MIN_FILLED_CONTENT and all(labels[i] == "O" for i in range(opening, closing)):
                candidates.append((opening, closing))
        scored = [(paragraph.mean_content(a, b), a, b) for a, b in candidates]
        scored = [c for c in scored if c[0] >= MIN_CONTENT_MARGINAL]
        if scored:
            _, a, b = max(scored)
            paint(labels, "CONTENT", a, b)


# Chosen on PolNeAR dev: the B-CUE marginal a token of an unattributed content needs to be read as its cue, and how
# far into the content it may stand.
MIN_CUE_MARGINAL = 0.2
MAX_SOURCE_TOKENS = 12
# Chosen on PolNeAR dev: the content marginal where a lone cue's content starts and the mean it needs, the one it
# runs on over, and the fewest words it may have.
MIN_CONTENT_MARGINAL = 0.2
MIN_RUN_MARGINAL = 0.1
MIN_FILLED_CONTENT = 3
# Chosen on PolNeAR dev: the mean content probability that carries a content on past a comma.
MIN_RUN_ON_MARGINAL = 0.35
_POSTPOSING_MARKS = frozenset({",", '"', "\u201d"})
# Words a cue runs on over to reach its verb ("is demanding", "does not include"), and words that end that run.
_CUE_AUXILIARIES = frozenset({"is", "are", "was", "were", "has", "have", "had", "would", "will", "can", "ca", "could",
                              "should", "may", "might", "must", "does", "do", "did", "also", "still", "been", "be",
                              "not", "n't", "never", "to"})
# Words that open a clause before its subject ("After the Clinton camp announced"): not part of the source.
_NOT_SOURCE_OPENINGS = frozenset({"if", "after", "why", "when", "while", "although", "because", "that", "as",
                                  "before", "since", "though", "whether", "how", "what", "so", "then"})


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = [(0, 0)] * len(doc)
    for sentence in doc.sents:
        bounds[sentence.start : sentence.end] = [(sentence.start, sentence.end)] * (sentence.end - sentence.start)
    return bounds


# The repairs made after the completion rules, paragraph by paragraph, where the models' probabilities say more than
# their best path (entries of the same registry as ``completion.RULES``; ``rules.ALL_RULES`` lists both).
PARAGRAPH_RULES: tuple[Rule, ...] = (
    Rule("split-unattributed", "a sentence tagged all content, with its subject and verb inside it",
         "The Democratic presidential candidate’s call came after rival Donald Trump attacked Machado in "
         "early-morning tweets.", "pass",
         _split_unattributed),
    Rule("fill-lone-cues", "a cue with no content in its sentence",
         "The ad features images of uniformed officers greeting Trump and shaking his hand.", "pass", _fill_lone_cues),
    Rule("run-on-past-comma", "an unquoted content that stops at a comma the sentence runs on past",
         "Caddell went on to discuss recently released polls, including ones showing Trump leading "
         "nationally and in the swing states of Ohio, Florida, and Nevada.", "pass",
         lambda reading: reading.ensemble and _run_on_past_comma(reading)),
)


@lru_cache(maxsize=2)
def load_tagger(model_dir: str | None = None) -> AttributionTagger:
    """The tagger saved in ``model_dir`` (default: the weights shipped in ``claimledger/data/attribution``): the CRF,
    and the BiLSTM where one was saved beside it."""
    if model_dir is None:
        with resources.as_file(resources.files("claimledger").joinpath("data/attribution", MODEL_FILE)) as path:
            return AttributionTagger(path, load_lstm_tagger())
    return AttributionTagger(Path(model_dir) / MODEL_FILE, load_lstm_tagger(model_dir))
