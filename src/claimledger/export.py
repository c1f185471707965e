"""Ledger records written out as JSON Lines, CSV or Parquet (`claimledger export`), one row per record under the
field names of ``--format jsonl`` and the HTTP API.

CSV has no lists: a list or object (``authors``, ``span``, a claim's ``timeline``) is written as its JSON in the
cell, and True and False as ``true`` and ``false``. Parquet keeps them typed: its schema comes from the record's
type hints, so an empty table still has its columns.
"""

from __future__ import annotations

import csv
import json
import sys
import types
from dataclasses import is_dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Literal, Union, get_args, get_origin

from claimledger.records import Record

ExportFormat = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
_BATCH = 1000  # rows per Parquet row group write


def format_of(path: Path) -> str | None:
    """The export format a file name asks for by its suffix (``.jsonl``, ``.csv``, ``.parquet``), or None."""
    suffix = path.suffix.lower().lstrip(".")
    return {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix) if suffix else None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_jsonl(rows: Iterable[Record], handle: IO[str]) -> int:
    count = 0
    for count, row in enumerate(rows, 1):
        handle.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
    return count


def write_csv(rows: Iterable[Record], record: type[Record], handle: IO[str]) -> int:
    writer = csv.writer(handle)
    writer.writerow([name for name, _ in record.columns()])
    count = 0
    for count, row in enumerate(rows, 1):
        writer.writerow([_cell(value) for value in row.to_dict().values()])
    return count


def arrow_type(hint: Any):
    """The Arrow type of a record field's type hint."""
    import pyarrow as pa

    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return arrow_type(inner)
    if origin is Literal or hint is str:
        return pa.string()
    if origin is tuple or origin is list:
        return pa.list_(arrow_type(args[0]))
    if is_dataclass(hint) and issubclass(hint, Record):
        return pa.struct([(name, arrow_type(inner)) for name, inner in hint.columns()])
    return {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}[hint]


def write_parquet(rows: Iterable[Record], record: type[Record], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, arrow_type(hint)) for name, hint in record.columns()])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(row.to_dict())
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch.clear()
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def export(rows: Iterable[Record], record: type[Record], format: str, out: Path | None) -> int:
    """Write ``rows`` (records of type ``record``) to ``out`` (stdout when None; not for Parquet) in ``format``;
    returns how many were written."""
    if format == "parquet":
        if out is None:
            raise ValueError("Parquet is written to a file: name one with --out")
        return write_parquet(rows, record, out)
    if format not in FORMATS:
        raise ValueError(f"{format!r} is not an export format: one of {', '.join(FORMATS)}")
    handle = sys.stdout if out is None else out.open("w", encoding="utf-8", newline="")
    try:
        return write_jsonl(rows, handle) if format == "jsonl" else write_csv(rows, record, handle)
    finally:
        if out is not None:
            handle.close()
