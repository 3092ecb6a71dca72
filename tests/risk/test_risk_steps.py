"""The scoring's steps: each runs once the staged tables it reads are complete."""

from __future__ import annotations

import duckdb
import pytest

from market_oversight import store
from market_oversight.errors import RiskError
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds

DB = engine.STAGE_DB


def _step(name: str, sql: str, writes: str, reads: set[str]) -> engine.Step:
    return engine.Step(name, sql, writes, store.Statement(name, sql, frozenset(), frozenset(reads)))


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(f"attach ':memory:' as {DB}")
    con.execute(f"create table {DB}.stage_log (step varchar, rows bigint)")
    yield con
    con.close()


def test_what_each_step_reads_is_declared_in_its_sql() -> None:
    steps = {s.name: s for s in engine.steps(i.name for i in load_thresholds().indicators)}
    assert steps["stage_return_summary"].reads == {"stage_returns"}
    assert steps["stage_ratings"].reads == set()
    assert steps["group_stress"].reads == {"stage_flags", "stage_locations"}
    assert steps["low_occupancy"].writes == "stage_flags"


def test_a_step_waits_for_every_step_writing_what_it_reads(con) -> None:
    # the slow first step is listed first and the pool has two workers: without the wait, the
    # readers would start at once and find stage_a missing or stage_log short of its rows
    steps = [
        _step("a", f"create table {DB}.stage_a as select range as n from range(3000000) order by random()",
              "stage_a", set()),
        _step("log_a", f"insert into {DB}.stage_log select 'a', count(*) from stage_a", "stage_log", {"stage_a"}),
        _step("log_b", f"insert into {DB}.stage_log values ('b', 1)", "stage_log", set()),
        _step("total", f"create table {DB}.stage_total as select sum(rows) as rows from stage_log",
              "stage_total", {"stage_log"}),
    ]
    engine._run_steps(con, steps, {})
    assert con.execute(f"select rows from {DB}.stage_total").fetchone()[0] == 3_000_001


def test_steps_that_wait_on_each_other_are_refused(con) -> None:
    steps = [_step("x", "select 1", "stage_x", {"stage_y"}), _step("y", "select 1", "stage_y", {"stage_x"})]
    with pytest.raises(RiskError, match="x, y"):
        engine._run_steps(con, steps, {})


def test_a_failing_step_stops_the_run_with_its_error(con) -> None:
    steps = [_step("bad", "select * from no_such_table", "stage_bad", set()),
             _step("after", f"create table {DB}.stage_after as select * from stage_bad", "stage_after", {"stage_bad"})]
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        engine._run_steps(con, steps, {})
    assert not con.execute("select count(*) from duckdb_tables() where table_name = 'stage_after'").fetchone()[0]
