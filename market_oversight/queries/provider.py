"""One provider (the registered company): its row, and its locations and RAG history as a group
(market_oversight.queries.groups)."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight.errors import NotFound
from market_oversight.queries import groups, search
from market_oversight.store import query


def provider(con: duckdb.DuckDBPyConnection, provider_id: str) -> dict:
    """The provider's row; NotFound with what to do when no location in the register has its ID."""
    company = query(con, "queries/provider", provider_id=provider_id.strip()).to_dicts()
    if not company:
        raise NotFound(f"There is no provider with ID {provider_id!r} in the data. "
                       f"{search.HOW_TO_FIND[search.PROVIDER]}")
    return company[0]


def locations(con: duckdb.DuckDBPyConnection, provider_id: str) -> pl.DataFrame:
    """Every location of the provider, with the people supported by its home-care ones."""
    return groups.locations(con, groups.PROVIDER, provider_id)


def rag_history(con: duckdb.DuckDBPyConnection, provider_id: str) -> pl.DataFrame:
    return groups.rag_history(con, groups.PROVIDER, provider_id)

