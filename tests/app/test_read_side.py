"""The app's cursors on a published copy (`serving.ReadSide`): bound to the live casework once per
state of it and reused, yet never answering with a state of the casework other than the one asked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from market_oversight import casework
from market_oversight.queries import serving
from market_oversight.signin import DEMO_USER

RAG = "select rag from mart.risk_current where location_id = $id"


@pytest.fixture
def read_side(demo_db: Path):
    side = serving.ReadSide(serving.newest_copy(demo_db))
    yield side
    side.connection.close()


def red_location(cur: duckdb.DuckDBPyConnection) -> str:
    return cur.execute("select location_id from mart.risk_current where rag = 'red' and not suspended "
                       "order by location_id limit 1").fetchall()[0][0]


def test_a_cursor_is_lent_to_one_query_at_a_time_and_taken_back(demo_db: Path, read_side) -> None:
    live = serving.live_casework(demo_db)
    with read_side.cursor(live) as first:
        with read_side.cursor(live) as second:        # asked while the first is lent: another cursor
            assert second is not first
    with read_side.cursor(live) as again:
        assert again in (first, second)                 # taken back, lent again, not bound again


def test_a_casework_write_is_seen_by_the_next_query_and_not_by_a_run_that_pinned_the_state_before(
        demo_db: Path, read_side) -> None:
    before = serving.live_casework(demo_db)
    with read_side.cursor(before) as cur:
        loc = red_location(cur)
        assert cur.execute(RAG, {"id": loc}).fetchall() == [("red",)]
    casework.override_rag(demo_db, DEMO_USER, loc, "amber", "Action plan agreed",
                          date.today() + timedelta(days=30))
    after = serving.live_casework(demo_db)
    assert after.key != before.key
    with read_side.cursor(after) as cur:
        assert cur.execute(RAG, {"id": loc}).fetchall() == [("amber",)]
    with read_side.cursor(before) as cur:               # a run pinned before the write reads one state
        assert cur.execute(RAG, {"id": loc}).fetchall() == [("red",)]


def test_a_cursor_whose_query_failed_is_not_lent_again(demo_db: Path, read_side) -> None:
    live = serving.live_casework(demo_db)
    with pytest.raises(duckdb.Error):
        with read_side.cursor(live) as failed:
            failed.execute("select * from no_such_table")
    with read_side.cursor(live) as cur:
        assert cur is not failed
        assert cur.execute("select count(*) from mart.risk_current").fetchall()[0][0] > 0


def test_cursors_of_only_the_newest_states_are_kept(demo_db: Path, read_side) -> None:
    reds = [r[0] for r in read_side.connection.execute(
        "select location_id from mart.risk_current where rag = 'red' and not suspended "
        "order by location_id limit $n", {"n": serving.ReadSide.KEPT_STATES}).fetchall()]
    states = [serving.live_casework(demo_db)]
    for loc in reds:
        casework.override_rag(demo_db, DEMO_USER, loc, "green", "Visited", date.today() + timedelta(days=9))
        states.append(serving.live_casework(demo_db))
    for live in states:
        with read_side.cursor(live):
            pass
    assert len(read_side._idle) == serving.ReadSide.KEPT_STATES
    with read_side.cursor(states[0]) as oldest:         # let go, so bound afresh: still its own state
        assert [oldest.execute(RAG, {"id": loc}).fetchall()[0][0] for loc in reds] == ["red"] * len(reds)
