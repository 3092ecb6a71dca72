"""The warehouse's returns calendar: the due day in force, recorded from the settings.

`[returns] due_day_of_following_month` is the one source of the due day. Each returns load and each
scoring records it here, in the calendar's one row, and everything that judges a return on time,
late or missing (mart.expected_returns, the late_missing_returns indicator) reads that row.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from market_oversight import store


def record_due_day(con: duckdb.DuckDBPyConnection, due_day: int, at: datetime | None = None) -> None:
    store.run(con, "ingest/record_due_day", due_day=due_day, set_at=at or datetime.now())

