"""A real PostgreSQL server for the tests, started from the system's binaries into a temporary folder: ``initdb``,
a free port, its unix socket in that folder, stopped and removed afterwards. Never a mock.

Running as root, the server runs as the ``postgres`` system user (PostgreSQL refuses root), the folder given to it.
Without the binaries (``initdb`` on PATH or in /usr/lib/postgresql/*/bin) the tests that need a server skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries here, or the server would not start; the message says which."""


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One throwaway cluster. ``url(name)`` is the URL of a database on it; ``create_database()`` makes a new one."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise PostgresUnavailable("PostgreSQL binaries (initdb, postgres) not found: install postgresql")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="claimledger-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres"
        self._prefix: list[str] = []
        if os.geteuid() == 0:
            # setpriv execs the server itself (runuser would stay its parent and not pass on the stop signal).
            setpriv = shutil.which("setpriv")
            self._prefix = ([setpriv, "--reuid=postgres", "--regid=postgres", "--init-groups"] if setpriv
                            else ["runuser", "-u", "postgres", "--"])
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)
        self.process: subprocess.Popen | None = None
        try:
            self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
            self.process = subprocess.Popen(
                [*self._prefix, str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-k", str(self.root), "-c", "listen_addresses=", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50"],
                stdout=subprocess.DEVNULL, stderr=open(self.root / "server.log", "wb"))
            self._wait()
        except BaseException:
            self.stop()
            raise

    def _run(self, command: list[str]) -> None:
        done = subprocess.run([*self._prefix, *command], capture_output=True, text=True)
        if done.returncode:
            raise PostgresUnavailable(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def _wait(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                log = (self.root / "server.log").read_text(errors="replace")
                raise PostgresUnavailable(f"postgres exited: {log[-2000:]}")
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def url(self, database: str) -> str:
        # The socket folder as the host: libpq reads a host starting with "/" as a unix socket directory.
        return f"postgresql://{self.user}@/{database}?host={self.root}&port={self.port}"

    def create_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a generated name: nothing of the caller's in it
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: ends open sessions
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                subprocess.run([*self._prefix, str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m",
                                "immediate"], capture_output=True)
                self.process.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)
