"""Bad storage under the real CLI: a full disk, a file size limit, a read-only database, a database another process
holds locked. Each gives one line naming the database file and the reason, exits non-zero, and leaves the ledger
sound with every row it held before.

The ledger each test starts from has writing left for every command: the sample texts ingested and extracted, the
sample HTML pages and WARC ingested only, nothing linked; two articles a transaction.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from databases import copy_ledger
from paths import SAMPLES

CLI = [sys.executable, "-m", "claimledger.cli"]
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")},
       "CLAIMLEDGER_WORKERS": "1", "CLAIMLEDGER_BATCH_SIZE": "2"}
# Each command with what it has left to write in the starting ledger.
COMMANDS = {
    "ingest": ["ingest", str(SAMPLES / "jsonl"), str(SAMPLES / "feeds")],  # 13 articles
    "extract": ["extract"],  # the 6 articles of the HTML pages and the WARC
    "link": ["link"],  # all 13 extracted
}
ROOT = os.geteuid() == 0


def run(args: list[str], db: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args, "--db", str(db)], capture_output=True, text=True, timeout=300, env=ENV,
                          **kwargs)


def assert_one_line_error(result: subprocess.CompletedProcess, db: Path | str, *reasons: str) -> str:
    """A non-zero exit, no traceback, and one ``error:`` line that names ``db`` and one of ``reasons``."""
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert f"error: {db}: " in errors[0] and any(reason in errors[0] for reason in reasons), errors[0]
    return errors[0]


def contents(db: Path) -> dict[str, set[tuple]]:
    """The rows of every table (the full-text shadow tables aside), after checking the file is sound."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for index in ("articles_fts", "statements_fts"):
            # rank 1: the index checked against its content table too, not only against itself.
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                            "'%_fts%' AND name NOT LIKE 'sqlite_%'")]
        return {name: set(conn.execute(f"SELECT * FROM {name}").fetchall()) for name in names}
    finally:
        conn.close()


def assert_kept(before: dict[str, set[tuple]], db: Path, grown: bool = False) -> None:
    """``db`` is sound and holds every row of ``before``: exactly those or, ``grown``, those and more (a run that
    committed some batches before the storage failed it: it failed mid-run, not at the start)."""
    after = contents(db)
    assert list(after) == list(before)
    for name, rows in before.items():
        if grown:
            assert rows <= after[name], f"{name} lost rows"
        else:
            assert after[name] == rows, f"{name} changed"
    if grown:
        assert after != before, "nothing was written before the storage failed"


@pytest.fixture(scope="module")
def start(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("start") / "ledger.db"
    for args in (["extract", str(SAMPLES / "text")], ["ingest", str(SAMPLES / "html"), str(SAMPLES / "warc")]):
        result = run(args, db)
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def ledger(start, tmp_path) -> Path:
    folder = tmp_path / "ledger"
    folder.mkdir()
    return copy_ledger(start, folder / "ledger.db")


# --- a full disk -------------------------------------------------------------------------------------------------

# Run the command on a copy of the ledger in a tmpfs of SIZE, mounted in a mount namespace of its own (a user
# namespace too when not root: no privilege is needed where the kernel allows them), and copy the ledger back out.
ON_TMPFS = r"""
set -u
mount -t tmpfs -o "size=$SIZE" tmpfs "$DISK" || exit 97
cp "$OUT/ledger.db" "$DISK/ledger.db" || exit 98
"$@" --db "$DISK/ledger.db"
status=$?
cp "$DISK/ledger.db" "$OUT/ledger.db"
rm -f "$OUT/ledger.db-wal" "$OUT/ledger.db-shm"
if [ -e "$DISK/ledger.db-wal" ]; then cp "$DISK/ledger.db-wal" "$OUT/ledger.db-wal"; fi
exit $status
"""


def on_full_disk(args: list[str], db: Path, free: int) -> tuple[subprocess.CompletedProcess, Path]:
    """Run the CLI on ``db`` copied to a tmpfs with ``free`` bytes more than the file; ``db`` gets the result back
    (with its write-ahead log). Returns the run and the path the CLI was given. Skips where no tmpfs can be
    mounted."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is needed to mount a tmpfs")
    disk = db.parent / "disk"
    disk.mkdir()
    # The -shm index takes 32 KiB of the tmpfs; the rest is for the write-ahead log.
    size = (db.stat().st_size + free + 32768 + 4095) // 4096 * 4096
    command = [unshare, *([] if ROOT else ["--map-root-user"]), "--mount", "sh", "-c", ON_TMPFS, "sh", *CLI, *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            env={**ENV, "SIZE": str(size), "DISK": str(disk), "OUT": str(db.parent)})
    if result.returncode in (97, 98) or "unshare:" in result.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    return result, disk / "ledger.db"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_full_disk(command, ledger, start, tmp_path):
    before = contents(ledger)
    # Room for a batch or two of each command, not for all it has to write.
    result, on_disk = on_full_disk(COMMANDS[command], ledger, free=128 * 1024)
    assert_one_line_error(result, on_disk, "disk full")
    assert_kept(before, ledger, grown=True)
    if command == "ingest":  # space again: the run finishes what the full disk stopped, as if nothing had
        assert run(COMMANDS[command], ledger).returncode == 0
        clean = copy_ledger(start, tmp_path / "clean.db")
        assert run(COMMANDS[command], clean).returncode == 0
        assert contents(ledger) == contents(clean)


# A temporary folder with no room (TMPDIR on a tmpfs of 8 KiB), the ledger's disk fine: ingest unpacks the language
# identifier's model there, extract writes the tagger's dump.
ON_TINY_TEMP = r"""
set -u
mount -t tmpfs -o size=8k tmpfs "$TEMP" || exit 97
TMPDIR="$TEMP" "$@"
"""


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_full_temporary_folder(command, ledger):
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is needed to mount a tmpfs")
    before = contents(ledger)
    temp = ledger.parent / "temp"
    temp.mkdir()
    result = subprocess.run([unshare, *([] if ROOT else ["--map-root-user"]), "--mount", "sh", "-c", ON_TINY_TEMP,
                             "sh", *CLI, *COMMANDS[command], "--db", str(ledger)],
                            capture_output=True, text=True, timeout=300, env={**ENV, "TEMP": str(temp)})
    if result.returncode == 97 or "unshare:" in result.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    # Whichever step meets the full folder first says so: the language model, the spaCy model, the tagger's dump.
    assert len(errors) == 1 and str(temp) in errors[0], result.stderr
    assert "disk full" in errors[0] or "No space left" in errors[0], errors[0]
    assert_kept(before, ledger)  # both fail before their first batch


# --- a file size limit -------------------------------------------------------------------------------------------

def test_file_size_limit(ledger):
    """`ulimit -f`: writes past the limit fail with EFBIG (SIGXFSZ ignored, as Python does), with no privilege
    needed. Only `link` is run under it: ingest and extract write files of their own beside the ledger
    (py3langid and the CRF tagger unpack their models to temporary files), which the limit hits first."""
    before = contents(ledger)
    limit = ledger.stat().st_size + 64 * 1024

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run(COMMANDS["link"], ledger, preexec_fn=limited)
    assert_one_line_error(result, ledger, "disk I/O error writing the database")
    assert_kept(before, ledger, grown=True)


# --- a read-only database ----------------------------------------------------------------------------------------

def without_root() -> list[str]:
    """A command prefix that takes away root's power to write whatever it likes (CAP_DAC_OVERRIDE), so that file
    modes hold for it; nothing when not root."""
    if not ROOT:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is needed for file modes to bind root")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_read_only_database(read_only, command, ledger):
    before = contents(ledger)
    target = ledger if read_only == "file" else ledger.parent
    mode = target.stat().st_mode
    target.chmod(0o444 if read_only == "file" else 0o555)
    try:
        result = subprocess.run([*without_root(), *CLI, *COMMANDS[command], "--db", str(ledger)],
                                capture_output=True, text=True, timeout=300, env=ENV)
    finally:
        target.chmod(mode)
    assert_one_line_error(result, ledger, "read-only", "cannot open")
    assert_kept(before, ledger)


# --- a database another process holds locked ----------------------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO ledger_meta (key, value) VALUES ('held', 'by another writer')")
print("locked", flush=True)
sys.stdin.read()  # until the test closes stdin
conn.execute("ROLLBACK")
"""


@pytest.mark.parametrize("command", list(COMMANDS))
def test_locked_database(command, ledger):
    """Another writer holds the write lock for longer than the CLI's busy timeout (5 s)."""
    before = contents(ledger)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(ledger)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        result = run(COMMANDS[command], ledger)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert holder.returncode == 0
    assert_one_line_error(result, ledger, "database is locked by another process")
    assert_kept(before, ledger)
