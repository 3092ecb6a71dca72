"""Data quality: did each load pass its data contract, which rows were set aside, who is late with
their returns, and which fee benchmarks the risk score lacks?"""

import polars as pl
import streamlit as st

from market_oversight import fmt
from market_oversight.pages import common
from market_oversight.queries import data_quality, filters

common.page_header(
    "Can we trust the data?",
    "Each load with its data-contract results and the rows set aside (quarantined) with the reasons, "
    "to send back to the provider; which providers have been late with their returns over the years; and "
    "whether the fee "
    "benchmarks the risk score needs are loaded.",
)

# ---- loads ---------------------------------------------------------------------------------------
st.header("How did each load go?")
batches = common.load(data_quality.batches)
if batches.is_empty():
    st.write("Nothing has been loaded yet.")
    st.stop()
st.write(data_quality.batches_sentence(batches))
st.dataframe(data_quality.batches_for_people(batches), hide_index=True, width="stretch")

labels, first = data_quality.batch_choices(batches)
batch_id = st.selectbox("Look at one load", list(labels), format_func=labels.get, key="dq-batch",
                        index=list(labels).index(first))
chosen = batches.filter(pl.col("batch_id") == batch_id).row(0, named=True)

st.subheader("Data-contract results")
results = data_quality.contract_results(chosen["validation"])
if results.is_empty():
    st.write("This load has no data-contract results recorded.")
else:
    if verdict := data_quality.contract_verdict(chosen["validation"]):
        st.write(verdict)
    shown, checked = data_quality.contract_results_for_people(results)
    st.write(checked)
    st.dataframe(shown, hide_index=True, width="stretch")

st.subheader("Rows set aside (quarantined)")
rows = common.load(data_quality.quarantine, batch_id=batch_id)
if rows.is_empty():
    st.write("No rows were set aside in this load.")
else:
    st.write(f"{fmt.count(rows.height, 'row')} set aside, from "
             f"{fmt.plural(rows['provider_id'].n_unique(), 'provider')}. Download them per provider to send back.")
    st.dataframe(data_quality.quarantine_for_sending(rows), hide_index=True, width="stretch")
    providers = sorted(p for p in rows["provider_id"].unique().to_list() if p)
    if providers:
        provider = st.selectbox("Rows for one provider", providers, key="dq-provider")
        common.downloads(data_quality.quarantine_for_sending(rows.filter(pl.col("provider_id") == provider)),
                         f"quarantined rows for {provider}", key="dq-provider-rows")
    if rows["provider_id"].null_count():
        st.caption(f"{fmt.count(rows['provider_id'].null_count(), 'row')} could not be matched to a provider "
                   "(for example an unknown CQC location ID); they are in the full download.")
    common.downloads(data_quality.quarantine_for_sending(rows), "all quarantined rows of this load",
                     key="dq-all-rows")

# ---- returns -------------------------------------------------------------------------------------
st.header("Who has been late with their returns over the years?")
st.write("Every return due since the council started collecting them, counted per provider. For the returns "
         "owed now, with a reminder to send, see Returns to chase.")
st.page_link("market_oversight/pages/chasing.py", label="Returns to chase", icon=":material/schedule_send:")
late = common.load(data_quality.returns_by_provider)
if late is None:
    st.write("No returns loaded yet, so late and missing returns cannot be shown.")
elif late.is_empty():
    st.write("Every provider's returns have arrived on time.")
else:
    st.write(f"{fmt.plural(late.height, 'provider')} with late or missing returns, most missing first.")
    st.dataframe(data_quality.late_for_people(late), hide_index=True, width="stretch")
    pick = st.selectbox("A provider's late and missing returns", late["provider_id"].to_list(),
                        format_func=lambda p: f"{late.filter(pl.col('provider_id') == p)['provider_name'][0] or p}",
                        key="dq-late-provider")
    detail = common.load(data_quality.provider_returns, pick)
    if detail is not None:
        shown = data_quality.provider_returns_for_people(detail)
        st.dataframe(shown, hide_index=True, width="stretch")
        common.downloads(shown, f"late and missing returns for {pick}", key="dq-late-rows")

# ---- benchmarks ----------------------------------------------------------------------------------
st.header("Can fees be judged against their benchmarks?")
scored_on = common.load(data_quality.latest_score_date)
if scored_on is None:
    st.write("Nothing has been scored yet, so no fee has been compared with a benchmark.")
else:
    fee = common.thresholds().indicator("fee_below_benchmark").params
    missing = common.load(data_quality.missing_benchmarks, scored_on, fee["care_home_benchmark"],
                          fee["home_care_benchmark"])
    lines = data_quality.missing_benchmark_sentences(missing)
    if not lines:
        st.write(f"Every benchmark the risk score compares fees with is there for the score of "
                 f"{fmt.long_date(scored_on)}.")
    for line in lines:
        st.warning(f"Score of {fmt.long_date(scored_on)}: {line} Load the benchmark with "
                   "`market-oversight ingest benchmarks FILE`.")

common.cqc_attribution(common.load(filters.data_as_of))
