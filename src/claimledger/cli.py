"""The claimledger command line: thin; it parses flags, calls the jobs and prints.

Results go to stdout (tables as wide as the terminal, or JSON Lines with ``--format jsonl``, whose records and
field names are those of ``claimledger.Ledger`` and the HTTP API); progress and messages go to stderr.
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import sys
import time
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Optional

# The model loaders draw progress bars of their own ("Loading weights", "Batches") on stderr, into ours: each
# library's own switch turns them off, set before any of them is imported (the user's own value wins).
for _name, _value in (("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                      ("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1"), ("TQDM_DISABLE", "1"),
                      ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(_name, _value)

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402
from rich.text import Text  # noqa: E402

from claimledger.config import Settings, SettingsError, load_settings  # noqa: E402
from claimledger.ledger import TABLES, Ledger, day_range  # noqa: E402
from claimledger.store import Store, StoreError, open_store as open_db  # noqa: E402

app = typer.Typer(help="A ledger of who said what, about whom, when, and who disputes it.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


class StatementKind(str, Enum):
    direct = "direct"
    partial = "partial"
    indirect = "indirect"
    announcement = "announcement"


DbOption = typer.Option(None, "--db", help="SQLite ledger file (or postgresql://... URL); without it, the `db` setting (CLAIMLEDGER_DB). "
                                            "One of them must name it.")
FormatOption = typer.Option(OutputFormat.table, "--format", help="table for people, jsonl for programs.")
SinceOption = typer.Option(None, "--since", help="On or after this year, month or day (2022, 2022-02, 2022-02-16).")
UntilOption = typer.Option(None, "--until", help="On or before this year, month or day (2022 keeps all of 2022).")
OutletOption = typer.Option(None, "--outlet", help="Only articles of this outlet (any case).")


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def settings_for(**overrides: object) -> Settings:
    try:
        return load_settings().with_overrides(**overrides)
    except SettingsError as exc:
        raise fail(str(exc)) from exc


def ledger_settings(db: Optional[str], **overrides: object) -> Settings:
    """The settings of a command that reads or writes a ledger: ``--db`` or the ``db`` setting must name it, so
    that no command creates a ledger in the current folder unasked."""
    settings = settings_for(db=db, **overrides)
    if not settings.db:
        raise fail("no database named: pass --db FILE (or set CLAIMLEDGER_DB=FILE)")
    return settings


def checked_days(since: Optional[str], until: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    try:
        return day_range(since, until)
    except ValueError as exc:
        raise fail(str(exc)) from exc


def open_store(settings: Settings, create: bool = True) -> Store:
    try:
        return open_db(settings.db, create=create)
    except StoreError as exc:
        raise fail(str(exc)) from exc


def report_rejections(report) -> None:
    """Print each rejected input on stderr; exit 1 with a one-line reason when nothing at all could be read."""
    for rejection in report.rejected:
        err.print(f"rejected {rejection}", highlight=False, markup=False, style="yellow")
    if report.failed:
        if not report.rejected:
            reason = "no input files"
        elif len(report.rejected) == 1:
            reason = report.rejected[0].reason
        else:
            reason = "every input was rejected"
        raise fail(f"nothing could be read: {reason}")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders: text, HTML, RSS/Atom, WARC, JSON Lines; gzip too."),
    db: Optional[str] = DbOption,
    rejected: Optional[Path] = typer.Option(None, "--rejected", help="Write one JSON line per rejected input."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Articles per transaction."),
) -> None:
    """Read articles, skip exact and near duplicates, store the rest.

    Example: claimledger ingest samples/corpus --db news.db --rejected rejected.jsonl
    """
    from claimledger.jobs import ingest as run_ingest

    settings = ledger_settings(db, batch_size=batch_size)
    started = time.perf_counter()
    with open_store(settings) as store, Progress(
        TextColumn("[bold]ingest[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
        TextColumn("{task.fields[articles]} articles, {task.fields[rate]:.1f}/s"), TimeElapsedColumn(),
        console=err, transient=False,
    ) as progress:
        task = progress.add_task("ingest", total=None, articles=0, rate=0.0)

        def on_file(_: Path, report) -> None:
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress.update(task, advance=1, articles=report.read, rate=report.read / elapsed)

        try:
            report = run_ingest(paths, store, settings, on_file=on_file,
                                on_start=lambda n: progress.update(task, total=n))
        except StoreError as exc:
            raise fail(str(exc)) from exc

    table = Table(title=f"ingest into {settings.db}")
    for column in ("read", "stored", "duplicates", "rejected"):
        table.add_column(column, justify="right")
    table.add_row(str(report.read), str(report.stored), str(report.duplicates), str(len(report.rejected)))
    out.print(table)
    if rejected:
        with rejected.open("w", encoding="utf-8") as handle:
            for rejection in report.rejected:
                handle.write(json.dumps({"path": rejection.source, "reason": rejection.reason},
                                        ensure_ascii=False) + "\n")
    report_rejections(report)


def extraction_object(article, extraction: dict) -> dict:
    """The ``--format jsonl`` object of one extracted article (the contract of `claimledger extract`)."""
    meta = article.meta_dict()
    keep = ("id", "source", "url", "outlet", "headline", "published", "section", "authors", "captions", "related")
    return {"article": {k: meta[k] for k in keep}, "text": article.text, **extraction}


@app.command()
def extract(
    paths: list[Path] = typer.Argument(None, help="Files or folders to ingest first; without them, every stored "
                                                  "article not yet extracted."),
    db: Optional[str] = DbOption,
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes (default: the `workers` setting)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: the `model` setting)."),
    format: OutputFormat = FormatOption,
) -> None:
    """Find actors, statements with their speakers, dates, quantities and places, with offsets into the text.

    Example: claimledger extract samples/corpus/text --db news.db --format jsonl
    """
    from claimledger.jobs import MAX_EXTRACT_CHARS, extract as run_extract, ingest as run_ingest

    settings = ledger_settings(db, workers=workers, model=model)
    with open_store(settings) as store:
        article_ids = None
        if paths:
            try:
                report = run_ingest(paths, store, settings)
            except StoreError as exc:
                raise fail(str(exc)) from exc
            report_rejections(report)
            article_ids = list(dict.fromkeys(report.article_ids))
        started = time.perf_counter()
        with Progress(TextColumn("[bold]extract[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                      TextColumn("{task.fields[rate]:.1f}/s"), TimeElapsedColumn(), console=err) as progress:
            task = progress.add_task("extract", total=None, rate=0.0)

            def on_article(extraction) -> None:
                done = progress.tasks[0].completed + 1
                progress.update(task, advance=1, rate=done / max(time.perf_counter() - started, 1e-9))
                if format is OutputFormat.jsonl:
                    article = store.get_article(extraction.article_id)
                    out.file.write(json.dumps(extraction_object(article, extraction.to_dict()),
                                              ensure_ascii=False) + "\n")

            try:
                result = run_extract(store, settings, article_ids, on_article=on_article,
                                     on_start=lambda n: progress.update(task, total=n))
            except StoreError as exc:
                raise fail(str(exc)) from exc
            except OSError as exc:  # the spaCy model named by the settings is not installed
                raise fail(f"cannot load the spaCy model {settings.model!r}: {exc}") from exc
            progress.update(task, total=result.articles)  # skipped articles were counted in the total
    if format is OutputFormat.table:
        table = Table(title=f"extract into {settings.db}")
        for column in ("articles", "actors", "statements", "not English"):
            table.add_column(column, justify="right")
        table.add_row(str(result.articles), str(result.actors), str(result.statements), str(result.skipped))
        out.print(table)
    if result.skipped:
        languages = ", ".join(f"{language}: {count}" for language, count in sorted(result.skipped_languages.items()))
        err.print(f"skipped {result.skipped} article(s) not in English ({languages}): stored with their language, "
                  "not extracted", highlight=False, markup=False, style="yellow")
    if result.too_long:
        err.print(f"skipped {len(result.too_long)} article(s) longer than {MAX_EXTRACT_CHARS:,} characters, more than "
                  f"the spaCy pipeline reads ({', '.join(result.too_long[:5])}"
                  f"{', ...' if len(result.too_long) > 5 else ''}): stored, not extracted",
                  highlight=False, markup=False, style="yellow")


def print_jsonl(records) -> None:
    for record in records:
        out.file.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")


@app.command()
def statements(
    db: Optional[str] = DbOption,
    article: Optional[str] = typer.Option(None, "--article", help="Only this article (an id or its beginning)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only this speaker, any case: the name, else "
                                          "(once linked) any name or slug of their actor, else names containing it."),
    kind: Optional[StatementKind] = typer.Option(None, "--kind", help="Only statements of this kind."),
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many statements."),
    format: OutputFormat = FormatOption,
) -> None:
    """List extracted statements, newest article first: speaker, kind, date and the words said.

    Example: claimledger statements --speaker stoltenberg --since 2022-02 --db news.db
    """
    since, until = checked_days(since, until)
    with open_ledger(db) as ledger:
        try:
            rows = ledger.statements(article=article, speaker=speaker, kind=kind.value if kind else None,
                                     outlet=outlet, since=since, until=until, limit=limit)
        except LookupError as exc:
            raise fail(f"{exc.args[0]} in {ledger.settings.db}") from exc
    if format is OutputFormat.jsonl:
        print_jsonl(rows)
        return
    table = Table(title=f"{len(rows)} statements")
    for column in ("speaker", "kind", "said", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        row_kind = f"{row.kind}, not asserted ({row.cue})" if row.negated else row.kind
        table.add_row(row.speaker_name or "(unresolved)", row_kind, row.said or "", row.text)
    out.print(table)


@app.command()
def articles(
    db: Optional[str] = DbOption,
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after this year, month or day."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before this year, month or day."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only articles quoting this speaker (as "
                                                                   "`statements --speaker` reads it)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many articles."),
    format: OutputFormat = FormatOption,
) -> None:
    """List stored articles, newest first, with how many statements each holds.

    Example: claimledger articles --outlet reuters --since 2022 --format jsonl | jq .headline
    """
    since, until = checked_days(since, until)
    with open_ledger(db) as ledger:
        found = ledger.articles(outlet=outlet, since=since, until=until, speaker=speaker, limit=limit)
    if format is OutputFormat.jsonl:
        print_jsonl(found)
        return
    table = Table(title=f"{len(found)} articles in {ledger.settings.db}")
    for column in ("id", "published", "outlet", "headline", "statements"):
        table.add_column(column, overflow="fold", justify="right" if column == "statements" else "left")
    for article in found:
        table.add_row(article.id, article.published or "", article.outlet or "", article.headline or "",
                      str(article.statements))
    out.print(table)


@app.command()
def show(
    article_id: str = typer.Argument(..., help="An article id, or its unambiguous beginning."),
    db: Optional[str] = DbOption,
    format: OutputFormat = FormatOption,
) -> None:
    """Print one article: its metadata, captions, related links and body blocks.

    With --format jsonl, the whole record: also every fact extracted from it, with offsets into its text.

    Example: claimledger show f0b6de44 --db news.db
    """
    with open_ledger(db) as ledger:
        article = ledger.article(article_id)
    if article is None:
        raise fail(f"no article with id {article_id!r} in {ledger.settings.db}")
    if format is OutputFormat.jsonl:
        out.file.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{article.headline or '(no headline)'}[/]", highlight=False, soft_wrap=False)
    meta = [article.published, article.section, article.outlet, ", ".join(article.authors),
            article.url or article.source]
    out.print(" · ".join(m for m in meta if m), highlight=False, markup=False, soft_wrap=False)
    for caption in article.captions:
        line = Text.assemble(("caption: ", "dim"), caption.text,
                             (f" (credit: {caption.credit})", "dim") if caption.credit else "")
        out.print(line, highlight=False, soft_wrap=False)
    table = Table(show_header=True)
    table.add_column("kind")
    table.add_column("span", justify="right")
    table.add_column("text", overflow="fold")
    for block in article.blocks:
        table.add_row(block.kind, f"{block.start}-{block.end}", block.text)
    out.print(table)
    for link in article.related:
        out.print(Text.assemble(("related: ", "dim"), link.text, f" <{link.url}>" if link.url else ""),
                  highlight=False, soft_wrap=False)


eval_app = typer.Typer(help="Measure accuracy against public gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise fail(f"{path}: no such {what}")
    return path


@eval_app.command("html")
def eval_html(
    gold: Path = typer.Option(..., "--gold", help="Folder with ground-truth.json and html/*.html.gz."),
    ablate: bool = typer.Option(False, "--ablate", help="Also score the reader with each of its rules switched "
                                                        "off in turn."),
    cv: bool = typer.Option(False, "--cv", help="Also choose the link-density threshold on four folds and score "
                                                "it on the fifth, in turn (about a minute more)."),
) -> None:
    """Body-text precision, recall and F1 of the HTML reader, beside trafilatura.extract with comments off (as
    the benchmark runs it), with F1 by fold.

    Example: claimledger eval html --gold ../shared/data/article-extraction-benchmark --ablate --cv
    """
    from claimledger.eval.html import run_eval

    run_eval(existing(gold, "benchmark folder"), out, ablate=ablate, cross_validate=cv)


@eval_app.command("dates")
def eval_dates(
    gold: Path = typer.Option(..., "--gold", help="Folder of TimeML (.tml) documents, read recursively."),
) -> None:
    """DATE expressions normalized against the document date, beside dateparser's search_dates.

    Example: claimledger eval dates --gold ../shared/data/tempeval3/train-tbaq
    """
    from claimledger.eval.dates import run_eval

    run_eval(existing(gold, "TimeML folder"), out)


SHARED_DATA = Path("..") / "shared" / "data"


@eval_app.command("quotes")
def eval_quotes(
    gold: Optional[Path] = typer.Option(None, "--gold", help="A PolNeAR split folder (text/ and attributions/)."),
    cv: bool = typer.Option(False, "--cv", help="Cross-validate on PolNeAR train and dev instead: train the "
                                                 "tagger on all folds but one, score that one, for each fold."),
    polnear: Path = typer.Option(SHARED_DATA / "polnear", "--polnear", help="PolNeAR folder, for --cv."),
    folds: int = typer.Option(5, "--folds", min=2, help="Folds, for --cv (fixed by a hash of the article name)."),
    work: Path = typer.Option(Path("out") / "quotes-cv", "--work", help="Where --cv keeps each fold's tagger; a "
                                                                         "fold trained there already is reused."),
    ablate: bool = typer.Option(False, "--ablate", help="What each extraction rule adds, each switched off in "
                                                         "turn: on the folds with --cv, else on the --gold split."),
    rules: Optional[str] = typer.Option(None, "--rules", help="With --ablate: only these rules (comma separated)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Only the first N documents (of each split)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: the `model` setting)."),
) -> None:
    """Statement contents and speakers against PolNeAR gold, beside textacy's direct_quotations.

    Example: claimledger eval quotes --gold ../shared/data/polnear/dev
    Example: claimledger eval quotes --cv   (5 folds over train and dev: about 20 minutes of training a fold)
    Example: claimledger eval quotes --cv --ablate   (then about a minute a rule)
    Example: claimledger eval quotes --gold ../shared/data/polnear/dev --ablate --rules quotations,according-to
    """
    from claimledger.eval.quotes import run_ablation, run_cv, run_eval
    from claimledger.extract.rules import disabled_rules

    if ablate:
        try:
            chosen = sorted(disabled_rules(rules)) if rules else None
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--rules") from None
        if cv == (gold is not None):
            raise typer.BadParameter("--ablate measures on the folds (--cv) or on one split (--gold): name one",
                                     param_hint="--ablate")
        run_ablation(None if gold else existing(polnear, "PolNeAR folder"), work, out, settings_for(model=model),
                     folds=folds, limit=limit, rules=chosen, gold=existing(gold, "PolNeAR split") if gold else None)
        return
    if cv:
        if gold is not None:
            raise typer.BadParameter("--cv folds PolNeAR train and dev itself: give --polnear, not --gold",
                                     param_hint="--gold")
        run_cv(existing(polnear, "PolNeAR folder"), work, out, settings_for(model=model), folds=folds, limit=limit)
        return
    if gold is None:
        raise typer.BadParameter("name a PolNeAR split with --gold, or cross-validate with --cv", param_hint="--gold")
    run_eval(existing(gold, "PolNeAR split"), out, settings_for(model=model), limit=limit)


@eval_app.command("ledger")
def eval_ledger(
    db: Optional[str] = DbOption,
    labels: Path = typer.Option(Path("labels"), "--labels", help="Folder of hand labels (stance_pairs.jsonl, "
                                                                 "actors.jsonl)."),
    todo: Optional[Path] = typer.Option(None, "--todo", help="Write the disputes no label covers here, to label."),
    format: OutputFormat = FormatOption,
) -> None:
    """How true a linked ledger is against hand labels: dispute precision, claim purity, checkable claims, actors.

    Example: claimledger eval ledger --db news.db --labels labels --todo unlabelled.jsonl
    """
    from claimledger.eval.ledger import evaluate

    settings = ledger_settings(db)
    try:  # a SQLite path or a postgresql:// URL; a missing ledger is a StoreError
        result = evaluate(settings.db, existing(labels, "labels folder"), todo)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    if format == OutputFormat.jsonl:
        out.print_json(data=result)
        return
    table = Table(title=f"{result['claims']} claims, {result['disputes']} disputes in {result['ledger']}")
    for column in ("figure", "right", "wrong", "unlabelled", "precision"):
        table.add_column(column, justify="right" if column != "figure" else "left")
    for name in ("dispute_precision", "claim_purity", "checkable_claims"):
        row = result[name]
        table.add_row(name.replace("_", " "), str(row["right"]), str(row["wrong"]), str(row["unlabelled"]),
                      "-" if row["precision"] is None else f"{row['precision']:.3f}")
    out.print(table)
    test = result["checkable_test"]
    out.print(f"checkable test on {test['labelled']} labelled claims ({test['labelled_share']:.0%} checkable): "
              f"precision {test['precision']:.3f}, recall {test['recall']:.3f}", highlight=False)
    for name, value in (result.get("actors") or {}).items():
        out.print(f"actors: {name}: {value}", highlight=False)
    for example in result["wrong_disputes"]:
        out.print(f"wrong dispute: {example}", highlight=False, markup=False)


@eval_app.command("stance")
def eval_stance(
    headlines: Optional[Path] = typer.Option(None, "--headlines", help="FNC-1 CSV with Headline,Body ID."),
    bodies: Optional[Path] = typer.Option(None, "--bodies", help="FNC-1 CSV with Body ID,articleBody."),
    stances: Optional[Path] = typer.Option(None, "--stances", help="FNC-1 CSV with gold Stance, to score."),
    out_csv: Optional[Path] = typer.Option(None, "--out", help="Write predictions as Headline,Body ID,Stance."),
    data: Path = typer.Option(SHARED_DATA / "fnc1", "--data", help="FNC-1 train folder, for the dev hold-out."),
) -> None:
    """FNC-1 stance: the score, macro-F1 and confusion matrix; without --headlines, on the dev hold-out.

    Example: claimledger eval stance --headlines test_stances.csv --bodies test_bodies.csv --out predictions.csv
    """
    from claimledger.eval.stance import run_dev_eval, run_eval

    try:
        if headlines is None:
            run_dev_eval(existing(data, "FNC-1 folder"), out)
            return
        if bodies is None:
            raise fail("--bodies is needed with --headlines")
        run_eval(existing(headlines, "file"), existing(bodies, "file"),
                 existing(stances, "file") if stances else None, out_csv, out)
    except (ValueError, KeyError) as exc:
        raise fail(f"{headlines or data}: {exc}") from exc


train_app = typer.Typer(help="Train the models that ship inside the package.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("stance")
def train_stance(
    data: Path = typer.Option(SHARED_DATA / "fnc1", "--data", help="FNC-1 folder with the train CSVs."),
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the model to."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Keep sentence embeddings here between runs."),
) -> None:
    """Train the stance classifier on FNC-1 train (80% of bodies), print dev figures.

    Example: claimledger train stance --out /tmp/stance && diff -r /tmp/stance src/claimledger/data/stance
    """
    from claimledger.train.stance import train

    train(existing(data, "FNC-1 folder"), out_dir, out, cache_dir=cache)


@train_app.command("statement-stance")
def train_statement_stance(
    labels: Path = typer.Option(Path("labels"), "--labels", help="Folder with stance_pairs.jsonl (hand labels)."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Folder to write the weights to; without it, only "
                                                               "the cross-validated figures are printed."),
) -> None:
    """Cross-validate the statement stance model on the hand-labelled pairs (five folds fixed by the claim's
    article), print its figures and the dispute threshold they give, and fit it on all pairs.

    Example: claimledger train statement-stance --out /tmp/s && diff /tmp/s/statement_stance.json
    src/claimledger/data/stance/statement_stance.json
    """
    from claimledger.train.statement_stance import train

    train(existing(labels, "labels folder"), out_dir, out.print)


@train_app.command("attribution")
def train_attribution(
    polnear: Path = typer.Option(SHARED_DATA / "polnear", "--polnear", help="PolNeAR folder (train/ is used)."),
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the tagger to."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: the `model` setting)."),
    part: str = typer.Option("both", "--part", help="What to train: crf, lstm or both (the tagger uses both)."),
) -> None:
    """Train the attribution tagger on PolNeAR train: the CRF (about six minutes) and the two BiLSTMs that read
    the entity recognizer's token vectors beside it (about twelve).

    Example: claimledger train attribution --out /tmp/attribution --part lstm
    """
    if part not in ("crf", "lstm", "both"):
        raise typer.BadParameter(f"{part!r}: expected crf, lstm or both", param_hint="--part")
    settings = settings_for(model=model)
    folder = existing(polnear, "PolNeAR folder")
    if part in ("crf", "both"):
        from claimledger.train.attribution import train

        train(folder, out_dir, out, settings)
    if part in ("lstm", "both"):
        from claimledger.train.lstm import train as train_lstm

        train_lstm(folder, out_dir, out, settings)


@app.command()
def serve(
    db: Optional[str] = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 opens it to the network)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(
        None, "--token", envvar="CLAIMLEDGER_TOKEN", show_default=False,
        help="Accept POST /api/articles from callers sending this bearer token; without one the server is read-only."
             " The environment variable keeps it out of the process list."),
) -> None:
    """Serve the ledger: pages at http://HOST:PORT/, JSON under /api/, API docs at /docs.

    Example: claimledger serve --db news.db --port 8000
    """
    from claimledger.serve.api import create_app
    from claimledger.serve.server import serve as serve_app
    from claimledger.store import redacted

    settings = ledger_settings(db)
    try:
        web = create_app(settings, token=token)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    err.print(f"serving {redacted(settings.db)} at http://{host}:{port}/ (API docs at /docs)"
              f"{' read-only' if not token else ''}; Ctrl-C stops", highlight=False, markup=False)
    raise typer.Exit(serve_app(web, host, port))

@app.command()
def link(
    db: Optional[str] = DbOption,
    aliases: Optional[Path] = typer.Option(None, "--aliases", help="TOML file whose merge and split tables force "
                                                                    "actors together or apart."),
) -> None:
    """Link extracted articles: one actor however named, one claim however reported, each statement's stance.

    Incremental: only articles extracted since the last run are linked.
    Example: claimledger link --db news.db --aliases aliases.toml
    """
    run_link_command(db, aliases)


def run_link_command(db: Optional[str], aliases: Optional[Path], runner=None, title: str = "link") -> None:
    """`link` and `spark link`: link with a progress bar, then print the report."""
    from claimledger.jobs import link as run_link
    from claimledger.link.actors import AliasFileError

    settings = ledger_settings(db)
    if aliases is not None:
        existing(aliases, "alias file")
    with open_store(settings, create=False) as store, Progress(
            TextColumn(f"[bold]{title}[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
            TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task(title, total=None)
        try:
            report = run_link(store, settings, aliases, on_batch=lambda n: progress.update(task, advance=n),
                              on_start=lambda n: progress.update(task, total=n), runner=runner)
        except AliasFileError as exc:
            raise fail(str(exc)) from exc
        except StoreError as exc:
            raise fail(str(exc)) from exc
    for note in report.notes:
        err.print(f"note: {note}", highlight=False, markup=False, style="yellow")
    table = Table(title=f"{title} in {settings.db}")
    for column in ("articles", "in claims", "in no claim", "new actors", "new claims", "reported stances"):
        table.add_column(column, justify="right")
    table.add_row(*(str(v) for v in (report.articles, report.statements, report.skipped, report.new_actors,
                                      report.new_claims, report.reported)))
    out.print(table)
    if report.not_checkable:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(report.not_checkable.items(), key=lambda x: -x[1]))
        err.print(f"statements that cannot word a claim: {reasons}", highlight=False, markup=False)


def open_ledger(db: Optional[str]) -> Ledger:
    settings = ledger_settings(db)
    try:  # a missing ledger raises StoreError: "<db>: no such database (run `claimledger ingest` first)"
        return Ledger(settings)
    except StoreError as exc:
        raise fail(str(exc)) from exc


STANCE_STYLES = {"supports": "green", "contradicts": "red", "discusses": "dim"}


def print_timeline(claim) -> None:
    """A claim's timeline as a table: date, speaker, stance, evidence, article."""
    counts = claim.stances()
    out.print(Text.assemble((claim.id, "bold"), " ", claim.text,
                            (f" about {', '.join(claim.subjects)}", "dim") if claim.subjects else ""),
              highlight=False, soft_wrap=False)
    out.print(f"first seen {claim.first_seen or 'undated'} in {claim.first_article} · "
              f"{counts['supports']} support, {counts['contradicts']} contradict, {counts['discusses']} discuss",
              highlight=False, markup=False, soft_wrap=False)
    table = Table(show_header=True)
    for column in ("date", "speaker", "stance", "evidence", "article"):
        table.add_column(column, overflow="fold")
    for s in claim.timeline:
        speaker = (s.speaker_name or "(unresolved)") + (" (reported)" if s.reported else "") + \
            (" (unnamed)" if s.anonymous else "")
        sure = "" if s.stance_source == "origin" else f" {s.confidence:.2f}"
        table.add_row(s.date or "undated", Text(speaker), Text.assemble((s.stance, STANCE_STYLES[s.stance]), sure),
                      Text(s.evidence), s.article_id)
    out.print(table)
    if any(s.date is None for s in claim.timeline):
        out.print("[dim]undated statements follow the dated ones, in article and text order[/]", soft_wrap=False)


ActorOption = typer.Option(None, "--actor", help="Only claims about or voiced by this actor: its slug, id, name or "
                                                 "any name it was filed under (joe-biden, Biden); where none is, any "
                                                 "actor whose name contains it.")


@app.command()
def claims(
    db: Optional[str] = DbOption,
    actor: Optional[str] = ActorOption,
    since: Optional[str] = typer.Option(None, "--since", help="First seen on or after this year, month or day."),
    until: Optional[str] = typer.Option(None, "--until", help="First seen on or before this year, month or day."),
    format: OutputFormat = FormatOption,
) -> None:
    """List linked claims with their counts of support (+), contradiction (-) and discussion (~).

    `claimledger claim ID` prints one's timeline.

    Example: claimledger claims --actor Russia --since 2022-02 --db news.db
    """
    since, until = checked_days(since, until)
    with open_ledger(db) as ledger:
        found = [claim.summary() for claim in ledger.claims(actor=actor, since=since, until=until)]
    if format is OutputFormat.jsonl:
        print_jsonl(found)
        return
    table = Table(title=f"{len(found)} claims")
    for column in ("id", "first seen", "+", "-", "~", "claim", "subjects"):
        table.add_column(column, overflow="fold")
    for summary in found:
        table.add_row(summary.id, summary.first_seen or "undated", str(summary.supports), str(summary.contradicts),
                      str(summary.discusses), Text(summary.text), Text(", ".join(summary.subjects)))
    out.print(table)


@app.command()
def claim(
    claim_id: str = typer.Argument(..., help="A claim id, or its unambiguous beginning."),
    db: Optional[str] = DbOption,
    format: OutputFormat = FormatOption,
) -> None:
    """Print a claim's timeline: date, speaker, stance, evidence and article of every statement.

    Example: claimledger claim C1a2b3 --db news.db
    """
    with open_ledger(db) as ledger:
        found = ledger.claim(claim_id)
    if found is None:
        raise fail(f"no claim with id {claim_id!r}")
    if format is OutputFormat.jsonl:
        print_jsonl([found])
        return
    print_timeline(found)


@app.command()
def disputes(
    db: Optional[str] = DbOption,
    actor: Optional[str] = ActorOption,
    format: OutputFormat = FormatOption,
) -> None:
    """Print every claim that has both supporters and contradictors, the surest first, with its timeline.

    Example: claimledger disputes --db news.db --actor Russia --format jsonl
    """
    with open_ledger(db) as ledger:
        found = ledger.disputes(actor=actor)
    if format is OutputFormat.jsonl:
        print_jsonl(found)
        return
    out.print(f"[bold]{len(found)} disputed claims[/]")
    for item in found:
        out.print()
        print_timeline(item)


@app.command()
def actors(
    db: Optional[str] = DbOption,
    format: OutputFormat = FormatOption,
) -> None:
    """List ledger actors with the names they appear under, and how many articles and claim statements.

    Example: claimledger actors --db news.db --format jsonl
    """
    with open_ledger(db) as ledger:
        rows = ledger.actors()
    if format is OutputFormat.jsonl:
        print_jsonl(rows)
        return
    table = Table(title=f"{len(rows)} actors")
    for column in ("slug", "name", "kind", "aliases", "articles", "claim statements"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row.slug or row.actor_id, Text(row.name), row.kind, Text(", ".join(row.aliases)),
                      str(row.articles), str(row.claim_statements))
    out.print(table)


class SearchKind(str, Enum):
    all = "all"
    statements = "statements"
    articles = "articles"


def marked(snippet: str) -> Text:
    """A search snippet (HTML, matches inside ``<mark>``) as terminal text with the matches in bold."""
    text = Text()
    for i, part in enumerate(re.split(r"</?mark>", snippet)):
        text.append(html.unescape(part), style="bold yellow" if i % 2 else "")
    return text


@app.command()
def search(
    query: str = typer.Argument(..., help='Words to find, all of them; "quoted words" as a phrase.'),
    db: Optional[str] = DbOption,
    kind: SearchKind = typer.Option(SearchKind.all, "--type", help="Search statements, articles, or both."),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after this year, month or day."),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before this year, month or day."),
    outlet: Optional[str] = OutletOption,
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only statements of this speaker (as "
                                                                   "`statements --speaker` reads it)."),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many matches."),
    format: OutputFormat = FormatOption,
) -> None:
    """Full-text search over statements, headlines and article text, the best matches first.

    Ranked by bm25: the search of the web pages and /api/search.

    Example: claimledger search "troop withdrawal" --type statements --db news.db
    """
    from claimledger.store.fts import QueryError

    since, until = checked_days(since, until)
    with open_ledger(db) as ledger:
        try:
            found = ledger.search(query, type=kind.value, since=since, until=until, outlet=outlet, speaker=speaker,
                                  limit=limit)
        except QueryError as exc:
            raise fail(f"search {query!r}: {exc}") from exc
    if format is OutputFormat.jsonl:
        print_jsonl(found)
        return
    table = Table(title=f"{len(found)} matches for {query}")
    for column in ("type", "published", "speaker", "match", "id"):
        table.add_column(column, overflow="fold")
    for result in found:
        table.add_row(result.type, result.published or "", Text(result.speaker_name or ""), marked(result.snippet),
                      result.id)
    out.print(table)


ExportTable = Enum("ExportTable", {name: name for name in TABLES}, type=str)  # type: ignore[misc]


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command("export")
def export_table(
    table: ExportTable = typer.Argument(..., help="articles, statements, actors, claims, stances (every claim's "
                                                  "timeline entries, with their claim_id) or disputes."),
    out_path: Optional[Path] = typer.Option(None, "--out", help="File to write; without it, stdout (jsonl, csv)."),
    format: Optional[ExportFormat] = typer.Option(None, "--format", help="jsonl, csv or parquet (default: from "
                                                                         "--out's suffix, else jsonl)."),
    db: Optional[str] = DbOption,
) -> None:
    """Write every record of a table as JSON Lines, CSV or Parquet.

    The records and field names are those of the listing command's --format jsonl (and of the HTTP API). In CSV,
    lists are JSON; Parquet keeps them typed.

    Example: claimledger export statements --format parquet --out statements.parquet --db news.db
    """
    from claimledger.export import export, format_of

    name = table.value
    out_path = None if out_path is not None and str(out_path) == "-" else out_path
    chosen = format.value if format else (format_of(out_path) if out_path else None) or "jsonl"
    if chosen not in ExportFormat.__members__:
        raise fail(f"{out_path}: cannot tell the format from the suffix: name one with --format jsonl, csv or "
                   "parquet")
    if chosen == "parquet" and out_path is None:
        raise fail("Parquet is written to a file: name one with --out")
    with open_ledger(db) as ledger:
        try:
            count = export(ledger.rows(name), TABLES[name], chosen, out_path)
        except BrokenPipeError:  # a reader that stopped early (`| head`): nothing is wrong
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            raise fail(f"{out_path}: cannot write: {exc.strerror or exc}") from exc
    if out_path is not None:
        err.print(f"exported {count} {name} to {out_path} ({chosen})", highlight=False, markup=False)


spark_app = typer.Typer(help="Run ingest, extract and link on Apache Spark (needs pyspark: the spark extra).",
                        no_args_is_help=True)
app.add_typer(spark_app, name="spark")

MasterOption = typer.Option("local[*]", "--master", help="Spark master: local[*] (every core here), local[2], "
                                                          "spark://host:7077, yarn...")
SparkInputs = typer.Argument(None, help="Files or folders (text, HTML, RSS/Atom, WARC, JSON Lines; gzip too), "
                                        "readable at the same path by every executor.")


def spark_for(master: str):
    from claimledger.spark.session import spark_session

    try:
        return spark_session(master)
    except RuntimeError as exc:  # pyspark is not installed
        raise fail(str(exc)) from exc
    except Exception as exc:  # py4j's errors: no Java, a master that cannot be reached
        raise fail(f"cannot start Spark on {master}: {str(exc).splitlines()[0] if str(exc) else exc!r}") from exc


def spark_stages(paths: Optional[list[Path]], settings: Settings, master: str, extract: bool) -> None:
    """Ingest ``paths`` (if any) and, with ``extract``, extract what is not extracted yet, in Spark, printing each
    stage's summary as `claimledger ingest` and `extract` do."""
    from claimledger.jobs import extract as run_extract, ingest as run_ingest
    from claimledger.spark.stages import article_extractor, file_reader

    spark = spark_for(master)
    try:
        with open_store(settings) as store:
            if paths:
                try:
                    report = run_ingest(paths, store, settings, read_files=file_reader(spark))
                except StoreError as exc:
                    raise fail(str(exc)) from exc
                table = Table(title=f"spark ingest into {settings.db} ({master})")
                for column in ("read", "stored", "duplicates", "rejected"):
                    table.add_column(column, justify="right")
                table.add_row(str(report.read), str(report.stored), str(report.duplicates),
                              str(len(report.rejected)))
                out.print(table)
                report_rejections(report)
            if extract:
                try:
                    result = run_extract(store, settings, extract_stream=article_extractor(spark))
                except StoreError as exc:
                    raise fail(str(exc)) from exc
                table = Table(title=f"spark extract into {settings.db} ({master})")
                for column in ("articles", "actors", "statements", "not English", "too long"):
                    table.add_column(column, justify="right")
                table.add_row(str(result.articles), str(result.actors), str(result.statements), str(result.skipped),
                              str(len(result.too_long)))
                out.print(table)
    finally:
        spark.stop()


@spark_app.command("ingest")
def spark_ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders, readable at the same path by every executor."),
    db: Optional[str] = DbOption,
    master: str = MasterOption,
) -> None:
    """Parse the inputs in Spark tasks; deduplicate and store on the driver: the ledger `claimledger ingest` makes.

    Example: claimledger spark ingest samples/corpus --db news.db --master local[4]
    """
    spark_stages(paths, ledger_settings(db), master, extract=False)


@spark_app.command("extract")
def spark_extract(
    paths: Optional[list[Path]] = SparkInputs,
    db: Optional[str] = DbOption,
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Write Parquet here instead of a ledger (a new "
                                                               "folder); load it with `claimledger import`."),
    master: str = MasterOption,
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name (default: the `model` setting)."),
) -> None:
    """Ingest the inputs (if any), then extract every article not yet extracted, in Spark tasks.

    With --out, each task reads and extracts its files and the rows are written as Parquet, no ledger involved.
    Example: claimledger spark extract samples/corpus --db news.db
    Example: claimledger spark extract crawl/*.warc.gz --out extracted/ --master spark://head:7077
    """
    if out_dir is None:
        spark_stages(paths, ledger_settings(db, model=model), master, extract=True)
        return
    from claimledger.spark.stages import extract_to_parquet

    if not paths:
        raise fail("--out needs input files or folders")
    if out_dir.exists():
        raise fail(f"{out_dir}: exists already; name a new folder")
    settings = settings_for(model=model)
    spark = spark_for(master)
    try:
        rows, missing = extract_to_parquet(spark, paths, out_dir, settings)
    finally:
        spark.stop()
    for rejection in missing:
        err.print(f"rejected {rejection}", highlight=False, markup=False, style="yellow")
    err.print(f"wrote {rows} rows (articles and rejected inputs) to {out_dir}", highlight=False, markup=False)


@spark_app.command("link")
def spark_link(
    paths: Optional[list[Path]] = SparkInputs,
    db: Optional[str] = DbOption,
    master: str = MasterOption,
    aliases: Optional[Path] = typer.Option(None, "--aliases", help="TOML file whose merge and split tables force "
                                                                    "actors together or apart."),
) -> None:
    """Ingest and extract the inputs in Spark (if any), then link in Spark: the ledger `claimledger link` gives.

    Statements are paired through their blocking keys in a shuffle and linked group by group in the executors;
    see claimledger.spark.link.
    Example: claimledger spark link samples/corpus --db news.db
    """
    from claimledger.spark.link import link_on_spark

    settings = ledger_settings(db)
    if paths:
        spark_stages(paths, settings, master, extract=True)
    spark = spark_for(master)
    try:
        run_link_command(db, aliases, runner=partial(link_on_spark, spark), title=f"spark link ({master})")
    finally:
        spark.stop()


@app.command("import")
def import_parquet(
    folder: Path = typer.Argument(..., help="A folder written by `claimledger spark extract --out`."),
    db: Optional[str] = DbOption,
) -> None:
    """Load the articles and extractions of a `spark extract --out` folder into a ledger (SQLite or PostgreSQL),
    deduplicated as `claimledger ingest` does.

    Example: claimledger import extracted/ --db postgresql://localhost/news
    """
    import pyarrow

    from claimledger.spark.stages import import_parquet as run_import

    existing(folder, "folder")
    settings = ledger_settings(db)
    with open_store(settings) as store:
        try:
            report = run_import(folder, store, settings)
        except (pyarrow.ArrowException, KeyError) as exc:
            raise fail(f"{folder}: not a `spark extract --out` folder ({exc})") from exc
        except StoreError as exc:
            raise fail(str(exc)) from exc
    table = Table(title=f"import into {settings.db}")
    for column in ("read", "stored", "duplicates", "rejected", "extracted", "not extracted"):
        table.add_column(column, justify="right")
    table.add_row(*(str(v) for v in (report.ingest.read, report.ingest.stored, report.ingest.duplicates,
                                      len(report.ingest.rejected), report.extracted, report.not_extracted)))
    out.print(table)
    report_rejections(report.ingest)


def main() -> None:  # pragma: no cover - console entry point for `python -m claimledger`
    try:
        app()
    except OSError as exc:
        # A full disk under the ledger is the store's one-line error (StoreError); this is the rest: the temporary
        # folder, where the language identifier unpacks its model and the tagger writes its dump.
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        import tempfile

        where = exc.filename or tempfile.gettempdir()
        err.print(f"error: {where}: disk full (no room for temporary files; TMPDIR names another folder)",
                  highlight=False, markup=False, soft_wrap=True)
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
