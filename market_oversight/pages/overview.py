import streamlit as st

from market_oversight import market
from market_oversight.pages.common import cqc_attribution, cursor
from market_oversight.vocab import SERVICE_KINDS

st.title("Market overview")
con = cursor()
left, right = st.columns(2)
la = left.selectbox("Local authority", ["All", *market.local_authorities(con)])
kind = right.selectbox("Service kind", ["All", *SERVICE_KINDS])
table = market.locations(
    con,
    local_authority=None if la == "All" else la,
    service_kind=None if kind == "All" else kind,
)
st.metric("Active locations", table.height)
st.dataframe(table, hide_index=True)
cqc_attribution(market.data_as_of(con))
