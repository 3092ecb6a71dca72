"""Care Market Oversight app: the sign-in gate, then routing; each page lives in market_oversight/pages/."""

import streamlit as st

from market_oversight import links
from market_oversight.pages.common import run
from market_oversight.pages.gate import require_user

st.set_page_config(page_title="Care Market Oversight", layout="wide")
require_user()  # not signed in: the sign-in page only, and no page below runs
profile = st.Page("market_oversight/pages/profile.py", title="Provider profile", url_path=links.PROFILE_PATH,
                  icon=":material/home_health:")
pages = [
    st.Page("market_oversight/pages/overview.py", title="Market overview", default=True,
            icon=":material/dashboard:"),
    st.Page("market_oversight/pages/watchlist.py", title="Watchlist", url_path=links.WATCHLIST_PATH,
            icon=":material/warning:"),
    profile,
    st.Page("market_oversight/pages/provider.py", title="Provider company", url_path=links.PROVIDER_PATH,
            icon=":material/domain:"),
    st.Page("market_oversight/pages/brand.py", title="Brand (group)", url_path=links.BRAND_PATH,
            icon=":material/hub:"),
    st.Page("market_oversight/pages/rehearsal.py", title="Rehearse a failure", url_path="rehearse",
            icon=":material/emergency:"),
    st.Page("market_oversight/pages/chasing.py", title="Returns to chase", url_path=links.CHASING_PATH,
            icon=":material/schedule_send:"),
    st.Page("market_oversight/pages/casework.py", title="Casework", url_path="casework",
            icon=":material/folder_open:"),
    st.Page("market_oversight/pages/reliability.py", title="Flag reliability", url_path="reliability",
            icon=":material/query_stats:"),
    st.Page("market_oversight/pages/data_quality.py", title="Data quality", url_path="data-quality",
            icon=":material/fact_check:"),
    st.Page("market_oversight/pages/uploads.py", title="Uploads", url_path="uploads",
            icon=":material/upload_file:"),
    st.Page("market_oversight/pages/email_preview.py", title="Weekly e-mail preview", url_path="email-preview",
            icon=":material/forward_to_inbox:"),
    st.Page("market_oversight/pages/accessibility.py", title="Accessibility statement",
            url_path="accessibility", icon=":material/accessibility:"),
]
run(pages, profile)
