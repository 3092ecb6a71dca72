"""Read-side queries for the market overview."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight.store import frame, sql


def locations(con: duckdb.DuckDBPyConnection, *, local_authority: str | None = None,
              service_kind: str | None = None, active_only: bool = True) -> pl.DataFrame:
    return frame(
        con, sql("queries/overview_locations"),
        {"local_authority": local_authority, "service_kind": service_kind, "active_only": active_only},
    )


def local_authorities(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select distinct local_authority from mart.locations where local_authority is not null order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def data_as_of(con: duckdb.DuckDBPyConnection) -> object:
    """The newest CQC snapshot date in the warehouse (None when empty)."""
    return con.execute("select max(snapshot_date) from mart.locations").fetchone()[0]
