"""The claimledger command line: thin; it parses flags, calls the jobs and prints.

Results go to stdout (tables, or JSON Lines with ``--format jsonl``); progress and messages go to stderr.
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimledger.config import Settings, SettingsError, load_settings
from claimledger.store.sqlite import SQLiteStore, StoreError

app = typer.Typer(help="A ledger of who said what, about whom, when, and who disputes it.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class OutputFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


DbOption = typer.Option(None, "--db", help="SQLite ledger file (default: the `db` setting, ./claimledger.db).")
FormatOption = typer.Option(OutputFormat.table, "--format", help="table for people, jsonl for programs.")


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(1)


def settings_for(**overrides: object) -> Settings:
    try:
        return load_settings().with_overrides(**overrides)
    except SettingsError as exc:
        raise fail(str(exc)) from exc


def open_store(settings: Settings, create: bool = True) -> SQLiteStore:
    try:
        return SQLiteStore(settings.db, create=create)
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

    settings = settings_for(db=db, batch_size=batch_size)
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
    from claimledger.jobs import extract as run_extract, ingest as run_ingest

    settings = settings_for(db=db, workers=workers, model=model)
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


@app.command()
def statements(
    db: Optional[str] = DbOption,
    article: Optional[str] = typer.Option(None, "--article", help="Only this article (an id or its beginning)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only statements whose speaker name contains this."),
    format: OutputFormat = FormatOption,
) -> None:
    """List extracted statements: speaker, kind, date and the words said.

    Example: claimledger statements --article f0b6de44 --db news.db
    """
    settings = settings_for(db=db)
    with open_store(settings, create=False) as store:
        article_id = None
        if article:
            found = store.get_article(article)
            if found is None:
                raise fail(f"no article with id {article!r} in {settings.db}")
            article_id = found.id
        rows = store.statements(article_id=article_id, speaker=speaker)
    if format is OutputFormat.jsonl:
        for row in rows:
            out.file.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rows)} statements")
    for column in ("speaker", "kind", "date", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        kind = f'{row["kind"]}, not asserted ({row["cue"]})' if row["negated"] else row["kind"]
        table.add_row(row["speaker_name"] or "(unresolved)", kind, row["date"] or "", row["text"])
    out.print(table)


@app.command()
def articles(
    db: Optional[str] = DbOption,
    format: OutputFormat = FormatOption,
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many articles."),
) -> None:
    """List stored articles.

    Example: claimledger articles --format jsonl | jq .article.headline
    """
    settings = settings_for(db=db)
    with open_store(settings, create=False) as store:
        if format is OutputFormat.jsonl:
            for article in store.iter_articles(limit):
                out.file.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            return
        table = Table(title=f"{store.count_articles()} articles in {settings.db}")
        for column in ("id", "published", "outlet", "headline", "blocks"):
            table.add_column(column, overflow="fold")
        for article in store.iter_articles(limit):
            table.add_row(article.id, article.published or "", article.outlet or "", article.headline or "",
                          str(len(article.blocks)))
        out.print(table)


@app.command()
def show(
    article_id: str = typer.Argument(..., help="An article id, or its unambiguous beginning."),
    db: Optional[str] = DbOption,
    format: OutputFormat = FormatOption,
) -> None:
    """Print one article: its metadata, captions, related links and body blocks.

    Example: claimledger show f0b6de44
    """
    settings = settings_for(db=db)
    with open_store(settings, create=False) as store:
        article = store.get_article(article_id)
    if article is None:
        raise fail(f"no article with id {article_id!r} in {settings.db}")
    if format is OutputFormat.jsonl:
        out.file.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{article.headline or '(no headline)'}[/]", highlight=False)
    meta = [article.published, article.section, article.outlet, ", ".join(article.authors), article.url or article.source]
    out.print(" · ".join(m for m in meta if m), highlight=False, markup=False)
    for caption in article.captions:
        out.print(f"[dim]caption:[/] {caption.text}" + (f" [dim](credit: {caption.credit})[/]" if caption.credit else ""),
                  highlight=False)
    table = Table(show_header=True)
    table.add_column("kind")
    table.add_column("span", justify="right")
    table.add_column("text", overflow="fold")
    for block in article.blocks:
        table.add_row(block.kind, f"{block.start}-{block.end}", block.text)
    out.print(table)
    for link in article.related:
        out.print(f"[dim]related:[/] {link.text}" + (f" <{link.url}>" if link.url else ""), highlight=False)


eval_app = typer.Typer(help="Measure accuracy against public gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise fail(f"{path}: no such {what}")
    return path


@eval_app.command("html")
def eval_html(
    gold: Path = typer.Option(..., "--gold", help="Folder with ground-truth.json and html/*.html.gz."),
) -> None:
    """Body-text precision, recall and F1 of the HTML reader, beside plain trafilatura.extract.

    Example: claimledger eval html --gold ../shared/data/article-extraction-benchmark
    """
    from claimledger.eval.html import run_eval

    run_eval(existing(gold, "benchmark folder"), out)


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

    settings = settings_for(db=db)
    if not Path(settings.db).exists():
        raise fail(f"{settings.db}: no such ledger")
    result = evaluate(Path(settings.db), existing(labels, "labels folder"), todo)
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

    settings = settings_for(db=db)
    try:
        web = create_app(settings, token=token)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    err.print(f"serving {settings.db} at http://{host}:{port}/ (API docs at /docs){' read-only' if not token else ''}"
              "; Ctrl-C stops", highlight=False, markup=False)
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
    from claimledger.jobs import link as run_link
    from claimledger.link.actors import AliasFileError

    settings = settings_for(db=db)
    if aliases is not None:
        existing(aliases, "alias file")
    with open_store(settings, create=False) as store, Progress(
            TextColumn("[bold]link[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
            TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task("link", total=None)
        try:
            report = run_link(store, settings, aliases, on_batch=lambda n: progress.update(task, advance=n),
                              on_start=lambda n: progress.update(task, total=n))
        except AliasFileError as exc:
            raise fail(str(exc)) from exc
        except StoreError as exc:
            raise fail(str(exc)) from exc
    for note in report.notes:
        err.print(f"note: {note}", highlight=False, markup=False, style="yellow")
    table = Table(title=f"link in {settings.db}")
    for column in ("articles", "in claims", "in no claim", "new actors", "new claims", "reported stances"):
        table.add_column(column, justify="right")
    table.add_row(*(str(v) for v in (report.articles, report.statements, report.skipped, report.new_actors,
                                      report.new_claims, report.reported)))
    out.print(table)
    if report.not_checkable:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(report.not_checkable.items(), key=lambda x: -x[1]))
        err.print(f"statements that cannot word a claim: {reasons}", highlight=False, markup=False)


def open_ledger(db: Optional[str]):
    from claimledger.ledger import Ledger

    settings = settings_for(db=db)
    if not Path(settings.db).exists():
        raise fail(f"{settings.db}: no such database (run `claimledger ingest` first)")
    try:
        return Ledger(settings)
    except StoreError as exc:
        raise fail(str(exc)) from exc


def print_timeline(claim) -> None:
    """A claim's timeline as a table: date, speaker, stance, evidence, article."""
    counts = claim.stances()
    subjects = f" [dim]about {', '.join(claim.subjects)}[/]" if claim.subjects else ""
    out.print(f"[bold]{claim.id}[/] {claim.text}{subjects}", highlight=False)
    out.print(f"first seen {claim.first_seen or 'undated'} in {claim.first_article} · "
              f"{counts['supports']} support, {counts['contradicts']} contradict, {counts['discusses']} discuss",
              highlight=False, markup=False)
    table = Table(show_header=True)
    for column in ("date", "speaker", "stance", "evidence", "article"):
        table.add_column(column, overflow="fold")
    style = {"supports": "green", "contradicts": "red", "discusses": "dim"}
    for s in claim.statements:
        speaker = (s.speaker_name or "(unresolved)") + (" (reported)" if s.reported else "") + \
            (" (unnamed)" if s.anonymous else "")
        sure = "" if s.stance_source == "origin" else f" {s.confidence:.2f}"
        table.add_row(s.date or "undated", speaker, f"[{style[s.stance]}]{s.stance}[/]{sure}", s.evidence,
                      s.article_id)
    out.print(table)
    if any(s.date is None for s in claim.statements):
        out.print("[dim]undated statements follow the dated ones, in article and text order[/]")


def print_claims(claims: list, format: OutputFormat, title: str) -> None:
    if format is OutputFormat.jsonl:
        for claim in claims:
            out.file.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(title=title)
    for column in ("id", "first seen", "+", "-", "~", "claim", "subjects"):
        table.add_column(column, overflow="fold")
    for claim in claims:
        counts = claim.stances()
        table.add_row(claim.id, claim.first_seen or "undated", str(counts["supports"]), str(counts["contradicts"]),
                      str(counts["discusses"]), claim.text, ", ".join(claim.subjects))
    out.print(table)


@app.command()
def claims(
    db: Optional[str] = DbOption,
    actor: Optional[str] = typer.Option(None, "--actor", help="Only claims about or voiced by this actor: its "
                                        "slug, id, name or any name it was filed under (joe-biden, Biden); where "
                                        "none is, any actor whose name contains it."),
    since: Optional[str] = typer.Option(None, "--since", help="Only claims first seen on or after this ISO date."),
    format: OutputFormat = FormatOption,
) -> None:
    """List linked claims with their counts of support (+), contradiction (-) and discussion (~).

    Example: claimledger claims --actor Russia --since 2022-02-01 --db news.db
    """
    with open_ledger(db) as ledger:
        found = ledger.claims(actor=actor, since=since)
    print_claims(found, format, f"{len(found)} claims")


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
        out.file.write(json.dumps(found.to_dict(), ensure_ascii=False) + "\n")
        return
    print_timeline(found)


@app.command()
def disputes(
    db: Optional[str] = DbOption,
    actor: Optional[str] = typer.Option(None, "--actor", help="Only claims about or voiced by this actor: its "
                                        "slug, id, name or any name it was filed under (joe-biden, Biden); where "
                                        "none is, any actor whose name contains it."),
    format: OutputFormat = FormatOption,
) -> None:
    """Print every claim that has both supporters and contradictors, as a timeline.

    Example: claimledger disputes --db news.db --actor Russia --format jsonl
    """
    with open_ledger(db) as ledger:
        found = ledger.disputes(actor=actor)
    if format is OutputFormat.jsonl:
        print_claims(found, format, "")
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
        for row in rows:
            out.file.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rows)} actors")
    for column in ("slug", "name", "kind", "aliases", "articles", "claim statements"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["slug"] or row["id"], row["name"], row["kind"], ", ".join(row["aliases"]),
                      str(row["articles"]), str(row["claim_statements"]))
    out.print(table)


def main() -> None:  # pragma: no cover - console entry point for `python -m claimledger`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
