"""Marking an article's facts: whatever the overlaps, the HTML nests, keeps the text, and escapes it."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from hypothesis import given, strategies as st
from markupsafe import Markup

from claimledger.models import layout_blocks
from claimledger.serve.highlight import Mark, render_blocks, render_span


class Nesting(HTMLParser):
    """Collects the text and checks that every end tag closes the element opened last."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"

    def handle_data(self, data):
        self.text.append(data)


TAGS = ("span", "time", "a", "data")


@st.composite
def marked_text(draw):
    text = draw(st.text(alphabet=st.sampled_from("ab <&>\"'é"), min_size=1, max_size=40))
    marks = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        marks.append(Mark(start, end, draw(st.sampled_from(TAGS)), {"id": f"m{i}", "title": "x<y"},
                          layer=draw(st.integers(0, 4))))
    return text, marks


@given(marked_text())
def test_marks_nest_keep_the_text_and_each_id_once(case):
    text, marks = case
    parser = Nesting()
    parser.feed(str(render_span(text, 0, marks)))
    parser.close()
    assert parser.stack == []
    assert "".join(parser.text) == text
    assert sorted(parser.ids) == sorted(m.attrs["id"] for m in marks)


def test_a_mark_crossing_another_is_split_and_its_suffix_follows_its_end():
    marks = [Mark(0, 6, "span", {"class": "st", "id": "s-1"}, 0, Markup('<a class="who">A</a>')),
             Mark(4, 9, "time", {}, 3)]
    rendered = str(render_span("abcdefghij", 0, marks))
    assert rendered == ('<span class="st" id="s-1">abcd<time>ef</time></span><a class="who">A</a>'
                        '<time class="cont">ghi</time>j')


def test_blocks_are_rendered_apart_and_a_statement_across_them_is_continued():
    text, blocks = layout_blocks([("paragraph", "First words."), ("bullet", "Second <b>.")])
    statement = Mark(6, len(text) - 1, "span", {"class": "st", "id": "s-1"}, 0, Markup("<i>who</i>"))
    (tag1, first), (tag2, second) = render_blocks(text, blocks, [statement])
    assert (tag1, tag2) == ("p", "li")
    assert str(first) == 'First <span class="st" id="s-1">words.</span>'
    assert str(second) == '<span class="st cont">Second &lt;b&gt;</span><i>who</i>.'
    assert html.unescape(str(second)).startswith('<span class="st cont">Second <b>')
