"""Scoring: run the indicators as at a date, scale their points, score, and store.

Set-based: three staging queries read the base tables once each (locations registered at the date,
ratings known at the date, returns as they stood at the date) into tables, and a fourth sums the
returns per location in one pass (stage_return_summary); every indicator in sql/indicators/ reads
those, and all of them run as one query. Nothing here looks past the as-of date (see docs/risk.md
for the rules).

The staged tables live in a small in-memory database attached to the warehouse connection
(`STAGE_DB`), so that the ratings and the returns can be staged side by side on two cursors (each
cursor is a connection of its own, and temporary tables are private to a connection); temporary
views under the stage names point at them for the indicators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from market_oversight import store
from market_oversight.config import Settings
from market_oversight.risk.thresholds import Thresholds

STAGES = ("stage_locations", "stage_ratings", "stage_returns", "stage_return_summary")
# After stage_locations, the stages that read each other, as chains run side by side.
CHAINS = (("stage_ratings",), ("stage_returns", "stage_return_summary"))
STAGE_DB = "risk_stage"
# Indicators that read the other indicators' flags, run in a second pass.
SECOND_PASS = ("group_stress",)
FLAG_COLUMNS = "location_id, flag, domain, points, value, threshold, evidence, message"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
DEFAULT_DUE_DAY = 14


@dataclass(frozen=True)
class ScoreRun:
    as_of: date
    locations: int
    red: int
    amber: int
    green: int
    flags: int
    thresholds_hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "locations": self.locations, "red": self.red,
                "amber": self.amber, "green": self.green, "flags": self.flags,
                "thresholds_hash": self.thresholds_hash}


def bind(text: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a SQL text uses (DuckDB refuses unused ones)."""
    used = _PARAM.findall(_COMMENT.sub("", text))
    return {name: params[name] for name in dict.fromkeys(used)}


def due_day(settings: Settings | None) -> int:
    return int((settings.section("returns") if settings else {}).get(
        "due_day_of_following_month", DEFAULT_DUE_DAY))


def _run(con: duckdb.DuckDBPyConnection, text: str, params: dict[str, Any]) -> None:
    con.execute(text, bind(text, params))


def _union(names: Iterable[str]) -> str:
    """One query over several indicator files (our own files, composed; no values in the text)."""
    parts = [f"select {FLAG_COLUMNS} from (\n{store.sql('indicators/' + n)}\n)" for n in names]
    return "\nunion all by name\n".join(parts)


def compute(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds,
            due_day_of_month: int = DEFAULT_DUE_DAY) -> None:
    """Fill temp table stage_scores and view stage_scaled_flags for `as_of` (nothing is stored)."""
    params = thresholds.params() | {"as_of": as_of, "due_day": due_day_of_month,
                                    "flag_names": sorted(i.name for i in thresholds.indicators)}
    _stage_all(con, params)
    con.execute("create or replace temp table stage_flags (location_id varchar, flag varchar, "
                "domain varchar, points double, value double, threshold double, evidence json, "
                "message varchar)")
    names = [i.name for i in thresholds.indicators]
    for batch in ([n for n in names if n not in SECOND_PASS], [n for n in names if n in SECOND_PASS]):
        if batch:
            _run(con, f"insert into stage_flags ({FLAG_COLUMNS})\n{_union(batch)}", params)
    _run(con, f"create or replace temp table stage_flag_scale as\n{store.sql('risk/flag_scale')}", params)
    con.execute(f"create or replace temp view stage_scaled_flags as\n{store.sql('risk/scale_flags')}")
    _run(con, f"create or replace temp table stage_scores as\n{store.sql('risk/scores')}", params)


def _stage(con: duckdb.DuckDBPyConnection, names: Sequence[str], params: dict[str, Any]) -> None:
    """Build each stage in STAGE_DB, and a temporary view under its name on this connection."""
    for name in names:  # identifiers from the fixed lists above
        _run(con, f"create or replace table {STAGE_DB}.{name} as\n{store.sql('risk/' + name)}", params)
        _view(con, name)


def _view(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(f"create or replace temp view {name} as select * from {STAGE_DB}.{name}")


def _stage_chain(con: duckdb.DuckDBPyConnection, names: Sequence[str], params: dict[str, Any]) -> None:
    cursor = con.cursor()
    try:
        _view(cursor, STAGES[0])
        _stage(cursor, names, params)
    finally:
        cursor.close()


def _stage_all(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> None:
    con.execute(f"attach if not exists ':memory:' as {STAGE_DB}")
    _stage(con, STAGES[:1], params)
    with ThreadPoolExecutor(len(CHAINS)) as pool:
        for done in [pool.submit(_stage_chain, con, chain, params) for chain in CHAINS]:
            done.result()
    for name in STAGES[1:]:
        _view(con, name)


def save(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds) -> ScoreRun:
    """Replace the stored scores and flags of `as_of` with the staged ones, in one transaction."""
    params = {"as_of": as_of, "hash": thresholds.hash, "scored_at": datetime.now()}
    with store.transaction(con):
        # deleting is costly on the keyed tables; skip it when the date was never scored
        if con.execute("select count(*) from risk_scores where as_of = $as_of", {"as_of": as_of}).fetchone()[0]:
            con.execute("delete from risk_flags where as_of = $as_of", {"as_of": as_of})
            con.execute("delete from risk_scores where as_of = $as_of", {"as_of": as_of})
        con.execute(store.sql("risk/save_flags"), bind(store.sql("risk/save_flags"), params))
        con.execute(store.sql("risk/save_scores"), bind(store.sql("risk/save_scores"), params))
    row = con.execute(
        "select count(*), count(*) filter (where computed_rag = 'red'), "
        "count(*) filter (where computed_rag = 'amber'), count(*) filter (where computed_rag = 'green'), "
        "(select count(*) from stage_scaled_flags) from stage_scores").fetchone()
    return ScoreRun(as_of, row[0], row[1], row[2], row[3], row[4], thresholds.hash)


def score_at(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds,
             due_day_of_month: int = DEFAULT_DUE_DAY) -> ScoreRun:
    compute(con, as_of, thresholds, due_day_of_month)
    return save(con, as_of, thresholds)


def latest_data_date(con: duckdb.DuckDBPyConnection) -> date:
    found = con.execute(store.sql("risk/latest_data_date")).fetchone()[0]
    return found or date.today()


def month_steps(start: date, end: date) -> list[date]:
    """`start`, then the same day of each following month (clamped to month end), up to `end`."""
    out, k = [], 0
    while True:
        y, m = divmod(start.month - 1 + k, 12)
        year, month = start.year + y, m + 1
        day = min(start.day, _month_length(year, month))
        d = date(year, month, day)
        if d > end:
            return out
        out.append(d)
        k += 1


def _month_length(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


def score(db: Path, thresholds: Thresholds, dates: Iterable[date] | None = None,
          settings: Settings | None = None) -> list[ScoreRun]:
    """Score and store each date (default: the latest data date); re-scoring a date replaces it."""
    with store.warehouse(db) as con:
        chosen = list(dates) if dates is not None else [latest_data_date(con)]
        return [score_at(con, d, thresholds, due_day(settings)) for d in chosen]
