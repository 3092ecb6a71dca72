"""Casework across the market: open actions, placement suspensions (and the published list),
RAG overrides, recent notes and quality visits."""

import polars as pl
import streamlit as st

from market_oversight import casework, fmt
from market_oversight.pages import common
from market_oversight.queries import filters


def with_names(df: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    return df.join(names.select("location_id", "location_name"), on="location_id", how="left").with_columns(
        pl.col("location_name").fill_null(pl.col("location_id")))


common.page_header(
    "What is the council doing about its providers?",
    "Open actions, placement suspensions, RAG overrides, and the latest notes and quality visits "
    "across every location. Add casework from a location's profile.",
)
record = casework.market_casework(common.db_path())
ids = sorted(set().union(*(set(df["location_id"].to_list()) for df in (
    record.notes, record.actions, record.visits, record.suspensions, record.overrides))))
names = common.load(filters.location_names, tuple(ids))

# ---- suspensions and the published list ---------------------------------------------------------
st.header("Where are placements suspended?")
published = casework.published_suspensions(record.suspensions, names)
if published.is_empty():
    st.write("No placement suspensions are in force.")
else:
    st.write(f"New placements are suspended at {fmt.plural(published.height, 'service')}. This is the list "
             "the council publishes.")
    st.dataframe(published, hide_index=True, width="stretch")
common.downloads(published, "published list of suspensions", key="published")
past = record.suspensions.filter(~pl.col("is_current"))
if past.height:
    with st.expander(f"Suspensions lifted ({past.height})"):
        lifted = with_names(past, names)
        st.dataframe(lifted.select(
            pl.col("location_name").alias("Service"),
            fmt.texts(lifted["imposed_on"], fmt.long_date).alias("Suspended on"),
            fmt.texts(lifted["lifted_on"], fmt.long_date).alias("Lifted on"),
            pl.col("reason").alias("Reason"), pl.col("lift_reason").alias("Why lifted")),
            hide_index=True, width="stretch")

# ---- actions -------------------------------------------------------------------------------------
st.header("Which actions are open?")
actions = record.actions
if actions.is_empty():
    st.write("No open actions.")
else:
    overdue = actions.filter(pl.col("due_date") < pl.lit(common.today())).height
    st.write(f"{fmt.plural(actions.height, 'open action')}, {overdue} overdue.")
    named = with_names(actions, names)
    st.dataframe(named.select(
        pl.col("location_name").alias("Location"), pl.col("title").alias("Action"),
        pl.col("owner").alias("Owner"),
        fmt.texts(named["due_date"], fmt.long_date).alias("Due"),
        pl.when(pl.col("due_date") < pl.lit(common.today())).then(pl.lit("Overdue")).otherwise(pl.lit(""))
        .alias("Overdue"),
        ("profile?location=" + pl.col("location_id")).alias("Profile")),
        hide_index=True, width="stretch",
        column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")})

# ---- overrides -----------------------------------------------------------------------------------
st.header("Where has a contract manager overridden the RAG?")
active = record.overrides.filter(pl.col("is_active"))
if active.is_empty():
    st.write("No RAG overrides in force.")
else:
    overridden = with_names(active, names).join(
        names.select("location_id", pl.col("rag").alias("rag_now")), on="location_id", how="left")
    st.dataframe(overridden.select(
        pl.col("location_name").alias("Location"),
        fmt.texts(overridden["rag"], fmt.rag).alias("RAG set"),
        fmt.texts(overridden["rag_now"], fmt.rag).alias("RAG in force"),
        pl.col("reason").alias("Reason"), pl.col("created_by").alias("By"),
        fmt.texts(overridden["expires_on"], fmt.long_date).alias("Until")),
        hide_index=True, width="stretch")

# ---- notes and visits ----------------------------------------------------------------------------
st.header("What has been noted and seen lately?")
notes_tab, visits_tab = st.tabs([f"Latest notes ({record.notes.height})", f"Latest quality visits ({record.visits.height})"])
with notes_tab:
    if record.notes.is_empty():
        st.write("No notes yet.")
    else:
        notes = with_names(record.notes, names)
        st.dataframe(notes.select(
            fmt.texts(notes["created_at"], fmt.date_time).alias("When"),
            pl.col("location_name").alias("Location"), pl.col("author").alias("By"),
            pl.col("body").alias("Note")), hide_index=True, width="stretch")
with visits_tab:
    if record.visits.is_empty():
        st.write("No quality visits recorded.")
    else:
        visits = with_names(record.visits, names)
        st.dataframe(visits.select(
            fmt.texts(visits["visit_date"], fmt.long_date).alias("Visit date"),
            pl.col("location_name").alias("Location"),
            fmt.texts(visits["rating"], fmt.rating).alias("Council's rating"),
            pl.col("assessor").alias("Assessor"), pl.col("summary").alias("Summary")),
            hide_index=True, width="stretch")

common.cqc_attribution(common.load(filters.data_as_of))
