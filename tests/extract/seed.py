"""The seed article as an Article, built from its body text as the text reader lays it out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimledger.models import Article, BlockKind

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SEED = SHARED / "seed" / "axios-2022-02-16-nato-no-withdrawal.txt"
LABEL = re.compile(r"^(Why it matters|What they're saying|The big picture):\s*(.*)$")


def seed_article() -> Article:
    """The seed article: body paragraphs, bullets and section labels; dateline, headline, captions and related
    links ("Go deeper") are not body."""
    if not SEED.exists():
        pytest.skip(f"seed article not present at {SEED}")
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    headline = paragraphs[1]
    parts: list[tuple[BlockKind, str]] = []
    for paragraph in paragraphs[4:]:
        if paragraph.startswith("Go deeper"):
            continue
        for line in paragraph.splitlines():
            line = line.strip()
            if line.startswith("• "):
                parts.append(("bullet", line[2:]))
                continue
            label = LABEL.match(line)
            if label:
                parts.append(("label", label.group(1) + ":"))
                parts.append(("paragraph", label.group(2)))
            elif line:
                parts.append(("paragraph", line))
    return Article.from_blocks(SEED.name, parts, headline=headline, published="2022-02-16", section="World")
