"""Analysts' access: the data dictionary of the marts, and the read-only snapshot notebooks open.

`publish_snapshot(db)` is what a job calls after a load; `open_snapshot()` is what a notebook calls.
Imported lazily, so that the command line does not load DuckDB just to print its help.
"""

from __future__ import annotations

from typing import Any

__all__ = ["latest_snapshot", "notebook_snapshot", "open_snapshot", "publish_snapshot", "scratch_copy",
           "snapshot_path", "snapshot_taken_at", "snapshots_dir"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from market_oversight.analyst import snapshot

        return getattr(snapshot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
