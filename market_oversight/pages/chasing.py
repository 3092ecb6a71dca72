"""Returns to chase: who owes which monthly return now, how many days overdue, with the list to
download and a reminder to paste into an e-mail to each provider."""

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
as_of = chasing.count_to(newest, today)
if as_of < today:
    # A radio, not a date picker: Streamlit's date picker's day and month boxes are smaller than
    # WCAG 2.2's 24-pixel targets, and these are the two days anyone needs.
    choices = {as_of: f"{fmt.long_date(as_of)}, when the newest return loaded arrived", today: f"Today, {fmt.long_date(today)}"}
    as_of = st.radio("Count days overdue up to", list(choices), format_func=choices.get, key="chase-as-of")
    st.caption("A return sent since the newest one loaded is not in the warehouse yet, so days overdue are "
               "counted up to that day unless you choose today.")
st.caption("Returns are due by day "
           f"{common.settings().returns.due_day_of_following_month} of the following month. Contact "
           "details: the warehouse holds each service's postcode only (no telephone number or e-mail "
           "address), so use your contracts system for the provider's contact.")

ANY_TIME = 0   # an option of None would read as "nothing chosen"
windows = {3: "The last 3 months", 6: "The last 6 months", 12: "The last 12 months",
           ANY_TIME: "Any time (every return never sent)"}
months = st.selectbox("Returns due in", list(windows), format_func=windows.get, key="chase-window")
since = chasing.due_from(as_of, None if months == ANY_TIME else months)
owed = common.load(chasing.owed, as_of, due_since=since)
if owed is None or owed.is_empty():
    st.success(f"No returns {'due since ' + fmt.long_date(since) + ' ' if since else ''}were overdue on "
               f"{fmt.long_date(as_of)}.", icon=":material/check_circle:")
else:
    who = chasing.providers(owed)
    st.write(chasing.summary(owed, as_of, since))
    table = chasing.for_people(owed)
    st.dataframe(table.with_columns(fmt.texts(table["Due"], fmt.long_date)),
                 hide_index=True, width="stretch")
    common.downloads(table, f"returns to chase on {as_of.isoformat()}", key="chase-list",
                     title="Monthly returns to chase", as_of=chasing.summary(owed, as_of, since))

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
