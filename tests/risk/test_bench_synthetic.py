"""The risk benchmark's synthetic warehouse (bench/risk_score.py), built small: it must build and
score, since `make bench` is not part of the test run."""

from __future__ import annotations

from datetime import date

from bench.risk_score import build_synthetic, full_scan_sql
from market_oversight import store
from market_oversight.risk import engine
from market_oversight.risk.thresholds import load_thresholds


def test_the_synthetic_warehouse_builds_in_period_order_and_scores(tmp_path):
    with store.warehouse(tmp_path / "synthetic.duckdb", publish=False) as con:
        build_synthetic(con, care_homes=12, home_care=8, months=6)
        # the first versions were stored month by month, as monthly loads store them; the
        # resubmissions come after them
        periods = [p for (p,) in con.execute(
            "select period from care_home_returns where row_number % 100 < 50 order by rowid").fetchall()]
        assert len(set(periods)) == 6 and periods == sorted(periods)
        assert con.execute("select count(*) from care_home_returns where superseded_at is not null"
                           ).fetchone()[0] > 0
        engine.compute(con, date(2026, 10, 15), load_thresholds())
        assert con.execute("select count(*) from stage_scores").fetchone()[0] == 20
        for table in ("care_home_returns", "home_care_returns"):
            for grouped in (True, False):
                con.execute(full_scan_sql(con, table, per_location=grouped)).fetchall()
