"""Provider profile: everything known about one location, with the reasons and the casework."""

import altair as alt
import polars as pl
import streamlit as st

from market_oversight import flag_words, fmt, links
from market_oversight.errors import PermissionDenied
from market_oversight.pages import casework_panel, common, concerns_panel
from market_oversight.queries import contingency, filters, profile, search

TREND_MONTHS = 36  # the trend charts show the last three years of returns

typed = (st.query_params.get("location") or "").strip()


def choose_location() -> None:
    """The location box, after the heading; a new name or ID re-opens the page on that location."""
    entered = st.text_input("Location name or CQC location ID", value=typed, key="profile-location",
                            help=profile.LOCATION_ID_HELP, placeholder="Yew Tree House, or 1-123456789")
    if entered.strip() != typed:
        st.query_params["location"] = entered.strip()
        st.rerun()


HEADING = "What do we know about a provider?"
place = common.opened("location", search.LOCATION, HEADING, profile.location, choose_location)
if place is None:
    common.page_header(HEADING, "Type a location's name or CQC location ID, or open a location from the watchlist.")
    choose_location()
    st.stop()
location_id = place["location_id"]

common.page_header(
    f"What do we know about {place['location_name']}?",
    f"{fmt.service_kind(place['service_kind'])} in {place['local_authority'] or 'an unknown area'}, run by "
    f"{place['provider_name'] or place['provider_id']}. CQC location ID {place['location_id']}.",
)
with st.expander("Open another location"):
    choose_location()

# ---- at a glance ---------------------------------------------------------------------------------
cols = st.columns([1, 1, 1, 2, 1])
cols[0].metric("RAG", fmt.rag(place["rag"]),
               help="The RAG in force: a contract manager's override, else red where placements are "
                    "suspended or the concerns process is at serious concerns or a large-scale enquiry, "
                    "else at least amber under enhanced monitoring, else the computed RAG.")
# values kept short (numbers; the scale is in the help) so that none is cut off at laptop widths
cols[1].metric("Likelihood", fmt.count(place["likelihood"]),
               help="Likelihood of failure or poor quality, 0 to 100: the sum of the quality and "
                    "sustainability flags' points.")
cols[2].metric("Impact", fmt.impact(place["impact"]),
               help="Impact if it failed, 0 to 100: the sum of the impact flags' points. Not known "
                    "when its size (beds, or people supported in the latest returns) is not known.")
cols[3].metric("CQC overall rating", fmt.rating(place["latest_overall_rating"]),
               help=f"Published {fmt.long_date(place['latest_rating_date'])}.")
cols[4].metric("Registered beds", fmt.count(place["beds"]) if place["beds"] is not None else "None")
facts = [
    f"Registered {fmt.long_date(place['registration_date'])}" if place["is_active"]
    else f"Deregistered {fmt.long_date(place['deregistration_date'])}",
    "no registered manager in post" if place["has_registered_manager"] is False else "registered manager in post",
    f"postcode {place['postcode'] or fmt.MISSING}",
    f"ICB: {place['icb_name'] or fmt.MISSING}",
]
st.write("; ".join(facts) + ".")
st.markdown(f"[Its page on the CQC website]({links.cqc_location_page(location_id)}): inspection reports "
            "and ratings as CQC publishes them.")
st.page_link(common.REHEARSAL_PAGE, label="Rehearse failure: who would need care elsewhere if it stopped",
             icon=":material/emergency:", query_params={"scope": "location", "id": location_id})
for line in profile.rag_explained(place):
    st.write(line)
if place["scored_on"]:
    st.caption(f"Risk score as at {fmt.long_date(place['scored_on'])}.")

# ---- flags ---------------------------------------------------------------------------------------
st.header("Why is it at risk?")
flags = flag_words.causes_first(common.load(profile.flags, location_id))


def show_flag(flag: dict) -> None:
    """One flag: its label and sentence, and its evidence as small tables."""
    words = flag_words.sentence(flag["flag"], flag["message"], flag["evidence"])
    with st.expander(f"{flag_words.label(flag['flag'])}: {words} ({fmt.count(flag['points'], 'point')})"):
        evidence = flag_words.evidence_tables(flag["evidence"])
        st.dataframe(evidence.facts, hide_index=True, width="stretch")
        for title, table in evidence.lists:
            st.caption(title)
            st.dataframe(table, hide_index=True, width="stretch")


causes = [f for f in flags.iter_rows(named=True) if not flag_words.is_impact(f["domain"])]
impacts = [f for f in flags.iter_rows(named=True) if flag_words.is_impact(f["domain"])]
if not causes:
    st.write("No risk flags raised at the latest score.")
else:
    st.write(f"{fmt.plural(len(causes), 'flag')} raised at the latest score, largest first. Each adds its points "
             "to the likelihood of failure or poor quality.")
    for flag in causes:
        show_flag(flag)
if impacts:
    st.subheader("How many would be affected if it failed?")
    st.write("These say how much a failure here would matter, not why it might fail: each adds to the impact score.")
    for flag in impacts:
        show_flag(flag)

# ---- ratings -------------------------------------------------------------------------------------
st.header("How has CQC rated it over time?")
ratings = common.load(profile.ratings, location_id)
if ratings.is_empty():
    st.write("CQC has not rated this location yet.")
else:
    timeline, summary = profile.ratings_for_people(ratings, common.load(filters.data_as_of))
    order = list(profile.KEY_QUESTION_ORDER)
    base = alt.Chart(timeline.to_pandas())
    bars = base.mark_bar(height=18).encode(
        x=alt.X("report_date:T", title="Date"), x2="until:T",
        y=alt.Y("Key question:N", sort=order, title=None),
        color=alt.Color("Rating:N", scale=common.rating_scale()),
        tooltip=["Key question:N", "Rating:N", "Report date:N"],
    )
    marks = base.mark_point(filled=True, size=90, color=fmt.INK).encode(
        x="report_date:T", y=alt.Y("Key question:N", sort=order),
        shape=alt.Shape("Rating:N", scale=alt.Scale(
            domain=[fmt.rating(r) for r in fmt.RATING_CHART_SHAPES],
            range=list(fmt.RATING_CHART_SHAPES.values()))))
    common.chart((bars + marks).properties(height=240), summary,
                 timeline.select("Key question", "Rating", "Report date", pl.col("date_basis").alias("Date basis")),
                 "rating history", key="ratings")

# ---- returns -------------------------------------------------------------------------------------
st.header("What do its monthly returns show?")
returns = common.load(profile.returns, location_id, place["service_kind"]).tail(TREND_MONTHS)
if returns.is_empty():
    st.write("No returns loaded yet for this location.")
else:
    measures = profile.return_measures(place["service_kind"])
    long, summary = profile.returns_for_people(returns, measures)
    # one small chart per measure, each on its own scale and as wide as the page (a facet is not)
    figure = [alt.Chart(long.filter(pl.col("Measure") == label).to_pandas(), title=label).mark_line(point=True).encode(
        x=alt.X("period:T", title="Month"), y=alt.Y("value:Q", title=None),
        tooltip=["Month:N", "Measure:N", "value:Q"],
    ).properties(height=220) for label in measures.values()]
    common.chart(figure, summary, long.select("Month", "Measure", pl.col("value").alias("Value")),
                 "monthly returns", key="returns")

st.subheader("Late or missing returns")
late = common.load(profile.late_or_missing, location_id)
if late is None:
    st.write("No returns loaded yet, so late and missing returns cannot be shown.")
elif late.is_empty():
    st.write("None: every return due has arrived on time.")
else:
    st.dataframe(profile.late_for_people(late), hide_index=True, width="stretch")

# ---- fees ----------------------------------------------------------------------------------------
st.header("What does the council pay, against the benchmarks?")
fee_rule = common.thresholds().indicator("fee_below_benchmark").params
fees = common.load(profile.fees, location_id, place["provider_id"],
                   care_home_benchmark=fee_rule["care_home_benchmark"],
                   home_care_benchmark=fee_rule["home_care_benchmark"])
if fees.is_empty():
    st.write("No fee rates loaded for this location or its provider.")
else:
    chosen = fees["benchmark"].drop_nulls()
    st.write("Each rate against the "
             + (f"{fmt.benchmark(chosen[0])}" if chosen.len() else "benchmark")
             + " for the financial year it started in (the benchmark the risk flags use for this kind of service).")
    st.dataframe(profile.fees_for_people(fees), hide_index=True, width="stretch")

# ---- siblings ------------------------------------------------------------------------------------
st.header(f"What else does {place['provider_name'] or 'this provider'} run?")
siblings = common.load(profile.siblings, location_id, place["provider_id"])
st.page_link(common.PROVIDER_PAGE, label="Open the provider's page: every location it runs, with its RAG history",
             icon=":material/domain:", query_params={"provider": place["provider_id"]})
st.page_link(common.REHEARSAL_PAGE, label="Rehearse the failure of the whole provider", icon=":material/emergency:",
             query_params={"scope": "provider", "id": place["provider_id"]})
register = common.load(contingency.register, (place["provider_id"],))
if register.height:
    registered = register.row(0, named=True)
    if notice := contingency.notice_words(registered):
        st.warning(fmt.as_typed(notice), icon=":material/campaign:")
    st.caption(fmt.as_typed(contingency.plan_words(registered)) + " (The provider's page holds the register.)")
if place["brand_id"]:
    st.page_link(common.BRAND_PAGE, label=f"Its brand: {place['brand_name'] or place['brand_id']}", icon=":material/hub:",
                 help="The brand's page: every location of every provider in the group, with its RAG history",
                 query_params={"brand": place["brand_id"]})
if siblings.is_empty():
    st.write("No other locations: this is the provider's only registered location.")
else:
    st.dataframe(profile.siblings_for_people(siblings), hide_index=True, width="stretch",
        column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")})

# ---- casework ------------------------------------------------------------------------------------
st.header("What has the council done about it?")
try:
    user = common.current_user()
except PermissionDenied as exc:
    common.show_error(exc)
else:
    st.subheader("Provider concerns")
    concerns_panel.show(user, location_id, place["provider_id"], place["provider_name"])
    st.subheader("Casework")
    casework_panel.show(user, location_id, place["location_name"])

common.cqc_attribution(common.load(filters.data_as_of))
