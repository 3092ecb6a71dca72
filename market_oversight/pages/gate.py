"""The sign-in gate, run by app.py before any page (this module is not itself a page).

Not signed in: the sign-in page only. Signed in: the user with their configured role, a sign-out
button in the sidebar, and the sign-in written to the audit log once per identity token. Started as
the demo (MARKET_OVERSIGHT_DEMO=1): no identity provider, the demo user, and a notice on every page.
"""

from __future__ import annotations

import os

import streamlit as st

from market_oversight import signin
from market_oversight.config import load_settings
from market_oversight.errors import MarketOversightError
from market_oversight.paths import resolve_db
from market_oversight.roles import User

_USER_KEY = "market_oversight_user"


def _db():
    return resolve_db(os.environ.get("MARKET_OVERSIGHT_DB"))


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
    signin.record_sign_out(_db(), user)
    st.session_state.pop(_USER_KEY, None)
    st.logout()


def require_user() -> User:
    """The user for this run, or the sign-in page and a stop."""
    if signin.demo_mode():
        st.warning(signin.DEMO_NOTICE, icon=":material/science:")
        return signin.DEMO_USER
    if not _auth_configured():
        st.title("Care Market Oversight")
        st.error("Sign-in is not set up: this app needs an [auth] section in .streamlit/secrets.toml "
                 "(see docs/access.md), or start it as the demo with MARKET_OVERSIGHT_DEMO=1.")
        st.stop()
    if not st.user.get("is_logged_in"):  # absent, not False, before the first sign-in in tests
        _sign_in_page()
    claims = st.user.to_dict()
    try:
        user = signin.user_from_claims(load_settings(), claims)
    except MarketOversightError as exc:
        signin.record_refused(_db(), claims, str(exc))
        st.logout()
        _sign_in_page(str(exc))
    if st.session_state.get(_USER_KEY) != user:
        signin.record_sign_in(_db(), user, claims)
        st.session_state[_USER_KEY] = user
    with st.sidebar:
        st.caption(f"Signed in as {user.name} ({user.email}), {user.role.value.replace('_', ' ')}")
        st.button("Sign out", on_click=_sign_out, args=(user,))
    return user


def current_user() -> User:
    """The user the gate let in on this run (pages call this; app.py has already run the gate)."""
    if signin.demo_mode():
        return signin.DEMO_USER
    user = st.session_state.get(_USER_KEY)
    if user is None:
        st.stop()
    return user
