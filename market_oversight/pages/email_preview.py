"""The weekly e-mail, previewed: what a recipient would get for a week, and a test copy to yourself.
Administrators only; nothing here marks a week as sent."""

import streamlit as st

from market_oversight import fmt
from market_oversight.alerts import preview
from market_oversight.alerts.config import alert_settings
from market_oversight.errors import MarketOversightError
from market_oversight.pages import common
from market_oversight.roles import Permission

common.page_header(
    "Weekly e-mail preview",
    "What the quality assurance team's weekly e-mail would say, for any week and recipient, built as "
    "the weekly job builds it. Previewing or sending a test does not count as sending that week.",
)
user = common.current_user()
if not user.can(Permission.ADMINISTER):
    st.warning(f"Your role ({user.role.value.replace('_', ' ')}) cannot preview the weekly e-mail. "
               "Ask an administrator.")
    st.stop()

try:
    settings = alert_settings(common.settings(), demo=common.is_demo())
except MarketOversightError as exc:
    common.show_error(exc)
    st.stop()
if not settings.everyone():
    st.info("Nobody gets the weekly e-mail yet: list the recipients in the [alerts] section of the "
            "council's configuration.", icon=":material/info:")
    st.stop()

left, right = st.columns(2)
week = left.selectbox("Week", preview.recent_weeks(common.today()), format_func=lambda w: f"{w} ({fmt.long_date(w.start)} to {fmt.long_date(w.end)})",
                      key="preview-week")
recipient = right.selectbox("As sent to", settings.everyone(), key="preview-recipient")

try:
    shown = preview.preview(common.db_path(), week, settings, recipient)
except MarketOversightError as exc:
    common.show_error(exc)
    st.stop()

st.subheader(shown.subject)
st.caption(f"{fmt.count(shown.items, 'change')} for this recipient. From {fmt.as_typed(settings.from_address)}.")
if st.button(f"Send a test to me ({user.email})", key="preview-send-test"):
    try:
        sent_to = preview.send_test(common.db_path(), shown, settings, user)
    except MarketOversightError as exc:
        common.show_error(exc)
    else:
        st.success(f"A test copy went to {sent_to}, marked as a test in its subject.", icon=":material/check_circle:")
html_tab, text_tab = st.tabs(["As the e-mail shows it", "Plain-text part"])
with html_tab:
    st.html(shown.html)  # sanitised by Streamlit, inline styles kept; the text in it is escaped already
with text_tab:
    st.text(shown.text)
