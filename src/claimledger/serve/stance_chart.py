"""A claim's timeline as an inline SVG chart, drawn on the server so it needs no script: per period, the statements
that support it rise above the axis and those that contradict it hang below.

The chart is one image to assistive technology (its ``<title>`` and ``<desc>`` say what it shows); the page puts
the same counts in a table beside it (``stance_rows``), which is what a screen reader reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from markupsafe import Markup, escape

from claimledger.records import ClaimStatement
from claimledger.serve.timeline import bars, label, parse_day

WIDTH, HEIGHT = 720, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 118, 12, 14, 30
_WIDEST = 48.0  # a bar's width at most, where few periods would stretch one across the chart
_CHAR = 6.5  # the width of a tick label's character, about (11px digits)
STANCES = ("supports", "contradicts", "discusses")


@dataclass(frozen=True)
class StanceRow:
    """One period of the chart as a row of its table: ``period`` as the chart labels it, or None for undated."""

    period: str | None
    start: str | None
    supports: int
    contradicts: int
    discusses: int


def stance_rows(timeline: Iterable[ClaimStatement]) -> list[StanceRow]:
    """The count of each stance per period (as the chart groups them), oldest first, then a row of the undated
    entries if there are any."""
    entries = list(timeline)
    drawn, _, unit = bars((entry.date, entry.stance, 1) for entry in entries)
    rows = [StanceRow(label(bar.start, unit), bar.start.isoformat(), *(bar.counts.get(s, 0) for s in STANCES))
            for bar in drawn]
    undated = [entry for entry in entries if parse_day(entry.date) is None]
    if undated:
        rows.append(StanceRow(None, None, *(sum(1 for e in undated if e.stance == s) for s in STANCES)))
    return rows


def stance_svg(timeline: Iterable[ClaimStatement], title: str) -> Markup:
    """The chart as SVG markup: time across, supporting statements above the axis and contradicting ones below,
    one bar each per period (a day, a month or a year, as the time covered allows); empty when nothing that
    supports or contradicts is dated."""
    entries = list(timeline)
    drawn, _, unit = bars((entry.date, entry.stance, 1) for entry in entries)
    drawn = [bar for bar in drawn if bar.counts.get("supports") or bar.counts.get("contradicts")]
    undated = sum(1 for entry in entries if entry.stance != "discusses" and parse_day(entry.date) is None)
    if not drawn:
        return Markup("")
    first, last = drawn[0].start, drawn[-1].end
    days = max((last - first).days + 1, 1)
    plot_w = WIDTH - _LEFT - _RIGHT
    half = (HEIGHT - _TOP - _BOTTOM) / 2
    axis = _TOP + half
    tallest = max(max(bar.counts.get("supports", 0), bar.counts.get("contradicts", 0)) for bar in drawn)
    supports = sum(bar.counts.get("supports", 0) for bar in drawn)
    contradicts = sum(bar.counts.get("contradicts", 0) for bar in drawn)
    discusses = sum(1 for entry in entries if entry.stance == "discusses")
    span = (label(first, unit) if first == drawn[-1].start
            else f"from {label(first, unit)} to {label(drawn[-1].start, unit)}")
    description = (f"{supports} dated statement{'s' if supports != 1 else ''} support the claim (bars above the "
                   f"axis) and {contradicts} contradict it (bars below), {span}, one bar per {unit}. Not drawn: "
                   f"{discusses} that discuss it, and {undated} undated that take a side. The table below lists "
                   "the same counts.")
    parts = [f'<svg class="stance-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="sc-title sc-desc" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="sc-title">{escape(title)}</title><desc id="sc-desc">{escape(description)}</desc>',
             f'<text class="side up" x="{_LEFT - 10}" y="{axis - half / 2 + 4:.1f}" text-anchor="end">'
             f'supports ↑</text>',
             f'<text class="side down" x="{_LEFT - 10}" y="{axis + half / 2 + 4:.1f}" text-anchor="end">'
             f'contradicts ↓</text>',
             f'<text class="tick" x="{_LEFT - 6}" y="{axis - half + 9:.1f}" text-anchor="end">{tallest}</text>',
             f'<text class="tick" x="{_LEFT - 6}" y="{axis + 4:.1f}" text-anchor="end">0</text>',
             f'<text class="tick" x="{_LEFT - 6}" y="{axis + half:.1f}" text-anchor="end">{tallest}</text>']
    centres = []
    for bar in drawn:
        slot = plot_w * ((bar.end - bar.start).days + 1) / days
        width = min(max(slot - 2, 4.0), _WIDEST)
        x = _LEFT + plot_w * (bar.start - first).days / days + max(slot - width, 0) / 2
        x = min(x, WIDTH - _RIGHT - width)
        centres.append(x + width / 2)
        for stance, direction in (("supports", "up"), ("contradicts", "down")):
            count = bar.counts.get(stance, 0)
            if not count:
                continue
            height = half * count / tallest
            y = axis - height if direction == "up" else axis
            verb = "support" if direction == "up" else "contradict"
            note = f"{label(bar.start, unit)}: {count} {verb}{'s' if count == 1 else ''}"
            parts.append(f'<rect class="{direction}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                         f'height="{height:.1f}"><title>{escape(note)}</title></rect>')
    parts.append(f'<line class="axis" x1="{_LEFT}" y1="{axis:.1f}" x2="{WIDTH - _RIGHT}" y2="{axis:.1f}"/>')
    # Under the first, the last and three bars between, each label centred on its bar and kept inside the chart.
    for i in sorted({0, len(drawn) - 1, *(i * (len(drawn) - 1) // 4 for i in range(1, 4))}):
        text = label(drawn[i].start, unit)
        room = len(text) * _CHAR / 2
        x = min(max(centres[i], _LEFT + room), WIDTH - _RIGHT - room)
        parts.append(f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
