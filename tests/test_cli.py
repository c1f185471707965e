"""The CLI end to end, as a user runs it: a real process, real files, a real SQLite file."""

import csv
import gzip
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from claimledger import Ledger
from paths import SAMPLES

CLI = [sys.executable, "-m", "claimledger.cli"]


def run(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def stored(db: Path) -> list[tuple]:
    return rows(db, "SELECT id, text FROM articles ORDER BY seq") + rows(db, "SELECT * FROM duplicates ORDER BY 1, 2")


def test_ingest_samples_summary_and_rejected_file(tmp_path):
    db, rejected = tmp_path / "l.db", tmp_path / "rejected.jsonl"
    result = run("ingest", str(SAMPLES), "--db", str(db), "--rejected", str(rejected), check=True)
    assert "stored" in result.stdout and "26" in result.stdout
    lines = [json.loads(line) for line in rejected.read_text().splitlines()]
    assert len(lines) == 2 and all(set(line) == {"path", "reason"} for line in lines)
    assert "files" in result.stderr  # the progress bar goes to stderr
    again = run("ingest", str(SAMPLES), "--db", str(db), check=True)  # all duplicates: still a success
    assert "│      0 │" in again.stdout


def test_articles_jsonl_and_show(tmp_path):
    db = tmp_path / "l.db"
    run("ingest", str(SAMPLES / "text"), "--db", str(db), check=True)
    objects = [json.loads(line) for line in run("articles", "--db", str(db), "--format", "jsonl",
                                                check=True).stdout.splitlines()]
    assert len(objects) == 7
    seed = next(o for o in objects if o["source"].endswith("axios-2022-02-16-nato-no-withdrawal.txt"))
    assert list(seed) == ["id", "headline", "outlet", "published", "section", "url", "source", "authors",
                          "statements"]
    (whole,) = [json.loads(line) for line in run("show", seed["id"][:8], "--db", str(db), "--format", "jsonl",
                                                 check=True).stdout.splitlines()]
    assert set(whole) >= {"id", "source", "url", "outlet", "headline", "published", "section", "authors",
                          "language", "captions", "related", "text", "blocks", "extracted", "statements"}
    assert whole["text"] == "\n\n".join(b["text"] for b in whole["blocks"])
    assert whole["captions"][0]["credit"] == "Valeria Mongelli/Bloomberg via Getty Images"
    assert not whole["extracted"] and whole["statements"] == []
    shown = run("show", seed["id"][:8], "--db", str(db), check=True).stdout
    assert "NATO sees no signs" in shown and "Why it matters:" in shown and "label" in shown
    # The whole article reads back as it is.
    (tmp_path / "seed.jsonl").write_text(json.dumps(whole) + "\n", encoding="utf-8")
    again = tmp_path / "again.db"
    run("ingest", str(tmp_path / "seed.jsonl"), "--db", str(again), check=True)
    assert rows(again, "SELECT id, text FROM articles") == [r for r in rows(db, "SELECT id, text FROM articles")
                                                            if r[0] == seed["id"]]
    missing = run("show", "nope", "--db", str(db))
    assert missing.returncode == 1 and "no article with id 'nope'" in missing.stderr


def test_missing_path_and_missing_database_fail_with_one_line(tmp_path):
    result = run("ingest", str(tmp_path / "absent"), "--db", str(tmp_path / "l.db"))
    assert result.returncode == 1
    assert "absent: no such file or directory" in result.stderr
    assert "nothing could be read" in result.stderr
    listing = run("articles", "--db", str(tmp_path / "none.db"))
    assert listing.returncode == 1 and "no such database" in listing.stderr


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad input the issue names, and a fragment of the reason the user must see."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "channel.cdf").write_text('<?xml version="1.0"?><CHANNEL HREF="http://x.org/"><TITLE>News</TITLE>'
                                        '<ITEM HREF="http://x.org/1.html"><TITLE>Story</TITLE></ITEM></CHANNEL>')
    full = gzip.compress(b'{"headline": "x", "text": "Body text of a story that was cut short."}\n' * 200)
    (folder / "cut.jsonl.gz").write_bytes(full[:40])
    (folder / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "empty.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                                      "</channel></rss>")
    with (folder / "norespo.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warc_record("https://x.org/", "request", payload=io.BytesIO(b"GET /")))
    good = json.dumps({"headline": "Ministers meet", "text": "Ministers met on Monday, officials said."})
    (folder / "mixed.jsonl").write_text("\n".join([good, "{broken", good.replace("Monday", "Tuesday")]) + "\n")
    with (folder / "huge.txt").open("w") as handle:
        line = "A very long document that no news article would ever be. " * 100 + "\n"
        for _ in range(50 * 2**20 // len(line) + 1):
            handle.write(line)
    return {
        "empty.txt": "empty file",
        "image.txt": "binary file",
        "channel.cdf": "XML document <CHANNEL>: not a feed that is read",
        "cut.jsonl.gz": "truncated",
        "nav.html": "no article text",
        "empty.rss": "feed with no entries",
        "norespo.warc.gz": "WARC with no response, resource or conversion records",
        "mixed.jsonl:2": "invalid JSON",
        "huge.txt": "larger than the 10 MB limit",
    }


def test_every_bad_input_is_reported_and_nothing_stored_is_lost(tmp_path):
    db, rejected = tmp_path / "l.db", tmp_path / "rejected.jsonl"
    run("ingest", str(SAMPLES / "text"), "--db", str(db), check=True)
    before = stored(db)
    expected = make_bad_inputs(tmp_path / "bad")
    result = run("ingest", str(tmp_path / "bad"), "--db", str(db), "--rejected", str(rejected))
    assert result.returncode == 0  # the two good lines of mixed.jsonl were stored
    reasons = {Path(r["path"]).name: r["reason"] for r in map(json.loads, rejected.read_text().splitlines())}
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons.get(name))
        assert f"{name}: " in result.stderr
    after = stored(db)
    assert after[: len(before)] == before and len(after) == len(before) + 2


def test_only_bad_inputs_exit_non_zero(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    result = run("ingest", str(folder), "--db", str(tmp_path / "l.db"))
    assert result.returncode == 1 and "nothing could be read: empty file" in result.stderr


def test_locked_database(tmp_path):
    db = tmp_path / "l.db"
    run("ingest", str(SAMPLES / "text"), "--db", str(db), check=True)
    before = stored(db)
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        result = run("ingest", str(SAMPLES / "html"), "--db", str(db))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert result.returncode == 1 and "database is locked" in result.stderr and str(db) in result.stderr
    assert stored(db) == before


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is needed to drop root")
def test_read_only_database(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o755)
    db = folder / "l.db"
    run("ingest", str(SAMPLES / "text"), "--db", str(db), check=True)
    before = stored(db)
    os.chmod(db, 0o644)
    # As an unprivileged user, for whom the file is read-only (root ignores file modes).
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *CLI, "ingest", str(SAMPLES / "html"),
               "--db", str(db)]
    env = {**os.environ, "HOME": str(folder)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1, result.stderr
    assert "read-only" in result.stderr or "cannot open" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored(db) == before


def test_killed_run_resumes_to_the_same_database(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    with gzip.open(SAMPLES / "jsonl" / "fnc1.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    with corpus.open("w", encoding="utf-8") as handle:
        for copy in range(40):  # enough batches that the kill lands in the middle
            for record in records:
                text = record["text"] + f"\n\nUpdate {copy}: this story was republished with a new ending, number {copy}."
                handle.write(json.dumps({**record, "text": text, "source": f"{record['source']}#{copy}"}) + "\n")
    shutil.copytree(SAMPLES / "text", tmp_path / "text")
    inputs = [str(tmp_path / "text"), str(corpus)]

    whole = tmp_path / "whole.db"
    run("ingest", *inputs, "--db", str(whole), "--batch-size", "3", check=True)

    killed = tmp_path / "killed.db"
    process = subprocess.Popen([*CLI, "ingest", *inputs, "--db", str(killed), "--batch-size", "3"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline and process.poll() is None:
        if killed.exists():
            try:
                count = rows(killed, "SELECT COUNT(*) FROM articles")[0][0]
            except sqlite3.OperationalError:
                count = 0
            if count >= 10:
                break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < count < len(stored(whole)), "the kill must land mid-run"
    run("ingest", *inputs, "--db", str(killed), "--batch-size", "3", check=True)
    assert stored(killed) == stored(whole)


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The CLI run in ``folder`` with no database named by the environment (but ``env``)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("CLAIMLEDGER_DB", "CLAIMLEDGER_CONFIG")}
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=folder,
                            env={**clean, **env})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_a_database_must_be_named(tmp_path):
    seed = str(SAMPLES / "text" / "axios-2022-02-16-nato-no-withdrawal.txt")
    for args in (["extract", seed], ["ingest", seed], ["articles"], ["claims"], ["export", "articles"]):
        result = run_in(tmp_path, *args)
        assert result.returncode == 1, args
        assert result.stderr.strip() == "error: no database named: pass --db FILE (or set CLAIMLEDGER_DB=FILE)"
    assert list(tmp_path.iterdir()) == []  # nothing created in the current folder
    named = run_in(tmp_path, "ingest", seed, CLAIMLEDGER_DB="named.db")
    assert named.returncode == 0 and (tmp_path / "named.db").exists()
    assert len(run_in(tmp_path, "articles", "--format", "jsonl", CLAIMLEDGER_DB="named.db").stdout.splitlines()) == 1


def test_tables_fit_the_terminal(sample_ledger):
    with sqlite3.connect(sample_ledger) as conn:
        claim_id = conn.execute("SELECT id FROM claims ORDER BY size DESC LIMIT 1").fetchone()[0]
    commands = [["articles"], ["statements"], ["actors"], ["claims"], ["disputes"], ["show", "f0b6de44"],
                ["claim", claim_id], ["search", "Nigeria"], ["export", "claims", "--format", "csv"]]
    for width in (80, 150):
        for command in commands:
            result = subprocess.run([*CLI, *command, "--db", str(sample_ledger)], capture_output=True, text=True,
                                    timeout=120, env={**os.environ, "COLUMNS": str(width)})
            assert result.returncode == 0, result.stderr
            lines = result.stdout.splitlines()
            assert len(lines) > 3, command
            if command[0] == "export":  # machine output is never cut to the terminal
                assert max(map(len, lines)) > width
                continue
            too_wide = [line for line in lines if len(line) > width]
            assert not too_wide, (width, command, too_wide[:2])


def test_export_writes_the_listing_records_in_each_format(sample_ledger, tmp_path):
    import pyarrow.parquet as pq

    def listed(*args: str) -> list[dict]:
        stdout = run(*args, "--db", str(sample_ledger), "--format", "jsonl", check=True).stdout
        return [json.loads(line) for line in stdout.splitlines()]

    listings = {name: listed(name) for name in ("articles", "statements", "actors", "claims", "disputes")}
    with Ledger(sample_ledger) as ledger:  # every claim's timeline: `claim ID` prints one
        listings["stances"] = [entry.to_dict() for claim in ledger.claims() for entry in claim.timeline]
    assert all(listings.values())
    for table, records in listings.items():
        for suffix in ("jsonl", "csv", "parquet"):
            path = tmp_path / f"{table}.{suffix}"
            result = run("export", table, "--out", str(path), "--db", str(sample_ledger), check=True)
            assert f"exported {len(records)} {table}" in result.stderr
        assert [json.loads(line) for line in (tmp_path / f"{table}.jsonl").read_text().splitlines()] == records
        assert pq.read_table(tmp_path / f"{table}.parquet").to_pylist() == records
        with (tmp_path / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            assert next(reader) == list(records[0])
            cells = list(reader)
        assert len(cells) == len(records)
        for row, record in zip(cells, records):  # lists, objects and booleans as JSON, None as nothing
            for cell, value in zip(row, record.values()):
                if value is None or isinstance(value, str):
                    assert cell == (value or "")
                else:
                    assert json.loads(cell) == value
    piped = run("export", "statements", "--format", "jsonl", "--db", str(sample_ledger), check=True).stdout
    assert [json.loads(line) for line in piped.splitlines()] == listings["statements"]
    empty = run("export", "disputes", "--out", str(tmp_path / "x.txt"), "--db", str(sample_ledger))
    assert empty.returncode == 1 and "cannot tell the format" in empty.stderr


def test_extract_and_link_print_no_third_party_progress(tmp_path):
    db = str(tmp_path / "l.db")
    run("ingest", str(SAMPLES / "text" / "axios-2022-02-16-nato-no-withdrawal.txt"), "--db", db, check=True)
    for command in (["extract", "--workers", "1"], ["link"]):
        result = run(*command, "--db", db, check=True)
        # Our own progress bar and notes only: no "Loading weights", "Batches", tqdm bars or library warnings.
        lines = [line.strip() for line in result.stderr.replace("\r", "\n").splitlines() if line.strip()]
        ours = [line for line in lines if line.startswith((command[0], "note:", "statements that cannot"))]
        assert lines == ours, lines
