"""Market overview: how is the care market doing, and where is it under pressure?"""

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import fmt
from market_oversight.analyst import market_report
from market_oversight.pages import common, map_view
from market_oversight.queries import filters, overview

MAP_MAX_GREEN = 5000  # beyond this many points the map shows red and amber only

common.page_header(
    "How is the care market doing?",
    "Headline figures, ratings over time, where services are, capacity and fees, for the area and "
    "kind of service you choose.",
)
market = common.market_filters("overview")
cqc_as_of = common.load(filters.data_as_of)
if cqc_as_of is None:
    st.warning("No CQC data is loaded yet. Ask the data team to run an import, or upload a CQC file "
               "on the Uploads page.")
    st.stop()
# The figures describe the newest date the data reaches: the register's, or the latest score's
# (returns can run past the last CQC import).
as_of = max(d for d in (cqc_as_of, common.load(filters.scored_on)) if d is not None)

# The monthly market report for members and the ICB: one HTML file, small numbers suppressed; made
# when asked for (a callable), for the local authority chosen above.
st.download_button(
    "Download the monthly market report (HTML)",
    lambda: common.load(market_report.page, market.local_authority), mime="text/html",
    file_name=f"market-report-{as_of:%Y-%m}.html", on_click="ignore", key="market-report",
    help="Capacity, occupancy, ratings against England, fees against benchmarks and risk by kind of "
         "service, for the local authority chosen; figures from fewer than 5 locations are shown as [c].",
)

# ---- headline figures ----------------------------------------------------------------------------
st.header("Headline figures")
figures = common.load(overview.headline, market, as_of)
home_care = (common.load(overview.home_care_headline, market, as_of)
             if overview.shows_home_care(market.service_kind) else None)
st.caption(f"On {fmt.long_date(as_of)}, compared with a month earlier ({fmt.long_date(overview.month_before(as_of))}).")
metrics = overview.headline_metrics(figures, home_care, market.service_kind)
# rows of three, so that no figure or its change is cut off at laptop widths
for start in range(0, len(metrics), 3):
    for col, m in zip(st.columns(3), metrics[start:start + 3], strict=False):
        col.metric(m.label, m.value, m.delta, delta_color="off", delta_arrow=m.arrow, help=m.help)
for note in overview.headline_notes(figures, home_care, market.service_kind):
    st.caption(note)

# ---- ratings mix ---------------------------------------------------------------------------------
st.header("How have CQC ratings changed?")
mix = common.load(overview.ratings_mix, market, as_of)
if mix.is_empty():
    st.write("No ratings to show for these filters.")
else:
    mix_table, summary = overview.ratings_mix_for_people(mix)
    # Each bar a month wide; labels that would overlap on a phone are left out, not drawn over each
    # other; the legend is above the plot, and Streamlit fits legend, plot and axes into the height;
    # the padding keeps the last month's label whole at the right edge.
    figure = alt.Chart(mix_table.to_pandas()).mark_bar(width=alt.RelativeBandSize(0.8)).encode(
        x=alt.X("yearmonth(month_end):T", title="Month",
                axis=alt.Axis(format="%b %Y", labelOverlap=True, labelFlush=True)),
        y=alt.Y("locations:Q", title="Locations", stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("Rating:N", scale=common.rating_scale(), title="Overall rating",
                        legend=common.legend_above(columns=1)),
        order=alt.Order("rating:N"),
        tooltip=["Month:N", "Rating:N", alt.Tooltip("locations:Q", title="Locations")],
    ).properties(height=400, padding={"right": 28})
    common.chart(figure, summary, mix_table.select("Month", "Rating", pl.col("locations").alias("Locations")),
                 "ratings mix", key="ratings-mix")

# ---- map -----------------------------------------------------------------------------------------
st.header("Where are the services, and which are at risk?")
points = common.load(overview.map_points, market)
if points.is_empty():
    st.write("No locations with a known position for these filters.")
else:
    shown, summary = overview.map_for_people(points, MAP_MAX_GREEN)
    areas, whose = map_view.areas_around(shown)
    markers = alt.Chart(shown.to_pandas()).mark_point(filled=True, size=70, opacity=0.85).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        color=alt.Color("RAG:N", scale=common.rag_scale(not_scored=True), title="RAG"),
        shape=alt.Shape("RAG:N", scale=common.rag_shape_scale(not_scored=True), title="RAG"),
        tooltip=[alt.Tooltip("location_name:N", title="Location"), "RAG:N", "Kind of service:N", "Concerns:N"],
    )
    figure = map_view.rag_map(markers, areas).properties(height=420)
    common.chart(figure, summary,
                 shown.select(pl.col("location_name").alias("Location"), "RAG", "Kind of service", "Concerns",
                              pl.col("location_id").alias("CQC location ID")),
                 "locations on the map", key="map")
    st.caption(whose)

# ---- capacity ------------------------------------------------------------------------------------
BAR_THICKNESS = 18
st.header("How much capacity is there, and how full is it?")
capacity = common.load(overview.capacity, market)
table, summary = overview.capacity_for_people(capacity)
# Each board's name is written above its bar, whole: ICB names are long, and beside the bars they
# were cut short ("NHS Kingsmere a...") on a phone.
capacity_data = alt.Chart(table.to_pandas())
bars = capacity_data.mark_bar(size=BAR_THICKNESS).encode(
    y=alt.Y("ICB:N", title=None, axis=None),
    x=alt.X("Locations:Q", title="Locations"),
    color=alt.Color("Kind of service:N", scale=common.service_kind_scale(),
                    legend=common.legend_above(columns=3)),
    tooltip=list(table.columns),
)
names = capacity_data.transform_aggregate(groupby=["ICB"]).mark_text(
    align="left", baseline="bottom", dy=-(BAR_THICKNESS / 2 + 2)).encode(y="ICB:N", text="ICB:N", x=alt.value(0))
figure = alt.layer(bars, names).properties(height=alt.Step(BAR_THICKNESS + 28))
common.chart(figure, summary, table, "capacity by area", key="capacity")
no_occupancy = table["Occupied beds (latest returns)"].null_count() == table.height
if overview.shows_care_homes(market.service_kind) and no_occupancy:
    st.caption("No care-home returns loaded yet, so occupancy is not shown.")

# ---- fees ----------------------------------------------------------------------------------------
st.header("What does the council pay, against the benchmarks?")
fees = common.load(overview.fees, market, as_of)
if fees.is_empty():
    st.write("No fee rates loaded yet. A data officer can upload them on the Uploads page.")
else:
    st.write(f"Fees in force on {fmt.long_date(as_of)}. Care homes are paid by the week and home care by "
             "the hour, so each has a chart of its own.")


def fee_chart(panel: overview.FeePanel) -> alt.LayerChart:
    """The median paid as one bar per care category; each benchmark a black mark, told apart by shape."""
    y = alt.Y("Care category:N", title=None, axis=alt.Axis(labelLimit=160))
    bars = alt.Chart(panel.paid.with_columns(
        fmt.texts(panel.paid["care_category"], fmt.care_category).alias("Care category")).to_pandas()).mark_bar(
        color=fmt.FIGURE_COLOUR, height=22).encode(
        y=y, x=alt.X("median_paid:Q", title=f"Median paid (£ {fmt.per_unit(panel.unit)})"),
        tooltip=["Care category:N", alt.Tooltip("median_paid:Q", title="Median paid (£)", format=",.2f")])
    marks = alt.Chart(panel.benchmarks.with_columns(
        fmt.texts(panel.benchmarks["care_category"], fmt.care_category).alias("Care category"),
        fmt.texts(panel.benchmarks["benchmark"], fmt.benchmark).alias("Benchmark"),
    ).to_pandas()).mark_point(color=fmt.BENCHMARK_COLOUR, filled=True, size=150, opacity=1).encode(
        y=y, x="benchmark_amount:Q",
        shape=alt.Shape("Benchmark:N", scale=alt.Scale(range=["diamond", "triangle-up", "square"]),
                        legend=alt.Legend(orient="top", direction="vertical", title=None)),
        tooltip=["Care category:N", "Benchmark:N",
                 alt.Tooltip("benchmark_amount:Q", title="Benchmark (£)", format=",.2f")])
    # Streamlit fits the whole chart, legend and axes included, into this height
    height = 70 + 22 * panel.benchmarks["benchmark"].n_unique() + 40 * panel.paid.height
    return (bars + marks).properties(height=height)


for panel in overview.fee_panels(fees):
    st.subheader(panel.title)
    common.chart(fee_chart(panel), panel.summary + " Bars show the median paid; black marks the benchmarks.",
                 overview.fee_table(panel), panel.name, key=f"fees-{panel.unit}")

common.cqc_attribution(cqc_as_of)
