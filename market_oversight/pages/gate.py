"""The sign-in gate, run by app.py before any page (this module is not itself a page).

Not signed in: the sign-in page only. Signed in: a sign-out button in the sidebar, and the sign-in
written to the audit log once per identity token; pages get the user from `common.current_user`.
Started as the demo (MARKET_OVERSIGHT_DEMO=1): no identity provider, and every page's header says
it is the demo (`common.page_header`).
"""

from __future__ import annotations

import streamlit as st

from market_oversight import fmt, signin
from market_oversight.errors import MarketOversightError
from market_oversight.pages.common import db_path, settings
from market_oversight.roles import User

_AUDITED_KEY = "market_oversight_signed_in"


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def _sign_in_page(message: str | None = None) -> None:
    st.title("Care Market Oversight")
    st.write("Council staff only. Sign in with your council account to continue.")
    if message:
        st.error(message)
    st.button("Sign in with your council account", type="primary", on_click=st.login)
    st.stop()


def _sign_out(user: User) -> None:
    signin.record_sign_out(db_path(), user)
    st.session_state.pop(_AUDITED_KEY, None)
    st.logout()


def require_user() -> User:
    """The user for this run, or the sign-in page and a stop."""
    if signin.demo_mode():
        return signin.DEMO_USER
    if not _auth_configured():
        st.title("Care Market Oversight")
        st.error("Sign-in is not set up: this app needs an [auth] section in .streamlit/secrets.toml "
                 "(see docs/access.md), or start it as the demo with MARKET_OVERSIGHT_DEMO=1.")
        st.stop()
    if not st.user.get("is_logged_in"):  # absent, not False, in AppTest before a sign-in
        _sign_in_page()
    claims = st.user.to_dict()
    try:
        user = signin.user_from_claims(settings(), claims)
    except MarketOversightError as exc:
        signin.record_refused(db_path(), claims, str(exc))
        _sign_in_page(f"{exc}. Sign out of your council account and try another, or ask IT.")
    token = signin.token_id(claims)
    if st.session_state.get(_AUDITED_KEY) != token:
        signin.record_sign_in(db_path(), user, claims)
        st.session_state[_AUDITED_KEY] = token
    with st.sidebar:
        st.caption(f"Signed in as {fmt.as_typed(user.name)} ({user.email}), {user.role.value.replace('_', ' ')}")
        st.button("Sign out", on_click=_sign_out, args=(user,))
    return user
