"""Scoring: run the indicators as at a date, scale their points, score, and store.

Set-based: three staging queries read the base tables once each (locations registered at the date,
ratings known at the date, returns as they stood at the date) into tables, and a fourth sums the
returns per location in one pass (stage_return_summary), and a fifth sizes each location for the
impact measures (stage_impact_size); every indicator in sql/indicators/ reads
those. Nothing here looks past the as-of date (see docs/risk.md for the rules).

Each staging query and each indicator is a step, run as soon as the staged tables its SQL names
are complete, two at a time on cursors of their own: the ratings are staged beside the locations
and the returns, and the indicators that read only ratings run while the returns are summed.
group_stress, which reads the other indicators' flags, runs last. The staged tables live in a small
in-memory database attached to the warehouse connection (`STAGE_DB`), since temporary tables are
private to a connection and each cursor is a connection of its own; temporary views under the
stage names point at them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from market_oversight import store, vocab
from market_oversight.config import Settings
from market_oversight.errors import RiskError
from market_oversight.ingest import calendar
from market_oversight.queries import data_quality
from market_oversight.risk.thresholds import Thresholds

# The staged tables, each built from sql/risk/<name>.sql into STAGE_DB; the indicators read them.
STAGES = ("stage_locations", "stage_ratings", "stage_returns", "stage_return_summary",
          "stage_impact_size")
# The in-memory database of the staged tables; a warehouse file's stem names its own catalog, so
# this is a name no warehouse file is likely to have.
STAGE_DB = "risk_stage_memory"
# How many steps run at once, each on a cursor of its own. Most indicators read tables of one row
# per location, which DuckDB scans on one thread, so two at once keep both cores busy.
WORKERS = 2
FLAG_COLUMNS = "location_id, flag, domain, points, value, threshold, evidence, message"


@dataclass(frozen=True)
class ScoreRun:
    as_of: date
    locations: int
    red: int
    amber: int
    green: int
    flags: int
    thresholds_hash: str
    # what the score could not judge, in sentences (a fee benchmark missing for the year)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "locations": self.locations, "red": self.red,
                "amber": self.amber, "green": self.green, "flags": self.flags,
                "thresholds_hash": self.thresholds_hash, "warnings": list(self.warnings)}


@dataclass(frozen=True)
class Step:
    """One query of the scoring: `sql`, the statement of file `source` composed into a create or an
    insert, fills the staged table `writes`, from the staged tables `reads` (which the file declares)."""
    name: str
    sql: str
    writes: str
    source: store.Statement

    @property
    def reads(self) -> frozenset[str]:
        return self.source.reads


def record_settings(con: duckdb.DuckDBPyConnection, settings: Settings | None) -> None:
    """Record the settings' due day of returns in the warehouse, which late_missing_returns reads
    (as mart.expected_returns does); without settings, the due day recorded last stands."""
    if settings is not None:
        calendar.record_due_day(con, settings.returns.due_day_of_following_month)


def steps(indicators: Iterable[str]) -> list[Step]:
    """The staging queries and one insert into stage_flags per indicator (our own files, composed;
    no values in the text). What a step reads is the staged tables its file declares (`-- reads:`).
    Indicators may append to stage_flags from two cursors at once: concurrent appends do not conflict."""
    out = []
    for name in STAGES:
        stmt = store.statement("risk/" + name)
        out.append(Step(name, f"create or replace table {STAGE_DB}.{name} as\n{stmt.text}", name, stmt))
    for name in indicators:
        stmt = store.statement("indicators/" + name)
        out.append(Step(name, f"insert into {STAGE_DB}.stage_flags ({FLAG_COLUMNS})\n"
                              f"select {FLAG_COLUMNS} from (\n{stmt.text}\n)", "stage_flags", stmt))
    return out


def compute(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds) -> None:
    """Fill temp table stage_scores and view stage_scaled_flags for `as_of` (nothing is stored).

    Every step (steps()) runs as soon as the staged tables it reads are complete: a table is
    complete when every other step writing it is done, so group_stress, which reads stage_flags,
    runs after every other indicator. WORKERS steps run at once, each on a cursor of its own."""
    params = thresholds.params() | vocab.sql_params() | {
        "as_of": as_of, "financial_year": vocab.financial_year(as_of),
        "flag_names": sorted(i.name for i in thresholds.indicators)}
    con.execute(f"attach if not exists ':memory:' as {STAGE_DB}")
    con.execute(f"create or replace table {STAGE_DB}.stage_flags (location_id varchar, flag varchar, "
                "domain varchar, points double, value double, threshold double, evidence json, "
                "message varchar)")
    _run_steps(con, steps(i.name for i in thresholds.indicators), params)
    for name in (*STAGES, "stage_flags"):
        _view(con, name)
    for kind, name, stmt in (("table", "stage_flag_scale", store.statement("risk/flag_scale")),
                             ("view", "stage_scaled_flags", store.statement("risk/scale_flags")),
                             ("table", "stage_scores", store.statement("risk/scores"))):
        con.execute(f"create or replace temp {kind} {name} as\n{stmt.text}", stmt.bind(params))


def _run_steps(con: duckdb.DuckDBPyConnection, todo: Sequence[Step], params: dict[str, Any]) -> None:
    """Run `todo`, each step once the tables it reads are complete, WORKERS at a time."""
    waiting = list(todo)
    running: dict[Future[None], Step] = {}
    worker = threading.local()  # each worker thread's cursor, and the views made on it
    opened: list[duckdb.DuckDBPyConnection] = []

    def run(step: Step) -> None:
        if not hasattr(worker, "cursor"):
            worker.cursor, worker.views = con.cursor(), set()
            opened.append(worker.cursor)
        for name in step.reads - worker.views:  # temp views are private to a cursor
            _view(worker.cursor, name)
            worker.views.add(name)
        worker.cursor.execute(step.sql, step.source.bind(params))

    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            while waiting or running:
                # no queue: a step waits here, where the stages (first in `todo`) come first
                ready = [s for s in waiting if _ready(s, waiting, running.values())]
                for step in ready[:WORKERS - len(running)]:
                    waiting.remove(step)
                    running[pool.submit(run, step)] = step
                if not running:
                    raise RiskError(f"scoring steps wait on each other: {', '.join(s.name for s in waiting)}")
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    del running[future]
                    future.result()
    finally:
        for cursor in opened:
            cursor.close()


def _ready(step: Step, waiting: Sequence[Step], running: Iterable[Step]) -> bool:
    """Every other step writing a table `step` reads is done."""
    return not any(other is not step and other.writes in step.reads for other in (*waiting, *running))


def _view(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(f"create or replace temp view {name} as select * from {STAGE_DB}.{name}")


# Scores and flags of a run's dates, held in STAGE_DB until every date is scored, then stored at once.
HELD = {"held_flags": "risk_flags", "held_scores": "risk_scores"}


def start_holding(con: duckdb.DuckDBPyConnection) -> None:
    """Empty held tables in STAGE_DB, shaped like the stored ones (our table names)."""
    con.execute(f"attach if not exists ':memory:' as {STAGE_DB}")
    for held, stored in HELD.items():
        con.execute(f"create or replace table {STAGE_DB}.{held} as select * from main.{stored} limit 0")


def hold(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds) -> ScoreRun:
    """Hold the staged scores and flags of `as_of` (nothing is stored yet) and sum them up."""
    params = {"as_of": as_of, "hash": thresholds.hash, "scored_at": datetime.now(),
              "red_floors": list(thresholds.red_floors), "amber_floors": list(thresholds.amber_floors)}
    for held in HELD:  # identifiers from the fixed list above
        stmt = store.statement(f"risk/hold_{held.removeprefix('held_')}")
        con.execute(f"insert into {STAGE_DB}.{held} by name\n{stmt.text}", stmt.bind(params))
    row = con.execute(
        "select count(*), count(*) filter (where computed_rag = 'red'), "
        "count(*) filter (where computed_rag = 'amber'), count(*) filter (where computed_rag = 'green'), "
        "(select count(*) from stage_scaled_flags) from stage_scores").fetchall()[0]
    return ScoreRun(as_of, row[0], row[1], row[2], row[3], row[4], thresholds.hash)


def store_held(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the stored scores and flags of every held date with the held ones, in one
    transaction: a run stopped before this (killed, or a date that fails) stores nothing."""
    for held in HELD:
        _view(con, held)
    with store.transaction(con):
        # deleting is costly; skip it when none of the dates was scored before
        if store.run(con, "risk/held_dates_scored").fetchone()[0]:
            store.run(con, "risk/delete_held_dates_flags")
            store.run(con, "risk/delete_held_dates_scores")
        store.run(con, "risk/save_flags")
        store.run(con, "risk/save_scores")
    start_holding(con)


def score_at(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds) -> ScoreRun:
    """Score one date and store it at once."""
    start_holding(con)
    compute(con, as_of, thresholds)
    run = dataclasses.replace(hold(con, as_of, thresholds), warnings=warnings(con, as_of, thresholds))
    store_held(con)
    return run


def warnings(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: Thresholds) -> tuple[str, ...]:
    """What the score at `as_of` could not judge: each fee benchmark fee_below_benchmark needs and the
    benchmarks table lacks for the financial year (the indicator is then silent for those fees)."""
    if not any(i.name == "fee_below_benchmark" for i in thresholds.indicators):
        return ()
    fee = thresholds.indicator("fee_below_benchmark").params
    missing = data_quality.missing_benchmarks(con, as_of, fee["care_home_benchmark"], fee["home_care_benchmark"])
    return tuple(data_quality.missing_benchmark_sentences(missing))


def latest_data_date(con: duckdb.DuckDBPyConnection) -> date:
    found = store.run(con, "risk/latest_data_date").fetchone()[0]
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
          settings: Settings | None = None, *,
          progress: Callable[[int, int, date], None] | None = None) -> list[ScoreRun]:
    """Score each date (default: the latest data date), then store them all in one transaction: all
    or nothing, so a run killed or failing part-way leaves the stored scores as they were.
    Re-scoring a date replaces it. `progress(done, of, as_of)` is called as each date is scored."""
    with store.warehouse(db) as con:
        record_settings(con, settings)
        chosen = list(dates) if dates is not None else [latest_data_date(con)]
        start_holding(con)
        runs = []
        for done, as_of in enumerate(chosen, 1):
            compute(con, as_of, thresholds)
            runs.append(dataclasses.replace(hold(con, as_of, thresholds),
                                            warnings=warnings(con, as_of, thresholds)))
            if progress is not None:
                progress(done, len(chosen), as_of)
        store_held(con)
        return runs
