"""The monthly market report's figures that the overview's queries do not give already: the ratings
mix of an area against England, and risk by kind of service (capacity and fees come from overview)."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight.store import query


def ratings_against_england(con: duckdb.DuckDBPyConnection, local_authority: str | None) -> pl.DataFrame:
    """Locations and shares per kind of service and overall rating: the area's and the register's."""
    return query(con, "queries/market_report_ratings", local_authority=local_authority)


def risk_by_kind(con: duckdb.DuckDBPyConnection, local_authority: str | None) -> pl.DataFrame:
    """Active locations per kind of service and RAG in force, in the area."""
    return query(con, "queries/market_report_risk", local_authority=local_authority)


def areas(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Local authorities with active locations, largest first."""
    return query(con, "queries/market_report_areas")
