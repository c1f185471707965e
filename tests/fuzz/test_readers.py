"""Fuzz the dispatch of ``read_file``: any file of the corpus or built seed, mutated into any shape (re-encoded,
its format's first bytes broken, another format's inserted, cut short) is sniffed, read by one reader, and
yields well-formed articles and rejections, never an exception."""

from __future__ import annotations

from hypothesis import example, strategies as st

from claimledger.config import load_settings

from fuzz import seeds
from fuzz.budget import harness
from fuzz.contract import read_bytes
from fuzz.mutations import generated, literal, mutants

# A small size limit as well as the default: the limit's rejections are paths of their own.
SETTINGS = [load_settings({}), load_settings({}).with_overrides(max_document_mb=0.01)]


# A prefix bound to no namespace: lxml recovers the element, and QName raised ValueError on its name.
@example(data=literal(b"<x:y xmlns:x=''>Officials said on Monday that talks resume."), settings=SETTINGS[0])
@harness("readers", mutants(seeds.files()) | generated(st.binary(max_size=2000)), st.sampled_from(SETTINGS),
         short=100)
def test_any_file_yields_articles_or_rejections(data, settings) -> None:
    read_bytes(data.data, settings)
