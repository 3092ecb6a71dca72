"""Quarantined rows, per provider, as a file to send back for correction."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from market_oversight import export, store
from market_oversight.errors import SourceError
from market_oversight.queries.quarantine import as_export


def provider_rows(db: Path, provider_id: str) -> pl.DataFrame:
    """One row per quarantined row of the provider (given in the row, or the location's provider in
    the register): where it came from, what is wrong, then every column as it was read."""
    with store.warehouse(db, read_only=True) as con:
        frame = store.query(con, "queries/quarantine_for_provider", provider_id=provider_id)
    return as_export(frame)


def export_provider(db: Path, provider_id: str, out: Path) -> int:
    """Write the provider's quarantined rows to `out` (.csv or .xlsx); returns the number of rows."""
    frame = provider_rows(db, provider_id)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SourceError("the export file must end in .csv or .xlsx", source=str(out))
    # Cells as a provider typed them go back to a spreadsheet: made safe against formula injection.
    store.write_whole(out, export.to_csv(frame) if suffix == ".csv" else export.to_xlsx(frame, "Quarantine"),
                      "no export was written")
    return frame.height
