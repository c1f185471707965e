"""How long each fuzz harness runs, and how many inputs it executed.

The short run (``make test``): a few hundred inputs a harness at most (``short``, fewer for the slow ones),
derandomized and with no example database, so that every run tries the same inputs. The long run (``make fuzz``) sets
``CLAIMLEDGER_FUZZ_EXAMPLES`` (10,000 there): that many inputs a harness, random ones, with failures saved in
``.hypothesis/`` to be replayed first next time. ``CLAIMLEDGER_FUZZ_SECONDS`` bounds the time one harness spends
executing inputs in the long run: past it, the inputs hypothesis still draws are not executed, and the summary
says so. ``conftest.py`` prints the executions of every harness at the end of the run.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings

SHORT_EXAMPLES = 150
LONG_EXAMPLES = int(os.environ.get("CLAIMLEDGER_FUZZ_EXAMPLES", "0"))
LONG_SECONDS = float(os.environ.get("CLAIMLEDGER_FUZZ_SECONDS", "600"))
# Inputs are slow to read (real pages, a parse) and large (real files): hypothesis's checks against both are off.
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


@dataclass
class Tally:
    """What one harness did: inputs executed, inputs drawn after its time ran out, seconds spent."""

    executions: int = 0
    skipped: int = 0
    started: float | None = None
    seconds: float = 0.0


TALLIES: dict[str, Tally] = {}


def _within_budget(tally: Tally) -> bool:
    now = time.monotonic()
    if tally.started is None:
        tally.started = now
    return not LONG_EXAMPLES or now - tally.started < LONG_SECONDS


def harness(name: str, *strategies: Any, short: int = SHORT_EXAMPLES, **named: Any) -> Callable:
    """``@given(*strategies, **named)`` with the fuzz settings, counting each input executed under ``name``.

    ``short`` is the harness's number of inputs in the short run; ``@example`` decorators go above this one.
    """

    def decorate(test: Callable) -> Callable:
        tally = TALLIES.setdefault(name, Tally())

        @functools.wraps(test)
        def run(*args: Any, **kwargs: Any) -> None:
            if not _within_budget(tally):
                tally.skipped += 1
                return
            tally.executions += 1
            start = time.monotonic()
            try:
                test(*args, **kwargs)
            finally:
                tally.seconds += time.monotonic() - start

        if LONG_EXAMPLES:
            chosen = settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=_HEALTH,
                              print_blob=True)
        else:
            chosen = settings(max_examples=short, deadline=None, suppress_health_check=_HEALTH,
                              derandomize=True, database=None)
        return chosen(given(*strategies, **named)(run))

    return decorate
