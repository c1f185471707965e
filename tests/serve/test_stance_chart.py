"""A claim's stance chart, drawn on the server: supports above the axis, contradicts below, by date, with a title,
a description and the same counts as a table; read back from its SVG markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from claimledger.records import ClaimStatement
from claimledger.serve.stance_chart import StanceRow, stance_rows, stance_svg

SVG = "{http://www.w3.org/2000/svg}"


def entry(number: int, stance: str, date: str | None) -> ClaimStatement:
    return ClaimStatement(f"a:s{number}", "C1", f"a:s{number}", "a", "Headline", "Outlet", None, f"Speaker {number}",
                          "words", (0, 5), date, stance, "words", (0, 5), "model", False, 0.9, False)


TIMELINE = [entry(1, "supports", "2022-01-05"), entry(2, "supports", "2022-01-05"),
            entry(3, "contradicts", "2022-06-10"), entry(4, "discusses", "2022-06-10"),
            entry(5, "contradicts", None), entry(6, "supports", "2022-02")]


def test_supports_rise_above_the_axis_and_contradicts_hang_below():
    svg = ElementTree.fromstring(str(stance_svg(TIMELINE, "Who supports and who contradicts it")))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "sc-title sc-desc"
    assert svg.find(f"{SVG}title").text == "Who supports and who contradicts it"
    description = svg.find(f"{SVG}desc").text
    assert "3 dated statements support the claim" in description and "1 contradict it" in description
    assert "1 that discuss it, and 1 undated" in description
    axis = float(svg.find(f"{SVG}line").get("y1"))
    up = svg.findall(f"{SVG}rect[@class='up']")
    down = svg.findall(f"{SVG}rect[@class='down']")
    assert len(up) == 2 and len(down) == 1  # January (two on one day) and February; June: one bar a month
    for rect in up:
        assert abs(float(rect.get("y")) + float(rect.get("height")) - axis) < 0.2
    assert float(down[0].get("y")) == axis
    heights = sorted(float(rect.get("height")) for rect in up)
    assert abs(heights[1] - 2 * heights[0]) < 0.2 and abs(float(down[0].get("height")) - heights[0]) < 0.2
    xs = [float(rect.get("x")) for rect in up + down]
    assert xs == sorted(xs)  # time runs left to right
    notes = [rect.find(f"{SVG}title").text for rect in up + down]
    assert notes == ["2022-01: 2 support", "2022-02: 1 supports", "2022-06: 1 contradicts"]
    ticks = [t.text for t in svg.findall(f"{SVG}text[@class='tick']") if re.fullmatch(r"\d{4}-\d\d", t.text)]
    assert ticks[0] == "2022-01" and ticks[-1] == "2022-06"


def test_the_table_gives_the_same_counts_and_the_undated():
    assert stance_rows(TIMELINE) == [StanceRow("2022-01", "2022-01-01", 2, 0, 0),
                                     StanceRow("2022-02", "2022-02-01", 1, 0, 0),
                                     StanceRow("2022-06", "2022-06-01", 0, 1, 1),
                                     StanceRow(None, None, 0, 1, 0)]


def test_nothing_is_drawn_when_no_side_is_dated():
    assert stance_svg([entry(1, "supports", None), entry(2, "discusses", "2022-01-01")], "t") == ""
