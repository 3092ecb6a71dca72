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
        st.dataframe(with_names(past, names).select(
            pl.col("location_name").alias("Service"),
            pl.col("imposed_on").map_elements(fmt.long_date, return_dtype=pl.String).alias("Suspended on"),
            pl.col("lifted_on").map_elements(fmt.long_date, return_dtype=pl.String).alias("Lifted on"),
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
    st.dataframe(with_names(actions, names).select(
        pl.col("location_name").alias("Location"), pl.col("title").alias("Action"),
        pl.col("owner").alias("Owner"),
        pl.col("due_date").map_elements(fmt.long_date, return_dtype=pl.String).alias("Due"),
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
    st.dataframe(with_names(active, names).join(
        names.select("location_id", pl.col("rag").alias("rag_now")), on="location_id", how="left").select(
        pl.col("location_name").alias("Location"),
        pl.col("rag").map_elements(fmt.rag, return_dtype=pl.String).alias("RAG set"),
        pl.col("rag_now").map_elements(fmt.rag, return_dtype=pl.String).alias("RAG in force"),
        pl.col("reason").alias("Reason"), pl.col("created_by").alias("By"),
        pl.col("expires_on").map_elements(fmt.long_date, return_dtype=pl.String).alias("Until")),
        hide_index=True, width="stretch")

# ---- notes and visits ----------------------------------------------------------------------------
st.header("What has been noted and seen lately?")
notes_tab, visits_tab = st.tabs([f"Latest notes ({record.notes.height})", f"Latest quality visits ({record.visits.height})"])
with notes_tab:
    if record.notes.is_empty():
        st.write("No notes yet.")
    else:
        st.dataframe(with_names(record.notes, names).select(
            pl.col("created_at").map_elements(fmt.date_time, return_dtype=pl.String).alias("When"),
            pl.col("location_name").alias("Location"), pl.col("author").alias("By"),
            pl.col("body").alias("Note")), hide_index=True, width="stretch")
with visits_tab:
    if record.visits.is_empty():
        st.write("No quality visits recorded.")
    else:
        st.dataframe(with_names(record.visits, names).select(
            pl.col("visit_date").map_elements(fmt.long_date, return_dtype=pl.String).alias("Visit date"),
            pl.col("location_name").alias("Location"),
            pl.col("rating").map_elements(fmt.rating, return_dtype=pl.String).alias("Council's rating"),
            pl.col("assessor").alias("Assessor"), pl.col("summary").alias("Summary")),
            hide_index=True, width="stretch")

common.cqc_attribution(common.load(filters.data_as_of))
