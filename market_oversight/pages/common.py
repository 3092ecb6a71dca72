"""What every page shares: the read-only warehouse connection and the CQC attribution."""

from __future__ import annotations

import os

import duckdb
import streamlit as st

from market_oversight import store
from market_oversight.paths import resolve_db


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return store.connect(resolve_db(path), read_only=True)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor per script run on the one read-only connection (a connection is not shared across
    Streamlit's threads, a cursor is cheap)."""
    return _connection(str(resolve_db(os.environ.get("MARKET_OVERSIGHT_DB")))).cursor()


def cqc_attribution(as_of: object) -> None:
    st.caption(
        f"Source: Care Quality Commission, data as of {as_of or 'unknown'}. "
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )
