"""At the end of a run, how many inputs each fuzz harness executed (see ``budget.py``)."""

from __future__ import annotations

from fuzz.budget import LONG_EXAMPLES, LONG_SECONDS, TALLIES


def pytest_terminal_summary(terminalreporter) -> None:
    ran = {name: tally for name, tally in sorted(TALLIES.items()) if tally.executions}
    if not ran:
        return
    mode = f"long run, {LONG_EXAMPLES} examples and {LONG_SECONDS:g} s a harness" if LONG_EXAMPLES else "short run"
    terminalreporter.write_sep("=", f"fuzz harnesses ({mode})")
    terminalreporter.write_line(f"{'harness':<14} {'executions':>10} {'seconds':>8} {'per s':>7}  note")
    for name, tally in ran.items():
        rate = tally.executions / tally.seconds if tally.seconds else 0.0
        note = f"time budget reached, {tally.skipped} inputs not executed" if tally.skipped else ""
        terminalreporter.write_line(
            f"{name:<14} {tally.executions:>10} {tally.seconds:>8.1f} {rate:>7.1f}  {note}")
