"""Provider page: the company (the CQC registered provider) with every location it runs."""

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import fmt
from market_oversight.errors import PermissionDenied
from market_oversight.pages import common, contingency_panel
from market_oversight.queries import filters, provider, search
from market_oversight.vocab import RAG

HEADING = "What do we know about a provider company?"
company = common.opened("provider", search.PROVIDER, HEADING, provider.provider)
if company is None:
    common.page_header(HEADING, "Type a provider's name or CQC provider ID in “Find a location or provider” "
                                "(in the menu), or open one from a location's profile.")
    st.stop()
provider_id = company["provider_id"]
located = common.load(provider.locations, provider_id)
owner = f" Kind of owner: {company['ownership_type']}." if company["ownership_type"] else ""
common.page_header(
    f"What do we know about {company['provider_name'] or company['provider_id']}?",
    f"The registered provider (the company) with CQC provider ID {company['provider_id']}: "
    f"{fmt.plural(company['registered_locations'], 'registered location')}"
    + (f" and {company['locations'] - company['registered_locations']:,} deregistered"
       if company["locations"] > company["registered_locations"] else "") + "." + owner,
)

# ---- now -----------------------------------------------------------------------------------------
counts = provider.rag_counts(located)
cols = st.columns(3)
for col, rag in zip(cols, counts, strict=True):
    col.metric(f"{fmt.rag(rag)} now", fmt.count(counts[rag]), help="Registered locations with this RAG in "
               "force: a contract manager's override, else red where placements are suspended, else the computed RAG.")

st.header("Which of its locations are at risk?")
st.write("Every location it runs, registered first and red first. Open a location to see why.")
table = provider.locations_for_people(located)
st.dataframe(
    table.with_columns(("profile?location=" + pl.col("CQC location ID")).alias("Profile")),
    hide_index=True, width="stretch",
    column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")},
)
common.downloads(table, f"locations of {company['provider_name'] or company['provider_id']}", key="provider-export")

# ---- contingency ---------------------------------------------------------------------------------
st.header("Is there a plan if it fails?")
st.page_link(common.REHEARSAL_PAGE, label="Rehearse the failure of this provider", icon=":material/emergency:",
             query_params={"scope": "provider", "id": provider_id})
try:
    user = common.current_user()
except PermissionDenied as exc:
    common.show_error(exc)
else:
    contingency_panel.show(user, provider_id)

# ---- over time -----------------------------------------------------------------------------------
st.header("How has the group's risk changed over time?")
history = common.load(provider.rag_history, provider_id)
summary = provider.history_summary(history)
if history.is_empty():
    st.write(summary)
else:
    drawn = history.with_columns(
        pl.col("rag").map_elements(fmt.rag, return_dtype=pl.String).alias("RAG"),
        pl.col("as_of").map_elements(fmt.long_date, return_dtype=pl.String).alias("Scored on"),
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
                 "RAG history", key="provider-history")

common.cqc_attribution(common.load(filters.data_as_of))
