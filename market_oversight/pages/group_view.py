"""What the provider (company) page and the brand page both draw for their group of locations:
the RAG counts now, every location with links to its profile, and the group's RAG history."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import fmt, links
from market_oversight.pages import common
from market_oversight.queries import groups
from market_oversight.vocab import RAG


def rag_now(located: pl.DataFrame) -> None:
    """How many registered locations are red, amber and green now."""
    counts = groups.rag_counts(located)
    for col, rag in zip(st.columns(3), counts, strict=True):
        col.metric(f"{fmt.rag(rag)} now", fmt.count(counts[rag]), help="Registered locations with this RAG in "
                   "force: a contract manager's override, else red where placements are suspended, else the "
                   "computed RAG.")


def locations_table(located: pl.DataFrame, name: str, as_of: date | None, *, key: str,
                    with_provider: bool = False) -> None:
    """Every location as a table, each with a link to its profile (and to its provider's page when
    the group spans providers), with CSV and XLSX downloads."""
    table = groups.locations_for_people(located, with_provider=with_provider)
    shown = table.with_columns((f"{links.PROFILE_PATH}?location=" + pl.col("CQC location ID")).alias("Profile"))
    config = {"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")}
    if with_provider:
        shown = shown.with_columns((f"{links.PROVIDER_PATH}?provider=" + pl.col("CQC provider ID")).alias("Provider page"))
        config["Provider page"] = st.column_config.LinkColumn("Provider page", display_text="Open provider")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    common.downloads(table, f"locations of {name}", key=f"{key}-export", title=f"Locations of {name}",
                     as_of=f"CQC data as of {fmt.long_date(as_of)}; RAG as in force at the latest score")


def rag_history(history: pl.DataFrame, *, key: str) -> None:
    """The group's RAG counts at every stored score, as bars, with the sentence and table beside."""
    summary = groups.history_summary(history)
    if history.is_empty():
        st.write(summary)
        return
    drawn = history.with_columns(
        fmt.texts(history["rag"], fmt.rag).alias("RAG"),
        fmt.texts(history["as_of"], fmt.long_date).alias("Scored on"),
        pl.col("rag").replace_strict({r: i for i, r in enumerate(RAG)}, default=len(RAG)).alias("rag_order"))
    # one bar per score, evenly spaced: scores come monthly and weekly, so a time axis would draw slivers
    figure = alt.Chart(drawn.to_pandas()).mark_bar().encode(
        x=alt.X("yearmonthdate(as_of):O", title="Scored on", axis=alt.Axis(format="%-d %b %Y", labelAngle=-45)),
        y=alt.Y("locations:Q", title="Locations", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("RAG:N", scale=common.rag_scale()),
        order=alt.Order("rag_order:Q"),
        tooltip=["Scored on:N", "RAG:N", alt.Tooltip("locations:Q", title="Locations")],
    ).properties(height=260)
    common.chart(figure, summary, drawn.select("Scored on", "RAG", pl.col("locations").alias("Locations")),
                 "RAG history", key=key)
