"""Provider page: the company (the CQC registered provider) with every location it runs."""

import streamlit as st

from market_oversight import fmt
from market_oversight.errors import PermissionDenied
from market_oversight.pages import common, contingency_panel, group_view
from market_oversight.queries import filters, groups, provider, search

HEADING = "What do we know about a provider company?"
company = common.opened("provider", search.PROVIDER, HEADING, provider.provider)
if company is None:
    common.page_header(HEADING, "Type a provider's name or CQC provider ID in “Find a location or provider” "
                                "(in the menu), or open one from a location's profile.")
    st.stop()
provider_id = company["provider_id"]
name = company["provider_name"] or provider_id
located = common.load(provider.locations, provider_id)
as_of = common.load(filters.data_as_of)
owner = f" Kind of owner: {company['ownership_type']}." if company["ownership_type"] else ""
common.page_header(
    f"What do we know about {name}?",
    f"The registered provider (the company) with CQC provider ID {company['provider_id']}: "
    f"{fmt.plural(company['registered_locations'], 'registered location')}"
    + (f" and {company['locations'] - company['registered_locations']:,} deregistered"
       if company["locations"] > company["registered_locations"] else "") + "." + owner,
)
for row in groups.counted_by(located, "brand_id", "brand_name").iter_rows(named=True):
    st.page_link(common.BRAND_PAGE, label=f"Its brand: {row['brand_name'] or row['brand_id']}", icon=":material/hub:",
                 help="The brand's page: every location of every provider in the group, with its RAG history",
                 query_params={"brand": row["brand_id"]})

# ---- now -----------------------------------------------------------------------------------------
group_view.rag_now(located)
st.header("Which of its locations are at risk?")
st.write("Every location it runs, registered first and red first. Open a location to see why.")
group_view.locations_table(located, name, as_of, key="provider")

# ---- contingency ---------------------------------------------------------------------------------
st.header("Is there a plan if it fails?")
st.page_link(common.REHEARSAL_PAGE, label="Rehearse the failure of this provider", icon=":material/emergency:",
             query_params={"scope": "provider", "id": provider_id})
try:
    user = common.current_user()
except PermissionDenied as exc:
    common.show_error(exc)
else:
    contingency_panel.show(user, provider_id)

# ---- over time -----------------------------------------------------------------------------------
st.header("How has the group's risk changed over time?")
group_view.rag_history(common.load(provider.rag_history, provider_id), key="provider-history")

common.cqc_attribution(as_of)
