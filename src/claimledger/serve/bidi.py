"""Ingested text on a page must not reorder the page around it: explicit bidirectional controls confined to the
string that carries them.

An article, headline or speaker name may hold a right-to-left override (U+202E) or another explicit embedding,
override or isolate (Unicode's bidirectional algorithm, UAX #9) that it never closes. Left as is, it runs on to the
end of the enclosing paragraph, past the string, over the speaker badge, separators and counts that follow it: the
"Trojan Source" trick of making text read other than it is. Closing it at the string's end is not enough: the
embedding's direction still decides how the neutral characters after it go (``John <RLO>Smith (1)`` shows the
"(1)" inside the name). So such a string is balanced (a closer that closes nothing of its own dropped, every
opener left open closed) and isolated: wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, which to the
text around it is one neutral character, as HTML's ``<bdi>`` is, and which also works where no tag may go (``<title>``,
attributes). Text without explicit controls, nearly all of it, is left exactly as it is; offsets are never touched.
In HTML (a marked-up paragraph, a search snippet) each run of text between tags is isolated on its own.
"""

from __future__ import annotations

import re

from markupsafe import Markup

EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: each closed by PDF
POP_DIRECTIONAL_FORMATTING = "\u202c"
ISOLATES = "\u2066\u2067\u2068"  # LRI, RLI, FSI: each closed by PDI
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
_CONTROLS = re.compile(f"[{EMBEDDINGS}{POP_DIRECTIONAL_FORMATTING}{ISOLATES}{POP_DIRECTIONAL_ISOLATE}]")
_TEXT_BETWEEN_TAGS = re.compile(r"[^<>]+(?=<|$)")


def _balanced(text: str) -> str:
    """``text`` with every closer that closes nothing of its own dropped and every opener left open closed."""
    kept: list[str] = []
    open_: list[str] = []  # "e" for an embedding or override, "i" for an isolate, innermost last
    for char in text:
        if char in EMBEDDINGS:
            open_.append("e")
        elif char in ISOLATES:
            open_.append("i")
        elif char == POP_DIRECTIONAL_FORMATTING:
            if not open_ or open_[-1] != "e":  # a PDF never closes past an isolate
                continue
            open_.pop()
        elif char == POP_DIRECTIONAL_ISOLATE:
            if "i" not in open_:
                continue
            while open_.pop() != "i":  # a PDI closes the embeddings inside its isolate too
                pass
        kept.append(char)
    kept.extend(POP_DIRECTIONAL_FORMATTING if kind == "e" else POP_DIRECTIONAL_ISOLATE for kind in reversed(open_))
    return "".join(kept)


def isolate_bidi(text: str) -> str:
    """``text`` as is when it holds no explicit bidirectional control (or is isolated already); else balanced and
    wrapped in an isolate, so that nothing in it reorders what comes before or after it."""
    if not _CONTROLS.search(text):
        return text
    if text[0] == FIRST_STRONG_ISOLATE and text[-1] == POP_DIRECTIONAL_ISOLATE and _balanced(text) == text:
        return text
    return FIRST_STRONG_ISOLATE + _balanced(text) + POP_DIRECTIONAL_ISOLATE


def isolate_markup(html: Markup) -> Markup:
    """``isolate_bidi`` on each run of text between the tags of ``html``, so that isolates nest with elements."""
    if not _CONTROLS.search(html):
        return html
    return Markup(_TEXT_BETWEEN_TAGS.sub(lambda run: isolate_bidi(run.group()), html))


def finalize(value: object) -> object:
    """Jinja2's ``finalize``: every string a template prints, isolated where it needs it (HTML, such as marked
    text or search snippets, run by run between its tags)."""
    if isinstance(value, Markup):
        return isolate_markup(value)
    return isolate_bidi(value) if isinstance(value, str) else value
