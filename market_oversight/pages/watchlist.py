"""Watchlist: which locations need attention first?"""

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import fmt
from market_oversight.pages import common
from market_oversight.queries import filters, watchlist
from market_oversight.vocab import RAG

CHART_MAX_POINTS = 1000  # the chart shows the highest-ranked; the table and exports show all

common.page_header(
    "Which locations need attention first?",
    "Every scored care home and home-care service, ranked by risk: red first, then by likelihood "
    "of failure times the impact if it failed. Open a location to see why.",
)
market = common.market_filters("watchlist")
left, right = st.columns([2, 1])
rags = left.multiselect("RAG", list(RAG), default=["red", "amber"], format_func=fmt.rag, key="watchlist-rag",
                        help="Choose which RAG ratings to list.")
search = right.text_input("Search by name or CQC location ID", key="watchlist-search")
if not rags:
    st.warning("Choose at least one RAG rating (red, amber or green) to see locations.")
    st.stop()

ranked = common.load(watchlist.watchlist, market, rags=tuple(rags), search=search or None)
scored_on = common.load(filters.scored_on)
if scored_on is None:
    st.warning("No risk scores yet. Run `market-oversight score` (or ask the data team to), then reload.")
    st.stop()
st.caption(f"Risk scores as at {fmt.long_date(scored_on)}. “New this week” means red or amber now but "
           "green (or not scored) at the score a week or more before.")

table = watchlist.for_people(ranked)
new_count = int(ranked["new_this_week"].sum()) if ranked.height else 0
st.subheader(f"{fmt.plural(ranked.height, 'location')} listed, {new_count} new this week")

# ---- chart: likelihood by impact ----------------------------------------------------------------
if ranked.height:
    plotted = ranked.head(CHART_MAX_POINTS).with_columns(
        watchlist.rag_words().alias("RAG"),
        pl.when(pl.col("new_this_week")).then(pl.lit("New this week")).otherwise(pl.lit("")).alias("New"),
    ).select("location_id", "location_name", "likelihood", "impact", "RAG", "New", "new_this_week")
    pick = alt.selection_point(fields=["location_id"], name="pick", on="click")
    base = alt.Chart(plotted.to_pandas())
    points = base.mark_point(filled=True, size=110, opacity=0.85).encode(
        x=alt.X("likelihood:Q", title="Likelihood of failure (0 to 100)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("impact:Q", title="Impact if it failed (0 to 100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("RAG:N", scale=common.rag_scale()),
        shape=alt.Shape("RAG:N", scale=common.rag_shape_scale()),
        tooltip=[alt.Tooltip("location_name:N", title="Location"), "RAG:N", "New:N",
                 alt.Tooltip("likelihood:Q", title="Likelihood"), alt.Tooltip("impact:Q", title="Impact")],
    ).add_params(pick)
    # The rings repeat the table's "New this week" column, so screen readers skip them (aria=False);
    # left in, an empty ring layer is an unlabelled image to them (axe-core svg-img-alt).
    rings = base.transform_filter("datum.new_this_week").mark_point(
        size=380, color=fmt.INK, strokeWidth=2, filled=False, aria=False).encode(x="likelihood:Q", y="impact:Q")
    summary = watchlist.summary(ranked)
    if ranked.height > CHART_MAX_POINTS:
        summary += f" The chart shows the {CHART_MAX_POINTS:,} highest ranked; the table lists all."
    event = common.chart((points + rings).properties(height=380), summary + " Black rings mark new this week; "
                         "click a point to open that location. The table below lists the same data.", None,
                         "watchlist", key="watchlist-chart",
                         on_select="rerun", selection_mode="pick")
    chosen = [p.get("location_id") for p in (event.selection.get("pick") or [])] if event else []
    if chosen and chosen[0]:
        st.switch_page("market_oversight/pages/profile.py", query_params={"location": chosen[0]})

# ---- open a location (keyboard-friendly) ---------------------------------------------------------
OPEN_CHOICES = 200  # the search box above narrows the list to any location
if ranked.height:
    options = ranked.head(OPEN_CHOICES).select("location_id", "location_name", "rag").rows()
    labels = {lid: f"{name} ({fmt.rag(rag)}, {lid})" for lid, name, rag in options}
    choice_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    choice = choice_col.selectbox(
        "Open a location's profile", list(labels), format_func=labels.get, key="watchlist-open",
        help=f"Lists the {OPEN_CHOICES} highest ranked; search above to find any other." if ranked.height > OPEN_CHOICES
        else None)
    if button_col.button("Open profile", key="watchlist-open-button", type="primary"):
        st.switch_page("market_oversight/pages/profile.py", query_params={"location": choice})

# ---- table and exports ---------------------------------------------------------------------------
st.dataframe(
    table.with_columns(("profile?location=" + pl.col("CQC location ID")).alias("Profile")),
    hide_index=True, width="stretch",
    column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")},
)
common.downloads(table, "watchlist", key="watchlist-export", title="Care Market Oversight: watchlist",
                 as_of=f"Risk scores as at {fmt.long_date(scored_on)}")
common.cqc_attribution(common.load(filters.data_as_of))
