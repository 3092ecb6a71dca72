"""Versions of a return, by what the provider says rather than by arrival.

A file whose rows were loaded before is recognised whatever its bytes (`rows_hash`: the rows as
read, so a copy saved with other line endings, in another encoding or with its columns in another
order is the same file). Of the versions of one location's return for one month, the current one
is the one the provider says it sent last (`submitted_at`), the later load breaking a tie: the one
rule is `sql/ingest/stage_versions.sql`. A re-sent older version is recorded as history and does
not replace a newer one; the load's message says how many of its returns arrived superseded.
"""

from __future__ import annotations

import duckdb

from market_oversight import store
from market_oversight.ingest.batch import LoadResult, hash_bytes

ALREADY_LOADED = "the same rows were loaded before"


def rows_hash(con: duckdb.DuckDBPyConnection, rows: str, dataset: str) -> str:
    """The hash of a file's rows (`rows`, the view of its checked rows, each with its `row_hash`):
    the same whatever their order, a row given twice counting twice."""
    # sums are exact (hugeint) and need no sort; the second, of a product of each hash's halves,
    # makes two different files agreeing by chance rarer still
    count, total, squares = con.execute(
        f"select count(*), sum(row_hash), sum((row_hash >> 32) * (row_hash & 4294967295)) "
        f"from {rows}").fetchone()                                           # a view we made
    return hash_bytes(f"rows 1 {dataset} {count} {total} {squares}".encode())


def previous_rows(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, list[LoadResult]]:
    """Earlier successful loads of the same rows, by rows hash, oldest first."""
    found: dict[str, list[LoadResult]] = {}
    for h, dataset, batch_id, read, loaded, quarantined in store.run(con, "ingest/previous_rows",
                                                                     hashes=hashes).fetchall():
        found.setdefault(h, []).append(LoadResult(dataset, batch_id, "already_loaded", read, loaded,
                                                  quarantined, ALREADY_LOADED))
    return found


def stage_versions(con: duckdb.DuckDBPyConnection, dataset: str) -> dict[str, int]:
    """Temp table `stage_versions` (the versions this load leaves superseded, by the rule) over
    `stage_loaded` and `staged_batches`; returns, per batch of this load, how many of its returns
    arrive superseded (an older version re-sent, or followed by a later one in the same load)."""
    stmt = store.statement("ingest/stage_versions")
    con.execute(f"create or replace temp table stage_versions as\n{stmt.text}", stmt.bind({"dataset": dataset}))
    return dict(con.execute(
        "select batch_id, count(*) from stage_versions "
        "where batch_id in (select batch_id from staged_batches) group by batch_id").fetchall())


def arrived_superseded(count: int) -> str:
    """The load's note for returns that arrived older than a version of the same return."""
    return (f"{count:,} return{'s' if count != 1 else ''} not the latest version by submitted_at "
            f"(kept as history; the version sent later stays current)")
