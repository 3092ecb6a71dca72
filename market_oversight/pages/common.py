"""What every page shares: the read-only warehouse connection and the CQC attribution."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import streamlit as st

from market_oversight import store
from market_oversight.paths import resolve_db


@st.cache_resource(max_entries=2)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return store.connect(Path(path), read_only=True)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor per script run on one read-only connection to the newest published copy of the
    warehouse; when a job publishes a newer copy, the next run opens that one."""
    db = resolve_db(os.environ.get("MARKET_OVERSIGHT_DB"))
    return _connection(str(store.current_serving_copy(db))).cursor()


def cqc_attribution(as_of: object) -> None:
    st.caption(
        f"Source: Care Quality Commission, data as of {as_of or 'unknown'}. "
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )
