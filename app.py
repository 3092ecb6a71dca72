"""Care Market Oversight app: the sign-in gate, then routing; each page lives in market_oversight/pages/."""

import streamlit as st

from market_oversight.pages.gate import require_user

st.set_page_config(page_title="Care Market Oversight", layout="wide")
require_user()
pages = [
    st.Page("market_oversight/pages/overview.py", title="Market overview", default=True),
]
st.navigation(pages).run()
