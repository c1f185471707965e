"""The server's processes: several answer on one port, and they stop together, on a signal or when one fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from serving import free_port  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(),
                                reason="server processes are forked and found through Linux /proc")

SERVE = ("import sys; from claimledger.config import load_settings; from claimledger.serve.api import create_app; "
         "from claimledger.serve.server import serve; "
         "sys.exit(serve(create_app(load_settings({}).with_overrides(db=sys.argv[1])), '127.0.0.1', "
         "int(sys.argv[2]), processes=2))")


def children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def two_processes(ledger: Path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(ledger), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles?limit=1", timeout=2).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()[1]
            time.sleep(0.2)
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait()


def test_two_processes_answer_and_stop_together_on_sigterm(two_processes):
    process, port = two_processes
    servers = children(process.pid)
    assert len(servers) == 2
    for _ in range(10):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=withdrawal", timeout=5) as response:
            assert response.status == 200
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    assert not any(alive(pid) for pid in servers)


def test_a_server_process_that_dies_stops_the_rest_with_a_failure(two_processes):
    process, _ = two_processes
    first, second = children(process.pid)
    os.kill(first, signal.SIGKILL)
    assert process.wait(timeout=15) == 1
    assert f"server process {first} ended" in process.stderr.read()
    assert not alive(second)
