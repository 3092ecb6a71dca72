"""Returns to chase: who owes which monthly return now, how many days overdue, with the list to
download and a reminder to paste into an e-mail to each provider."""

import polars as pl
import streamlit as st

from market_oversight import fmt
from market_oversight.pages import common
from market_oversight.queries import chasing, filters

common.page_header(
    "Which returns should we chase?",
    "Every monthly return that is past its due date and has not arrived, most overdue first, with a "
    "reminder to send to each provider. The record of late and missing returns over the years is on "
    "the Data quality page.",
)

newest = common.load(chasing.newest_received)
if newest is None:
    st.write("No returns loaded yet, so there is nothing to chase.")
    st.stop()
today = common.today()
as_of = st.date_input("Count days overdue up to", value=chasing.count_to(newest, today), max_value=today,
                      format="DD/MM/YYYY", key="chase-as-of")
if newest < today:
    st.caption(f"The newest return in the warehouse arrived on {fmt.long_date(newest)}, so days overdue are "
               f"counted up to that day: a return sent since then is not loaded yet. Choose today's date "
               f"({fmt.long_date(today)}) to count up to today.")
st.caption("Returns are due by day "
           f"{common.settings().returns.due_day_of_following_month} of the following month. Contact "
           "details: the warehouse holds each service's postcode only (no telephone number or e-mail "
           "address), so use your contracts system for the provider's contact.")

owed = common.load(chasing.owed, as_of)
if owed is None or owed.is_empty():
    st.success(f"No returns were overdue on {fmt.long_date(as_of)}.", icon=":material/check_circle:")
else:
    who = chasing.providers(owed)
    st.write(f"On {fmt.long_date(as_of)}, {fmt.plural(who.height, 'provider')} "
             f"{'owes' if who.height == 1 else 'owe'} {fmt.plural(owed.height, 'return')} "
             f"from {fmt.plural(owed['location_id'].n_unique(), 'service')}; the longest overdue is "
             f"{fmt.plural(int(owed['days_overdue'].max()), 'day')}.")
    table = chasing.for_people(owed)
    st.dataframe(table.with_columns(pl.col("Due").map_elements(fmt.long_date, return_dtype=pl.String)),
                 hide_index=True, width="stretch")
    common.downloads(table, f"returns to chase on {as_of.isoformat()}", key="chase-list",
                     title="Monthly returns to chase", as_of=f"Overdue on {fmt.long_date(as_of)}")

    st.header("A reminder to send")
    labels = {r["provider_id"]: f"{r['provider_name'] or r['provider_id']} ({fmt.plural(r['returns'], 'return')} owed)"
              for r in who.iter_rows(named=True)}
    pick = st.selectbox("Provider", list(labels), format_func=labels.get, key="chase-provider")
    st.write("Copy this into an e-mail to the provider (the copy button is at its top right), and add your "
             "name and team.")
    st.code(chasing.reminder(owed, pick, as_of), language=None, wrap_lines=True)

st.page_link("market_oversight/pages/data_quality.py", label="Late and missing returns over the years",
             icon=":material/fact_check:")
common.cqc_attribution(common.load(filters.data_as_of))
