"""Scoring: run the indicators as at a date, scale their points, score, and store.

Set-based: three staging queries read the base tables once each (locations registered at the date,
ratings known at the date, returns as they stood at the date) into tables, and a fourth sums the
returns per location in one pass (stage_return_summary); every indicator in sql/indicators/ reads
those. Nothing here looks past the as-of date (see docs/risk.md for the rules).

Two chains run side by side on two cursors: the ratings, then the indicators that read only them
and the locations; the returns and their summary, then the indicators that read only those and
the locations. The rest (group_stress, which reads the other flags) runs after both. The staged
tables live in a small in-memory database attached to the warehouse connection (`STAGE_DB`), since
temporary tables are private to a connection and each cursor is a connection of its own; temporary
views under the stage names point at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from market_oversight import store
from market_oversight.config import Settings
from market_oversight.risk.thresholds import Thresholds

# The staged tables: the locations first, which every other reads; then chains of stages that read
# each other, run side by side (compute).
FIRST_STAGE = "stage_locations"
CHAINS = (("stage_ratings",), ("stage_returns", "stage_return_summary"))
# The in-memory database of the staged tables; a warehouse file's stem names its own catalog, so
# this is a name no warehouse file is likely to have.
STAGE_DB = "risk_stage_memory"
_STAGE_NAME = re.compile(r"\bstage_[a-z_]+")
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
    """Fill temp table stage_scores and view stage_scaled_flags for `as_of` (nothing is stored).

    After stage_locations, each chain of CHAINS runs on a cursor of its own, side by side: its
    stages, then the indicators that read nothing but those and stage_locations. The indicators
    that read more (stages of both chains, or other indicators' flags: group_stress) run last."""
    params = thresholds.params() | {"as_of": as_of, "due_day": due_day_of_month,
                                    "flag_names": sorted(i.name for i in thresholds.indicators)}
    con.execute(f"attach if not exists ':memory:' as {STAGE_DB}")
    _stage(con, [FIRST_STAGE], params)
    con.execute(f"create or replace table {STAGE_DB}.stage_flags (location_id varchar, flag varchar, "
                "domain varchar, points double, value double, threshold double, evidence json, "
                "message varchar)")
    later = [i.name for i in thresholds.indicators]
    jobs = []
    for chain in CHAINS:
        mine = [n for n in later if _reads(n) <= {FIRST_STAGE, *chain}]
        later = [n for n in later if n not in mine]
        jobs.append(partial(_chain, stages=chain, indicators=mine, params=params))
    with ThreadPoolExecutor(len(jobs)) as pool:
        for done in [pool.submit(job, con) for job in jobs]:
            done.result()
    for name in (*(s for chain in CHAINS for s in chain), "stage_flags"):
        _view(con, name)
    _flags(con, later, params)
    _run(con, f"create or replace temp table stage_flag_scale as\n{store.sql('risk/flag_scale')}", params)
    con.execute(f"create or replace temp view stage_scaled_flags as\n{store.sql('risk/scale_flags')}")
    _run(con, f"create or replace temp table stage_scores as\n{store.sql('risk/scores')}", params)


def _reads(indicator: str) -> set[str]:
    """The staged tables an indicator's SQL file reads."""
    return set(_STAGE_NAME.findall(_COMMENT.sub("", store.sql("indicators/" + indicator))))


def _chain(con: duckdb.DuckDBPyConnection, *, stages: Sequence[str], indicators: Sequence[str],
           params: dict[str, Any]) -> None:
    """On a cursor of its own: build `stages`, then add the flags of `indicators`."""
    cursor = con.cursor()
    try:
        _view(cursor, FIRST_STAGE)
        _stage(cursor, stages, params)
        _flags(cursor, indicators, params)
    finally:
        cursor.close()


def _stage(con: duckdb.DuckDBPyConnection, names: Sequence[str], params: dict[str, Any]) -> None:
    """Build each stage in STAGE_DB, and a temporary view under its name on this connection."""
    for name in names:  # identifiers from the fixed lists above
        _run(con, f"create or replace table {STAGE_DB}.{name} as\n{store.sql('risk/' + name)}", params)
        _view(con, name)


def _view(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(f"create or replace temp view {name} as select * from {STAGE_DB}.{name}")


def _flags(con: duckdb.DuckDBPyConnection, indicators: Sequence[str], params: dict[str, Any]) -> None:
    """Add the indicators' flags to stage_flags, in one query (appends from two cursors at once do
    not conflict)."""
    if indicators:
        _run(con, f"insert into {STAGE_DB}.stage_flags ({FLAG_COLUMNS})\n{_union(indicators)}", params)


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
