"""Crash safety: `claimledger ingest`, `extract` and `link`, killed with SIGKILL mid-run and run again, leave the
ledger an uninterrupted run leaves, and every kill leaves a sound database holding whole batches only.

The real CLI in real processes on the sample corpus (26 articles), two articles a transaction. Each stage is killed
twice: as soon as its first batch is seen committed, then, run again, once half its rows are (the rows to wait for
are fixed; where in the next batch the kill lands is not). Every run after a kill resumes what the killed ones left.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from databases import copy_ledger
from paths import SAMPLES

CLI = [sys.executable, "-m", "claimledger.cli"]
# The same in every run: linking places statements in claims batch by batch, so a run resumed with another batch
# size gives another ledger (as sound, not the same).
BATCH_SIZE = 2
# One worker: the machine is shared, and the writes are the same with more.
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")},
       "CLAIMLEDGER_WORKERS": "1", "CLAIMLEDGER_BATCH_SIZE": str(BATCH_SIZE)}
# Each stage, its command, and the table whose rows count what it has committed (one row a finished article).
STAGES = {
    "ingest": (["ingest", str(SAMPLES)], "articles"),
    "extract": (["extract"], "extractions"),
    "link": (["link"], "linked_articles"),
}
# Where each stage is killed: after at least this many of its rows are committed, and this many seconds more (less
# than the quickest stage, ingest, takes for the rows left).
KILLS = [(1, 0.0), (12, 0.05)]
# The columns that record when a run happened: the only ones that may differ between two runs.
RUN_TIMESTAMPS = {"applied_at", "extracted_at", "linked_at"}
# What a committed article must hold, per stage: its rows in these tables, as the uninterrupted run has them.
PER_ARTICLE = {
    "ingest": [("articles", "id")],
    "extract": [("extractions", "article_id"), ("statements", "article_id")],
    "link": [("linked_articles", "article_id"), ("actor_mentions", "article_id"), ("claim_statements", "article_id")],
}


def run_to_end(stage: str, db: Path) -> None:
    args, _ = STAGES[stage]
    result = subprocess.run([*CLI, *args, "--db", str(db)], capture_output=True, text=True, timeout=300, env=ENV)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def committed(db: Path, table: str) -> int:
    """Rows of ``table`` committed so far, read without creating or writing the file."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet, or its schema not yet
        return 0


def kill_after(stage: str, db: Path, rows: int, delay: float) -> int:
    """Start ``stage`` on ``db``, SIGKILL it once ``rows`` rows of its table are committed (and ``delay`` seconds
    more), and return how many were committed when it died. Fails if the run ended before the kill."""
    args, table = STAGES[stage]
    process = subprocess.Popen([*CLI, *args, "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=ENV)
    try:
        deadline = time.monotonic() + 240
        while process.poll() is None and committed(db, table) < rows and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL, f"{stage} ended (exit {process.returncode}) before the kill"
    return committed(db, table)


def check_sound(db: Path) -> None:
    """The database is whole: SQLite's integrity check, its foreign keys and both full-text indexes."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for index in ("articles_fts", "statements_fts"):
            # rank 1: the index checked against its content table too, not only against itself.
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        # Linking records the extraction it linked: it must be the one stored.
        assert conn.execute("SELECT COUNT(*) FROM linked_articles l JOIN extractions e ON e.article_id = l.article_id "
                            "WHERE e.extracted_at <> l.extracted_at").fetchone()[0] == 0
    finally:
        conn.close()


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table a user reads (the full-text shadow tables aside: ``check_sound`` checks them against these),
    each as its sorted rows, without the run timestamps."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                            "'%_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        contents = {}
        for name in names:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})") if r[1] not in RUN_TIMESTAMPS]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()
            contents[name] = sorted(rows, key=repr)
        return contents
    finally:
        conn.close()


def rows_of(db: Path, table: str, column: str, article_ids: set[str]) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in RUN_TIMESTAMPS]
        rows = conn.execute(f"SELECT {', '.join(columns)}, {column} FROM {table}").fetchall()
        return sorted((r[:-1] for r in rows if r[-1] in article_ids), key=repr)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict[str, Path]:
    """One uninterrupted run of ingest, extract and link, a copy of the ledger after each stage."""
    folder = tmp_path_factory.mktemp("uninterrupted")
    db = folder / "ledger.db"
    after = {}
    for stage in STAGES:
        run_to_end(stage, db)
        after[stage] = copy_ledger(db, folder / f"after-{stage}.db")
    return after


@pytest.mark.parametrize("stage", list(STAGES))
def test_killed_stage_run_again_gives_the_uninterrupted_ledger(stage, uninterrupted, tmp_path):
    db = tmp_path / "ledger.db"
    stages = list(STAGES)
    if stage != stages[0]:
        copy_ledger(uninterrupted[stages[stages.index(stage) - 1]], db)
    expected = uninterrupted[stage]
    _, table = STAGES[stage]
    total = committed(expected, table)
    for rows, delay in KILLS:
        done = kill_after(stage, db, rows, delay)
        assert rows <= done < total, f"{stage} killed after {done} of {total} rows: not mid-run"
        check_sound(db)
        # What was committed is whole: each article done holds what the uninterrupted run gives it.
        key_table, key = PER_ARTICLE[stage][0]
        conn = sqlite3.connect(db)
        done_ids = {r[0] for r in conn.execute(f"SELECT {key} FROM {key_table}")}
        conn.close()
        for table_name, column in PER_ARTICLE[stage]:
            assert rows_of(db, table_name, column, done_ids) == rows_of(expected, table_name, column, done_ids), \
                f"{table_name} after {stage} was killed at {done} rows"
    run_to_end(stage, db)
    check_sound(db)
    got, want = tables(db), tables(expected)
    assert list(got) == list(want)
    for name in want:
        assert got[name] == want[name], f"{name} differs after {stage} was killed and run again"
