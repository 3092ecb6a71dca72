"""The app's way into the warehouse: the newest published copy, opened read-only. Pages never open
the live file, and reach the store only through the queries (see the layers in docs/design.md)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from market_oversight import store


def newest_copy(db: Path) -> Path:
    """The newest published copy of the warehouse `db` (the warehouse itself if none was published)."""
    return store.current_serving_copy(db)


def open_read_only(copy: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published copy; every query function takes a cursor of it."""
    return store.connect(copy, read_only=True)
