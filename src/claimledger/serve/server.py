"""Serving the web application from one process per core, all accepting on one listening socket.

One Python process runs Python code on one core at a time: a search is mostly SQLite work (which runs beside
other threads) but its HTTP handling, snippets and JSON are Python, so one process's threads take turns and queue
behind each other long before a second core is busy. Processes forked after the application is built share its
checked ledger and settings as they are; uvicorn's own ``workers`` would start fresh interpreters that must
rebuild the application from an import string and the environment.
"""

from __future__ import annotations

import os
import signal
import sys

import uvicorn
from fastapi import FastAPI


def default_processes() -> int:
    """One server process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def serve(app: FastAPI, host: str, port: int, processes: int | None = None) -> int:
    """Serve ``app`` on ``host:port`` from ``processes`` processes (one per core by default) until SIGINT or
    SIGTERM; returns the exit status: 0 after a stop, 1 when a process ended by itself (the others are stopped)."""
    # Access logging off: one log line per request costs more than a search does.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    processes = processes or default_processes()
    if processes == 1 or not hasattr(os, "fork"):
        uvicorn.Server(config).run()
        return 0
    listener = config.bind_socket()
    children: set[int] = set()
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # a server process
            status = 1
            try:
                uvicorn.Server(config).run(sockets=[listener])
                status = 0
            finally:
                os._exit(status)  # never back into the caller's code, nor its exit handlers
        children.add(pid)
    listener.close()
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    failed = False
    while children:
        pid, status = os.wait()
        children.discard(pid)
        if not stopping:  # a server process ended on its own: serving half the cores is no way to run
            print(f"server process {pid} ended ({os.waitstatus_to_exitcode(status)}); stopping", file=sys.stderr)
            failed = True
            stop()
    return 1 if failed else 0
