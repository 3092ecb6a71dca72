"""Casework across the market: open actions, placement suspensions (and the published list),
RAG overrides, recent notes and quality visits."""

import streamlit as st

from market_oversight import casework, fmt
from market_oversight.pages import common
from market_oversight.queries import filters
from market_oversight.queries import casework_tables as tables

common.page_header(
    "What is the council doing about its providers?",
    "Open actions, placement suspensions, RAG overrides, and the latest notes and quality visits "
    "across every location. Add casework from a location's profile.",
)
record = casework.market_casework(common.db_path())
names = common.load(filters.location_names, tables.location_ids(
    record.notes, record.actions, record.visits, record.suspensions, record.overrides))

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
lifted = tables.lifted_suspensions(record.suspensions, names)
if lifted.height:
    with st.expander(f"Suspensions lifted ({lifted.height})"):
        st.dataframe(lifted, hide_index=True, width="stretch")

# ---- actions -------------------------------------------------------------------------------------
st.header("Which actions are open?")
if record.actions.is_empty():
    st.write("No open actions.")
else:
    sentence, actions = tables.open_actions(record.actions, names, common.today())
    st.write(sentence)
    st.dataframe(actions, hide_index=True, width="stretch",
                 column_config={"Profile": st.column_config.LinkColumn("Profile", display_text="Open profile")})

# ---- overrides -----------------------------------------------------------------------------------
st.header("Where has a contract manager overridden the RAG?")
overrides = tables.overrides_in_force(record.overrides, names)
common.table(overrides, "No RAG overrides in force.")

# ---- notes and visits ----------------------------------------------------------------------------
st.header("What has been noted and seen lately?")
notes_tab, visits_tab = st.tabs([tables.latest_label("Latest notes", record.notes, casework.MARKET_LIMIT),
                                 tables.latest_label("Latest quality visits", record.visits, casework.MARKET_LIMIT)])
with notes_tab:
    common.table(tables.latest_notes(record.notes, names), "No notes yet.")
with visits_tab:
    common.table(tables.latest_visits(record.visits, names), "No quality visits recorded.")

common.cqc_attribution(common.load(filters.data_as_of))
