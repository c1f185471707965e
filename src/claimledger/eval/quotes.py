"""``claimledger eval quotes``: statements and speakers against PolNeAR gold, with textacy's direct quotations
as the baseline on the same texts in the same run.

Matching is one to one, largest overlap first. Lenient: a prediction matches a gold content when they share at
least half of the shorter of the two; strict: at least half of the longer. A gold content may be discontinuous
(a quote split around its cue), so statements that share a cue are scored as one prediction, the union of their
spans. Speaker accuracy counts matches whose gold source names someone (a capitalized word that is no pronoun):
the predicted speaker's name must share a word with it. Joint F1 counts a match correct when its speaker is, or
when the gold source is a pronoun or unnamed; strict joint F1 then also asks for a resolved speaker (an actor,
not a bare pronoun) and uses the strict overlap.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from rich.console import Console
from rich.table import Table

from claimledger.config import Settings
from claimledger.corpora.polnear import FOLDS, GoldAttribution, GoldDocument, fold_of, read_cv_corpus, read_split
from claimledger.extract.pipeline import extract_articles
from claimledger.extract.speakers import is_pronoun
from claimledger.models import Article, Block, Span

WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
UNNAMING = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our"})
OPENING = "\"\u201c"
CLOSING = "\"\u201d"


@dataclass(frozen=True)
class Prediction:
    pieces: tuple[Span, ...]
    speaker: str | None  # the speaker's name as predicted, None when unresolved


def _chars(pieces: Iterable[Span]) -> set[int]:
    return {i for start, end in pieces for i in range(start, end)}


def _name_words(text: str) -> set[str]:
    """Capitalized words of a name, lower-cased, without possessive (``Trump’s`` and ``Trump`` share ``trump``);
    a capitalized function word (``Several experts`` opening a sentence) names no one."""
    words = (re.sub(r"['’]s$", "", w).strip(".'’") for w in WORD.findall(text) if w[0].isupper())
    return {w.lower() for w in words if w and w.lower() not in UNNAMING and w.lower() not in STOP_WORDS}


def names_someone(source_text: str) -> bool:
    """Whether a gold source names someone: it holds a capitalized word that is neither pronoun nor function
    word."""
    return bool(_name_words(source_text))


def is_direct_quote(text: str) -> bool:
    """Whether a gold content is a quotation as a whole: it opens and closes with quotation marks."""
    stripped = text.strip().rstrip(".,;:")
    return len(stripped) > 2 and stripped[0] in OPENING and stripped[-1] in CLOSING


def _match(preds: Sequence[Prediction], gold: Sequence[GoldAttribution], strict: bool) -> list[tuple[int, int]]:
    """One-to-one matches (prediction index, gold index), largest overlap first."""
    pred_chars = [_chars(p.pieces) for p in preds]
    gold_chars = [_chars(g.content) for g in gold]
    candidates = []
    for i, pc in enumerate(pred_chars):
        for j, gc in enumerate(gold_chars):
            if not pc or not gc:
                continue
            shared = len(pc & gc)
            bound = max(len(pc), len(gc)) if strict else min(len(pc), len(gc))
            if shared and shared * 2 >= bound:
                candidates.append((shared, i, j))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


@dataclass
class _Tally:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    joint: int = 0
    strict_matched: int = 0
    strict_joint: int = 0
    named: int = 0
    named_correct: int = 0
    direct: int = 0
    direct_found: int = 0

    def add(self, text: str, preds: Sequence[Prediction], gold: Sequence[GoldAttribution]) -> None:
        self.predicted += len(preds)
        self.gold += len(gold)
        for strict in (False, True):
            for i, j in _match(preds, gold, strict):
                source = " ".join(text[s:e] for s, e in gold[j].source)
                speaker = preds[i].speaker
                if names_someone(source):
                    correct = bool(speaker) and bool(_name_words(source) & _name_words(speaker or ""))
                    if not strict:
                        self.named += 1
                        self.named_correct += correct
                elif strict:
                    correct = bool(speaker) and not is_pronoun(speaker or "")
                else:
                    correct = True
                if strict:
                    self.strict_matched += 1
                    self.strict_joint += correct
                else:
                    self.matched += 1
                    self.joint += correct
        direct = [j for j, g in enumerate(gold) if is_direct_quote(text[g.content_extent[0] : g.content_extent[1]])]
        found = {j for _, j in _match(preds, gold, False)}
        self.direct += len(direct)
        self.direct_found += sum(1 for j in direct if j in found)

    def figures(self) -> dict[str, float]:
        def f1(hits: int) -> tuple[float, float, float]:
            p = hits / self.predicted if self.predicted else 0.0
            r = hits / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        p, r, f = f1(self.matched)
        return {
            "content_precision": p,
            "content_recall": r,
            "content_f1": f,
            "speaker_accuracy": self.named_correct / self.named if self.named else 0.0,
            "joint_f1": f1(self.joint)[2],
            "strict_content_f1": f1(self.strict_matched)[2],
            "strict_joint_f1": f1(self.strict_joint)[2],
            "direct_quote_recall": self.direct_found / self.direct if self.direct else 0.0,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def gold_article(document: GoldDocument) -> Article:
    """A PolNeAR document as an Article whose text is the file's text verbatim, so gold offsets hold."""
    blocks = tuple(Block("paragraph", document.text[s:e], s, e) for s, e in document.paragraphs())
    return Article(id=document.name, source=document.name, text=document.text, blocks=blocks, published=document.published)


def claimledger_predictions(documents: Sequence[GoldDocument], settings: Settings) -> list[list[Prediction]]:
    """Our statements for each document, those sharing a cue joined into one prediction."""
    out = []
    for extraction in extract_articles((gold_article(d) for d in documents), settings):
        groups: dict[object, list] = {}
        for statement in extraction.statements:
            key = statement.cue_span if statement.cue_span is not None else statement.id
            groups.setdefault(key, []).append(statement)
        out.append(
            [
                Prediction(tuple(sorted(s.span for s in group)), group[0].speaker_name)
                for group in groups.values()
            ]
        )
    return out


def baseline_predictions(documents: Sequence[GoldDocument], settings: Settings) -> list[list[Prediction]]:
    """textacy ``direct_quotations`` over the full spaCy pipeline, on the same texts."""
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load(settings.model)
    out = []
    for doc in nlp.pipe((d.text for d in documents), batch_size=16, n_process=max(1, settings.workers)):
        preds = []
        try:
            triples = list(direct_quotations(doc))
        except ValueError:
            triples = []  # textacy bails out on an odd number of quotation marks: the baseline finds nothing there
        for triple in triples:
            speaker = " ".join(t.text for t in triple.speaker) or None
            preds.append(Prediction(((triple.content.start_char, triple.content.end_char),), speaker))
        out.append(preds)
    return out


def score(documents: Sequence[GoldDocument], console: Console, settings: Settings) -> dict[str, dict]:
    """Both systems' figures (and words/s) on ``documents``: ``{"claimledger": {...}, "baseline": {...}}``."""
    words = sum(len(d.text.split()) for d in documents)
    results: dict[str, dict] = {}
    for name, predict in (("claimledger", claimledger_predictions), ("baseline", baseline_predictions)):
        began = time.perf_counter()
        with console.status(f"{name}: {len(documents)} documents"):
            predictions = predict(documents, settings)
        seconds = time.perf_counter() - began
        tally = _Tally()
        for document, preds in zip(documents, predictions):
            tally.add(document.text, preds, document.attributions)
        results[name] = {**tally.figures(), "words_per_second": words / seconds if seconds else 0.0}
    return results


def run_eval(gold: Path, console: Console, settings: Settings, limit: int | None = None) -> dict:
    """Score claimledger and the textacy baseline on the PolNeAR split ``gold``; print one table; return both
    systems' figures (and words/s) as ``{"claimledger": {...}, "baseline": {...}, "documents": n}``."""
    documents = list(read_split(gold, limit=limit))
    words = sum(len(d.text.split()) for d in documents)
    results = score(documents, console, settings)
    table = Table(title=f"Quotes and speakers on {gold} ({len(documents)} documents, {words} words)")
    table.add_column("metric")
    table.add_column("claimledger", justify="right")
    table.add_column("baseline (textacy)", justify="right")
    for key in results["claimledger"]:
        ours, theirs = results["claimledger"][key], results["baseline"][key]
        fmt = "{:.0f}" if key in ("predicted", "gold", "words_per_second") else "{:.3f}"
        table.add_row(key.replace("_", " "), fmt.format(ours), fmt.format(theirs))
    console.print(table)
    return {**results, "documents": len(documents)}


# What cross-validation reports of each fold: the scores, not the counts or speeds (a fold's speed is one run's).
CV_FIGURES = ("content_precision", "content_recall", "content_f1", "speaker_accuracy", "joint_f1",
              "strict_content_f1", "strict_joint_f1", "direct_quote_recall")
DONE_FILE = "done.json"


def train_fold(
    parsed: Sequence[tuple[GoldDocument, object]], paragraphs: dict[str, list[dict]], encoder: str,
    held_out: int, folds: int, model_dir: Path, console: Console,
) -> None:
    """Train the attribution tagger (the CRF and the BiLSTMs) on every fold but ``held_out``, into ``model_dir``."""
    from claimledger.train.attribution import train_parsed
    from claimledger.train.lstm import train_paragraphs

    training = [(gold, doc) for gold, doc in parsed if fold_of(gold.name, folds) != held_out]
    crf = train_parsed(training, model_dir, console)
    lstm = train_paragraphs([p for gold, _ in training for p in paragraphs[gold.name]], encoder, model_dir, console)
    (model_dir / DONE_FILE).write_text(json.dumps({"held_out": held_out, "folds": folds, "crf": crf, "lstm": lstm},
                                                  indent=1), encoding="utf-8")


def _ensure_folds(documents: Sequence[GoldDocument], work_dir: Path, console: Console, settings: Settings,
                  folds: int) -> None:
    """Train the tagger of every fold not trained in ``work_dir`` yet (the documents are parsed only if one is
    missing)."""
    from claimledger.extract.nlp import load_nlp
    from claimledger.train.attribution import parsed_documents
    from claimledger.train.lstm import document_paragraphs

    missing = [k for k in range(folds) if not (work_dir / f"fold-{k}" / DONE_FILE).exists()]
    if not missing:
        return
    with console.status(f"parsing {len(documents)} PolNeAR train and dev documents"):
        parsed = parsed_documents(documents, load_nlp(settings.model), "polnear-cv")
        paragraphs, encoder = document_paragraphs(documents, settings)
    for held_out in missing:
        console.print(f"fold {held_out + 1} of {folds}: training on the other {folds - 1}")
        train_fold(parsed, paragraphs, encoder, held_out, folds, work_dir / f"fold-{held_out}", console)


def _fold_settings(settings: Settings, work_dir: Path, held_out: int, disabled: str = "") -> Settings:
    return settings.with_overrides(attribution_model=str(work_dir / f"fold-{held_out}"), disabled_rules=disabled)


def _summary(values: Sequence[float]) -> dict[str, float]:
    return {"mean": statistics.fmean(values), "sd": statistics.pstdev(values), "min": min(values),
            "max": max(values)}


def run_cv(polnear: Path, work_dir: Path, console: Console, settings: Settings, folds: int = FOLDS,
           limit: int | None = None) -> dict:
    """Cross-validate extraction on PolNeAR train and dev (never test), in ``folds`` folds fixed by a hash of each
    article's name: for each fold, train the attribution tagger on the others (into ``work_dir/fold-K``, kept,
    so a run again or after an interruption trains only what is missing), extract the fold with it and score it
    beside the textacy baseline. Prints the mean, spread and range of every figure over the folds; returns
    ``{"folds": [...], "claimledger": {figure: {mean, sd, min, max}}, "baseline": {...}}``."""
    documents = read_cv_corpus(polnear, limit=limit)
    _ensure_folds(documents, work_dir, console, settings, folds)
    per_fold: list[dict] = []
    for held_out in range(folds):
        test = [d for d in documents if fold_of(d.name, folds) == held_out]
        results = score(test, console, _fold_settings(settings, work_dir, held_out))
        results["documents"] = len(test)
        ours = results["claimledger"]
        console.print(f"fold {held_out + 1} of {folds} ({len(test)} documents): joint F1 {ours['joint_f1']:.3f}, "
                      f"strict joint {ours['strict_joint_f1']:.3f}")
        per_fold.append(results)
    summary: dict = {"folds": per_fold, "documents": len(documents)}
    for system in ("claimledger", "baseline"):
        summary[system] = {figure: _summary([fold[system][figure] for fold in per_fold]) for figure in CV_FIGURES}
    table = Table(title=f"Quotes and speakers, {folds}-fold cross-validation on PolNeAR train and dev "
                        f"({len(documents)} documents; folds fixed by a hash of the article name)")
    table.add_column("metric")
    for column in ("claimledger mean", "sd", "min", "max", "baseline (textacy) mean"):
        table.add_column(column, justify="right")
    for figure in CV_FIGURES:
        ours, theirs = summary["claimledger"][figure], summary["baseline"][figure]
        table.add_row(figure.replace("_", " "), *(f"{ours[k]:.3f}" for k in ("mean", "sd", "min", "max")),
                      f"{theirs['mean']:.3f}")
    console.print(table)
    return summary


# What the ablation table shows of each rule's contribution.
ABLATION_FIGURES = ("joint_f1", "strict_joint_f1", "content_f1", "speaker_accuracy", "direct_quote_recall")


def run_ablation(polnear: Path | None, work_dir: Path, console: Console, settings: Settings, folds: int = FOLDS,
                 limit: int | None = None, rules: Sequence[str] | None = None, gold: Path | None = None) -> dict:
    """What each extraction rule adds: the held-out documents extracted with all rules, then once more with each
    rule switched off (``disabled_rules``); a rule's contribution to a figure is the figure with the rule less
    without it (positive: the rule helps). On the cross-validation folds of ``polnear`` (each fold's documents
    with the fold's tagger, means over the folds; the folds ``run_cv`` has not trained are trained first), or,
    given ``gold``, on that one split with the configured tagger. Returns ``{"all": {figure: value}, "rules":
    {name: {figure: contribution}}}`` and prints them, rules by contribution to joint F1."""
    from claimledger.extract.rules import RULE_NAMES

    if gold is not None:
        documents = list(read_split(gold, limit=limit))
        parts = [(documents, settings)]
        where = f"{gold} ({len(documents)} documents, the configured tagger)"
    else:
        assert polnear is not None
        documents = read_cv_corpus(polnear, limit=limit)
        _ensure_folds(documents, work_dir, console, settings, folds)
        parts = [([d for d in documents if fold_of(d.name, folds) == k], _fold_settings(settings, work_dir, k))
                 for k in range(folds)]
        where = f"{folds}-fold cross-validated means over {len(documents)} PolNeAR train and dev documents"

    def means(disabled: str) -> dict[str, float]:
        figures = []
        for test, part_settings in parts:
            tally = _Tally()
            predictions = claimledger_predictions(test, part_settings.with_overrides(disabled_rules=disabled))
            for document, preds in zip(test, predictions):
                tally.add(document.text, preds, document.attributions)
            figures.append(tally.figures())
        return {figure: statistics.fmean(f[figure] for f in figures) for figure in CV_FIGURES}

    names = list(rules or RULE_NAMES)
    with console.status("all rules"):
        full = means("")
    contributions: dict[str, dict[str, float]] = {}
    for number, name in enumerate(names, 1):
        with console.status(f"without {name} ({number} of {len(names)})"):
            without = means(name)
        contributions[name] = {figure: full[figure] - without[figure] for figure in CV_FIGURES}
        console.print(f"{name}: joint F1 {contributions[name]['joint_f1']:+.4f}")
    table = Table(title=f"What each rule adds: the figure with the rule less without it; {where}; all rules: "
                        f"joint F1 {full['joint_f1']:.4f}, strict joint {full['strict_joint_f1']:.4f}")
    table.add_column("rule", no_wrap=True)
    for figure in ABLATION_FIGURES:
        table.add_column(figure.replace("_", " "), justify="right")
    for name in sorted(contributions, key=lambda n: -contributions[n]["joint_f1"]):
        table.add_row(name, *(f"{contributions[name][figure]:+.4f}" for figure in ABLATION_FIGURES))
    console.print(table)
    return {"all": full, "rules": contributions}
