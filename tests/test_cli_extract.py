"""`claimledger extract` end to end: real files in, the JSON Lines contract out, resumable over the store."""

import json
import sqlite3
import subprocess
import sys

from paths import SAMPLE_SEED, SAMPLES

CLI = [sys.executable, "-m", "claimledger.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result


def test_extract_seed_jsonl_contract(tmp_path):
    db = tmp_path / "l.db"
    (line,) = run("extract", str(SAMPLE_SEED), "--db", str(db), "--workers", "1", "--format", "jsonl"
                  ).stdout.splitlines()
    obj = json.loads(line)
    assert set(obj) >= {"article", "text", "actors", "statements", "quantities", "dates", "places"}
    assert set(obj["article"]) >= {"id", "source", "headline", "published", "section", "captions", "related"}
    text = obj["text"]
    for statement in obj["statements"]:
        assert set(statement) >= {"id", "speaker", "speaker_name", "kind", "cue", "text", "span", "date"}
        assert text[statement["span"][0] : statement["span"][1]] == statement["text"]
        assert statement["kind"] in {"direct", "partial", "indirect", "announcement"}
    for actor in obj["actors"]:
        assert set(actor) >= {"id", "name", "kind", "titles", "affiliation", "mentions"}
        assert all(text[a:b] for a, b in actor["mentions"])
    for key in ("quantities", "dates", "places"):
        for item in obj[key]:
            start, end = item["span"]
            assert 0 <= start < end <= len(text)
    for item in obj["dates"] + obj["quantities"]:
        assert text[item["span"][0] : item["span"][1]] == item["text"]
    speakers = {s["speaker_name"] for s in obj["statements"]}
    assert "Jens Stoltenberg" in speakers


def test_extract_is_resumable_and_idempotent(tmp_path):
    db = tmp_path / "l.db"
    run("ingest", str(SAMPLES / "text"), "--db", str(db))
    first = run("extract", "--db", str(db), "--workers", "2")
    assert "│        7 │" in first.stdout
    again = run("extract", "--db", str(db), "--workers", "2")
    assert "│        0 │" in again.stdout
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 7
        assert conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0] > 7
    finally:
        conn.close()
    listed = run("statements", "--db", str(db), "--speaker", "Stoltenberg", "--format", "jsonl").stdout.splitlines()
    assert listed and all("Stoltenberg" in json.loads(line)["speaker_name"] for line in listed)


GERMAN = ("Regierung verlängert Hilfen\n\nDie Bundesregierung will die Hilfen für Unternehmen bis zum Ende des "
          "Jahres verlängern, sagte der Wirtschaftsminister am Mittwoch in Berlin. Die Opposition kritisierte, "
          "die Entscheidung komme zu spät.\n")
FRENCH = ("Le gouvernement prolonge les aides\n\nLe gouvernement va prolonger les aides aux entreprises jusqu'à la "
          "fin de l'année, a annoncé mercredi le ministre de l'Économie à Paris. L'opposition estime que la "
          "décision arrive trop tard.\n")


def test_articles_not_in_english_are_stored_marked_and_skipped_with_a_notice(tmp_path):
    db = tmp_path / "l.db"
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    result = run("extract", str(tmp_path / "de.txt"), str(tmp_path / "fr.txt"), str(SAMPLE_SEED), "--db", str(db),
                 "--workers", "1")
    assert "skipped 2 article(s) not in English (de: 1, fr: 1)" in result.stderr
    assert "not English" in result.stdout
    (row,) = [line.split("│")[1:-1] for line in result.stdout.splitlines() if "│" in line]
    assert row[0].strip() == "1" and row[-1].strip() == "2"  # articles extracted, articles not in English
    conn = sqlite3.connect(db)
    try:
        languages = dict(conn.execute(
            "SELECT a.language, e.article_id IS NOT NULL FROM articles a "
            "LEFT JOIN extractions e ON e.article_id = a.id").fetchall())
    finally:
        conn.close()
    assert languages == {"de": 0, "fr": 0, "en": 1}
    again = run("extract", "--db", str(db), "--workers", "1")
    assert "skipped 2 article(s) not in English" in again.stderr


def test_an_article_longer_than_the_pipeline_reads_is_stored_and_reported_not_crashed(tmp_path):
    db = tmp_path / "l.db"
    sentence = "The minister said the talks would resume on Monday in Geneva. "
    (tmp_path / "long.txt").write_text("A very long page\n\n" + sentence * 16_500, encoding="utf-8")  # ~1.04 MB
    result = run("extract", str(tmp_path / "long.txt"), str(SAMPLE_SEED), "--db", str(db), "--workers", "1")
    assert "skipped 1 article(s) longer than 1,000,000 characters" in result.stderr
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        extracted = conn.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
    finally:
        conn.close()
    assert (stored, extracted) == (2, 1)
