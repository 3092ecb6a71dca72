"""Quarantined rows as they are sent back to a provider: where each came from, what is wrong, then
every column as it was read. Shared by the data-quality page and `market-oversight quarantine export`."""

from __future__ import annotations

import json

import polars as pl

EXPORT_COLUMNS = ("source", "dataset", "row_number", "location_id", "rules", "problems")


def as_export(frame: pl.DataFrame) -> pl.DataFrame:
    """Quarantined rows (source, dataset, row_number, location_id, rules, messages, raw) as sent
    back: where each came from, what is wrong, then every column as it was read."""
    if frame.is_empty():
        return pl.DataFrame(schema={c: pl.String for c in EXPORT_COLUMNS})
    raw = [json.loads(r) for r in frame["raw"].to_list()]
    read_columns = list(dict.fromkeys(k for r in raw for k in r))
    as_read = pl.DataFrame([{c: r.get(c) for c in read_columns} for r in raw],
                           schema={c: pl.String for c in read_columns}, orient="row")
    head = frame.select(
        pl.col("source"), pl.col("dataset"), pl.col("row_number"), pl.col("location_id"),
        pl.col("rules").list.join("; "), pl.col("messages").list.join("; ").alias("problems"))
    # The file's own columns keep their names; ours come first and cannot clash with them.
    as_read = as_read.rename({c: f"{c} (as sent)" for c in read_columns if c in head.columns})
    return pl.concat([head, as_read], how="horizontal")
