"""The casework page's tables, from the market's casework (`casework.market_casework`) and the
locations' names and RAGs (`filters.location_names`), and the profile's casework panel's, from one
location's (`casework.location_casework`): pure functions, no Streamlit."""

from __future__ import annotations

from datetime import date

import polars as pl

from market_oversight import fmt


def location_ids(*frames: pl.DataFrame) -> tuple[str, ...]:
    """Every location some casework is about, once each, in order (the names to look up)."""
    return tuple(sorted(set().union(*(set(df["location_id"].to_list()) for df in frames))))


def latest_label(what: str, shown: pl.DataFrame, limit: int) -> str:
    """A tab's label: how many it shows, saying so when that is only the newest `limit` of more."""
    return f"{what} ({'newest ' if shown.height >= limit else ''}{shown.height})"


def with_names(df: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """`df` with each location's name (its ID where the register has no name for it)."""
    return df.join(names.select("location_id", "location_name"), on="location_id", how="left").with_columns(
        pl.col("location_name").fill_null(pl.col("location_id")))


def lifted_suspensions(suspensions: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    lifted = with_names(suspensions.filter(~pl.col("is_current")), names)
    return lifted.select(
        pl.col("location_name").alias("Service"),
        fmt.texts(lifted["imposed_on"], fmt.long_date).alias("Suspended on"),
        fmt.texts(lifted["lifted_on"], fmt.long_date).alias("Lifted on"),
        pl.col("reason").alias("Reason"), pl.col("lift_reason").alias("Why lifted"))


def open_actions(actions: pl.DataFrame, names: pl.DataFrame, today: date) -> tuple[str, pl.DataFrame]:
    """A sentence counting the open actions and the overdue, and the table of them."""
    overdue = pl.col("due_date") < pl.lit(today)
    sentence = f"{fmt.plural(actions.height, 'open action')}, {actions.filter(overdue).height} overdue."
    named = with_names(actions, names)
    return sentence, named.select(
        pl.col("location_name").alias("Location"), pl.col("title").alias("Action"),
        pl.col("owner").alias("Owner"),
        fmt.texts(named["due_date"], fmt.long_date).alias("Due"),
        pl.when(overdue).then(pl.lit("Overdue")).otherwise(pl.lit("")).alias("Overdue"),
        ("profile?location=" + pl.col("location_id")).alias("Profile"))


def overrides_in_force(overrides: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """The active overrides, with the RAG each set beside the RAG in force now."""
    overridden = with_names(overrides.filter(pl.col("is_active")), names).join(
        names.select("location_id", pl.col("rag").alias("rag_now")), on="location_id", how="left")
    return overridden.select(
        pl.col("location_name").alias("Location"),
        fmt.texts(overridden["rag"], fmt.rag).alias("RAG set"),
        fmt.texts(overridden["rag_now"], fmt.rag).alias("RAG in force"),
        pl.col("reason").alias("Reason"), pl.col("created_by").alias("By"),
        fmt.texts(overridden["expires_on"], fmt.long_date).alias("Until"))


def latest_notes(notes: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    named = with_names(notes, names)
    return named.select(
        fmt.texts(named["created_at"], fmt.date_time).alias("When"),
        pl.col("location_name").alias("Location"), pl.col("author").alias("By"),
        pl.col("body").alias("Note"))


def latest_visits(visits: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    named = with_names(visits, names)
    return named.select(
        fmt.texts(named["visit_date"], fmt.long_date).alias("Visit date"),
        pl.col("location_name").alias("Location"),
        fmt.texts(named["rating"], fmt.rating).alias("Council's rating"),
        pl.col("assessor").alias("Assessor"), pl.col("summary").alias("Summary"))


# ---- one location's (the profile's casework panel) ------------------------------------------------

def panel_tabs(notes: pl.DataFrame, actions: pl.DataFrame, visits: pl.DataFrame,
               suspensions: pl.DataFrame) -> list[str]:
    """The panel's tab labels, each with how many it holds (actions: how many are open)."""
    return [f"Notes ({notes.height})", f"Actions ({actions.filter(pl.col('status') == 'open').height} open)",
            f"Quality visits ({visits.height})", f"Suspensions ({suspensions.height})", "RAG override"]


def location_actions(actions: pl.DataFrame) -> pl.DataFrame:
    return actions.select(
        pl.col("title").alias("Action"), pl.col("owner").alias("Owner"),
        fmt.texts(actions["due_date"], fmt.long_date).alias("Due"),
        pl.col("status").str.to_titlecase().alias("Status"),
        pl.col("created_by").alias("Set by"))


def location_visits(visits: pl.DataFrame) -> pl.DataFrame:
    return visits.select(
        fmt.texts(visits["visit_date"], fmt.long_date).alias("Visit date"),
        fmt.texts(visits["rating"], fmt.rating).alias("Council's rating"),
        pl.col("summary").alias("Summary"), pl.col("assessor").alias("Assessor"))


def location_suspensions(suspensions: pl.DataFrame) -> pl.DataFrame:
    return suspensions.select(
        fmt.texts(suspensions["imposed_on"], fmt.long_date).alias("Suspended on"),
        fmt.texts_of(suspensions, ("scope", "categories"), fmt.suspension_scope).alias("Scope"),
        fmt.texts(suspensions["review_on"], fmt.long_date).alias("Review"),
        pl.col("reason").alias("Reason"), pl.col("imposed_by").alias("By"),
        fmt.texts(suspensions["lifted_on"], fmt.long_date).alias("Lifted on"),
        pl.col("lift_reason").alias("Why lifted"))
