"""Failure rehearsal page: what if a home, agency, provider or brand stopped tomorrow? The form puts
what to rehearse in the address (`?scope=provider&id=1-123&km=20`), so a rehearsal can be linked
to (the profile's "Rehearse failure") and printed; the contingency pack downloads beside it."""

from datetime import date

import streamlit as st

from market_oversight import fmt
from market_oversight.errors import MarketOversightError
from market_oversight.pages import common
from market_oversight.rehearsal import pack
from market_oversight.rehearsal.plan import DEFAULT_WITHIN_KM, MAX_WITHIN_KM, SCOPES, rehearse

SCOPE_WORDS = {"location": "A care home or home-care agency (CQC location ID)",
               "provider": "A provider company (CQC provider ID)",
               "brand": "A brand: a group of providers (CQC brand ID)"}

params = st.query_params
scope = params.get("scope") if params.get("scope") in SCOPES else SCOPES[0]
typed = (params.get("id") or "").strip()
try:
    km = min(max(float(params.get("km") or DEFAULT_WITHIN_KM), 1.0), MAX_WITHIN_KM)
except ValueError:
    km = DEFAULT_WITHIN_KM

common.page_header(
    "What if a provider stopped tomorrow?",
    "Rehearse the failure of a care home, agency, provider company or brand: who would need care "
    "elsewhere, where they could go, how many could not be placed nearby, and who to tell "
    "(Care Act 2014, sections 48 to 52).")

with st.form("rehearse-form", border=True):
    chosen = st.radio("What stops?", SCOPES, index=SCOPES.index(scope), format_func=SCOPE_WORDS.get,
                      key="rehearse-scope")
    entered = st.text_input("CQC ID", value=typed, key="rehearse-id", placeholder="1-123456789")
    distance = st.number_input("Within how many km could people move?", min_value=1.0, max_value=MAX_WITHIN_KM,
                               value=km, step=1.0, format="%.1f", key="rehearse-km",
                               help="As the crow flies, from each service that stops.")
    if st.form_submit_button("Rehearse failure", type="primary"):
        st.query_params.update({"scope": chosen, "id": entered.strip(), "km": f"{distance:g}"})
        st.rerun()

if not typed:
    st.write("Enter a CQC ID and choose “Rehearse failure”. A location's profile links here with its ID filled in.")
    st.stop()

try:
    result = common.load(rehearse, scope, typed, km)
except MarketOversightError as exc:
    common.show_error(exc)
    st.stop()

made_on = common.today()
st.header(pack.title(result))
st.caption(pack.as_of_line(result, made_on))
for line in pack.summary_lines(result):
    st.write(fmt.as_typed(line))   # a notice's note and the names are as typed or as CQC spells them
st.download_button("Download the contingency pack (XLSX)", lambda: pack.to_xlsx(result, made_on),
                   file_name=f"contingency-pack-{scope}-{typed}-{date.isoformat(made_on)}.xlsx",
                   mime=pack.XLSX_MIME, key="rehearse-pack", on_click="ignore", type="primary")
st.caption("To print this page, use your browser's Print (Ctrl+P, or ⌘P on a Mac).")

QUESTIONS = {"Locations": "Which services stop?", "People": "Who is affected?",
             "Destinations": "Where could they go?", "Shortfall": "How many could not be placed nearby?",
             "Who to tell": "Who must be told?",
             "Contingency": "What does the contingency register say of its providers?"}
for name, table in pack.tables(result).items():
    st.subheader(QUESTIONS[name])
    if table.is_empty():
        st.write({"Destinations": "None within the distance chosen.",
                  "Contingency": "Nothing recorded for these providers."}.get(name, "None."))
    else:
        st.dataframe(table, hide_index=True, width="stretch")

st.subheader("What the figures cannot tell you")
for note in result.notes:
    st.write(f"- {note}")
if scope == "location":
    st.page_link(common.PROFILE_PAGE, label="Back to its profile", icon=":material/home_health:",
                 query_params={"location": typed})
common.cqc_attribution(result.as_of["register"])
