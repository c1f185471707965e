"""A reader for TimeML documents (TempEval-3 style): the document creation time, the plain text, and TIMEX3s.

Offsets are characters of the ``TEXT`` element with all tags removed and entities decoded, which is how the
TempEval-3 scorer counts them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from claimledger.models import Span


class TimeMLError(ValueError):
    """A file that is not a TimeML document with a creation time and a TEXT element."""


@dataclass(frozen=True)
class Timex:
    tid: str
    type: str  # DATE, TIME, DURATION or SET
    value: str
    text: str
    span: Span


@dataclass(frozen=True)
class TimeMLDocument:
    name: str
    dct: str  # the creation time's TIMEX3 value, e.g. 1998-02-06 or 1998-02-06T22:19:00
    text: str
    timexes: tuple[Timex, ...]


def _flatten(element: ET.Element, pieces: list[str], timexes: list[Timex], offset: int) -> int:
    """Append ``element``'s text (without tags) to ``pieces``, record its TIMEX3s, and return the new offset."""
    if element.text:
        pieces.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, pieces, timexes, offset)
        if child.tag == "TIMEX3":
            text = "".join(child.itertext())
            timexes.append(Timex(child.get("tid", ""), child.get("type", ""), child.get("value", ""), text,
                                 (start, offset)))
        if child.tail:
            pieces.append(child.tail)
            offset += len(child.tail)
    return offset


def read_timeml(path: Path) -> TimeMLDocument:
    """The document in ``path``; raises ``TimeMLError`` naming the file when it is not readable TimeML."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise TimeMLError(f"{path}: {exc}") from exc
    dct = root.find("DCT/TIMEX3")
    body = root.find("TEXT")
    if dct is None or body is None or not dct.get("value"):
        raise TimeMLError(f"{path}: no DCT TIMEX3 value or no TEXT element")
    pieces: list[str] = []
    timexes: list[Timex] = []
    _flatten(body, pieces, timexes, 0)
    return TimeMLDocument(path.stem, dct.get("value", ""), "".join(pieces), tuple(timexes))


def iter_timeml(directory: Path) -> Iterator[TimeMLDocument | TimeMLError]:
    """Every ``*.tml`` document under ``directory`` (recursively, in name order), or the error that stopped it."""
    for path in sorted(directory.rglob("*.tml")):
        try:
            yield read_timeml(path)
        except TimeMLError as exc:
            yield exc
