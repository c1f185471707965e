"""An article's text as HTML with its extracted facts marked: statements, speakers, cues, dates, quantities, places.

Facts overlap freely (a date inside a quote, a quote that runs past a speaker's name), while HTML elements must
nest, so an element is closed and re-opened where another crosses its edge; only its first piece carries an ``id``.
Every piece of text and attribute is escaped and, where it holds bidirectional controls, isolated (``bidi``): an
override in the article's text stops at the next mark's edge instead of reordering the speaker badges after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from markupsafe import Markup, escape

from claimledger.models import Block
from claimledger.serve.bidi import isolate_bidi


@dataclass(frozen=True)
class Mark:
    """A fact to mark: the characters ``[start, end)`` wrapped in ``<tag attrs>``, followed by ``suffix`` (HTML)
    after its last piece. A lower ``layer`` nests outside a higher one where both start together."""

    start: int
    end: int
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    layer: int = 0
    suffix: Markup = Markup("")


def _continued(attrs: dict[str, str]) -> dict[str, str]:
    """The attributes of a later piece of an element: no ``id`` (ids are unique), class ``cont`` added."""
    later = {k: v for k, v in attrs.items() if k != "id"}
    later["class"] = (later.get("class", "") + " cont").strip()
    return later


def _open(mark: Mark, first: bool) -> str:
    attrs = mark.attrs if first else _continued(mark.attrs)
    rendered = "".join(f' {k}="{escape(isolate_bidi(v))}"' for k, v in attrs.items())
    return f"<{mark.tag}{rendered}>"


def render_span(text: str, offset: int, marks: Iterable[Mark]) -> Markup:
    """``text`` (which begins at ``offset`` of the article) escaped, with every mark that touches it applied,
    clipped to it. Marks are properly nested: crossing ones are split."""
    end_of_text = offset + len(text)
    clipped = sorted(
        (Mark(max(m.start, offset), min(m.end, end_of_text), m.tag, _continued(m.attrs) if m.start < offset
              else m.attrs, m.layer, m.suffix if m.end <= end_of_text else Markup(""))
         for m in marks if m.start < end_of_text and m.end > offset and m.start < m.end),
        key=lambda m: (m.start, m.layer, -m.end))
    cuts = sorted({offset, end_of_text, *(m.start for m in clipped), *(m.end for m in clipped)})
    starting: dict[int, list[Mark]] = {}
    for mark in clipped:
        starting.setdefault(mark.start, []).append(mark)
    out: list[str] = []
    stack: list[Mark] = []
    opened: set[int] = set()
    for here, after in zip(cuts, cuts[1:] + [None]):
        ending = [i for i, m in enumerate(stack) if m.end == here]
        if ending:
            lowest = ending[0]
            for mark in reversed(stack[lowest:]):
                out.append(f"</{mark.tag}>")
                if mark.end == here:
                    out.append(str(mark.suffix))
            reopen = [m for m in stack[lowest:] if m.end != here]
            del stack[lowest:]
            for mark in reopen:
                out.append(_open(mark, first=False))
                stack.append(mark)
        for mark in starting.get(here, ()):
            out.append(_open(mark, first=id(mark) not in opened))
            opened.add(id(mark))
            stack.append(mark)
        if after is not None:
            out.append(str(escape(isolate_bidi(text[here - offset:after - offset]))))
    return Markup("".join(out))


_BLOCK_TAGS = {"paragraph": "p", "bullet": "li", "label": "h3"}


def render_blocks(text: str, blocks: Sequence[Block], marks: Sequence[Mark]) -> list[tuple[str, Markup]]:
    """Each block as ``(html tag, marked-up inner HTML)``, in order: paragraphs, bullets and labels."""
    rendered = []
    for block in blocks:
        inside = [m for m in marks if m.start < block.end and m.end > block.start]
        rendered.append((_BLOCK_TAGS.get(block.kind, "p"), render_span(text[block.start:block.end], block.start,
                                                                       inside)))
    return rendered
