"""The market filters every page shares (local authority, ICB, kind of service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from market_oversight.store import query, run


@dataclass(frozen=True)
class MarketFilter:
    """A null field means "any"."""
    local_authority: str | None = None
    icb_name: str | None = None
    service_kind: str | None = None

    def params(self) -> dict[str, str | None]:
        return {"local_authority": self.local_authority, "icb_name": self.icb_name,
                "service_kind": self.service_kind}


def choices(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "queries/filter_choices")


def mart_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    # fetchall, not fetchone: duckdb 2.0 keeps a half-read result open on the cursor, and the
    # caller's next query on it would fail ("connection has an unfinished result").
    return bool(run(con, "queries/mart_exists", name=name).fetchall()[0][0])


def data_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    """The newest CQC snapshot date in the warehouse (None when empty)."""
    return con.execute("select max(snapshot_date) from mart.register").fetchall()[0][0]


def scored_on(con: duckdb.DuckDBPyConnection) -> date | None:
    return con.execute("select max(as_of) from mart.risk_current").fetchall()[0][0]


def location_names(con: duckdb.DuckDBPyConnection, location_ids: tuple[str, ...]) -> pl.DataFrame:
    """Name, provider, postcode and RAG in force of the given locations (for casework lists)."""
    return query(con, "queries/location_names", location_ids=list(location_ids))
