"""Training of the BiLSTM attribution taggers (``lstm_tagger``, an ensemble of two) on PolNeAR train, with
PyTorch on CPU.

Inputs are those ``lstm_tagger.token_inputs`` reads at run time, over docs from the same cheap pass with the
recognizer's vectors kept, so training and extraction see the same numbers. Each member's weights are saved as
numpy arrays (``lstm.npz``, ``lstm-wide.npz``) beside the feature tables they share (``lstm.json``): extraction
runs them in numpy. 20 to 30 s an epoch on two cores, 17 epochs in all; seeded, so a rerun on the same machine
gives the same weights.
"""

from __future__ import annotations

import collections
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy
from rich.console import Console

from claimledger.config import Settings
from claimledger.corpora.polnear import GoldDocument, read_split
from claimledger.extract.lstm_tagger import FEATURES, LABELS, TABLES_FILE, WEIGHTS_FILE, token_inputs
from claimledger.extract.nlp import NER_ENCODER_KEY, NER_VECTORS_KEY, cheap_pass, load_nlp
from claimledger.train.attribution import gold_labels, paragraph_tokens

# Chosen on PolNeAR dev.
EMBEDDING_WIDTHS = {"words": 64, "cue": 8, "role": 4, "ent": 16, "shape": 8}
HIDDEN = 64
BATCH = 32
LEARNING_RATE = 2e-3
WORD_DROPOUT = 0.1  # words hidden as unknown in training, so the tagger learns to do without rare ones
MIN_WORD_COUNT = 2
SEED = 0


@dataclass(frozen=True)
class Member:
    """One BiLSTM of the ensemble (``lstm_tagger.LstmEnsemble``): its weights file and what sets it apart."""

    weights_file: str
    word_width: int
    dropout: float
    epochs: int


# The second member has wider word embeddings, more dropout and more epochs, so that the two err in different
# places: their average tags dev better than the first alone (figures in ``lstm_tagger.LstmEnsemble``).
MEMBERS = (
    Member(WEIGHTS_FILE, word_width=64, dropout=0.3, epochs=7),
    Member("lstm-wide.npz", word_width=100, dropout=0.4, epochs=10),
)


def _paragraphs(documents: Sequence[GoldDocument], settings: Settings) -> tuple[list[dict], str]:
    """Every paragraph of ``documents``: its recognizer vectors, discrete inputs and gold labels; and the
    fingerprint of the encoder that made the vectors."""
    nlp = load_nlp(settings.model)
    found, encoder = [], ""
    for gold, doc in zip(documents, cheap_pass(nlp, (d.text for d in documents), batch_size=2)):
        if NER_VECTORS_KEY not in doc.user_data:
            raise SystemExit(f"{settings.model}: its entity recognizer has no encoder of its own to read vectors from")
        encoder = doc.user_data[NER_ENCODER_KEY]
        labels = gold_labels(doc, gold.attributions)
        for start, end in paragraph_tokens(doc, gold.paragraphs()):
            found.append({
                "vectors": doc.user_data[NER_VECTORS_KEY][start:end],
                "inputs": token_inputs(doc, start, end),
                "labels": [LABELS.index(label) for label in labels[start:end]],
            })
    return found, encoder


def _tables(paragraphs: Sequence[dict]) -> dict[str, list[str]]:
    """The values of each discrete input seen in training, index 0 standing for any other."""
    counts = collections.Counter(w for p in paragraphs for w in p["inputs"].words)
    tables = {"words": ["<unknown>"] + sorted(w for w, c in counts.items() if c >= MIN_WORD_COUNT)}
    for name in FEATURES[1:]:
        tables[name] = ["<unknown>"] + sorted({v for p in paragraphs for v in getattr(p["inputs"], name)})
    return tables


def train(polnear_dir: Path, out_dir: Path, console: Console, settings: Settings) -> list[dict]:
    """Train every BiLSTM of the ensemble (``MEMBERS``) on ``polnear_dir/train`` and write their weights to
    ``out_dir``; returns figures of each run."""
    return train_documents(list(read_split(polnear_dir / "train")), out_dir, console, settings)


def train_documents(
    documents: Sequence[GoldDocument], out_dir: Path, console: Console, settings: Settings
) -> list[dict]:
    """Train every BiLSTM of the ensemble on ``documents`` (a split, or the folds of a cross-validation) and write
    their weights to ``out_dir``; returns figures of each run."""
    with console.status(f"reading {len(documents)} PolNeAR documents"):
        paragraphs, encoder = _paragraphs(documents, settings)
    return train_paragraphs(paragraphs, encoder, out_dir, console)


def document_paragraphs(documents: Sequence[GoldDocument], settings: Settings) -> tuple[dict[str, list[dict]], str]:
    """The training paragraphs of each document, by name (read once, trained on by several folds), and the
    encoder's fingerprint."""
    by_name: dict[str, list[dict]] = {}
    encoder = ""
    for document in documents:
        by_name[document.name], encoder = _paragraphs([document], settings)
    return by_name, encoder


def train_paragraphs(paragraphs: Sequence[dict], encoder: str, out_dir: Path, console: Console) -> list[dict]:
    """Train every BiLSTM of the ensemble on paragraphs read by ``_paragraphs`` and write their weights to
    ``out_dir``; returns figures of each run."""
    tables = _tables(paragraphs)
    return [train_member(member, paragraphs, tables, encoder, out_dir, console) for member in MEMBERS]


def train_member(
    member: Member, paragraphs: Sequence[dict], tables: dict[str, list[str]], encoder: str, out_dir: Path,
    console: Console,
) -> dict:
    """Train one BiLSTM and write its weights (and the shared tables) to ``out_dir``; returns figures of the run."""
    import torch  # training only: extraction runs the weights in numpy
    from torch import nn

    began = time.perf_counter()
    torch.manual_seed(SEED)
    random.seed(SEED)
    widths = {**EMBEDDING_WIDTHS, "words": member.word_width}
    index = {name: {v: i for i, v in enumerate(values)} for name, values in tables.items()}

    def tensors(p: dict) -> tuple:
        ids = [torch.tensor([index[name].get(v, 0) for v in getattr(p["inputs"], name)]) for name in FEATURES]
        starts = torch.tensor([float(s) for s in p["inputs"].sentence_start])
        return ids, torch.from_numpy(p["vectors"]), starts, torch.tensor(p["labels"])

    items = [tensors(p) for p in paragraphs]
    width = items[0][1].shape[1] + sum(widths.values()) + 1

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.ModuleList(nn.Embedding(len(tables[n]), widths[n]) for n in FEATURES)
            self.drop = nn.Dropout(member.dropout)
            self.lstm = nn.LSTM(width, HIDDEN, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * HIDDEN, len(LABELS))

        def forward(self, ids, vectors, starts, lengths):
            x = torch.cat([vectors, *(e(i) for e, i in zip(self.emb, ids)), starts.unsqueeze(-1)], -1)
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(x), lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

    def batches():
        order = sorted(range(len(items)), key=lambda i: len(items[i][3]))
        chunks = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
        random.shuffle(chunks)
        for chunk in chunks:
            group = [items[i] for i in chunk]
            ids = [nn.utils.rnn.pad_sequence([g[0][k] for g in group], batch_first=True) for k in range(len(FEATURES))]
            vectors = nn.utils.rnn.pad_sequence([g[1] for g in group], batch_first=True)
            starts = nn.utils.rnn.pad_sequence([g[2] for g in group], batch_first=True)
            gold = nn.utils.rnn.pad_sequence([g[3] for g in group], batch_first=True, padding_value=-100)
            yield ids, vectors, starts, torch.tensor([len(g[3]) for g in group]), gold

    model = Tagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    model.train()
    for epoch in range(member.epochs):
        total = 0.0
        with console.status(f"training {member.weights_file}, epoch {epoch + 1} of {member.epochs}"):
            for ids, vectors, starts, lengths, gold in batches():
                ids[0] = ids[0].masked_fill(torch.rand(ids[0].shape) < WORD_DROPOUT, 0)
                scores = model(ids, vectors, starts, lengths)
                loss = nn.functional.cross_entropy(scores.reshape(-1, len(LABELS)), gold.reshape(-1), ignore_index=-100)
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                optimizer.step()
                total += loss.item()
        console.print(f"epoch {epoch + 1}: loss {total:.1f}")
    out_dir.mkdir(parents=True, exist_ok=True)
    save(model.state_dict(), tables, encoder, out_dir, member.weights_file)
    figures = {
        "weights": member.weights_file,
        "paragraphs": len(items),
        "tokens": sum(len(i[3]) for i in items),
        "epochs": member.epochs,
        "seconds": round(time.perf_counter() - began, 1),
        "model_bytes": (out_dir / member.weights_file).stat().st_size,
    }
    console.print(f"BiLSTM tagger: {figures}")
    return figures


def save(
    state: dict, tables: dict[str, list[str]], encoder: str, out_dir: Path, weights_file: str = WEIGHTS_FILE
) -> None:
    """Write a trained state (PyTorch names) as the arrays and tables ``lstm_tagger.LstmTagger.load`` reads."""
    s = {name: value.detach().numpy() for name, value in state.items()}
    weights = {f"emb.{name}": s[f"emb.{k}.weight"] for k, name in enumerate(FEATURES)}
    for direction, suffix in (("f", ""), ("b", "_reverse")):
        weights[f"w_ih_{direction}"] = s[f"lstm.weight_ih_l0{suffix}"]
        weights[f"w_hh_{direction}"] = s[f"lstm.weight_hh_l0{suffix}"]
        weights[f"b_{direction}"] = s[f"lstm.bias_ih_l0{suffix}"] + s[f"lstm.bias_hh_l0{suffix}"]
    weights["w_out"], weights["b_out"] = s["out.weight"], s["out.bias"]
    # The word table is most of the file; half precision loses nothing the tagger's labels show.
    weights["emb.words"] = weights["emb.words"].astype(numpy.float16)
    numpy.savez_compressed(out_dir / weights_file, **weights)
    (out_dir / TABLES_FILE).write_text(json.dumps({**tables, "encoder": encoder}), encoding="utf-8")
