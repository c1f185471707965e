"""Training of the attribution tagger on PolNeAR train (``claimledger train attribution``).

Reproducible on CPU: the same corpus, model and settings give the same weights (L-BFGS is deterministic). Parsed
documents are cached as spaCy DocBins under the system temporary directory, so a second run skips parsing.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path
from typing import Iterable, Sequence

import pycrfsuite
from rich.console import Console
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from claimledger.config import Settings
from claimledger.corpora.polnear import GoldAttribution, GoldDocument, read_split
from claimledger.extract.attribution import MODEL_FILE, paragraph_features
from claimledger.extract.nlp import CHEAP_COMPONENTS, cheap_pass, load_nlp

# Chosen on PolNeAR dev: L1 keeps the weights file small (a few MB) without costing accuracy.
CRF_PARAMS = {"c1": 1.0, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def parsed_documents(
    documents: Sequence[GoldDocument], nlp: Language, name: str, cache_dir: Path | None = None
) -> list[tuple[GoldDocument, Doc]]:
    """Gold documents with their spaCy docs, parsed once and cached as a DocBin (``name`` heads the file name; the
    key is the documents' texts, the pipeline and its components)."""
    digest = hashlib.sha256("\n".join([nlp.meta.get("name", ""), *CHEAP_COMPONENTS]).encode("utf-8"))
    for document in documents:
        digest.update(document.name.encode("utf-8") + b"\0" + document.text.encode("utf-8"))
    key = digest.hexdigest()[:16]
    cache = (cache_dir or Path(tempfile.gettempdir()) / "claimledger-cache") / f"{name}-{key}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(documents):
            return list(zip(documents, docs))
    docs = list(cheap_pass(nlp, (d.text for d in documents), batch_size=16))
    cache.parent.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(attrs=["ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(cache)
    return list(zip(documents, docs))


def paragraph_tokens(doc: Doc, paragraphs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans of paragraphs as token ranges of ``doc``."""
    ranges = []
    for start, end in paragraphs:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            ranges.append((span.start, span.end))
    return ranges


def gold_labels(doc: Doc, attributions: Sequence[GoldAttribution]) -> list[str]:
    """BIO labels for ``doc`` from gold attributions.

    One label per token cannot hold nested attributions, so the outer one wins: attributions are painted longest
    content first and a part (content, cue or source) that overlaps one already painted is left out. Only that
    part: two attributions often share their source or cue (``X said A and added B``), and dropping the second
    whole would teach the tagger that B is no content.
    """
    labels = ["O"] * len(doc)
    ordered = sorted(attributions, key=lambda a: -sum(e - s for s, e in a.content))
    for attribution in ordered:
        for name, pieces in (("CONTENT", attribution.content), ("CUE", attribution.cue), ("SOURCE", attribution.source)):
            for start, end in pieces:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None or not len(span) or any(labels[i] != "O" for i in range(span.start, span.end)):
                    continue
                for i in range(span.start, span.end):
                    labels[i] = ("B-" if i == span.start else "I-") + name
    return labels


def training_sequences(pairs: Iterable[tuple[GoldDocument, Doc]]) -> Iterable[tuple[list[dict[str, float]], list[str]]]:
    """(features, labels) for every paragraph of every document."""
    for gold, doc in pairs:
        labels = gold_labels(doc, gold.attributions)
        for start, end in paragraph_tokens(doc, gold.paragraphs()):
            yield paragraph_features(doc, start, end), labels[start:end]


def train(polnear_dir: Path, out_dir: Path, console: Console, settings: Settings) -> dict:
    """Train the attribution tagger on ``polnear_dir/train`` and write its weights to ``out_dir``.

    Returns figures of the run: documents, paragraphs and tokens trained on, seconds, and the weights' size.
    """
    return train_documents(list(read_split(polnear_dir / "train")), out_dir, console, settings, "train")


def train_documents(
    documents: Sequence[GoldDocument], out_dir: Path, console: Console, settings: Settings, name: str
) -> dict:
    """Train the CRF on ``documents`` (a split, or the folds of a cross-validation, ``name`` for its parse cache)
    and write its weights to ``out_dir``; returns figures of the run as ``train`` does."""
    began = time.perf_counter()
    nlp = load_nlp(settings.model)
    with console.status(f"parsing {len(documents)} PolNeAR documents"):
        pairs = parsed_documents(documents, nlp, name)
    return train_parsed(pairs, out_dir, console, began)


def train_parsed(
    pairs: Sequence[tuple[GoldDocument, Doc]], out_dir: Path, console: Console, began: float | None = None
) -> dict:
    """Train the CRF on gold documents already parsed (``parsed_documents``) and write its weights to
    ``out_dir``; returns figures of the run as ``train`` does."""
    began = time.perf_counter() if began is None else began
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(CRF_PARAMS)
    sequences = tokens = 0
    for features, labels in training_sequences(pairs):
        trainer.append(features, labels)
        sequences += 1
        tokens += len(labels)
    out_dir.mkdir(parents=True, exist_ok=True)
    with console.status(f"training the CRF on {sequences} paragraphs"):
        trainer.train(str(out_dir / MODEL_FILE))
    figures = {
        "documents": len(pairs),
        "paragraphs": sequences,
        "tokens": tokens,
        "seconds": round(time.perf_counter() - began, 1),
        "model_bytes": (out_dir / MODEL_FILE).stat().st_size,
    }
    console.print(f"attribution tagger: {figures}")
    return figures
