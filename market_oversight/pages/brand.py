"""Brand page: a CQC brand (a group of providers under one owner) with every location of its providers."""

import streamlit as st

from market_oversight import fmt
from market_oversight.pages import common, group_view
from market_oversight.queries import brand, filters, groups, search

HEADING = "What do we know about a brand (a group of providers)?"
group = common.opened("brand", search.BRAND, HEADING, brand.brand)
if group is None:
    common.page_header(HEADING, "Type a brand's name or CQC brand ID in “Find a location or provider” (in the "
                                "menu), or open one from a location's profile or a provider's page.")
    st.stop()
brand_id = group["brand_id"]
name = group["brand_name"] or brand_id
located = common.load(brand.locations, brand_id)
as_of = common.load(filters.data_as_of)
common.page_header(
    f"What do we know about {name}?",
    f"The brand CQC records as {name} (CQC brand ID {brand_id}): a group of "
    f"{fmt.plural(group['providers'], 'provider')} with "
    f"{fmt.plural(group['registered_locations'], 'registered location')}"
    + (f" and {group['locations'] - group['registered_locations']:,} deregistered"
       if group["locations"] > group["registered_locations"] else "") + ".",
)
st.write("Its providers (the registered companies):")
for row in groups.counted_by(located, "provider_id", "provider_name").iter_rows(named=True):
    st.page_link(common.PROVIDER_PAGE, label=f"{row['provider_name'] or row['provider_id']}: "
                 f"{fmt.plural(row['locations'], 'location')}", icon=":material/domain:",
                 query_params={"provider": row["provider_id"]})

# ---- now -----------------------------------------------------------------------------------------
group_view.rag_now(located)
st.header("Which of its locations are at risk?")
st.write("Every location of every provider in the brand, registered first and red first. Open a location "
         "to see why, or its provider's page for the company.")
group_view.locations_table(located, name, as_of, key="brand", with_provider=True)

# ---- over time -----------------------------------------------------------------------------------
st.header("How has the group's risk changed over time?")
group_view.rag_history(common.load(brand.rag_history, brand_id), key="brand-history")

common.cqc_attribution(as_of)
