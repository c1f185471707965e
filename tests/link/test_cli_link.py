"""`claimledger link` and `claimledger actors` from the command line: incremental runs, an alias file that renames
an actor everywhere, and one-line errors for bad inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from claimledger.config import load_settings
from claimledger.jobs import link
from claimledger.store.sqlite import SQLiteStore


def run_cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "claimledger.cli", *args], capture_output=True, text=True,
                            timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    assert (result.returncode == 0) == ok, result.stderr
    return result


def test_link_again_does_nothing(seed_db, tmp_path):
    db = tmp_path / "ledger.db"
    shutil.copy(seed_db, db)
    assert "│        0 │" in run_cli("link", "--db", str(db)).stdout


def test_alias_file_merges_names_and_relinks_the_articles_that_use_them(seed_db, tmp_path):
    db = tmp_path / "ledger.db"
    shutil.copy(seed_db, db)
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[[merge]]\nnames = ["Antony Blinken", "Tony Blinken"]\n', encoding="utf-8")
    claims_before = run_cli("claims", "--db", str(db), "--format", "jsonl").stdout
    # In process, where the encoder is already loaded; the command calls the same job.
    settings = load_settings({}).with_overrides(db=str(db))
    with SQLiteStore(db) as store:
        assert link(store, settings, aliases).articles == 1
    actors = {a["name"]: a for a in map(json.loads, run_cli("actors", "--db", str(db), "--format", "jsonl"
                                                            ).stdout.splitlines())}
    assert "Antony Blinken" in actors and "Tony Blinken" not in actors
    assert actors["Antony Blinken"]["aliases"] == ["Tony Blinken"]
    claims_after = run_cli("claims", "--db", str(db), "--format", "jsonl").stdout
    ids = [json.loads(line)["id"] for line in claims_before.splitlines()]
    assert [json.loads(line)["id"] for line in claims_after.splitlines()] == ids


def test_bad_inputs_are_one_line_errors(tmp_path):
    missing = run_cli("claims", "--db", str(tmp_path / "none.db"), ok=False)
    assert "none.db" in missing.stderr and "no such database" in missing.stderr
    bad = tmp_path / "aliases.toml"
    bad.write_text("[[merge]]\nnames = []\n", encoding="utf-8")
    db = tmp_path / "empty.db"
    run_cli("ingest", str(Path(__file__).resolve().parents[2] / "samples" / "corpus" / "text" / "fnc1-1157.txt"),
            "--db", str(db))
    result = run_cli("link", "--db", str(db), "--aliases", str(bad), ok=False)
    assert "aliases.toml" in result.stderr and "needs names" in result.stderr
    unknown = run_cli("claim", "Cnothere", "--db", str(db), ok=False)
    assert "no claim with id 'Cnothere'" in unknown.stderr


def test_a_negated_report_is_listed_as_not_asserted_and_stands_in_no_claim(seed_db, monkeypatch):
    # "It did not disclose how many troops or weapons were being withdrawn": Russia is reported on it, not quoted.
    rows = [json.loads(line) for line in run_cli("statements", "--db", str(seed_db), "--format", "jsonl"
                                                 ).stdout.splitlines()]
    negated = [r for r in rows if r["negated"]]
    assert [(r["speaker_name"], r["kind"], r["cue"], r["text"]) for r in negated] == [
        ("Russia", "indirect", "did not disclose", "how many troops or weapons were being withdrawn")]
    monkeypatch.setenv("COLUMNS", "240")  # one table row per line
    assert "indirect, not asserted (did not disclose)" in run_cli("statements", "--db", str(seed_db)).stdout
    with SQLiteStore(seed_db) as store:
        in_claims = {r[0] for r in store.conn.execute("SELECT statement_id FROM claim_statements")}
    assert in_claims and negated[0]["id"] not in in_claims
    assert {r["id"] for r in rows if not r["negated"] and r["speaker_name"] == "Russia"} & in_claims
