"""Reader for PolNeAR (political news attribution relations) in brat standoff.

A split directory holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``; where an article has several annotators
the first annotation file in sorted order is the gold, as the corpus' SOURCE.md prescribes. Brat spans may be
discontinuous (``START END;START END``); they are kept as tuples of pieces.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from claimledger.models import Span

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Cross-validation folds over train and dev together, fixed by a hash of each article's name: the same on every
# machine and for every model, so a figure is comparable with every other one taken on them.
FOLDS = 5
CV_SPLITS = ("train", "dev")


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution relation: its content, cue and source, each as (possibly discontinuous) character spans."""

    content: tuple[Span, ...]
    cue: tuple[Span, ...]
    source: tuple[Span, ...]

    @property
    def content_extent(self) -> Span:
        """The content from its first to its last character."""
        return (self.content[0][0], self.content[-1][1])


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    published: str | None
    attributions: tuple[GoldAttribution, ...]

    def paragraphs(self) -> tuple[Span, ...]:
        """Spans of the text's paragraphs (runs of text between blank lines), stripped of surrounding whitespace."""
        spans: list[Span] = []
        start = 0
        for match in [*_PARAGRAPH_BREAK.finditer(self.text), None]:
            end = match.start() if match else len(self.text)
            piece = self.text[start:end]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip())
            if piece.strip():
                spans.append((start + lead, start + trail))
            if match:
                start = match.end()
        return tuple(spans)


def _parse_spans(field: str) -> tuple[Span, ...]:
    pieces = []
    for piece in field.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return tuple(sorted(pieces))


def read_annotations(path: Path) -> tuple[GoldAttribution, ...]:
    """Attributions of one ``.ann`` file: every ``E`` relation that has a content, in order of content start."""
    spans: dict[str, tuple[Span, ...]] = {}
    relations: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2 or " " not in parts[1]:
                continue
            _label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _parse_spans(offsets)
        elif line.startswith("E"):
            relations.append(line)
    found: list[GoldAttribution] = []
    for line in relations:
        roles: dict[str, list[Span]] = {"Content": [], "Cue": [], "Source": []}
        for arg in line.split("\t", 1)[1].split():
            role, _, ref = arg.partition(":")
            role = role.rstrip("0123456789")
            if role in roles and ref in spans:
                roles[role].extend(spans[ref])
        if roles["Content"]:
            found.append(
                GoldAttribution(
                    content=tuple(sorted(roles["Content"])),
                    cue=tuple(sorted(roles["Cue"])),
                    source=tuple(sorted(roles["Source"])),
                )
            )
    return tuple(sorted(found, key=lambda a: a.content[0]))


def _publication_dates(split_dir: Path) -> dict[str, str]:
    metadata = split_dir.parent / "metadata.tsv"
    if not metadata.exists():
        return {}
    dates: dict[str, str] = {}
    lines = metadata.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    name_col, date_col = header.index("filename"), header.index("publication_date")
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) > max(name_col, date_col):
            dates[cols[name_col]] = cols[date_col]
    return dates


def read_split(split_dir: Path, limit: int | None = None) -> Iterator[GoldDocument]:
    """The split's articles in name order, each with the attributions of its first annotation file."""
    dates = _publication_dates(split_dir)
    annotations = sorted((split_dir / "attributions").glob("*.ann"))
    first_file: dict[str, Path] = {}
    for path in annotations:
        first_file.setdefault(path.stem.rsplit("_", 1)[0], path)
    for count, text_path in enumerate(sorted((split_dir / "text").glob("*.txt"))):
        if limit is not None and count >= limit:
            return
        ann = first_file.get(text_path.stem)
        yield GoldDocument(
            name=text_path.stem,
            text=text_path.read_text(encoding="utf-8"),
            published=dates.get(text_path.stem),
            attributions=read_annotations(ann) if ann else (),
        )


def fold_of(name: str, folds: int = FOLDS) -> int:
    """The fixed cross-validation fold of the article named ``name``."""
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % folds


def read_cv_corpus(polnear_dir: Path, limit: int | None = None) -> list[GoldDocument]:
    """The articles that cross-validation folds (``CV_SPLITS``; never test), in split and name order."""
    documents: list[GoldDocument] = []
    for split in CV_SPLITS:
        documents += read_split(polnear_dir / split, limit=limit)
    return documents


def news_records(polnear_dir: Path, splits: tuple[str, ...] = CV_SPLITS, limit: int | None = None) -> Iterator[dict]:
    """The articles of ``splits`` as the JSON Lines records ``claimledger ingest`` reads, with outlet, date,
    headline and authors from the corpus' metadata: real 2016 US political news to try the ledger on. At most
    ``limit`` articles of each split, in name order. The test split is never read."""
    if "test" in splits:
        raise ValueError("the PolNeAR test split is held out: never read it")
    with open(polnear_dir / "metadata.tsv", encoding="utf-8", newline="") as handle:
        meta = {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}
    for split in splits:
        for count, path in enumerate(sorted((polnear_dir / split / "text").glob("*.txt"))):
            if limit is not None and count >= limit:
                break
            row = meta.get(path.stem, {})
            text = path.read_text(encoding="utf-8")
            title = row.get("title") or None
            # The files open with the headline as their first line; the body follows it.
            first, _, rest = text.partition("\n")
            body = rest.strip() if title and first.strip().rstrip(".") == title.strip().rstrip(".") else text
            yield {"text": body, "headline": title, "outlet": row.get("publisher"),
                   "published": row.get("publication_date"), "source": f"polnear/{split}/{path.name}",
                   "authors": row.get("author") or None}
