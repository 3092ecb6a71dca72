"""Everything known about one location, for the provider profile."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from market_oversight import fmt
from market_oversight.errors import NotFound
from market_oversight.queries import provider, search
from market_oversight.queries.filters import mart_exists
from market_oversight.store import query
from market_oversight.vocab import KEY_QUESTIONS, gravest_stage

LOCATION_ID_HELP = search.HOW_TO_FIND[search.LOCATION]


def location(con: duckdb.DuckDBPyConnection, location_id: str) -> dict:
    """The location row with its latest score; NotFound with what to do when there is none."""
    df = query(con, "queries/profile_location", location_id=location_id.strip())
    if df.is_empty():
        raise NotFound(f"There is no location with ID {location_id!r} in the data. {LOCATION_ID_HELP}")
    return df.row(0, named=True)


def rag_explained(place: dict) -> list[str]:
    """Sentences (Markdown) saying why the RAG in force is not simply the computed one; what a person
    typed is escaped, so it shows as typed."""
    lines = []
    if place.get("override_rag"):
        lines.append(f"Overridden to **{fmt.rag(place['override_rag'])}** from {fmt.rag(place['computed_rag'])} "
                     f"by {fmt.as_typed(place['override_by'])} until "
                     f"{fmt.long_date(place['override_expires_on'])}: {fmt.as_typed(place['override_reason'])}")
    if place.get("suspended"):
        lines.append("New placements are suspended here"
                     + ("." if place["rag"] == place["computed_rag"] or place.get("override_rag")
                        else f", so it is **{fmt.rag(place['rag'])}** whatever its score "
                             f"(scored {fmt.rag(place['computed_rag'])})."))
    stage = gravest_stage(place.get("stages_in_force"))
    if stage:
        moved = place["rag"] != place["computed_rag"] and not place.get("override_rag") and not place.get("suspended")
        lines.append(f"The council's concerns process is at **{fmt.concern_stage(stage).lower()}**"
                     + (f", so it is **{fmt.rag(place['rag'])}** whatever its score "
                        f"(scored {fmt.rag(place['computed_rag'])})." if moved else "."))
    return lines


def ratings(con: duckdb.DuckDBPyConnection, location_id: str) -> pl.DataFrame:
    return query(con, "queries/profile_ratings", location_id=location_id)


def rating_timeline(df: pl.DataFrame, through: date | None) -> pl.DataFrame:
    """Each key question's rating as a period: from its report date to the next report's date; the
    latest rating holds through `through` (the date of the CQC data), so that the rating in force
    shows as a bar and not as a point at the end."""
    if df.is_empty():
        return df.with_columns(pl.lit(None, pl.Date).alias("until"))
    last = max(d for d in (df["report_date"].max(), through) if d is not None)
    return (
        df.sort("key_question", "report_date")
        .with_columns(pl.col("report_date").shift(-1).over("key_question").alias("until"))
        .with_columns(pl.col("until").fill_null(pl.lit(last, pl.Date)))
        .with_columns(pl.col("key_question").cast(pl.Enum(list(KEY_QUESTIONS))))
    )


def returns(con: duckdb.DuckDBPyConnection, location_id: str, service_kind: str) -> pl.DataFrame:
    name = "profile_home_care_returns" if service_kind == "home_care" else "profile_care_home_returns"
    return query(con, f"queries/{name}", location_id=location_id)


def fees(con: duckdb.DuckDBPyConnection, location_id: str, provider_id: str, *,
         care_home_benchmark: str, home_care_benchmark: str) -> pl.DataFrame:
    """The rates paid, each beside the one benchmark the thresholds choose for the location's kind
    of service (fee_below_benchmark's care_home_benchmark / home_care_benchmark)."""
    return query(con, "queries/profile_fees", location_id=location_id, provider_id=provider_id,
                 care_home_benchmark=care_home_benchmark, home_care_benchmark=home_care_benchmark)


def fees_for_people(df: pl.DataFrame) -> pl.DataFrame:
    """The fee table as people read it: money with pence and thousands, the difference with its sign."""
    def money(column: str) -> pl.Series:
        return fmt.texts_of(df, (column, "unit"), fmt.money)

    return df.select(
        fmt.texts(df["care_category"], fmt.care_category).alias("Care category"),
        money("amount").alias("Rate paid"),
        fmt.texts(df["effective_from"], fmt.long_date).alias("From"),
        fmt.texts(df["effective_to"], fmt.long_date).fill_null("In force").alias("To"),
        fmt.texts(df["benchmark"], fmt.benchmark).fill_null("None for that year")
        .alias("Benchmark"),
        money("benchmark_amount").alias("Benchmark rate"),
        fmt.texts(df["amount"] - df["benchmark_amount"], fmt.money_difference).fill_null(fmt.MISSING)
        .alias("Difference"),
    )


def late_for_people(df: pl.DataFrame) -> pl.DataFrame:
    """Late and missing returns as people read them: "Not received" rather than a blank."""
    return df.select(
        fmt.texts(df["period"], fmt.month).alias("Month"),
        pl.col("status").str.replace("_", " ").str.to_titlecase().alias("Status"),
        fmt.texts(df["due_date"], fmt.long_date).alias("Due"),
        fmt.texts(df["received_at"], fmt.received)
        .fill_null(fmt.received(None)).alias("Received"),
    )


def flags(con: duckdb.DuckDBPyConnection, location_id: str) -> pl.DataFrame:
    return query(con, "queries/profile_flags", location_id=location_id)


def risk_history(con: duckdb.DuckDBPyConnection, location_id: str) -> pl.DataFrame:
    return query(con, "queries/profile_risk_history", location_id=location_id)


def siblings(con: duckdb.DuckDBPyConnection, location_id: str, provider_id: str) -> pl.DataFrame:
    """The provider's other locations, as its company page lists them."""
    return provider.locations(con, provider_id).filter(pl.col("location_id") != location_id)


def late_or_missing(con: duckdb.DuckDBPyConnection, location_id: str) -> pl.DataFrame | None:
    """Late and missing returns; None while no returns have been loaded (no expected_returns mart)."""
    if not mart_exists(con, "expected_returns"):
        return None
    return query(con, "queries/expected_returns", location_id=location_id, provider_id=None,
                 statuses=["late", "missing"])


# What each kind of service's returns chart shows, in the order drawn; the percentages are stored as shares.
RETURN_MEASURES = {
    "care_home": {"occupancy_rate": "Occupancy (%)", "agency_share": "Agency share of hours (%)",
                  "staff_vacancies": "Staff vacancies", "leavers": "Staff leavers",
                  "safeguarding_concerns": "Safeguarding concerns"},
    "home_care": {"agency_share": "Agency share of hours (%)", "vacancies": "Care-worker vacancies",
                  "leavers": "Care-worker leavers", "packages_handed_back": "Packages handed back",
                  "missed_visits": "Missed visits"},
}
PERCENT_MEASURES = {"occupancy_rate", "agency_share"}
# The key questions in the order CQC lists them, in words (the rating chart's rows).
KEY_QUESTION_ORDER = tuple(fmt.key_question(k) for k in KEY_QUESTIONS)


def ratings_for_people(ratings: pl.DataFrame, through: date | None) -> tuple[pl.DataFrame, str]:
    """`rating_timeline` (through the date of the CQC data) with its rating, key question and date in
    words, and a sentence of how many reports over which dates and each key question's latest rating."""
    timeline = rating_timeline(ratings, through)
    timeline = timeline.with_columns(
        fmt.texts(timeline["rating"], fmt.rating).alias("Rating"),
        fmt.texts(timeline["key_question"].cast(pl.String), fmt.key_question).alias("Key question"),
        fmt.texts(timeline["report_date"], fmt.long_date).alias("Report date"),
    )
    latest = timeline.sort("report_date").group_by("key_question").last().sort("key_question")
    return timeline, (
        f"{fmt.plural(ratings['report_date'].n_unique(), 'report')} from "
        f"{fmt.long_date(ratings['report_date'].min())} to {fmt.long_date(ratings['report_date'].max())}; "
        "latest ratings: " + ", ".join(f"{fmt.key_question(str(r['key_question']))} {r['rating']}"
                                        for r in latest.iter_rows(named=True)) + ".")


def return_measures(service_kind: str | None) -> dict[str, str]:
    """The measures a location's returns chart shows (a care home's for a kind without returns)."""
    return RETURN_MEASURES.get(service_kind or "", RETURN_MEASURES["care_home"])


def returns_for_people(returns: pl.DataFrame, measures: dict[str, str]) -> tuple[pl.DataFrame, str]:
    """The returns long (one row per month and measure, percentages out of 100, month and measure in
    words), and a sentence of the months covered and the latest return's figures."""
    long = returns.select("period", *measures).with_columns(
        [(pl.col(m) * 100).round(1) for m in measures if m in PERCENT_MEASURES]
    ).unpivot(index="period", variable_name="measure", value_name="value")
    long = long.with_columns(pl.col("measure").replace_strict(measures).alias("Measure"),
                             fmt.texts(long["period"], fmt.month).alias("Month"))
    last = returns.row(-1, named=True)
    return long, (f"{fmt.plural(returns.height, 'monthly return')} from {fmt.month(returns['period'].min())} to "
                  f"{fmt.month(returns['period'].max())}; in the latest, "
                  + ", ".join(f"{label.lower().replace(' (%)', '')} "
                              f"{fmt.percent(last[m]) if m in PERCENT_MEASURES else fmt.count(last[m])}"
                              for m, label in measures.items()) + ".")


def siblings_for_people(siblings: pl.DataFrame) -> pl.DataFrame:
    """The provider's other locations, in words: a deregistered or unscored one says "Not scored" and
    "No rating yet" rather than leaving the cell empty."""
    return siblings.select(
        pl.col("location_name").alias("Location"),
        fmt.texts(siblings["service_kind"], fmt.service_kind, nulls=True).alias("Kind of service"),
        pl.col("local_authority").alias("Local authority"),
        fmt.texts(siblings["rag"], fmt.rag, nulls=True).alias("RAG"),
        fmt.texts(siblings["latest_overall_rating"], fmt.rating, nulls=True).alias("CQC rating"),
        pl.when(pl.col("is_active")).then(pl.lit("Registered")).otherwise(pl.lit("Deregistered")).alias("Status"),
        ("profile?location=" + pl.col("location_id")).alias("Profile"),
    )
