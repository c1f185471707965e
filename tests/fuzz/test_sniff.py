"""Fuzz format sniffing. ``sniff`` on the first bytes of mutated inputs of every format, cut anywhere (inside a
UTF-16 or UTF-32 character too), names one of the formats; ``root_element`` gives a name or None; ``as_utf8``
gives bytes. None of them raises."""

from __future__ import annotations

from typing import get_args

from hypothesis import example, strategies as st

from claimledger.ingest.charsets import as_utf8
from claimledger.ingest.sniff import Format, root_element, sniff

from fuzz import seeds
from fuzz.budget import harness
from fuzz.mutations import generated, mutants

FORMATS = frozenset(get_args(Format))
# What read_file gives sniff: the first 16 KiB.
HEADS = (mutants(seeds.files()) | generated(st.binary(max_size=512))).map(lambda mutant: mutant.data[:16384])


@example(head=b"<x:y xmlns:x=''>Officials said.")  # QName raised ValueError on the recovered name
@harness("sniff", HEADS, short=300)
def test_sniff_names_a_format(head) -> None:
    assert sniff(head) in FORMATS
    assert isinstance(as_utf8(head), bytes)
    root = root_element(head)
    assert root is None or (isinstance(root[0], str) and root[0] and (root[1] is None or isinstance(root[1], str)))
