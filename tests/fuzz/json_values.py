"""Generated JSON: any value (lone surrogates in strings included, as JSON's ``\\ud800`` escapes decode to them),
and records whose fields are the ones a reader looks for, each of the right shape or of any other."""

from __future__ import annotations

from typing import Any, Sequence

from hypothesis import strategies as st

from fuzz import seeds
from fuzz.mutations import TEXT_TOKENS

# Any code point, surrogates included: json.loads gives them for "\ud800" escapes.
STRINGS = st.text(st.characters(exclude_categories=()), max_size=30) | st.sampled_from(TEXT_TOKENS)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | STRINGS
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(STRINGS, inner, max_size=4), max_leaves=12)


# Seeds are sampled, not their texts, so that hypothesis shows the strategy by their names.
def _texts() -> st.SearchStrategy[str]:
    return st.sampled_from(seeds.texts()).map(lambda seed: seed.data) | STRINGS


def _pages() -> st.SearchStrategy[str]:
    return st.sampled_from(seeds.small_pages()).map(lambda seed: seed.data.decode()) | STRINGS


def records(fields: dict[str, st.SearchStrategy[Any]], required: Sequence[str] = ()
            ) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects with any of ``fields`` (each of its shape or any value; those ``required`` always there) and
    a few other keys."""
    shapes = {name: shape | VALUES for name, shape in fields.items()}
    known = st.fixed_dictionaries({name: shapes.pop(name) for name in required}, optional=shapes)
    return st.builds(lambda known, other: {**other, **known}, known, st.dictionaries(STRINGS, VALUES, max_size=2))


def _named(names: Sequence[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={name: STRINGS | VALUES for name in names})


BLOCK = st.fixed_dictionaries({}, optional={"kind": st.sampled_from(["paragraph", "bullet", "label"]) | VALUES,
                                            "text": _texts() | VALUES})
JSONL_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "text": _texts(), "html": _pages(), "blocks": st.lists(BLOCK, max_size=4), "headline": STRINGS,
    "title": STRINGS, "url": STRINGS, "source": STRINGS, "outlet": STRINGS, "published": STRINGS,
    "date": STRINGS, "section": STRINGS, "authors": st.lists(STRINGS, max_size=3) | STRINGS,
    "language": st.sampled_from(["en", "en-US", "eng", "und", "x"]) | STRINGS,
    "captions": st.lists(_named(["text", "credit"]) | STRINGS, max_size=3),
    "related": st.lists(_named(["text", "url"]) | STRINGS, max_size=3),
    "article": _named(["headline", "url", "published", "language", "source"]),
}
ITEM_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "id": STRINGS, "url": STRINGS, "external_url": STRINGS, "title": STRINGS, "content_html": _pages(),
    "content_text": _texts(), "summary": _texts(), "date_published": st.sampled_from(
        ["2022-02-16T10:00:00-05:00", "2022-02-16", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
    | STRINGS, "date_modified": STRINGS, "authors": st.lists(_named(["name"]), max_size=2),
    "author": _named(["name"]), "tags": st.lists(STRINGS, max_size=2), "language": STRINGS,
}
JSON_FEEDS = records({
    "version": st.sampled_from(["https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1"]),
    "title": STRINGS, "language": STRINGS, "authors": st.lists(_named(["name"]), max_size=2),
    "author": _named(["name"]), "items": st.lists(records(ITEM_FIELDS) | VALUES, max_size=4),
}, required=["version"])
