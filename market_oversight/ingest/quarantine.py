"""Quarantined rows, per provider, as a file to send back for correction."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from market_oversight import export, store
from market_oversight.errors import SourceError

EXPORT_COLUMNS = ("source", "dataset", "row_number", "location_id", "rules", "problems")


def provider_rows(db: Path, provider_id: str) -> pl.DataFrame:
    """One row per quarantined row of the provider (given in the row, or the location's provider in
    the register): where it came from, what is wrong, then every column as it was read."""
    with store.warehouse(db, read_only=True) as con:
        frame = store.frame(con, store.sql("queries/quarantine_for_provider"), {"provider_id": provider_id})
    return as_export(frame)


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


def export_provider(db: Path, provider_id: str, out: Path) -> int:
    """Write the provider's quarantined rows to `out` (.csv or .xlsx); returns the number of rows."""
    frame = provider_rows(db, provider_id)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SourceError("the export file must end in .csv or .xlsx", source=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    # Cells as a provider typed them go back to a spreadsheet: made safe against formula injection.
    out.write_bytes(export.to_csv(frame) if suffix == ".csv" else export.to_xlsx(frame, "Quarantine"))
    return frame.height
