"""Care Market Oversight app: routing only; each page lives in market_oversight/pages/."""

import streamlit as st

st.set_page_config(page_title="Care Market Oversight", layout="wide")
pages = [
    st.Page("market_oversight/pages/overview.py", title="Market overview", default=True),
    st.Page("market_oversight/pages/accessibility.py", title="Accessibility statement",
            url_path="accessibility"),
]
st.navigation(pages).run()
