"""One provider (the registered company): every location it runs with its RAG in force, rating,
size and flags in words, and how its locations' RAGs have moved over time."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight import flag_words, fmt
from market_oversight.errors import NotFound
from market_oversight.queries import search
from market_oversight.store import frame, sql
from market_oversight.vocab import RAG

def provider(con: duckdb.DuckDBPyConnection, provider_id: str) -> dict:
    """The provider's row; NotFound with what to do when no location in the register has its ID."""
    company = frame(con, sql("queries/provider"), {"provider_id": provider_id.strip()}).to_dicts()
    if not company:
        raise NotFound(f"There is no provider with ID {provider_id!r} in the data. "
                       f"{search.HOW_TO_FIND[search.PROVIDER]}")
    return company[0]


def locations(con: duckdb.DuckDBPyConnection, provider_id: str) -> pl.DataFrame:
    """Every location of the provider, with the people supported by its home-care ones."""
    located = frame(con, sql("queries/provider_locations"), {"provider_id": provider_id, "rag_order": list(RAG)})
    people = frame(con, sql("queries/provider_people"), {"provider_id": provider_id})
    return located.join(people, on="location_id", how="left", maintain_order="left")


def rag_history(con: duckdb.DuckDBPyConnection, provider_id: str) -> pl.DataFrame:
    return frame(con, sql("queries/provider_rag_history"), {"provider_id": provider_id, "rag_order": list(RAG)})


def size(beds: int | None, people_supported: int | None, service_kind: str | None) -> str:
    """Registered beds, or for home care the people supported in the latest return, in words."""
    if service_kind == "home_care" and people_supported is not None:
        return fmt.plural(int(people_supported), "person supported", "people supported")
    if beds is not None:
        return fmt.plural(int(beds), "bed")
    return fmt.MISSING


def rag_counts(df: pl.DataFrame) -> dict[str, int]:
    """How many of the provider's locations are red, amber and green now (registered ones)."""
    now = df.filter(pl.col("is_active"))
    return {r: now.filter(pl.col("rag") == r).height for r in RAG}


def locations_for_people(df: pl.DataFrame) -> pl.DataFrame:
    """The provider's locations as people read them and export them: words, not codes."""
    return df.select(
        pl.col("location_name").alias("Location"),
        pl.col("rag").map_elements(fmt.rag, return_dtype=pl.String, skip_nulls=False).alias("RAG"),
        pl.col("latest_overall_rating").map_elements(fmt.rating, return_dtype=pl.String, skip_nulls=False)
        .alias("CQC overall rating"),
        pl.struct("beds", "people_supported", "service_kind")
        .map_elements(lambda r: size(r["beds"], r["people_supported"], r["service_kind"]), return_dtype=pl.String)
        .alias("Beds or people supported"),
        pl.col("causes").map_elements(flag_words.labels, return_dtype=pl.String).fill_null("").alias("Flags"),
        pl.col("impacts").map_elements(flag_words.labels, return_dtype=pl.String).fill_null("")
        .alias("Impact if it failed"),
        pl.col("service_kind").map_elements(fmt.service_kind, return_dtype=pl.String, skip_nulls=False)
        .alias("Kind of service"),
        pl.col("local_authority").fill_null(fmt.MISSING).alias("Local authority"),
        pl.when(pl.col("is_active")).then(pl.lit("Registered")).otherwise(pl.lit("Deregistered")).alias("Status"),
        pl.col("location_id").alias("CQC location ID"),
    )


def history_summary(history: pl.DataFrame) -> str:
    """One sentence saying what the RAG history chart shows (its text alternative)."""
    if history.is_empty():
        return "None of its locations has been scored yet."
    dates = history["as_of"].unique().sort()
    first, last = dates[0], dates[-1]

    def counted(day: object) -> str:
        at = history.filter(pl.col("as_of") == day)
        return ", ".join(f"{int(at.filter(pl.col('rag') == r)['locations'].sum())} {r}" for r in RAG)

    if dates.len() == 1:
        return f"One score so far, at {fmt.long_date(last)}: {counted(last)}."
    return (f"{fmt.plural(dates.len(), 'score')} from {fmt.long_date(first)} to {fmt.long_date(last)}: "
            f"{counted(first)} at the first; {counted(last)} at the latest.")
