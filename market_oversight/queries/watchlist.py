"""The watchlist: locations ranked by risk, with "new this week" markers, ready to export."""

from __future__ import annotations

import duckdb
import polars as pl

from market_oversight import flag_words, fmt
from market_oversight.queries.filters import MarketFilter
from market_oversight.store import query, run
from market_oversight.vocab import CONCERN_STAGE_RANK, RAG, RATINGS

_RAG_WORDS = {r: fmt.rag(r) for r in RAG}


def rag_words(column: str = "rag") -> pl.Expr:
    """A RAG column in words (fmt.rag): "Not scored" where there is none, as the charts' legends
    (pages.common.rag_scale) name it."""
    return pl.col(column).replace_strict(_RAG_WORDS, default=fmt.rag(None))
RATING_WORDS = {r: fmt.rating(r) for r in RATINGS}


def watchlist(con: duckdb.DuckDBPyConnection, market: MarketFilter, *,
              rags: tuple[str, ...] = RAG, search: str | None = None) -> pl.DataFrame:
    """Scored locations, red first, then by likelihood × impact (impact not known last)."""
    earlier_on = run(con, "queries/watchlist_earlier_score").fetchall()[0][0]
    return query(con, "queries/watchlist", **market.params(), rags=list(rags),
                 search=(search or "").strip() or None, earlier_on=earlier_on, rag_order=list(RAG))


def for_people(df: pl.DataFrame) -> pl.DataFrame:
    """The watchlist as people read it and as it is exported: words, not codes."""
    return df.select(
        pl.int_range(1, pl.len() + 1).alias("Rank"),
        rag_words().alias("RAG"),
        pl.when(pl.col("new_this_week")).then(pl.lit("New this week")).otherwise(pl.lit(""))
        .alias("New"),
        pl.col("location_name").alias("Location"),
        pl.col("provider_name").alias("Provider"),
        pl.col("service_kind").replace_strict(fmt.SERVICE_KIND_LABELS, default=fmt.MISSING).alias("Service"),
        pl.col("local_authority").alias("Local authority"),
        pl.col("likelihood").round(0).alias("Likelihood (0 to 100)"),
        fmt.texts(df["impact"], fmt.impact, nulls=True).alias("Impact (0 to 100)"),
        pl.col("latest_overall_rating").replace_strict(RATING_WORDS, default=fmt.rating(None))
        .alias("CQC overall rating"),
        flag_words.labels_column(df, "causes").fill_null("").alias("Flags"),
        flag_words.labels_column(df, "impacts").fill_null("")
        .alias("Impact if it failed"),
        concern_stage().alias("Concerns"),
        why_not_computed().alias("Override"),
        contingency(df).alias("Contingency"),
        pl.col("location_id").alias("CQC location ID"),
    )


def concern_stage() -> pl.Expr:
    """The gravest provider-concerns stage in force, in words; empty where there is none.

    vocab.gravest_stage for a whole column: each list's stages ranked by CONCERN_STAGE_RANK (a stage
    not known left out) and the highest rank kept, in polars rather than a call a row (a national
    watchlist's thousands of rows took 20 ms a column so). A test ties the two."""
    words = {rank: fmt.CONCERN_STAGE_LABELS.get(stage, "") for stage, rank in CONCERN_STAGE_RANK.items()}
    gravest = pl.col("stages_in_force").list.eval(
        pl.element().replace_strict(CONCERN_STAGE_RANK, default=None, return_dtype=pl.Int64)).list.max()
    return gravest.replace_strict(words, default="", return_dtype=pl.String).fill_null("")


def contingency(df: pl.DataFrame) -> pl.Expr:
    """The provider's contingency register where it needs attention: a plan review overdue, a CQC
    Market Oversight notice; empty where neither."""
    overdue = pl.when(pl.col("contingency_overdue")).then(
        pl.lit("Plan review overdue (due ")
        + fmt.texts(df["contingency_due_on"], fmt.long_date) + pl.lit(")"))
    notice = pl.when(pl.col("oversight_notice_kind").is_not_null()).then(
        pl.lit(fmt.texts(df["oversight_notice_kind"], fmt.oversight_notice))
        + pl.lit(", ")
        + fmt.texts(df["oversight_notice_on"], fmt.long_date))
    return pl.concat_str([overdue, notice], separator="; ", ignore_nulls=True).fill_null("")


def why_not_computed() -> pl.Expr:
    """Why the RAG in force differs from the computed one (a contract manager's override,
    placements suspended, or a concerns stage), in words; empty where it does not."""
    scored = rag_words("computed_rag")
    moved = pl.col("rag") != pl.col("computed_rag")
    return (pl.when(pl.col("override_rag").is_not_null()).then(pl.lit("Overridden from ") + scored)
            .when(pl.col("suspended") & moved)
            .then(pl.lit("Placements suspended; scored ") + scored)
            .when((concern_stage() != "") & moved)
            .then(concern_stage() + pl.lit("; scored ") + scored)
            .otherwise(pl.lit("")))


def summary(df: pl.DataFrame) -> str:
    """One sentence that says what the chart shows (its text alternative)."""
    if df.is_empty():
        return "No scored locations match these filters."
    counts = {r: df.filter(pl.col("rag") == r).height for r in RAG}
    new = int(df["new_this_week"].sum())
    top = df.row(0, named=True)
    return (f"{fmt.plural(df.height, 'location')} scored: {counts['red']} red, {counts['amber']} amber "
            f"and {counts['green']} green; {new} newly red or amber this week. Highest risk: "
            f"{top['location_name']} (likelihood {top['likelihood']:.0f}, impact {fmt.impact(top['impact'])}).")
