"""How reliable are these flags? The newest stored backtest of the risk score on this warehouse's
own history: how often red and amber came before an event, each indicator's lift, and a
reliability chart. The figures come from `market-oversight backtest --save`; nothing is replayed here."""

import altair as alt
import streamlit as st

from market_oversight import fmt
from market_oversight.pages import common
from market_oversight.queries import reliability

common.page_header(
    "How reliable are these flags?",
    "How often red and amber came before the events a council fears, when the risk score is replayed "
    "month by month over this warehouse's own history. Use it to judge how much weight to give a flag.",
)
stored = common.load(reliability.latest)
if stored is None:
    st.warning(
        "No backtest has been stored for this warehouse yet, so there are no figures to show. Ask the data "
        f"team to run `{reliability.SAVE_COMMAND}`: it replays the risk score over the stored history "
        "and keeps the result for this page.", icon=":material/info:")
    st.stop()
result = stored.result
st.write(reliability.what_was_replayed(stored))

# ---- headline ------------------------------------------------------------------------------------
cols = [*st.columns(2), *st.columns(2)]
cols[0].metric("Base rate", fmt.percent(result["base_rate"], 1),
               help="Share of all location-dates followed by an event within the horizon.")
cols[1].metric("Events caught by red", fmt.percent(reliability.events_caught(result, ("red",))),
               help="Recall of red: of the location-dates followed by an event, the share that were red.")
cols[2].metric("Events caught by red or amber", fmt.percent(reliability.events_caught(result, ("red", "amber"))),
               help="Recall of red and amber together.")
cols[3].metric("ROC AUC", fmt.MISSING if result["roc_auc"] is None else f"{result['roc_auc']:.2f}",
               help="How well the likelihood ranks the location-dates that were followed by an event above "
                    "those that were not: 0.5 is chance, 1 is perfect.")

# ---- per RAG -------------------------------------------------------------------------------------
st.header("How often did each RAG come true?")
st.dataframe(reliability.rag_table(result), hide_index=True, width="stretch")

# ---- reliability chart ---------------------------------------------------------------------------
st.header("Do higher scores mean more events?")
bands = reliability.reliability_frame(result)
rate_axis = alt.Axis(format="%", title=f"Followed by an event within {result['horizon_months']} months")
order = alt.SortField("order")
bars = alt.Chart(bands).mark_bar(color=fmt.RAG_COLOURS["amber"]).encode(
    y=alt.Y("Likelihood points:N", sort=order, title="Likelihood points"),
    x=alt.X("observed:Q", axis=rate_axis),
    tooltip=["Likelihood points", "Followed by an event", "Predicted", "Location-dates", "Events"],
)
# The base-rate line repeats the summary sentence's figure, so screen readers skip it (aria=False).
base = alt.Chart(bands).mark_rule(strokeDash=[4, 3], color=fmt.INK, aria=False).encode(
    x=alt.datum(result["base_rate"]))
layers = [bars, base]
if bands["predicted"].drop_nulls().len():
    layers.append(alt.Chart(bands).mark_tick(color=fmt.INK, thickness=3).encode(
        y=alt.Y("Likelihood points:N", sort=order), x="predicted:Q",
        tooltip=["Likelihood points", "Predicted", "Followed by an event"]))
common.chart(
    alt.layer(*layers).properties(height=alt.Step(28)),
    reliability.reliability_summary(result) + " The dashed line is the base rate"
    + ("; the black ticks are the fitted probabilities." if len(layers) > 2 else "."),
    bands.select("Likelihood points", "Location-dates", "Events", "Followed by an event",
                 *(["Predicted"] if len(layers) > 2 else [])),
    "reliability table", key="reliability-chart")

# ---- indicators ----------------------------------------------------------------------------------
st.header("Which indicators come before events?")
st.write("Lift is how many times the base rate the event rate was when an indicator was raised with "
         "points. The ROC AUC lost without it is what its points add to the ranking.")
indicators = reliability.indicator_table(result)
# every indicator in view, without scrolling inside the table (35 px a row, and the header)
st.dataframe(indicators, hide_index=True, width="stretch", height=35 * (indicators.height + 1) + 3)

# ---- thresholds ----------------------------------------------------------------------------------
st.header("Which thresholds were measured?")
for line in reliability.thresholds_lines(stored, common.load(reliability.current_scores_hash)):
    st.write(line)
st.caption(f"To measure again, for example after new thresholds: `{reliability.SAVE_COMMAND}`.")
