"""A group of locations: a provider (the registered company) or a CQC brand (a group of providers
under one owner). Every location of the group with its RAG in force, rating, size and flags in
words, and how its locations' RAGs have moved over time; the provider and brand pages show these."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight import flag_words, fmt
from market_oversight.store import query
from market_oversight.vocab import RAG

PROVIDER = "provider"
BRAND = "brand"
SCOPES = (PROVIDER, BRAND)  # the $scope group_*.sql take


def _scoped(scope: str, group_id: str) -> dict[str, object]:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    return {"scope": scope, "id": group_id}


def locations(con: duckdb.DuckDBPyConnection, scope: str, group_id: str) -> pl.DataFrame:
    """Every location of the group, with the people supported by its home-care ones."""
    located = query(con, "queries/group_locations", **_scoped(scope, group_id), rag_order=list(RAG))
    people = query(con, "queries/group_people", location_ids=located["location_id"].to_list())
    return located.join(people, on="location_id", how="left", maintain_order="left")


def rag_history(con: duckdb.DuckDBPyConnection, scope: str, group_id: str) -> pl.DataFrame:
    return query(con, "queries/group_rag_history", **_scoped(scope, group_id), rag_order=list(RAG))


def size(beds: int | None, people_supported: int | None, service_kind: str | None) -> str:
    """Registered beds, or for home care the people supported in the latest return, in words."""
    if service_kind == "home_care" and people_supported is not None:
        return fmt.plural(int(people_supported), "person supported", "people supported")
    if beds is not None:
        return fmt.plural(int(beds), "bed")
    return fmt.MISSING


def rag_counts(df: pl.DataFrame) -> dict[str, int]:
    """How many of the group's locations are red, amber and green now (registered ones)."""
    now = df.filter(pl.col("is_active"))
    return {r: now.filter(pl.col("rag") == r).height for r in RAG}


def locations_for_people(df: pl.DataFrame, *, with_provider: bool = False) -> pl.DataFrame:
    """The group's locations as people read them and export them: words, not codes; with the
    provider (the company) of each when the group spans several (a brand)."""
    provider = [pl.col("provider_name").fill_null(pl.col("provider_id")).alias("Provider"),
                pl.col("provider_id").alias("CQC provider ID")] if with_provider else []
    return df.select(
        pl.col("location_name").alias("Location"),
        fmt.texts(df["rag"], fmt.rag, nulls=True).alias("RAG"),
        fmt.texts(df["latest_overall_rating"], fmt.rating, nulls=True)
        .alias("CQC overall rating"),
        fmt.texts_of(df, ("beds", "people_supported", "service_kind"), size).alias("Beds or people supported"),
        flag_words.labels_column(df, "causes").fill_null("").alias("Flags"),
        flag_words.labels_column(df, "impacts").fill_null("")
        .alias("Impact if it failed"),
        *provider,
        fmt.texts(df["service_kind"], fmt.service_kind, nulls=True)
        .alias("Kind of service"),
        pl.col("local_authority").fill_null(fmt.MISSING).alias("Local authority"),
        pl.when(pl.col("is_active")).then(pl.lit("Registered")).otherwise(pl.lit("Deregistered")).alias("Status"),
        pl.col("location_id").alias("CQC location ID"),
    )


def counted_by(located: pl.DataFrame, id_column: str, name_column: str) -> pl.DataFrame:
    """The group's parts (its brands, or a brand's providers): ID, name and how many of its
    locations each holds, largest first; locations with no ID (no brand recorded) left out."""
    return (located.filter(pl.col(id_column).is_not_null())
            .group_by(id_column).agg(pl.col(name_column).drop_nulls().first(), pl.len().alias("locations"))
            .sort(["locations", id_column], descending=[True, False]))


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
