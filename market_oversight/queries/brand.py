"""One CQC brand (a group of providers under one owner, as CQC records it): its row, and its
locations and RAG history as a group (market_oversight.queries.groups)."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight.errors import NotFound
from market_oversight.queries import groups, search
from market_oversight.store import query


def brand(con: duckdb.DuckDBPyConnection, brand_id: str) -> dict:
    """The brand's row; NotFound with what to do when no location in the register has its ID."""
    found = query(con, "queries/brand", brand_id=brand_id.strip()).to_dicts()
    if not found:
        raise NotFound(f"There is no brand with ID {brand_id!r} in the data. {search.HOW_TO_FIND[search.BRAND]}")
    return found[0]


def locations(con: duckdb.DuckDBPyConnection, brand_id: str) -> pl.DataFrame:
    """Every location of every provider of the brand, with the people supported by its home-care ones."""
    return groups.locations(con, groups.BRAND, brand_id)


def rag_history(con: duckdb.DuckDBPyConnection, brand_id: str) -> pl.DataFrame:
    return groups.rag_history(con, groups.BRAND, brand_id)

