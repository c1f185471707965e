"""A speaker's statements over time as an inline SVG bar chart, drawn on the server so it needs no script.

Statements are counted per day, month or year (whichever gives a readable number of bars for the time covered),
each bar stacked by statement kind; every bar links to the statements of its period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable
from urllib.parse import urlencode

from markupsafe import Markup, escape

KINDS = ("direct", "partial", "indirect", "announcement")
_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
WIDTH, HEIGHT = 720, 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 36, 12, 12, 36


@dataclass(frozen=True)
class Bar:
    start: date
    end: date  # the last day of the period
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def parse_day(value: str | None) -> date | None:
    """The first day of an ISO date, month or year (``2022-02-16``, ``2022-02``, ``2022``); None otherwise."""
    match = _DAY.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _period(day: date, unit: str) -> tuple[date, date]:
    if unit == "day":
        return day, day
    if unit == "month":
        following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return day.replace(day=1), following - timedelta(days=1)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def bars(counts: Iterable[tuple[str | None, str, int]]) -> tuple[list[Bar], int, str]:
    """Bars from ``(said, kind, count)`` rows, oldest first, with the count of undated statements and the unit
    of a bar (day, month or year)."""
    dated: list[tuple[date, str, int]] = []
    undated = 0
    for said, kind, count in counts:
        day = parse_day(said)
        if day is None:
            undated += count
        else:
            dated.append((day, kind, count))
    if not dated:
        return [], undated, "day"
    span = (max(d for d, _, _ in dated) - min(d for d, _, _ in dated)).days
    unit = "day" if span <= 90 else "month" if span <= 6 * 366 else "year"
    grouped: dict[tuple[date, date], dict[str, int]] = {}
    for day, kind, count in dated:
        period = grouped.setdefault(_period(day, unit), {})
        period[kind] = period.get(kind, 0) + count
    return [Bar(s, e, c) for (s, e), c in sorted(grouped.items())], undated, unit


def label(day: date, unit: str) -> str:
    """How a bar starting on ``day`` is named: its day, month or year."""
    return day.isoformat() if unit == "day" else day.strftime("%Y-%m") if unit == "month" else str(day.year)


def timeline_svg(counts: Iterable[tuple[str | None, str, int]], link_base: str, title: str) -> Markup:
    """The chart as SVG markup: time across, statements up, one link per bar to ``link_base?since=&until=``."""
    drawn, undated, unit = bars(counts)
    if not drawn:
        return Markup("")
    first, last = drawn[0].start, drawn[-1].end
    days = max((last - first).days + 1, 1)
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    tallest = max(bar.total for bar in drawn)
    parts = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="tl-title tl-desc" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="tl-title">{escape(title)}</title>'
             f'<desc id="tl-desc">{sum(b.total for b in drawn)} dated statements from {label(first, unit)} to '
             f'{label(last, unit)}, one bar per {unit}; {undated} undated.</desc>',
             f'<line class="axis" x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{WIDTH - _RIGHT}" y2="{_TOP + plot_h}"/>',
             f'<text class="tick" x="{_LEFT - 6}" y="{_TOP + 10}" text-anchor="end">{tallest}</text>',
             f'<text class="tick" x="{_LEFT - 6}" y="{_TOP + plot_h}" text-anchor="end">0</text>']
    for bar in drawn:
        x = _LEFT + plot_w * (bar.start - first).days / days
        width = max(plot_w * ((bar.end - bar.start).days + 1) / days - 1.5, 4.0)
        x = min(x, WIDTH - _RIGHT - width)
        note = f"{label(bar.start, unit)}: " + ", ".join(f"{bar.counts[k]} {k}" for k in KINDS if k in bar.counts)
        href = f"{link_base}?{urlencode({'since': bar.start.isoformat(), 'until': bar.end.isoformat()})}#statements"
        parts.append(f'<a href="{escape(href)}" aria-label="{escape(note)}"><title>{escape(note)}</title>')
        y = _TOP + plot_h
        for kind in KINDS:
            count = bar.counts.get(kind, 0)
            if count:
                height = plot_h * count / tallest
                y -= height
                parts.append(f'<rect class="k-{kind}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                             f'height="{height:.1f}"/>')
        parts.append("</a>")
    ticks = {drawn[0].start, drawn[-1].start, *(drawn[i * (len(drawn) - 1) // 4].start for i in range(1, 4))}
    for day in sorted(ticks):
        x = _LEFT + plot_w * (day - first).days / days
        anchor = "start" if day == first else "end" if day == drawn[-1].start and len(ticks) > 1 else "middle"
        parts.append(f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 14}" text-anchor="{anchor}">'
                     f"{label(day, unit)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
